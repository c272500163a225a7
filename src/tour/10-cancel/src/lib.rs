//! `GET /demo/cancel`: `task.cancel()` takes effect only at an await point.
//!
//! asyncio: `task.cancel()` asks a task to stop; `CancelledError` is raised inside
//! it at its next `await`, so plain code (a CPU step) runs to its end first. A task
//! that has already finished cannot be cancelled: `cancel()` returns `False` and
//! its result stays.
//! Rust: `JoinHandle::cancel` marks the task and wakes it; its future is dropped
//! the next time it is polled, which can only happen once it awaits. One thread runs
//! every task of the instance, so the canceller itself cannot even run while the
//! CPU step holds the thread.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::trace::TaskRecord;
use common::upstream::Fetch;
use common::{Report, Trace, clock, cpu, task};
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "cancel",
    python: common::python_region!("idea"),
    rust: common::region!("cancel"),
    note: "A task stops only at an await, and cancelling a finished task changes nothing.",
};

#[spin_sdk::http_service]
async fn cancel(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let work_ms = query.int(&route::WORK_MS)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let cancel_after_ms = query.int(&route::CANCEL_AFTER_MS)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    let trace = Trace::start();
    let quick = demo::call(0, false, 0, transport);
    let work = demo::call(delay_ms, false, 1, transport);
    let (work_ms, cancel_after) = (
        Duration::from_millis(work_ms),
        Duration::from_millis(cancel_after_ms),
    );
    let (finished_cancel, worker_cancel) = trace
        .watch(cancel_two_tasks(quick, work, work_ms, cancel_after))
        .await;

    // The moments the primitives recorded: the canceller's sleep, its cancel().
    let sleep_from_ms = trace.when(None, "sleep(").unwrap_or(0.0);
    let cancel_due_ms = clock::round_ms(sleep_from_ms + cancel_after_ms as f64);
    let cancel_called_ms = trace
        .when(Some(WORKER), "cancel()")
        .unwrap_or(cancel_due_ms);
    let late_by_ms = clock::round_ms((cancel_called_ms - cancel_due_ms).max(0.0));
    let worker = trace.task(WORKER);
    let params = json!({
        "work_ms": work_ms.as_millis() as u64,
        "delay_ms": delay_ms,
        "cancel_after_ms": cancel_after_ms,
        "transport": transport.name(),
    });
    // The worker's fate is settled at its first await after the cancel was due:
    // the end of the CPU step, or the end of its call if that comes first. (Never
    // past limits::RUN_MS: both work_ms and cancel_after_ms are bounded by it.)
    let work_ms = work_ms.as_millis() as u64;
    let expected_ms = cancel_after_ms.max(work_ms).min(work_ms + delay_ms) as f64;
    let note = worked_out_note(&worker, worker_cancel, cancel_due_ms, cancel_called_ms);
    let report = Report::new(&INFO, params, expected_ms, &trace)
        .with_note(note)
        .with("cancel_due_ms", cancel_due_ms)
        .with("cancel_called_ms", cancel_called_ms)
        .with("cancel_late_by_ms", late_by_ms)
        .with(
            "worker",
            json!({ "task": WORKER, "cancel_returned": worker_cancel, "outcome": worker.outcome }),
        )
        .with(
            "finished_task",
            json!({ "task": FINISHED, "cancel_returned": finished_cancel, "outcome": trace.task(FINISHED).outcome, "result": trace.task(FINISHED).result }),
        );
    Ok(report.into_reply_as(view))
}

/// The tasks' ids: the finished task is spawned first, then the worker.
const FINISHED: usize = 0;
const WORKER: usize = 1;

// region: cancel
/// `task.cancel()` on a task that has finished, then on one that is running.
async fn cancel_two_tasks(
    quick: Fetch,
    work: Fetch,
    step: Duration,
    after: Duration,
) -> (bool, bool) {
    // A task that has finished cannot be cancelled: cancel() returns false.
    let mut finished_task = task::spawn(quick);
    let _ = (&mut finished_task).await;
    let finished_cancel = finished_task.cancel();

    // A running task stops only at an await.
    let worker = task::spawn(async move {
        cpu::burn_for(step); // a CPU step: no await inside
        work.await
    });
    // Like asyncio.sleep, this lets the worker run its first step, even for 0 ms.
    task::sleep(after).await;
    let worker_cancel = worker.cancel();
    let _ = worker.await; // Err(Cancelled) once the cancel has landed
    (finished_cancel, worker_cancel)
}
// endregion: cancel

/// The lesson of this run, from what was recorded.
fn worked_out_note(worker: &TaskRecord, accepted: bool, due_ms: f64, called_ms: f64) -> String {
    let step_end_ms = worker.busy.first().map(|segment| segment[1]);
    if !accepted {
        return "The worker had already finished, so its cancel() returned false like the finished task's: nothing changed.".to_owned();
    }
    match (worker.started_ms, step_end_ms) {
        (None, _) => format!(
            "cancel() ran at {called_ms} ms, before the worker's first step: it was {}.",
            worker.error.as_deref().unwrap_or("cancelled")
        ),
        (Some(_), Some(step_end)) if called_ms + 0.5 >= step_end && step_end > due_ms => format!(
            "The cancel was due at {due_ms} ms, during the worker's CPU step; the canceller could only run when that step reached its await, at {step_end} ms, and the task stopped there; cancelling the finished task changed nothing."
        ),
        _ => format!(
            "The cancel at {called_ms} ms found the worker awaiting its call: it stopped at that await and the outbound request was dropped; cancelling the finished task changed nothing."
        ),
    }
}
