//! `/demo/future`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Flag, Int, Param, Route, shared};

pub const DELAY_MS: Int = shared::DELAY_MS
    .default_to(500)
    .doc("Delay of the call whose answer sets the future, in ms.");
pub const WAITERS: Int = Int::new("waiters", 1, 1000, "Tasks awaiting the future.").default_to(3);
pub const FAIL: Flag = Flag {
    name: "fail",
    default: false,
    doc: "The setter's call fails, so it ends the future with set_exception.",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/future",
    "a future set once, awaited by many",
    Answer::Report,
)
.params(&[
    Param::Int(DELAY_MS),
    Param::Int(WAITERS),
    Param::Flag(FAIL),
    Param::Choice(shared::TRANSPORT),
])
.example("/demo/future")];
