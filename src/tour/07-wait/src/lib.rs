//! `GET /demo/wait`: `asyncio.wait` with `return_when` and a timeout.
//!
//! asyncio: `done, pending = await asyncio.wait(tasks, timeout=t, return_when=...)`
//! returns as soon as the condition holds (first completed, first exception, all
//! completed) or the timeout passes, and leaves the pending tasks running; the
//! original `/asynctasks` then meant to cancel them.
//! Rust: a `FuturesUnordered` yields each call as it completes; the loop stops when
//! the condition holds, a timer bounds it, and dropping the set cancels what is
//! still pending.

use basics::route::shared;
use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::task::StreamExt;
use common::upstream::Fetch;
use common::{CallPlan, Outcome, Report, Trace, task};
use futures::stream::FuturesUnordered;
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "wait",
    python: common::python_region!("idea"),
    rust: common::region!("wait"),
    note: "wait returns as soon as its condition holds or the timeout passes; the calls still pending are then cancelled.",
};

#[spin_sdk::http_service]
async fn wait(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let plan = CallPlan::parse(&mut query, &route::CALLS)?;
    let return_when = query.choice(&route::RETURN_WHEN)?;
    let timeout_ms = query.optional_int(&shared::TIMEOUT_MS)?;
    query.finish()?;

    let trace = Trace::start();
    let until = ReturnWhen::from_name(return_when).expect("route::RETURN_WHEN names only these");
    let limit = timeout_ms.map(Duration::from_millis);
    let (timed_out, done, pending) = trace
        .watch(asyncio_wait(
            plan.calls(),
            |ok| until.holds_once_done(ok),
            limit,
        ))
        .await;

    let params = plan.params(json!({ "return_when": return_when, "timeout_ms": timeout_ms }));
    let expected_ms = demo::within_timeout(condition_met_ms(&plan, until), timeout_ms);
    let report = Report::new(&INFO, params, expected_ms, &trace);
    let why = if timed_out {
        format!("its {} ms timeout passed", timeout_ms.unwrap_or(0))
    } else {
        format!("{return_when} held")
    };
    let note = format!(
        "wait returned at {} ms because {why}, with done {} and pending {}; the pending calls were then cancelled.",
        report.elapsed_ms,
        demo::ids(&done),
        demo::ids(&pending)
    );
    let report = report
        .with_note(note)
        .with("timed_out", timed_out)
        .with("done", done)
        .with("pending", pending)
        .with("cancelled", trace.ids_with(Outcome::Cancelled));
    Ok(report.into_reply_as(view))
}

/// When the idea says wait's condition holds: the delay of the task that meets it.
fn condition_met_ms(plan: &CallPlan, until: ReturnWhen) -> u64 {
    match until {
        ReturnWhen::FirstCompleted => plan.delays.iter().copied().min().unwrap_or(0),
        ReturnWhen::FirstException => plan.first_failure_ms().unwrap_or(plan.longest_ms()),
        ReturnWhen::AllCompleted => plan.longest_ms(),
    }
}

/// When [`asyncio_wait`] returns, as asyncio's `return_when`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ReturnWhen {
    FirstCompleted,
    FirstException,
    AllCompleted,
}

impl ReturnWhen {
    /// Whether wait returns now that one more call is done (and `succeeded`): the
    /// condition the lesson's `asyncio_wait` is given.
    fn holds_once_done(self, succeeded: bool) -> bool {
        match self {
            Self::FirstCompleted => true,
            Self::FirstException => !succeeded,
            Self::AllCompleted => false,
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        match name {
            "first_completed" => Some(Self::FirstCompleted),
            "first_exception" => Some(Self::FirstException),
            "all_completed" => Some(Self::AllCompleted),
            _ => None,
        }
    }
}

// region: wait
/// `done, pending = await asyncio.wait(calls, timeout=limit, return_when=...)`.
async fn asyncio_wait(
    calls: Vec<Fetch>,
    return_when: impl Fn(bool) -> bool,
    limit: Option<Duration>,
) -> (bool, Vec<usize>, Vec<usize>) {
    let count = calls.len();
    // Every call runs at once; the set yields each one, numbered, as it completes.
    let mut running: FuturesUnordered<_> = (calls.into_iter().enumerate())
        .map(|(i, call)| async move { (i, call.await.is_ok()) })
        .collect();
    let mut done = Vec::new();
    let until_condition = async {
        while let Some((i, succeeded)) = running.next().await {
            done.push(i);
            if return_when(succeeded) {
                break;
            }
        }
    };
    let timed_out = task::timeout_if(limit, until_condition).await.is_err();
    drop(running); // as the original /asynctasks meant to: cancels what is pending
    let pending = (0..count).filter(|i| !done.contains(i)).collect();
    (timed_out, done, pending)
}
// endregion: wait
