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
use common::upstream::UpstreamError;
use common::{CallPlan, Outcome, Report, Trace, TracedCall};
use futures::future::{join_all, try_join_all};
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
    let mut query = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    let return_exceptions = query.flag(&route::RETURN_EXCEPTIONS)?;
    query.finish()?;

    let trace = Trace::start();
    let calls = plan.declare(&trace);
    let params = plan.params(json!({ "return_exceptions": return_exceptions }));
    let longest_ms = plan.longest_ms() as f64;

    let report = if return_exceptions {
        // region: join_all
        let results = join_all(calls.into_iter().map(TracedCall::run)).await;
        // endregion: join_all
        let results: Vec<Value> = results.iter().map(result_or_error).collect();
        Report::new(&INFO, params, longest_ms, &trace)
            .with_rust(&[JOIN_ALL])
            .with("outcome", "ok")
            .with("results", results)
    } else {
        // region: try_join_all
        let labelled = calls.into_iter().map(|call| {
            let task = call.task;
            async move { call.run().await.map_err(|error| (task, error)) }
        });
        // The first Err returns at once; the calls still running are dropped.
        let gathered = try_join_all(labelled).await;
        // endregion: try_join_all
        match gathered {
            Ok(replies) => {
                let results: Vec<Value> = replies.iter().map(demo::reply_summary).collect();
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
                        "Task {task} failed first, so try_join_all returned its error at once and dropped (cancelled) tasks {cancelled:?}; asyncio's gather would raise the same error but leave them running."
                    ))
            }
        }
    };
    Ok(report
        .with("completion_order", trace.completion_order())
        .into_reply())
}

/// With `return_exceptions=true`: every result in order, failures in their place.
const JOIN_ALL: common::Region = common::region!("join_all");

/// A result as `gather(return_exceptions=True)` lists it: the value or the error.
fn result_or_error(answer: &Result<common::upstream::UpstreamReply, UpstreamError>) -> Value {
    match answer {
        Ok(reply) => demo::reply_summary(reply),
        Err(error) => json!({ "error": error.to_string() }),
    }
}
