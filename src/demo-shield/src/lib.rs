//! `GET /demo/shield`: the waiter times out, the shielded work goes on.
//!
//! asyncio: `await asyncio.wait_for(asyncio.shield(work), timeout=t)` raises
//! `TimeoutError` after `t`, but the cancellation stops at the shield: the work
//! keeps running and can still be awaited.
//! Rust: the work runs as its own task (`common::task::spawn`); the waiter races a
//! `&mut` borrow of its handle against the timer, so losing the race drops only the
//! borrow, never the task. With `shield=false` the waiter cancels the task instead.
//! Both events go out as NDJSON lines in one response, each when it happens.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{Report, Trace, TracedCall, ndjson, task};
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

const INFO: DemoInfo = DemoInfo {
    name: "shield",
    python: "work = asyncio.create_task(fetch(url))\ntry:\n    await asyncio.wait_for(asyncio.shield(work), timeout=t)\nexcept asyncio.TimeoutError:\n    result = await work  # still running",
    rust: "let mut work = task::spawn(call.run());\nif task::timeout(t, &mut work).await.is_err() {\n    let result = work.await; // still running\n}",
    note: "The timeout fired at timeout_ms, yet the shielded work went on and finished at delay_ms, in the same response.",
};

#[spin_sdk::http_service]
async fn shield(request: Request) -> Reply {
    reply::respond(run(request))
}

fn run(request: Request) -> Result<Reply, ApiError> {
    let mut query = demo::get_query(&request)?;
    let delay_ms = query.int_or("delay_ms", 0..=demo::MAX_DELAY_MS, 2000)?;
    let timeout_ms = query.int_or("timeout_ms", 0..=demo::MAX_TIMEOUT_MS, 500)?;
    let shielded = query.flag("shield", true)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    Ok(ndjson::stream(move |lines| async move {
        let trace = Trace::streaming(lines);
        let call = TracedCall::declare(&trace, delay_ms, false, transport);
        let mut work = task::spawn(call.run());
        trace.note(format!("waiting for the work at most {timeout_ms} ms"));

        let mut timeout_at_ms = None;
        if task::timeout(Duration::from_millis(timeout_ms), &mut work)
            .await
            .is_err()
        {
            timeout_at_ms = Some(trace.now_ms());
            if shielded {
                trace.note("TimeoutError: the waiter gives up; the shielded work goes on");
            } else {
                trace.note("TimeoutError: without a shield, the work is cancelled");
                work.cancel();
            }
            // The task records its own outcome; awaiting it just waits for that.
            let _ = work.await;
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
        let summary = Report::new(&INFO, params, expected_ms, &trace)
            .with_note(note)
            .with("timed_out", timed_out)
            .with("timeout_at_ms", timeout_at_ms)
            .with("work", trace.task(0));
        trace.send_line(&summary.into_summary_line());
    }))
}
