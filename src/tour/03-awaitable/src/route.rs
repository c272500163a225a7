//! `/demo/awaitable`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Int, Param, Route, shared};

pub const N: Int = shared::N
    .at_most(10)
    .default_to(2)
    .doc("Tasks, each awaiting its own chain of coroutines.")
    .zh("任务数，每个任务 await 自己的一条协程链。");
pub const STEPS: Int = Int::new(
    "steps",
    0,
    1000,
    "How many times the hand-written awaitable at the bottom of each chain answers Pending.",
)
.zh("每条链底部那个手写的可等待对象返回 Pending 的次数。")
.default_to(3);

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/awaitable",
    "what await does: each poll goes down the chain, each Pending comes back up",
    Answer::Report,
)
.summary_zh("await 做了什么：每次轮询沿着链一路向下，每个 Pending 再一路返回")
.params(&[Param::Int(N), Param::Int(STEPS)])
.example("/demo/awaitable")];
