//! `GET /demo/gather-vs-wait`: `gather` and `wait` on the same calls, one after
//! the other on one time axis, and how their answers differ.
//!
//! asyncio: `await asyncio.gather(*tasks)` answers one list, in the order the tasks
//! were given, or raises the first exception as soon as it happens (the other
//! tasks run on). `done, pending = await asyncio.wait(tasks)` answers the tasks
//! themselves, in two sets with no order, and raises nothing: each exception stays
//! in its task, for `task.exception()`; it can also return early (`return_when`,
//! `timeout`), which gather cannot.
//! Rust: `try_join_all` over the tasks' handles is gather: a `Vec` in order, or the
//! first `Err`; a dropped handle detaches its task, so the others run on, as in
//! asyncio. `join_all` over them is wait with `ALL_COMPLETED`: every outcome, `Ok`
//! or `Err`, none of them raised.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::task::{self, JoinHandle};
use common::task::{join_all, try_join_all};
use common::upstream::{Fetch, UpstreamError, UpstreamReply};
use common::{CallPlan, Report, Trace};
use serde_json::{Map, Value, json};
use spin_sdk::http::Request;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "gather-vs-wait",
    python: common::python_region!("idea"),
    rust: common::region!("gather_vs_wait"),
    note: "gather answered one ordered list (or raised the first error); wait answered every task's outcome and raised nothing.",
};

/// A call's answer, as its task ends with it.
type Answer = Result<UpstreamReply, UpstreamError>;

#[spin_sdk::http_service]
async fn gather_vs_wait(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    query.finish()?;
    let longest = plan.longest_ms();
    let gather_ms = plan.first_failure_ms().unwrap_or(longest);
    common::limits::within_a_handler("delays", gather_ms + longest, "gather's run, then wait's")?;

    let trace = Trace::start();
    let (gathered, waited) = trace
        .watch(gather_then_wait(plan.calls(), plan.calls()))
        .await;

    let gather = match &gathered {
        Ok(replies) => json!({
            "returned": replies.iter().map(|reply| reply.delay_ms).collect::<Vec<_>>(),
            "raised": null,
        }),
        Err(error) => json!({ "returned": null, "raised": error.to_string() }),
    };
    // wait's sets, by the tasks' places among the calls (a set has no order).
    let done: Vec<usize> = (0..waited.len()).collect();
    let exceptions: Map<String, Value> = waited
        .iter()
        .enumerate()
        .filter_map(|(i, answer)| Some((i.to_string(), json!(answer.as_ref().err()?.to_string()))))
        .collect();
    let wait = json!({ "done": done, "pending": [], "exceptions": exceptions });
    let note = compared(&gathered, &waited, &plan.delays);
    let report = Report::new(
        &INFO,
        plan.params(json!({})),
        (gather_ms + longest) as f64,
        &trace,
    )
    .with_note(note)
    .with("gather", gather)
    .with("wait", wait);
    Ok(report.into_reply_as(view))
}

/// How the two answers differ, point by point, from what they were.
fn compared(
    gathered: &Result<Vec<UpstreamReply>, UpstreamError>,
    waited: &[Answer],
    delays: &[u64],
) -> String {
    let failed = waited.iter().filter(|answer| answer.is_err()).count();
    let answers = match gathered {
        Ok(replies) => format!(
            "gather returned one list of {} replies in the order the calls were given (delays {}), although they finished shortest first",
            replies.len(),
            demo::ids(&delays.iter().map(|&d| d as usize).collect::<Vec<_>>())
        ),
        Err(error) => format!(
            "gather raised the first error ({error}) as soon as it happened, so its other replies were lost to the caller, though those tasks ran on"
        ),
    };
    let wait = if failed == 0 {
        format!(
            "wait returned all {} tasks in done and none in pending, as sets with no order: each reply is read from its task",
            waited.len()
        )
    } else {
        format!(
            "wait raised nothing: it returned all {} tasks in done, {failed} of them holding an exception that only task.exception() (here the Err) shows, beside the other replies",
            waited.len()
        )
    };
    format!("{answers}; {wait}; only wait can return early (return_when, timeout: see /demo/wait).")
}

// region: gather_vs_wait
/// The same calls, first to gather, then to wait.
async fn gather_then_wait(
    for_gather: Vec<Fetch>,
    for_wait: Vec<Fetch>,
) -> (Result<Vec<UpstreamReply>, UpstreamError>, Vec<Answer>) {
    let tasks: Vec<_> = for_gather.into_iter().map(task::spawn).collect();
    let gathered = gather(tasks).await;
    let tasks: Vec<_> = for_wait.into_iter().map(task::spawn).collect();
    let waited = wait(tasks).await;
    (gathered, waited)
}

/// `await asyncio.gather(*tasks)`: one list, in the tasks' order, or the first
/// error raised; the other tasks run on (a dropped handle detaches its task).
async fn gather(tasks: Vec<JoinHandle<Answer>>) -> Result<Vec<UpstreamReply>, UpstreamError> {
    try_join_all(tasks.into_iter().map(JoinHandle::outcome)).await
}

/// `done, pending = await asyncio.wait(tasks)`: every task's outcome, none raised;
/// an error stays with its task, as `task.exception()`.
async fn wait(tasks: Vec<JoinHandle<Answer>>) -> Vec<Answer> {
    join_all(tasks.into_iter().map(JoinHandle::outcome)).await
}
// endregion: gather_vs_wait
