//! `GET /demo/as-completed`: handle each result the moment it arrives.
//!
//! asyncio: `for next_done in asyncio.as_completed(coros, timeout=t): result =
//! await next_done` hands results over in completion order, not argument order.
//! Rust: a `FuturesUnordered` is that iterator: `running.next().await` yields
//! whichever call finishes next. Each one is written to the response as an NDJSON
//! line at once, so the client reads the fast answers while the slow ones run.

use basics::route::shared;
use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{CallPlan, Outcome, Report, Trace, ndjson, task};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::json;
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
    let mut query = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    let timeout_ms = query.optional_int(&shared::TIMEOUT_MS)?;
    query.finish()?;

    Ok(ndjson::stream(move |lines| async move {
        let trace = Trace::start();
        let calls = plan.declare(&trace);
        // region: as_completed
        let mut running: FuturesUnordered<_> = calls
            .into_iter()
            .map(|call| {
                let task = call.task;
                async move {
                    let _ = call.run().await;
                    task
                }
            })
            .collect();

        let each_as_completed = async {
            while let Some(task) = running.next().await {
                lines.send(&trace.task_line(task, "completed"));
            }
        };
        let limit = timeout_ms.map(Duration::from_millis);
        let timed_out = task::timeout_if(limit, each_as_completed).await.is_err();
        if timed_out {
            trace.note("timeout: the remaining calls are cancelled");
        }
        drop(running); // cancels the calls still running
        // endregion: as_completed

        let params = plan.params(json!({ "timeout_ms": timeout_ms }));
        let expected_ms = demo::within_timeout(plan.longest_ms(), timeout_ms);
        let summary = Report::new(&INFO, params, expected_ms, &trace)
            .with("timed_out", timed_out)
            .with("completion_order", trace.completion_order())
            .with("cancelled", trace.ids_with(Outcome::Cancelled));
        lines.send(&summary.into_summary_line());
    }))
}
