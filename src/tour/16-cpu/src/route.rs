//! `/demo/cpu`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Choice, Int, Param, Route, shared};

pub const N: Int = shared::N
    .at_most(16)
    .default_to(4)
    .doc("Number of tasks.")
    .zh("任务数。");
/// Used when neither `work_ms` nor `iterations` is given.
pub const DEFAULT_WORK_MS: u64 = 250;
pub const WORK_MS: Int = shared::WORK_MS
    .at_least(1)
    .at_most(2_000)
    .doc("CPU time per task, in ms (not with iterations; default 250).")
    .zh("每个任务的 CPU 时间（ms；不可与 iterations 同用；默认 250）。");
pub const ITERATIONS: Int = Int::new(
    "iterations",
    1,
    2_000_000_000,
    "Steps per task (not with work_ms).",
)
.zh("每个任务的步数（不可与 work_ms 同用）。");
pub const MODE: Choice = Choice {
    name: "mode",
    options: &["both", "inline", "offload"],
    default: "both",
    doc: "inline: on this instance's one thread; offload: each on a cpu-worker instance; both: one run of each.",
    zh: "inline：在本实例唯一的线程上运行；offload：每个任务各在一个 cpu-worker 实例上运行；both：两种各运行一次。",
};

pub const ROUTES: &[Route] = &[Route::get(
    "/demo/cpu",
    "CPU-bound work: inline on one thread, or offloaded",
    Answer::Report,
)
.summary_zh("「CPU 密集型」工作：在唯一的线程上内联运行，或转交出去")
.params(&[
    Param::Int(N),
    Param::Int(WORK_MS),
    Param::Int(ITERATIONS),
    Param::Choice(MODE),
    Param::Choice(shared::TRANSPORT),
])
.example("/demo/cpu")];
