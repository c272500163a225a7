//! `GET /demo/gather`: run awaitables together, results in argument order.
//!
//! asyncio: `await asyncio.gather(*coros, return_exceptions=...)` runs them all at
//! once and returns their results in the order given, however they finish. With
//! `return_exceptions=True` a failure takes its place in the list; with `False` the
//! first failure is raised at once.
//! Rust: `join_all(futures)` keeps every result in order; `try_join_all(futures)`
//! stops at the first `Err` and drops the others. Dropping cancels them, which
//! asyncio's `gather` does not do: its siblings keep running unless you cancel them.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::task::{join_all, try_join_all};
use common::upstream::{Fetch, UpstreamError, UpstreamReply};
use common::{CallPlan, Outcome, Report, Trace};
use serde_json::{Value, json};
use spin_sdk::http::Request;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "gather",
    python: common::python_region!("idea"),
    rust: common::region!("try_join_all"),
    note: "All calls overlap, so the total is the longest delay, and results come back in argument order even when they finish out of order.",
};

#[spin_sdk::http_service]
async fn gather(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    let return_exceptions = query.flag(&route::RETURN_EXCEPTIONS)?;
    query.finish()?;

    let trace = Trace::start();
    let params = plan.params(json!({ "return_exceptions": return_exceptions }));
    let longest_ms = plan.longest_ms() as f64;

    let report = if return_exceptions {
        let answers = trace.watch(gather_return_exceptions(plan.calls())).await;
        let results: Vec<Value> = answers.iter().map(result_or_error).collect();
        Report::new(&INFO, params, longest_ms, &trace)
            .with_rust(&[JOIN_ALL])
            .with("outcome", "ok")
            .with("results", results)
    } else {
        match trace.watch(asyncio_gather(plan.calls())).await {
            Ok(replies) => {
                let results: Vec<Value> = replies.iter().map(UpstreamReply::summary).collect();
                Report::new(&INFO, params, longest_ms, &trace)
                    .with("outcome", "ok")
                    .with("results", results)
            }
            Err((task, error)) => {
                let expected_ms = plan.first_failure_ms().unwrap_or(0) as f64;
                let cancelled = trace.ids_with(Outcome::Cancelled);
                Report::new(&INFO, params, expected_ms, &trace)
                    .with("outcome", "error")
                    .with("error", json!({ "task": task, "message": error.to_string() }))
                    .with("cancelled", &cancelled)
                    .with_note(format!(
                        "Task {task} failed first, so try_join_all returned its error at once and dropped (cancelled) tasks {}; asyncio's gather would raise the same error but leave them running.",
                        demo::ids(&cancelled)
                    ))
            }
        }
    };
    let order = trace.completion_order();
    let report = match report.extra.get("outcome").and_then(Value::as_str) {
        Some("ok") => {
            let note = format!(
                "{}; the results are in argument order, though the calls finished in the order {}.",
                demo::overlap_sentence(report.elapsed_ms, &plan.delays),
                demo::ids(&order)
            );
            report.with_note(note)
        }
        _ => report,
    };
    Ok(report.with("completion_order", order).into_reply_as(view))
}

/// With `return_exceptions=true`: every result in order, failures in their place.
const JOIN_ALL: common::Region = common::region!("join_all");

// region: join_all
/// `await asyncio.gather(*calls, return_exceptions=True)`: every answer, in the
/// order the calls were given, failures in their place.
async fn gather_return_exceptions(calls: Vec<Fetch>) -> Vec<Result<UpstreamReply, UpstreamError>> {
    join_all(calls).await
}
// endregion: join_all

// region: try_join_all
/// `await asyncio.gather(*calls)`: every reply in argument order, or the first
/// failure (with the number of the call that failed).
async fn asyncio_gather(calls: Vec<Fetch>) -> Result<Vec<UpstreamReply>, (usize, UpstreamError)> {
    let numbered = calls
        .into_iter()
        .enumerate()
        .map(|(i, call)| async move { call.await.map_err(|error| (i, error)) });
    // The first Err returns at once; the calls still running are dropped, which
    // cancels them (asyncio's gather would leave them running).
    try_join_all(numbered).await
}
// endregion: try_join_all

/// A result as `gather(return_exceptions=True)` lists it: the value or the error.
fn result_or_error(answer: &Result<UpstreamReply, UpstreamError>) -> Value {
    match answer {
        Ok(reply) => reply.summary(),
        Err(error) => json!({ "error": error.to_string() }),
    }
}
