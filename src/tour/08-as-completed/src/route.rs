//! `/demo/as-completed`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Calls, Param, Route, shared};

pub const CALLS: Calls = Calls {
    delays: shared::DELAYS.default_to(&[300, 200, 100]),
    with_failures: true,
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/as-completed",
    "as_completed: results streamed as they finish",
    Answer::Stream("application/x-ndjson"),
)
.summary_zh("as_completed：谁先完成就先流式返回谁的结果")
.calls(CALLS)
.params(&[Param::Int(shared::TIMEOUT_MS)])
.example("/demo/as-completed")];
