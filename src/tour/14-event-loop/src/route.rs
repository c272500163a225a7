//! `/demo/event-loop`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Choice, Int, Param, Route, shared};

pub const N: Int = shared::N
    .at_least(2)
    .at_most(10)
    .default_to(3)
    .doc("Number of tasks.")
    .zh("任务数。");
pub const STEPS: Int = Int::new("steps", 1, 100, "Steps per task.")
    .zh("每个任务的步数。")
    .default_to(3);
pub const STEP_MS: Int = Int::new("step_ms", 0, 1_000, "CPU time per step, in ms.")
    .zh("每一步的 CPU 时间（ms）。")
    .default_to(5);
pub const MODE: Choice = Choice {
    name: "mode",
    options: &["both", "yield", "no-yield"],
    default: "both",
    doc: "yield: an await between steps; no-yield: none; both: one run of each.",
    zh: "yield：步与步之间 await 一次；no-yield：不 await；both：两种各运行一次。",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/event-loop",
    "one task at a time, switching at awaits",
    Answer::Report,
)
.summary_zh("同一时刻只运行一个任务，在 await 处切换")
.params(&[
    Param::Int(N),
    Param::Int(STEPS),
    Param::Int(STEP_MS),
    Param::Choice(MODE),
])
.example("/demo/event-loop")];
