//! `GET /demo/shield`: the waiter times out, the shielded work goes on.
//!
//! asyncio: `await asyncio.wait_for(asyncio.shield(work), timeout=t)` raises
//! `TimeoutError` after `t`, but the cancellation stops at the shield: the work
//! keeps running and can still be awaited.
//! Rust: the work runs as its own task (`common::task::spawn`); the waiter races a
//! `&mut` borrow of its handle against the timer, so losing the race drops only the
//! borrow, never the task. Note that dropping a task's handle does not cancel it:
//! it detaches it, and the task runs on. Only `cancel()` stops a task, and with
//! `shield=false` the waiter calls it, as `wait_for` does without a shield.
//! Both events go out as NDJSON lines in one response, each when it happens.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{Report, Trace, TracedCall, ndjson, task};
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
    let mut query = demo::get_query(&request)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let timeout_ms = query.int(&route::TIMEOUT_MS)?;
    let shielded = query.flag(&route::SHIELD)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    Ok(ndjson::stream(move |lines| async move {
        let trace = Trace::streaming(lines);
        let call = TracedCall::declare(&trace, delay_ms, false, transport);
        let limit = Duration::from_millis(timeout_ms);
        trace.note(format!("waiting for the work at most {timeout_ms} ms"));
        let mut timeout_at_ms = None;
        if shielded {
            // region: shielded
            let mut work = task::spawn(call.run());
            // The waiter races a borrow of the handle: losing the race drops the
            // borrow, never the task. (Dropping a JoinHandle would not cancel the
            // task either: it detaches it. Only cancel() stops a task.)
            if task::timeout(limit, &mut work).await.is_err() {
                timeout_at_ms = Some(trace.now_ms());
                trace.note("TimeoutError: the waiter gives up; the shielded work goes on");
                let _ = work.await; // still running: it ends at delay_ms
            }
            // endregion: shielded
        } else {
            // region: unshielded
            let mut work = task::spawn(call.run());
            if task::timeout(limit, &mut work).await.is_err() {
                timeout_at_ms = Some(trace.now_ms());
                trace.note("TimeoutError: without a shield, the work is cancelled");
                // wait_for cancels what it waited for; here that is explicit.
                work.cancel();
                let _ = work.await; // returns at once: Err(Cancelled)
            }
            // endregion: unshielded
        }

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
        let note = match (timed_out, shielded) {
            (false, _) => "The work finished before the timeout, so there was nothing to shield.",
            (true, true) => INFO.note,
            (true, false) => {
                "Without the shield the timeout cancelled the work: it ended at timeout_ms, unfinished."
            }
        };
        let code = if shielded { INFO.rust } else { UNSHIELDED };
        let summary = Report::new(&INFO, params, expected_ms, &trace)
            .with_rust(&[code])
            .with_note(note)
            .with("timed_out", timed_out)
            .with("timeout_at_ms", timeout_at_ms)
            .with("work", trace.task(0));
        trace.send_line(&summary.into_summary_line());
    }))
}
