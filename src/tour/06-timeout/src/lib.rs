//! `GET /demo/timeout`: `asyncio.wait_for`, a call raced against a timer.
//!
//! asyncio: `await asyncio.wait_for(fetch(url), timeout=t)` raises `TimeoutError`
//! when the timer wins, and cancels the fetch.
//! Rust: `select` races the call against `spin_sdk::time::sleep(t)`; when the timer
//! wins, the call's future is dropped, and with it the outbound HTTP request:
//! dropping is cancelling. (Other components use the same race as
//! `common::task::timeout`.)

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::task::TimedOut;
use common::{Outcome, Report, Trace, TracedCall};
use futures::future::{Either, select};
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

const TIMED_OUT_NOTE: &str = "The timer won: wait_for raised TimeoutError after about timeout_ms and the outbound request was dropped, which cancels it.";

#[spin_sdk::http_service]
async fn timeout(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let mut query = demo::get_query(&request)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let timeout_ms = query.int(&route::TIMEOUT_MS)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    let trace = Trace::start();
    let call = TracedCall::declare(&trace, delay_ms, false, transport);
    let id = call.task;
    // region: wait_for
    let timer = spin_sdk::time::sleep(Duration::from_millis(timeout_ms));
    let answer = match select(pin!(call.run()), pin!(timer)).await {
        Either::Left((answer, _timer)) => Ok(answer),
        // The timer won: the call's future is dropped here, which cancels it.
        Either::Right(((), _call)) => Err(TimedOut),
    };
    // endregion: wait_for

    let params =
        json!({ "delay_ms": delay_ms, "timeout_ms": timeout_ms, "transport": transport.name() });
    let expected_ms = delay_ms.min(timeout_ms) as f64;
    let report = match answer {
        Err(TimedOut) => {
            // The dropped call recorded itself as cancelled; for wait_for it timed out.
            let why = format!("timed out after {timeout_ms} ms; the request was dropped");
            trace.finished(id, Outcome::TimedOut, Err(why));
            Report::new(&INFO, params, expected_ms, &trace)
                .with("outcome", Outcome::TimedOut)
                .with_note(TIMED_OUT_NOTE)
        }
        Ok(Ok(reply)) => Report::new(&INFO, params, expected_ms, &trace)
            .with("outcome", Outcome::Ok)
            .with("result", demo::reply_summary(&reply)),
        Ok(Err(error)) => Report::new(&INFO, params, expected_ms, &trace)
            .with("outcome", Outcome::Error)
            .with("error", error.to_string())
            .with_note("The call failed before the timer fired, so wait_for raised its error."),
    };
    Ok(report.into_reply())
}
