//! `GET /demo/wait`: `asyncio.wait` with `return_when` and a timeout.
//!
//! asyncio: `done, pending = await asyncio.wait(tasks, timeout=t, return_when=...)`
//! returns as soon as the condition holds (first completed, first exception, all
//! completed) or the timeout passes, and leaves the pending tasks running; the
//! original `/asynctasks` then meant to cancel them.
//! Rust: a `FuturesUnordered` yields each call as it completes; the loop stops when
//! the condition holds, a timer bounds it, and dropping the set cancels what is
//! still pending.

use common::demo::{self, DemoInfo, ReturnWhen};
use common::reply::{self, ApiError, Reply};
use common::{CallPlan, Outcome, Report, Trace};
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

const INFO: DemoInfo = DemoInfo {
    name: "wait",
    python: "done, pending = await asyncio.wait(tasks, timeout=t, return_when=FIRST_COMPLETED)\nfor task in pending:\n    task.cancel()",
    rust: "let mut running: FuturesUnordered<_> = calls.map(TracedCall::run).collect();\nwhile let Some(answer) = running.next().await { /* stop when return_when holds */ }\ndrop(running); // cancels the pending calls",
    note: "wait returns as soon as its condition holds or the timeout passes; the calls still pending are then cancelled.",
};

#[spin_sdk::http_service]
async fn wait(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let mut query = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &[300, 200, 100], true)?;
    let return_when = query.choice("return_when", &ReturnWhen::NAMES, "all_completed")?;
    let timeout_ms = query.int("timeout_ms", 0..=demo::MAX_TIMEOUT_MS)?;
    query.finish()?;

    let trace = Trace::start();
    let calls = plan.declare(&trace);
    let until = ReturnWhen::from_name(return_when).expect("choice() returns one of NAMES");
    let limit = timeout_ms.map(Duration::from_millis);
    let waited = demo::wait(&trace, calls, until, limit).await;

    let params = plan.params(json!({ "return_when": return_when, "timeout_ms": timeout_ms }));
    let expected_ms = demo::within_timeout(condition_met_ms(&plan, until), timeout_ms);
    let report = Report::new(&INFO, params, expected_ms, &trace)
        .with("timed_out", waited.timed_out)
        .with("done", waited.done)
        .with("pending", waited.pending)
        .with("cancelled", trace.ids_with(Outcome::Cancelled));
    Ok(report.into_reply())
}

/// When the idea says wait's condition holds: the delay of the task that meets it.
fn condition_met_ms(plan: &CallPlan, until: ReturnWhen) -> u64 {
    match until {
        ReturnWhen::FirstCompleted => plan.delays.iter().copied().min().unwrap_or(0),
        ReturnWhen::FirstException => plan.first_failure_ms().unwrap_or(plan.longest_ms()),
        ReturnWhen::AllCompleted => plan.longest_ms(),
    }
}
