//! `/demo/gather-vs-wait`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Calls, Route, shared};

pub const CALLS: Calls = Calls {
    delays: shared::DELAYS.default_to(&[300, 100, 200]),
    with_failures: true,
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/gather-vs-wait",
    "gather against wait on the same calls: a list or an error, against two sets",
    Answer::Report,
)
.calls(CALLS)
.example("/demo/gather-vs-wait?fail=1")];
