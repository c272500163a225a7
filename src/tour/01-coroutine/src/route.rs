//! `/demo/coroutine`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Int, Param, Route, shared};

pub const DELAY_MS: Int = shared::DELAY_MS
    .default_to(200)
    .doc("Delay of each call, in ms.")
    .zh("每次调用的延迟（ms）。");
pub const PAUSE_MS: Int = Int::new(
    "pause_ms",
    0,
    shared::MAX_DELAY_MS,
    "How long the program waits before it awaits the coroutine, in ms.",
)
.zh("程序在 await 协程之前等待的时长（ms）。")
.default_to(300);

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/coroutine",
    "a coroutine runs nothing until it is awaited; a task runs on its own",
    Answer::Report,
)
.summary_zh("协程在被 await 之前什么也不执行；任务则自己运行")
.params(&[
    Param::Int(DELAY_MS),
    Param::Int(PAUSE_MS),
    Param::Choice(shared::TRANSPORT),
])
.example("/demo/coroutine")];
