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
.summary_zh("同样的调用交给 gather 和 wait：一个列表或一个错误，对比两个集合")
.calls(CALLS)
.example("/demo/gather-vs-wait?fail=1")];
