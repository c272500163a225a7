//! `GET /demo/timeout`: `asyncio.wait_for`, a call raced against a timer.
//!
//! asyncio: `await asyncio.wait_for(fetch(url), timeout=t)` raises `TimeoutError`
//! when the timer wins, and cancels the fetch.
//! Rust: `select` races the call against `task::sleep(t)`; when the timer
//! wins, the call's future is dropped, and with it the outbound HTTP request:
//! dropping is cancelling. (Other components use the same race as
//! `common::task::timeout`.)

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::task::select;
use common::task::{self, TimedOut};
use common::upstream::{Fetch, UpstreamError, UpstreamReply};
use common::{Outcome, Report, Trace};
use futures::future::Either;
use serde_json::json;
use spin_sdk::http::Request;
use std::pin::pin;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "timeout",
    python: common::python_region!("idea"),
    rust: common::region!("wait_for"),
    note: "The call finished before the timer, so wait_for returned its result.",
};

#[spin_sdk::http_service]
async fn timeout(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let timeout_ms = query.int(&route::TIMEOUT_MS)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    let trace = Trace::start();
    let call = demo::call(delay_ms, false, 0, transport);
    let limit = Duration::from_millis(timeout_ms);
    let answer = trace.watch(wait_for(call, limit)).await;

    let params =
        json!({ "delay_ms": delay_ms, "timeout_ms": timeout_ms, "transport": transport.name() });
    let expected_ms = delay_ms.min(timeout_ms) as f64;
    let report = match answer {
        Err(TimedOut) => {
            // The dropped call recorded itself as cancelled; for wait_for it timed out.
            let why = format!("timed out after {timeout_ms} ms; the request was dropped");
            trace.rename_outcome(0, Outcome::TimedOut, why);
            let report = Report::new(&INFO, params, expected_ms, &trace);
            let note = format!(
                "The {timeout_ms} ms timer won: wait_for raised TimeoutError at {} ms and the outbound request was dropped, which cancels it.",
                report.elapsed_ms
            );
            report.with("outcome", Outcome::TimedOut).with_note(note)
        }
        Ok(Ok(reply)) => {
            let report = Report::new(&INFO, params, expected_ms, &trace);
            let note = format!(
                "The call answered at {} ms, before the {timeout_ms} ms timer, so wait_for returned its result.",
                trace.task(0).finished_ms.unwrap_or(report.elapsed_ms)
            );
            report
                .with("outcome", Outcome::Ok)
                .with("result", reply.summary())
                .with_note(note)
        }
        Ok(Err(error)) => Report::new(&INFO, params, expected_ms, &trace)
            .with("outcome", Outcome::Error)
            .with("error", error.to_string())
            .with_note("The call failed before the timer fired, so wait_for raised its error."),
    };
    Ok(report.into_reply_as(view))
}

// region: wait_for
/// `await asyncio.wait_for(call, timeout=limit)`, written out: the call races a
/// timer, and whichever finishes first decides.
async fn wait_for(
    call: Fetch,
    limit: Duration,
) -> Result<Result<UpstreamReply, UpstreamError>, TimedOut> {
    match select(pin!(call), pin!(task::sleep(limit))).await {
        Either::Left((answer, _timer)) => Ok(answer),
        // The timer won: the call's future is dropped here, which cancels it.
        Either::Right(((), _call)) => Err(TimedOut),
    }
}
// endregion: wait_for
