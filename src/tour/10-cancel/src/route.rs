//! `/demo/cancel`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Int, Param, Route, shared};

pub const WORK_MS: Int = shared::WORK_MS
    .at_most(5_000)
    .default_to(300)
    .doc("CPU time the worker burns before its first await, in ms.")
    .zh("worker 在第一次 await 之前消耗的 CPU 时间（ms）。");
pub const DELAY_MS: Int = shared::DELAY_MS
    .default_to(1000)
    .doc("Delay of the worker's call, in ms.")
    .zh("worker 那次调用的延迟（ms）。");
pub const CANCEL_AFTER_MS: Int = Int::new(
    "cancel_after_ms",
    0,
    shared::MAX_TIMEOUT_MS,
    "When the canceller calls cancel(), in ms.",
)
.zh("取消方调用 cancel() 的时间点（ms）。")
.default_to(100);

pub const ROUTES: &[Route] =
    &[
        Route::get("/demo/cancel", "cancel(): only at an await", Answer::Report)
            .summary_zh("task.cancel()：任务只在 await 处停下")
            .params(&[
                Param::Int(WORK_MS),
                Param::Int(DELAY_MS),
                Param::Int(CANCEL_AFTER_MS),
                Param::Choice(shared::TRANSPORT),
            ])
            .example("/demo/cancel"),
    ];
