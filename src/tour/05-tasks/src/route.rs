//! `/demo/tasks`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Calls, Route, shared};

pub const CALLS: Calls = Calls {
    delays: shared::DELAYS.default_to(&[100, 200, 300]),
    with_failures: false,
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/tasks",
    "create_task: every call at once, the max",
    Answer::Report,
)
.summary_zh("create_task：所有调用同时进行，总耗时取最长")
.calls(CALLS)
.example("/demo/tasks")];
