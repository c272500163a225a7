//! `/demo/sequential`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Calls, Route, shared};

pub const CALLS: Calls = Calls {
    delays: shared::DELAYS.default_to(&[100, 200, 300]),
    with_failures: false,
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/sequential",
    "awaiting one call after another: the sum",
    Answer::Report,
)
.summary_zh("一个接一个地 await 调用：总耗时是延迟之和")
.calls(CALLS)
.example("/demo/sequential")];
