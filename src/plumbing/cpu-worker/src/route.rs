//! `/cpu-worker`'s route, declared once (see `basics::route`).

use basics::route::{Answer, Int, Param, Route, shared};

/// Used when neither parameter is given (`/demo/cpu` always gives one).
pub const DEFAULT_WORK_MS: u64 = 100;
pub const WORK_MS: Int = shared::WORK_MS
    .doc("Wall time to spin, in ms (not with iterations; default 100).")
    .zh("空转的墙钟时间（ms；不可与 iterations 同用；默认 100）。");
pub const ITERATIONS: Int = Int::new(
    "iterations",
    1,
    2_000_000_000,
    "Steps to run (not with work_ms).",
)
.zh("要执行的步数（不可与 work_ms 同用）。");

pub const BLOCK_MS: Int = Int::new(
    "block_ms",
    0,
    shared::MAX_DELAY_MS,
    "Blocks the worker's thread this long (std::thread::sleep), in ms: the blocking lesson's offload (not with work_ms or iterations).",
)
.zh("用 std::thread::sleep 阻塞 worker 线程的时长（ms），即阻塞一课中 offload 转交过来的睡眠（不可与 work_ms 或 iterations 同用）。");

pub const ROUTES: &[Route] = &[Route::get(
    "/cpu-worker",
    "Burns CPU (or blocks) on a fresh WASI 0.2 instance",
    Answer::Object,
)
.params(&[
    Param::Int(WORK_MS),
    Param::Int(ITERATIONS),
    Param::Int(BLOCK_MS),
])];
