//! `/demo/shield`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Flag, Int, Param, Route, shared};

pub const DELAY_MS: Int = shared::DELAY_MS
    .default_to(2000)
    .doc("Delay of the shielded work's call, in ms.")
    .zh("受 shield 保护的工作所发调用的延迟（ms）。");
pub const TIMEOUT_MS: Int = shared::TIMEOUT_MS.default_to(500);
pub const SHIELD: Flag = Flag {
    name: "shield",
    default: true,
    doc: "true: the work goes on after the timeout; false: it is cancelled.",
    zh: "true：超时后工作继续进行；false：工作被取消。",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/shield",
    "shield: the timeout fires, the work goes on",
    Answer::Stream("application/x-ndjson"),
)
.summary_zh("shield：超时已到，工作仍继续")
.params(&[
    Param::Int(DELAY_MS),
    Param::Int(TIMEOUT_MS),
    Param::Flag(SHIELD),
    Param::Choice(shared::TRANSPORT),
])
.example("/demo/shield")];
