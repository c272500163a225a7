//! `/demo/timeout`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Int, Param, Route, shared};

pub const DELAY_MS: Int = shared::DELAY_MS
    .default_to(2000)
    .doc("Delay of the call, in ms.")
    .zh("这次调用的延迟（ms）。");
pub const TIMEOUT_MS: Int = shared::TIMEOUT_MS.default_to(1000);

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/timeout",
    "wait_for: the timer wins, the call is dropped",
    Answer::Report,
)
.summary_zh("wait_for：计时器先到，调用被丢弃")
.params(&[
    Param::Int(DELAY_MS),
    Param::Int(TIMEOUT_MS),
    Param::Choice(shared::TRANSPORT),
])
.example("/demo/timeout")];
