//! `/demo/blocking`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Choice, Int, Param, Route, shared};

pub const N: Int = shared::N
    .at_most(20)
    .default_to(3)
    .doc("Number of tasks.")
    .zh("任务数。");
pub const DELAY_MS: Int = shared::DELAY_MS
    .at_most(5_000)
    .default_to(200)
    .doc("How long each task sleeps, in ms.")
    .zh("每个任务睡眠的时长（ms）。");
pub const MODE: Choice = Choice {
    name: "mode",
    options: &["both", "blocking", "offload", "async"],
    default: "both",
    doc: "blocking: a sleep that holds the thread; offload: the same sleep moved to another instance (asyncio.to_thread); async: a sleep that awaits; both: blocking, then async.",
    zh: "blocking：占住线程的阻塞睡眠；offload：把同样的睡眠移到另一个实例上（asyncio.to_thread）；async：通过 await 的睡眠；both：先 blocking，再 async。",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/blocking",
    "a blocking sleep stalls the instance; moved off it, or async, it does not",
    Answer::Report,
)
.summary_zh("阻塞的 sleep 会卡住整个实例；移到别处或改用异步就不会")
.params(&[
    Param::Int(N),
    Param::Int(DELAY_MS),
    Param::Choice(MODE),
    Param::Choice(shared::TRANSPORT),
])
.example("/demo/blocking")];
