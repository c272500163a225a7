//! `/asynctasks`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Calls, Int, Param, Route, shared};

/// The original fetched three sites, the last one slower than its timeout.
pub const CALLS: Calls = Calls {
    delays: shared::DELAYS.default_to(&[200, 800, 6000]),
    with_failures: true,
};
/// The original's `asyncio.wait(tasks, timeout=5)`.
pub const TIMEOUT_MS: Int = shared::TIMEOUT_MS.default_to(5000);

pub const ROUTES: &[Route] = &[Route::get(
    "/asynctasks",
    "three fetches under asyncio.wait(timeout=5): done and cancelled",
    Answer::Report,
)
.summary_zh("asyncio.wait(timeout=5) 下的三次请求：已完成的与被取消的")
.calls(CALLS)
.params(&[Param::Int(TIMEOUT_MS)])
.example("/asynctasks")];
