//! `GET /demo/as-completed`: handle each result the moment it arrives.
//!
//! asyncio: `for next_done in asyncio.as_completed(coros, timeout=t): result =
//! await next_done` hands results over in completion order, not argument order.
//! Rust: a `FuturesUnordered` is that iterator: `running.next().await` yields
//! whichever call finishes next. Each one is written to the response as an NDJSON
//! line at once, so the client reads the fast answers while the slow ones run.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{Outcome, Report, Trace, TracedCall, ndjson, task};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

const INFO: DemoInfo = DemoInfo {
    name: "as-completed",
    python: "for next_done in asyncio.as_completed(coros, timeout=t):\n    result = await next_done\n    send(result)",
    rust: "let mut running: FuturesUnordered<_> = calls.map(TracedCall::run).collect();\nwhile let Some(result) = running.next().await {\n    lines.send(&result);\n}",
    note: "Results arrive in completion order, and each line is sent the moment its call finishes, long before the slowest one is done.",
};

#[spin_sdk::http_service]
async fn as_completed(request: Request) -> Reply {
    reply::respond(run(request))
}

fn run(request: Request) -> Result<Reply, ApiError> {
    let mut query = demo::get_query(&request)?;
    let delays = demo::delays(&mut query, &[300, 200, 100])?;
    let failing = demo::failing(&mut query, delays.len())?;
    let timeout_ms = query.int("timeout_ms", 0..=demo::MAX_TIMEOUT_MS)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    Ok(ndjson::stream(move |lines| async move {
        let trace = Trace::start();
        let calls = TracedCall::declare_all(&trace, &delays, &failing, transport);
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
        drop(running);

        let params = json!({
            "delays": delays,
            "fail": failing,
            "timeout_ms": timeout_ms,
            "transport": transport.name(),
        });
        let longest = delays.iter().copied().max().unwrap_or(0);
        let expected_ms = timeout_ms.map_or(longest, |ms| ms.min(longest)) as f64;
        let summary = Report::new(&INFO, params, expected_ms, &trace)
            .with("timed_out", timed_out)
            .with("completion_order", trace.completion_order())
            .with("cancelled", trace.ids_with(Outcome::Cancelled));
        lines.send(&summary.into_summary_line());
    }))
}
