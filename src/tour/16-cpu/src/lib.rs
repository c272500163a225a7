//! `GET /demo/cpu`: CPU-bound work gets nothing from async; offloading does.
//!
//! asyncio: CPU-bound coroutines never await, so the loop runs them one after
//! another: no speed-up. The way out is `await loop.run_in_executor(pool, work)`,
//! which runs the work on other threads (or processes).
//! Rust on Spin: tasks of one WASI 0.3 instance share its one thread, so `inline`
//! takes as long as doing the work sequentially. `offload` sends each piece of work
//! as an outbound request to `/cpu-worker`, a WASI 0.2 component: the host gives
//! every such request a fresh instance and runs them in parallel on its threads.
//! That is `run_in_executor` on Spin.

use common::demo::{self, DemoInfo};
use common::limits;
use common::reply::{self, ApiError, Reply};
use common::upstream::{self, Transport, UpstreamError};
use common::{Report, Trace, clock, cpu, task};
use serde_json::{Value, json};
use spin_sdk::http::Request;
use std::sync::OnceLock;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "cpu",
    python: common::python_region!("idea"),
    rust: common::region!("inline"),
    note: "Inline CPU tasks took turns on the instance's one thread, while the same work offloaded to the WASI 0.2 worker ran on several instances in parallel.",
};

/// With `mode=offload` (or `both`): the code that sends the work away.
const OFFLOAD: common::Region = common::region!("offload");

const CALIBRATION: Duration = Duration::from_millis(50);

#[spin_sdk::http_service]
async fn cpu_demo(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let tasks = query.int(&route::N)? as usize;
    let work_ms = query.optional_int(&route::WORK_MS)?;
    let fixed_iterations = query.optional_int(&route::ITERATIONS)?;
    let mode = query.choice(&route::MODE)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;
    if work_ms.is_some() && fixed_iterations.is_some() {
        return Err(ApiError::bad_request(
            Some("iterations"),
            "give work_ms or iterations, not both",
        ));
    }

    // The same number of steps inline and offloaded, so both do the same work.
    let trace = Trace::start();
    let per_ms = steps_per_ms();
    trace.note(format!(
        "calibrated: {per_ms:.0} steps per ms on this instance"
    ));
    let iterations = match (fixed_iterations, work_ms) {
        (Some(iterations), _) => iterations,
        (None, work_ms) => (per_ms * work_ms.unwrap_or(route::DEFAULT_WORK_MS) as f64) as u64,
    };
    let task_ms = clock::round_ms(iterations as f64 / per_ms);
    let sequential_ms = clock::round_ms(task_ms * tasks as f64);
    let total_ms = sequential_ms * if mode == "both" { 2.0 } else { 1.0 };
    limits::within_a_handler(
        if fixed_iterations.is_some() {
            "iterations"
        } else {
            "work_ms"
        },
        total_ms as u64,
        "n tasks of CPU work at this instance's speed, twice for mode=both",
    )?;

    // Speed-ups are against the sequential time: measured by the inline run when
    // there is one (side by side), estimated from the calibration otherwise.
    let mut runs = serde_json::Map::new();
    let mut baseline_ms = sequential_ms;
    let mut offload_ms = None;
    if mode != "offload" {
        let elapsed = timed(&trace, trace.watch(run_inline(tasks, iterations))).await;
        runs.insert(
            "inline".into(),
            json!({ "elapsed_ms": elapsed, "speedup": speedup(sequential_ms, elapsed) }),
        );
        baseline_ms = elapsed;
    }
    if mode != "inline" {
        let first = trace.tasks().len();
        let offloaded = trace.watch(run_offloaded(tasks, iterations, transport));
        let elapsed = timed(&trace, offloaded).await;
        let instances = worker_instances(&trace, first);
        offload_ms = Some(elapsed);
        runs.insert(
            "offload".into(),
            json!({ "elapsed_ms": elapsed, "speedup": speedup(baseline_ms, elapsed), "worker_instances": instances }),
        );
    }

    // The values in effect: work_ms is the default unless iterations was given.
    let work_ms = fixed_iterations
        .is_none()
        .then(|| work_ms.unwrap_or(route::DEFAULT_WORK_MS));
    let params = json!({ "n": tasks, "work_ms": work_ms, "iterations": iterations, "mode": mode, "transport": transport.name() });
    let code: &[common::Region] = match mode {
        "inline" => &[INFO.rust],
        "offload" => &[OFFLOAD],
        _ => &[INFO.rust, OFFLOAD],
    };
    let expected_ms = if mode == "offload" {
        task_ms
    } else {
        sequential_ms + offload_ms.map_or(0.0, |_| task_ms)
    };
    let mut said = Vec::new();
    if let Some(inline) = runs.get("inline") {
        said.push(format!(
            "inline, {tasks} tasks of about {task_ms} ms each took turns on the instance's one thread: {} ms",
            inline["elapsed_ms"]
        ));
    }
    if let Some(offload) = runs.get("offload") {
        said.push(format!(
            "offloaded to the WASI 0.2 worker, the same work took {} ms on {} worker instance(s)",
            offload["elapsed_ms"], offload["worker_instances"]
        ));
    }
    let report = Report::new(&INFO, params, expected_ms, &trace)
        .with_note(common::text::sentence(&said))
        .with_rust(code)
        .with("task_ms", task_ms)
        .with("sequential_ms", sequential_ms)
        .with("runs", runs)
        .with(
            "expected_assumes",
            "offloaded tasks each take one task's time, all at once: that needs a free core per task; with fewer cores they take turns and the run takes longer",
        );
    Ok(report.into_reply_as(view))
}

/// This instance's speed, measured on its first request (50 ms) and kept: it does
/// not change while the instance lives, and later requests need not pay for it.
fn steps_per_ms() -> f64 {
    static STEPS_PER_MS: OnceLock<f64> = OnceLock::new();
    *STEPS_PER_MS.get_or_init(|| cpu::iterations_per_ms(CALIBRATION))
}

fn speedup(sequential_ms: f64, elapsed_ms: f64) -> f64 {
    (sequential_ms / elapsed_ms.max(0.1) * 100.0).round() / 100.0
}

async fn timed(trace: &Trace, work: impl Future<Output = ()>) -> f64 {
    let started = trace.now_ms();
    work.await;
    clock::round_ms(trace.now_ms() - started)
}

/// `n` tasks on this instance, each running the steps without an await.
async fn run_inline(tasks: usize, iterations: u64) {
    let handles: Vec<_> = (0..tasks)
        .map(|n| {
            task::spawn_named(
                format!("inline {n}: {iterations} steps"),
                crunch(iterations),
            )
        })
        .collect();
    for handle in handles {
        let _ = handle.await;
    }
}

// region: inline
/// CPU-bound work in a task: there is no await inside, so the instance's thread
/// is this task's until it ends, and the other tasks wait their turn.
async fn crunch(iterations: u64) {
    cpu::spin(iterations);
}
// endregion: inline

/// `n` requests to the worker at once.
async fn run_offloaded(tasks: usize, iterations: u64, transport: Transport) {
    let url = format!(
        "{}/cpu-worker?iterations={iterations}",
        transport.origin_of("cpu-worker")
    );
    let handles: Vec<_> = (0..tasks)
        .map(|_| task::spawn(ask_worker(url.clone())))
        .collect();
    for handle in handles {
        let _ = handle.await;
    }
}

// region: offload
/// `await loop.run_in_executor(pool, work)` on Spin: the work goes to the WASI 0.2
/// worker as an HTTP request. The host runs it in a fresh instance, on a thread of
/// its own, while this task awaits the answer.
async fn ask_worker(url: String) -> Result<Value, UpstreamError> {
    upstream::get_json(&url).await
}
// endregion: offload

/// How many distinct worker instances answered the offloaded tasks (from `first`).
fn worker_instances(trace: &Trace, first: usize) -> usize {
    let mut instances: Vec<String> = trace.tasks()[first..]
        .iter()
        .filter_map(|task| {
            task.result.as_ref()?["instance"]["id"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    instances.sort();
    instances.dedup();
    instances.len()
}
