//! `GET /demo/as-completed`: handle each result the moment it arrives.
//!
//! asyncio: `for next_done in asyncio.as_completed(coros, timeout=t): result =
//! await next_done` hands results over in completion order, not argument order.
//! Rust: a `FuturesUnordered` is that iterator: `running.next().await` yields
//! whichever call finishes next. Each one is written to the response as an NDJSON
//! line at once, so the client reads the fast answers while the slow ones run.

use basics::route::shared;
use common::demo::{self, DemoInfo};
use common::ndjson::{self, Lines};
use common::reply::{self, ApiError, Reply};
use common::task::StreamExt;
use common::upstream::{Fetch, UpstreamError, UpstreamReply};
use common::{CallPlan, Outcome, Report, Trace, task};
use futures::stream::FuturesUnordered;
use serde_json::{Value, json};
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "as-completed",
    python: common::python_region!("idea"),
    rust: common::region!("as_completed"),
    note: "Results arrive in completion order, and each line is sent the moment its call finishes, long before the slowest one is done.",
};

#[spin_sdk::http_service]
async fn as_completed(request: Request) -> Reply {
    reply::respond(run(request))
}

fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    let timeout_ms = query.optional_int(&shared::TIMEOUT_MS)?;
    query.finish()?;

    Ok(ndjson::stream_report(view, move |lines| async move {
        // The trace streams each task's start and end too, for the page to draw.
        let trace = Trace::streaming(lines.clone());
        let limit = timeout_ms.map(Duration::from_millis);
        let timed_out = trace
            .watch(each_as_completed(plan.calls(), limit, &lines))
            .await;

        let params = plan.params(json!({ "timeout_ms": timeout_ms }));
        let expected_ms = demo::within_timeout(plan.longest_ms(), timeout_ms);
        let order = trace.completion_order();
        let summary = Report::new(&INFO, params, expected_ms, &trace);
        let first_ms = order
            .first()
            .and_then(|&task| summary.tasks[task].finished_ms);
        let note = match first_ms {
            Some(first_ms) => format!(
                "The answers came in the order {}, each line sent as its call finished: the first at {first_ms} ms, of a run of {} ms{}.",
                demo::ids(&order),
                summary.elapsed_ms,
                if timed_out {
                    " cut short by the timeout"
                } else {
                    ""
                }
            ),
            None => format!(
                "No call finished within the run's {} ms.",
                summary.elapsed_ms
            ),
        };
        let summary = summary
            .with_note(note)
            .with("timed_out", timed_out)
            .with("completion_order", order)
            .with("cancelled", trace.ids_with(Outcome::Cancelled));
        lines.send(&summary.into_summary_line());
    }))
}

// region: as_completed
/// `for next_done in asyncio.as_completed(calls, timeout=limit): await next_done`,
/// each answer written out the moment it arrives. True when the timeout passed.
async fn each_as_completed(calls: Vec<Fetch>, limit: Option<Duration>, lines: &Lines) -> bool {
    // The set yields whichever call finishes next, numbered in argument order.
    let mut running: FuturesUnordered<_> = (calls.into_iter().enumerate())
        .map(|(i, call)| async move { (i, call.await) })
        .collect();
    let write_each = async {
        while let Some((i, answer)) = running.next().await {
            lines.send(&completed_line(i, &answer));
        }
    };
    let timed_out = task::timeout_if(limit, write_each).await.is_err();
    drop(running); // cancels the calls still running
    timed_out
}
// endregion: as_completed

/// The line written for call `i` when it completes: its outcome and answer.
fn completed_line(i: usize, answer: &Result<UpstreamReply, UpstreamError>) -> Value {
    match answer {
        Ok(reply) => {
            json!({ "what": "completed", "task": i, "outcome": Outcome::Ok, "result": reply.summary() })
        }
        Err(error) => {
            json!({ "what": "completed", "task": i, "outcome": Outcome::Error, "error": error.to_string() })
        }
    }
}
