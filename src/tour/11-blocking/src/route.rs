//! `/demo/blocking`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Choice, Int, Param, Route, shared};

pub const N: Int = shared::N.at_most(20).default_to(3).doc("Number of tasks.");
pub const DELAY_MS: Int = shared::DELAY_MS
    .at_most(5_000)
    .default_to(200)
    .doc("How long each task sleeps, in ms.");
pub const MODE: Choice = Choice {
    name: "mode",
    options: &["both", "blocking", "async"],
    default: "both",
    doc: "blocking: a sleep that holds the thread; async: one that awaits; both: one run of each.",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/blocking",
    "a blocking sleep stalls the instance; an async one does not",
    Answer::Report,
)
.params(&[Param::Int(N), Param::Int(DELAY_MS), Param::Choice(MODE)])
.example("/demo/blocking")];
