//! `GET /demo/sequential`: awaiting coroutines one after another.
//!
//! asyncio: `for url in urls: results.append(await fetch(url))`. Each `await`
//! suspends the handler until that fetch is done, so the next fetch has not even
//! started: the total is the sum of the delays.
//! Rust: `for call in calls { call.await }` does exactly the same. A future is
//! lazy, like a coroutine object: a call does nothing until it is awaited.

use common::demo::{self, DemoInfo};
use common::limits;
use common::reply::{self, ApiError, Reply};
use common::upstream::Fetch;
use common::{CallPlan, Report, Trace};
use serde_json::json;
use spin_sdk::http::Request;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "sequential",
    python: common::python_region!("idea"),
    rust: common::region!("sequential"),
    note: "Awaiting each call before starting the next adds the delays up: nothing overlaps.",
};

#[spin_sdk::http_service]
async fn sequential(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    query.finish()?;
    let planned_ms = plan.delays.iter().sum::<u64>();
    limits::within_a_handler(
        "delays",
        planned_ms,
        "the delays added up, one call after another",
    )?;

    let trace = Trace::start();
    trace.watch(one_after_another(plan.calls())).await;

    let expected_ms = planned_ms as f64;
    let report = Report::new(&INFO, plan.params(json!({})), expected_ms, &trace);
    let note = format!(
        "{}.",
        demo::overlap_sentence(report.elapsed_ms, &plan.delays)
    );
    Ok(report.with_note(note).into_reply_as(view))
}

// region: sequential
/// `for call in calls: await call`: each call is sent only when the one before
/// has answered.
async fn one_after_another(calls: Vec<Fetch>) {
    for call in calls {
        // A failed call is an Err like any other answer; the next one still runs.
        let _ = call.await;
    }
}
// endregion: sequential
