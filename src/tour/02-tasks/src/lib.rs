//! `GET /demo/tasks`: `asyncio.create_task` starts work now, `await` collects it later.
//!
//! asyncio: `tasks = [asyncio.create_task(fetch(url)) for url in urls]`, then
//! `await task` for each. The tasks run as soon as the creator yields, so they all
//! overlap and the total is the longest delay, not the sum.
//! Rust: `common::task::spawn(call.run())` returns a handle; awaiting the handles
//! one by one collects results of work that has been running all along.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{CallPlan, Report, Trace, task};
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

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
    let mut query = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    query.finish()?;

    let trace = Trace::start();
    // region: tasks
    let handles: Vec<_> = plan
        .declare(&trace)
        .into_iter()
        .map(|call| {
            trace.event(call.task, "created");
            (call.task, task::spawn(call.run()))
        })
        .collect();

    // New tasks run once their creator awaits something, as in asyncio. A real
    // wait on the host (rather than a bare yield, after which this executor may
    // poll the creator again first) makes sure they all get their turn.
    trace.note("the creator awaits a 1 ms sleep: meanwhile the new tasks start");
    spin_sdk::time::sleep(Duration::from_millis(1)).await;

    for (id, handle) in handles {
        trace.event(id, "awaited");
        // The task records its own outcome on the trace.
        let _ = handle.await;
    }
    // endregion: tasks

    let expected_ms = plan.longest_ms() as f64;
    Ok(Report::new(&INFO, plan.params(json!({})), expected_ms, &trace).into_reply())
}
