//! `/testcb`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Int, Param, Route, shared};

pub const DELAY_MS: Int = shared::DELAY_MS
    .doc(
        "When the background task's callback fires, in ms (default: the testcb_delay_ms variable).",
    )
    .zh("后台任务的回调触发的时间点（ms；默认取变量 testcb_delay_ms）。");

pub const ROUTES: &[Route] = &[Route::get(
    "/testcb",
    "a background task's callback fires while a fetch runs (streamed)",
    Answer::Stream("text/plain"),
)
.params(&[Param::Int(DELAY_MS)])
.errors(&[(503, "A Spin variable it needs is not set or not valid.")])
.example("/testcb")];
