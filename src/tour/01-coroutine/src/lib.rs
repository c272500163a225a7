//! `GET /demo/coroutine`: calling a coroutine function runs none of it.
//!
//! asyncio: `coro = fetch(url)` makes a coroutine object and sends nothing; only
//! `await coro` runs it, in the awaiting task, or `asyncio.create_task(coro)`
//! (`ensure_future` does the same with a coroutine), which schedules it to run on
//! its own at the creator's next await. A coroutine never awaited never runs, and
//! Python warns "coroutine ... was never awaited".
//! Rust: futures are lazy too. A `Fetch` (an `async` block inside) is built, sent
//! nowhere, until it is polled: by `.await`, or by the executor once `task::spawn`
//! has made it a task. One dropped unpolled never runs, and an unused future is
//! `#[must_use]`: the compiler's warning is Python's.

use common::demo::{self, DemoInfo};
use common::limits;
use common::reply::{self, ApiError, Reply};
use common::upstream::Fetch;
use common::{Report, Trace, task};
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "coroutine",
    python: common::python_region!("idea"),
    rust: common::region!("coroutine"),
    note: "The task's request went out at once; the coroutine's only when it was awaited; the one never awaited was never sent.",
};

/// The calls `created_then_awaited` makes; the one it drops is never sent.
const CALLS_MADE: u64 = 3;

#[spin_sdk::http_service]
async fn coroutine(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let pause_ms = query.int(&route::PAUSE_MS)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;
    let planned_ms = pause_ms + delay_ms;
    limits::within_a_handler("pause_ms", planned_ms, "pause_ms, then the awaited call")?;

    let trace = Trace::start();
    let fetch = |id| demo::call(delay_ms, false, id, transport);
    let done_unawaited = trace
        .watch(created_then_awaited(fetch, Duration::from_millis(pause_ms)))
        .await;

    // The records, in the order they started: the task's call (the task was made
    // first), then the coroutine's, which began only when it was awaited.
    let records = trace.tasks();
    let started = |n: usize| records.get(n).and_then(|record| record.started_ms);
    let sent = trace.outbound_requests();
    let coroutine_waited = started(1).is_some_and(|at| at >= pause_ms as f64);
    let note = match (started(0), started(1)) {
        (Some(task_at), Some(coroutine_at)) => format!(
            "The task's request went out at {task_at} ms and the task was {} when the {pause_ms} ms pause ended, before anything awaited it, while the coroutine's went out only at {coroutine_at} ms, when it was awaited; {sent} request(s) went out for the {CALLS_MADE} calls made: {}.",
            if done_unawaited {
                "done"
            } else {
                "still running"
            },
            if sent < CALLS_MADE {
                "the coroutine never awaited was never sent"
            } else {
                "every call was sent"
            }
        ),
        _ => format!("Only {} of the calls ran.", records.len()),
    };
    let params =
        json!({ "delay_ms": delay_ms, "pause_ms": pause_ms, "transport": transport.name() });
    let report = Report::new(&INFO, params, planned_ms as f64, &trace)
        .with_note(note)
        .with("requests_sent", records.len())
        .with("task_done_before_it_was_awaited", done_unawaited)
        .with("coroutine_ran_only_when_awaited", coroutine_waited);
    Ok(report.into_reply_as(view))
}

// region: coroutine
/// Three calls made, one awaited, one made a task, one dropped: only the first two
/// are ever sent, and each when something first polls it.
async fn created_then_awaited(fetch: impl Fn(usize) -> Fetch, pause: Duration) -> bool {
    let coroutine = fetch(0); // a future, like a coroutine object: nothing is sent yet
    let task = task::spawn(fetch(1)); // a task: it starts at this handler's next await
    let never_awaited = fetch(2);
    drop(never_awaited); // never polled, so never sent (unused, #[must_use] warns)
    task::sleep(pause).await; // the task runs meanwhile; the coroutine does not
    let done_unawaited = task.is_finished(); // task.done(): it ran without an await
    let _ = task.await; // awaiting it collects the answer
    let _ = coroutine.await; // only now does its request go out
    done_unawaited
}
// endregion: coroutine
