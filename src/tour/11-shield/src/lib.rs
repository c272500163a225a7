//! `GET /demo/shield`: the waiter times out, the shielded work goes on.
//!
//! asyncio: `await asyncio.wait_for(asyncio.shield(work), timeout=t)` raises
//! `TimeoutError` after `t`, but the cancellation stops at the shield: the work
//! keeps running and can still be awaited.
//! Rust: the work runs as its own task (`common::task::spawn`); the waiter races
//! `task::shield(&mut work)`, a borrow of its handle, against the timer, so losing
//! the race drops only the borrow, never the task. Note that dropping a task's
//! handle does not cancel it: it detaches it, and the task runs on. Only
//! `cancel()` stops a task, and with `shield=false` the waiter calls it, as
//! `wait_for` does without a shield.
//! Both events go out as NDJSON lines in one response, each when it happens.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::upstream::Fetch;
use common::{Report, Trace, demo::call, ndjson, task};
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "shield",
    python: common::python_region!("idea"),
    rust: common::region!("shielded"),
    note: "The timeout fired at timeout_ms, yet the shielded work went on and finished at delay_ms, in the same response.",
};

/// With `shield=false`: the code that ran instead.
const UNSHIELDED: common::Region = common::region!("unshielded");

#[spin_sdk::http_service]
async fn shield(request: Request) -> Reply {
    reply::respond(run(request))
}

fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let timeout_ms = query.int(&route::TIMEOUT_MS)?;
    let shielded = query.flag(&route::SHIELD)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    Ok(ndjson::stream_report(view, move |lines| async move {
        let trace = Trace::streaming(lines);
        let work = call(delay_ms, false, 0, transport);
        let limit = Duration::from_millis(timeout_ms);
        if shielded {
            trace.watch(wait_for_shielded(work, limit)).await;
        } else {
            trace.watch(wait_for(work, limit)).await;
        }
        let timeout_at_ms = trace.when(None, "TimeoutError");

        let params = json!({
            "delay_ms": delay_ms,
            "timeout_ms": timeout_ms,
            "shield": shielded,
            "transport": transport.name(),
        });
        let timed_out = timeout_at_ms.is_some();
        let expected_ms = if timed_out && !shielded {
            timeout_ms
        } else {
            delay_ms
        } as f64;
        let work = trace.task(0);
        let ended = work
            .finished_ms
            .map_or("has not ended".to_owned(), |ms| format!("ended at {ms} ms"));
        let note = match (timeout_at_ms, shielded) {
            (None, _) => format!(
                "The work {ended}, before the {timeout_ms} ms timeout, so there was nothing to shield."
            ),
            (Some(at), true) => format!(
                "The timeout fired at {at} ms, yet the shielded work went on: it {ended}, outcome {}, in the same response.",
                work.outcome.name()
            ),
            (Some(at), false) => format!(
                "Without the shield the timeout at {at} ms cancelled the work: it {ended}, {}.",
                work.error.as_deref().unwrap_or("unfinished")
            ),
        };
        let code = if shielded { INFO.rust } else { UNSHIELDED };
        let summary = Report::new(&INFO, params, expected_ms, &trace)
            .with_rust(&[code])
            .with_note(note)
            .with("timed_out", timed_out)
            .with("timeout_at_ms", timeout_at_ms)
            .with("work", work);
        trace.send_line(&summary.into_summary_line());
    }))
}

// region: shielded
/// `await asyncio.wait_for(asyncio.shield(work), timeout=limit)`, then, when the
/// waiter gave up, `await work`: the shielded work is still running.
async fn wait_for_shielded(call: Fetch, limit: Duration) {
    let mut work = task::spawn(call);
    // The waiter races a borrow of the handle: losing the race drops the borrow,
    // never the task. (Dropping the handle itself detaches the task, it does not
    // cancel it: only cancel() stops a task.)
    if task::timeout(limit, task::shield(&mut work)).await.is_err() {
        let _ = work.await; // still running: it ends at delay_ms
    }
}
// endregion: shielded

// region: unshielded
/// `await asyncio.wait_for(work, timeout=limit)`: when the timer wins, wait_for
/// cancels what it waited for, and waits for the cancel to land.
async fn wait_for(call: Fetch, limit: Duration) {
    let mut work = task::spawn(call);
    if task::timeout(limit, &mut work).await.is_err() {
        work.cancel(); // here that is explicit
        let _ = work.await; // returns at its next await: Err(Cancelled)
    }
}
// endregion: unshielded
