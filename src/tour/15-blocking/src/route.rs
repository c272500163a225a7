//! `/demo/blocking`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Choice, Int, Param, Route, shared};

pub const N: Int = shared::N.at_most(20).default_to(3).doc("Number of tasks.");
pub const DELAY_MS: Int = shared::DELAY_MS
    .at_most(5_000)
    .default_to(200)
    .doc("How long each task sleeps, in ms.");
pub const MODE: Choice = Choice {
    name: "mode",
    options: &["both", "blocking", "offload", "async"],
    default: "both",
    doc: "blocking: a sleep that holds the thread; offload: the same sleep moved to another instance (asyncio.to_thread); async: a sleep that awaits; both: blocking, then async.",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/blocking",
    "a blocking sleep stalls the instance; moved off it, or async, it does not",
    Answer::Report,
)
.params(&[
    Param::Int(N),
    Param::Int(DELAY_MS),
    Param::Choice(MODE),
    Param::Choice(shared::TRANSPORT),
])
.example("/demo/blocking")];
