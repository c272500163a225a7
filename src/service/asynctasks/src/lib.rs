//! `GET /asynctasks`: the original service's task report.
//!
//! aiohttp: the handler did `tasks = [asyncio.create_task(fetch(url)) for url in
//! urls]`, then `done, pending = await asyncio.wait(tasks, timeout=5)`, cancelled
//! what was pending, and logged the results and the total time.
//! Rust: the same three fetches (to the app's own `/upstream`, 200, 800 and 6000 ms
//! by default) run together in a `FuturesUnordered` under a 5 s limit; what is
//! still pending then is dropped, which cancels it. The report says which tasks
//! were done and which were cancelled, with each result or error.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::task::StreamExt;
use common::upstream::Fetch;
use common::{CallPlan, Outcome, Report, Trace, task};
use futures::stream::FuturesUnordered;
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "asynctasks",
    python: common::python_region!("idea"),
    rust: common::region!("asynctasks"),
    note: "The fetches ran together; those not done when the timeout passed were cancelled.",
};

#[spin_sdk::http_service]
async fn asynctasks(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    let timeout_ms = query.int(&route::TIMEOUT_MS)?;
    query.finish()?;

    let trace = Trace::start();
    let limit = Duration::from_millis(timeout_ms);
    let timed_out = trace.watch(fetch_all_within(plan.calls(), limit)).await;
    let done = trace.completion_order();
    let total_time_ms = trace.now_ms();

    let params = plan.params(json!({ "timeout_ms": timeout_ms }));
    let expected_ms = demo::within_timeout(plan.longest_ms(), Some(timeout_ms));
    let cancelled = trace.ids_with(Outcome::Cancelled);
    let note = if !timed_out {
        format!(
            "Every fetch finished within the {timeout_ms} ms timeout, by {total_time_ms} ms, so nothing was cancelled."
        )
    } else {
        format!(
            "The fetches ran together: {} finished within the {timeout_ms} ms timeout; {} were cancelled when it passed.",
            demo::ids(&done),
            demo::ids(&cancelled)
        )
    };
    let report = Report::new(&INFO, params, expected_ms, &trace)
        .with_note(note)
        .with("timed_out", timed_out)
        .with("done", done)
        .with("cancelled", trace.ids_with(Outcome::Cancelled))
        .with("total_time_ms", total_time_ms);
    Ok(report.into_reply_as(view))
}

// region: asynctasks
/// The original handler's `asyncio.wait(tasks, timeout=...)`: every fetch at once,
/// those not done when the timeout passes cancelled. True when it passed.
async fn fetch_all_within(fetches: Vec<Fetch>, limit: Duration) -> bool {
    let mut running: FuturesUnordered<_> = fetches.into_iter().collect();
    let all_done = async { while running.next().await.is_some() {} };
    let timed_out = task::timeout(limit, all_done).await.is_err();
    drop(running); // drops, which cancels, the fetches still pending
    timed_out
}
// endregion: asynctasks
