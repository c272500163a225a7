//! `/testcb`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Int, Param, Route, shared};

pub const DELAY_MS: Int = shared::DELAY_MS.doc(
    "When the background task's callback fires, in ms (default: the testcb_delay_ms variable).",
);

pub const ROUTES: &[Route] = &[Route::get(
    "/testcb",
    "a background task's callback fires while a fetch runs (streamed)",
    Answer::Stream("text/plain"),
)
.params(&[Param::Int(DELAY_MS)])
.errors(&[(503, "A Spin variable it needs is not set or not valid.")])
.example("/testcb")];
