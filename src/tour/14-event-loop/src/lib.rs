//! `GET /demo/event-loop`: one task runs at a time; they switch only at awaits.
//!
//! asyncio: the event loop runs one task until it awaits, then picks the next ready
//! one. `await asyncio.sleep(0)` is an explicit yield point; a task without one
//! keeps the loop to itself until it ends.
//! Rust: the component's executor does the same on the instance's one thread.
//! `common::task::yield_now().await` is `asyncio.sleep(0)`. The recorder times
//! every poll; the step order and how many steps ever ran at once are read off
//! those polls, not counted by the workers.

use common::demo::{self, DemoInfo};
use common::limits;
use common::reply::{self, ApiError, Reply};
use common::trace::PollEntry;
use common::{Report, Trace, cpu, task};
use serde_json::{Value, json};
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "event-loop",
    python: common::python_region!("idea"),
    rust: common::region!("worker"),
    note: "Only one step ever ran at a time; with yield points the tasks took turns step by step, without them each task ran to its end before the next began.",
};

#[spin_sdk::http_service]
async fn event_loop(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let tasks = query.int(&route::N)? as usize;
    let steps = query.int(&route::STEPS)? as usize;
    let step_ms = query.int(&route::STEP_MS)?;
    let mode = query.choice(&route::MODE)?;
    query.finish()?;
    let runs: &[bool] = match mode {
        "yield" => &[true],
        "no-yield" => &[false],
        _ => &[true, false],
    };
    let total_ms = runs.len() as u64 * tasks as u64 * steps as u64 * step_ms;
    limits::within_a_handler(
        "step_ms",
        total_ms,
        "n x steps x step_ms of CPU, twice for mode=both",
    )?;

    let trace = Trace::start();
    let mut orders = serde_json::Map::new();
    for &yields in runs {
        let first = trace.tasks().len();
        trace
            .watch(run_workers(tasks, steps, step_ms, yields))
            .await;
        let order = step_order(&trace.poll_log(), first, steps);
        orders.insert(run_name(yields).to_owned(), Value::String(order.join(" ")));
    }
    let most_at_once = most_polls_at_once(&trace.poll_log());

    let params = json!({ "n": tasks, "steps": steps, "step_ms": step_ms, "mode": mode });
    let order_of = |run: &str| orders.get(run).and_then(Value::as_str).map(str::to_owned);
    let mut said = Vec::new();
    if let Some(order) = order_of("with_yields") {
        said.push(format!(
            "with a yield after each step the tasks took turns ({order})"
        ));
    }
    if let Some(order) = order_of("without_yields") {
        said.push(format!(
            "without yields each task ran to its end before the next began ({order})"
        ));
    }
    let note = format!(
        "At most {most_at_once} step ran at a time: {}.",
        said.join(", ")
    );
    let report = Report::new(&INFO, params, total_ms as f64, &trace)
        .with_note(note)
        .with("step_order", orders)
        .with("max_steps_running_at_once", most_at_once);
    Ok(report.into_reply_as(view))
}

fn run_name(yields: bool) -> &'static str {
    if yields {
        "with_yields"
    } else {
        "without_yields"
    }
}

/// Spawns `tasks` workers of `steps` steps each and waits for them all.
async fn run_workers(tasks: usize, steps: usize, step_ms: u64, yields: bool) {
    let step = Duration::from_millis(step_ms);
    let handles: Vec<_> = (0..tasks)
        .map(|n| {
            let name = format!("worker {} ({})", worker_letter(n), run_name(yields));
            task::spawn_named(name, worker(steps, step, yields))
        })
        .collect();
    for handle in handles {
        let _ = handle.await;
    }
}

// region: worker
/// A task of `steps` CPU steps; with `yields`, `await asyncio.sleep(0)` after each.
async fn worker(steps: usize, step: Duration, yields: bool) {
    for _ in 0..steps {
        cpu::burn_for(step); // one step: plain code, no await inside
        if yields {
            task::yield_now().await; // the other ready tasks run their step now
        }
    }
}
// endregion: worker

fn worker_letter(n: usize) -> char {
    char::from(b'A' + n as u8)
}

/// The order the steps ran in (`A0 B0 C0 A1 ...`), derived from the recorded
/// polls of the workers numbered from `first`: a worker that yields runs one step
/// per poll (its last poll only ends it); one that never yields runs all its steps
/// in its one poll.
fn step_order(polls: &[PollEntry], first: usize, steps: usize) -> Vec<String> {
    let workers: Vec<(usize, &PollEntry)> = (polls.iter())
        .filter_map(|poll| Some((poll.task.filter(|&task| task >= first)?, poll)))
        .collect();
    let polls_of = |task| workers.iter().filter(|(of, _)| *of == task).count();
    let mut seen = std::collections::HashMap::new();
    let mut order = Vec::new();
    for &(task, _) in &workers {
        let letter = worker_letter(task - first);
        let k = seen.entry(task).or_insert(0);
        if polls_of(task) == 1 {
            order.extend((0..steps).map(|step| format!("{letter}{step}")));
        } else if *k < steps {
            order.push(format!("{letter}{k}"));
        }
        *k += 1;
    }
    order
}

/// The most polls that were ever under way at once, across every task: on one
/// thread, never more than one.
fn most_polls_at_once(polls: &[PollEntry]) -> usize {
    let mut edges: Vec<(f64, i32)> = Vec::new();
    // The tasks' polls: the handler's enclose those of the calls it awaits itself.
    for poll in polls.iter().filter(|poll| poll.task.is_some()) {
        edges.push((poll.from_ms, 1));
        edges.push((poll.to_ms, -1));
    }
    // An end before a start at the same instant: touching polls do not overlap.
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut most) = (0, 0);
    for (_, change) in edges {
        now += change;
        most = most.max(now);
    }
    most as usize
}
