//! `GET /demo/cancel`: `task.cancel()` takes effect only at an await point.
//!
//! asyncio: `task.cancel()` asks a task to stop; `CancelledError` is raised inside
//! it at its next `await`, so plain code (a CPU step) runs to its end first. A task
//! that has already finished cannot be cancelled: `cancel()` returns `False` and
//! its result stays.
//! Rust: `JoinHandle::cancel` (an `AbortHandle`) marks the task; it is dropped the
//! next time it is polled, which can only happen once it awaits. One thread runs
//! every task of the instance, so the canceller itself cannot even run while the
//! CPU step holds the thread.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{Outcome, Report, Trace, TracedCall, clock, cpu, task};
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
    let mut query = demo::get_query(&request)?;
    let work_ms = query.int(&route::WORK_MS)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let cancel_after_ms = query.int(&route::CANCEL_AFTER_MS)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    let trace = Trace::start();

    // region: cancel
    // Part 1: a task that has finished cannot be cancelled.
    let quick = TracedCall::declare(&trace, 0, false, transport);
    let quick_id = quick.task;
    let mut finished_task = task::spawn(quick.run());
    let finished_result = match (&mut finished_task).await {
        Ok(Ok(reply)) => demo::reply_summary(&reply),
        Ok(Err(error)) => json!({ "error": error.to_string() }),
        Err(task::Cancelled) => json!({ "error": "cancelled" }),
    };
    let finished_cancel = finished_task.cancel();
    trace.note(format!("finished_task.cancel() returned {finished_cancel}"));

    // Part 2: a running task stops only at an await.
    let work = TracedCall::declare(&trace, delay_ms, false, transport);
    let work_id = work.task;
    let worker = task::spawn(trace.instrument(work_id, move |work_trace| async move {
        work_trace.started(work_id);
        work_trace.event(
            work_id,
            format!("CPU step of {work_ms} ms (no await inside)"),
        );
        cpu::burn_for(Duration::from_millis(work_ms));
        work_trace.event(work_id, "CPU step done; now awaiting the upstream");
        work.run().await
    }));

    let cancel_due_ms = clock::round_ms(trace.now_ms() + cancel_after_ms as f64);
    trace.note(format!("the canceller sleeps {cancel_after_ms} ms"));
    spin_sdk::time::sleep(Duration::from_millis(cancel_after_ms)).await;
    let cancel_called_ms = trace.now_ms();
    let cancel_accepted = worker.cancel();
    trace.note(format!("worker.cancel() returned {cancel_accepted}"));
    // endregion: cancel
    if worker.await.is_err() && trace.task(work_id).started_ms.is_none() {
        trace.finished(
            work_id,
            Outcome::Cancelled,
            Err("cancelled before it ever ran".into()),
        );
    }
    let late_by_ms = clock::round_ms((cancel_called_ms - cancel_due_ms).max(0.0));

    let params = json!({
        "work_ms": work_ms,
        "delay_ms": delay_ms,
        "cancel_after_ms": cancel_after_ms,
        "transport": transport.name(),
    });
    // The worker's fate is settled at its first await after the cancel was due:
    // the end of the CPU step, or the end of its call if that comes first.
    let end_of_work = work_ms + delay_ms;
    let expected_ms = cancel_after_ms.max(work_ms).min(end_of_work) as f64;
    let note = if !cancel_accepted {
        "The worker had already finished, so its cancel() returned false like the finished task's: nothing changed."
    } else if work_ms > cancel_after_ms {
        "The cancel was due during the CPU step but could only run when that step reached its await, and the task stopped there; cancelling the finished task changed nothing."
    } else {
        "The task was cancelled at once, at the await on its call, and the outbound request was dropped; cancelling the finished task changed nothing."
    };
    let report = Report::new(&INFO, params, expected_ms, &trace)
        .with_note(note)
        .with("cancel_due_ms", cancel_due_ms)
        .with("cancel_called_ms", cancel_called_ms)
        .with("cancel_late_by_ms", late_by_ms)
        .with(
            "worker",
            json!({ "task": work_id, "cancel_returned": cancel_accepted, "outcome": trace.task(work_id).outcome }),
        )
        .with(
            "finished_task",
            json!({ "task": quick_id, "cancel_returned": finished_cancel, "outcome": trace.task(quick_id).outcome, "result": finished_result }),
        );
    Ok(report.into_reply())
}
