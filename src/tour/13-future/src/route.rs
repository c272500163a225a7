//! `/demo/future`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Flag, Int, Param, Route, shared};

pub const DELAY_MS: Int = shared::DELAY_MS
    .default_to(500)
    .doc("Delay of the call whose answer sets the future, in ms.")
    .zh("设置 future 的那次调用的延迟（ms）。");
pub const WAITERS: Int = Int::new("waiters", 1, 1000, "Tasks awaiting the future.")
    .zh("await 该 future 的任务数。")
    .default_to(3);
pub const FAIL: Flag = Flag {
    name: "fail",
    default: false,
    doc: "The setter's call fails, so it ends the future with set_exception.",
    zh: "设置方的调用失败，于是它用 set_exception 结束 future。",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/future",
    "a future set once, awaited by many",
    Answer::Report,
)
.summary_zh("只设置一次、被多个任务 await 的 future")
.params(&[
    Param::Int(DELAY_MS),
    Param::Int(WAITERS),
    Param::Flag(FAIL),
    Param::Choice(shared::TRANSPORT),
])
.example("/demo/future")];
