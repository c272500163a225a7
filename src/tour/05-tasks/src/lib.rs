//! `GET /demo/tasks`: `asyncio.create_task` starts work now, `await` collects it later.
//!
//! asyncio: `tasks = [asyncio.create_task(fetch(url)) for url in urls]`, then
//! `await task` for each. The tasks run as soon as the creator yields, so they all
//! overlap and the total is the longest delay, not the sum.
//! Rust: `common::task::spawn(call)` returns a handle; awaiting the handles one by
//! one collects results of work that has been running all along.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::upstream::Fetch;
use common::{CallPlan, Report, Trace, task};
use serde_json::json;
use spin_sdk::http::Request;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "tasks",
    python: common::python_region!("idea"),
    rust: common::region!("tasks"),
    note: "Every task started before the first one was awaited, so the total is the longest delay, not the sum.",
};

#[spin_sdk::http_service]
async fn tasks(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    query.finish()?;

    let trace = Trace::start();
    trace.watch(create_tasks_then_await(plan.calls())).await;

    let expected_ms = plan.longest_ms() as f64;
    let report = Report::new(&INFO, plan.params(json!({})), expected_ms, &trace);
    let last_start = report
        .tasks
        .iter()
        .filter_map(|t| t.started_ms)
        .fold(0.0, f64::max);
    let first_end = report
        .tasks
        .iter()
        .filter_map(|t| t.finished_ms)
        .fold(f64::MAX, f64::min);
    let started = if last_start <= first_end {
        format!("Every task had started by {last_start} ms, before the first one ended")
    } else {
        format!("The last task started at {last_start} ms, after the first one ended")
    };
    let overlap = demo::overlap_sentence(report.elapsed_ms, &plan.delays);
    let note = format!("{started}, and the {overlap}.");
    Ok(report.with_note(note).into_reply_as(view))
}

// region: tasks
/// `tasks = [asyncio.create_task(call) for call in calls]`, then `await` each.
async fn create_tasks_then_await(calls: Vec<Fetch>) {
    // Each task starts at the creator's next await, as in asyncio.
    let tasks: Vec<_> = calls.into_iter().map(task::spawn).collect();
    for task in tasks {
        // The first await lets every task start; by the time a task is awaited it
        // may be long done, and awaiting it only collects its answer.
        let _ = task.await;
    }
}
// endregion: tasks
