//! `/demo/loop`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Int, Param, Route, shared};

pub const DELAY_MS: Int = shared::DELAY_MS
    .default_to(100)
    .doc("Delay of the task's call, in ms.")
    .zh("该任务那次调用的延迟（ms）。");

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/loop",
    "the loop a request runs on, and a callback queued on it with call_soon",
    Answer::Report,
)
.summary_zh("请求运行在哪个事件循环上，以及用 call_soon 排进循环的回调")
.params(&[Param::Int(DELAY_MS), Param::Choice(shared::TRANSPORT)])
.example("/demo/loop")];
