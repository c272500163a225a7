//! `/upstream`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Choice, Int, Param, Route, Text, shared};

pub const DELAY_MS: Int = shared::DELAY_MS
    .default_to(0)
    .doc("How long to sleep before answering, in ms.")
    .zh("返回响应前睡眠的时长（ms）。");
pub const STATUS: Int = Int::new("status", 200, 599, "Status to answer with.")
    .zh("响应的状态码。")
    .default_to(200);
pub const BYTES: Int = Int::new("bytes", 0, 1024 * 1024, "Filler bytes to add.")
    .zh("附加的填充字节数。")
    .default_to(0);
pub const ID: Text = Text {
    name: "id",
    max_chars: 128,
    doc: "A label echoed back.",
    zh: "原样返回的标签。",
};
/// `chunked` keeps the framing Spin used to send, for `make bench`'s before and after.
pub const FRAMING: Choice = Choice {
    name: "framing",
    options: &["length", "chunked"],
    default: "length",
    doc: "length: a content-length header; chunked: a chunked body (slower on Spin).",
    zh: "length：带 content-length 头；chunked：分块传输的响应体（在 Spin 上较慢）。",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/upstream",
    "the slow upstream the concurrency demos call",
    Answer::Upstream,
)
.params(&[
    Param::Int(DELAY_MS),
    Param::Int(STATUS),
    Param::Int(BYTES),
    Param::Text(ID),
    Param::Choice(FRAMING),
])
.example("/upstream?delay_ms=200")];
