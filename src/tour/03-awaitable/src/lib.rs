//! `GET /demo/awaitable`: what `await` does, down a chain of coroutines.
//!
//! asyncio: `await` is `yield from`. A coroutine awaiting another runs it in its
//! own frame, and what the innermost awaitable yields (its `__await__`, a
//! generator) passes up through every `await` to the task, which hands the loop
//! back. The loop resumes the task, the outermost coroutine, and the resume goes
//! down the chain to where the yield was. asyncio itself provides the loop and that
//! resumption from the outside; the pausing and the chaining are Python's own, and
//! the leaves (`asyncio.sleep`, a socket read) are the library's awaitables.
//! Rust: `async fn` compiles to a state machine whose `poll` returns `Pending` or
//! `Ready`. The executor polls the task, that is the outermost future, which polls
//! the one it awaits, down to a leaf: here `Countdown`, a `Future` written by hand.
//! Its `Pending` returns up the same chain, and its `Waker` asks the executor to
//! poll the task again, from the top.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{Report, Trace, task};
use serde_json::json;
use spin_sdk::http::Request;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "awaitable",
    python: common::python_region!("idea"),
    rust: common::region!("awaitable"),
    note: "Each poll of a task went down its chain to the hand-written leaf, and each Pending came back up to the loop, which polled the other task meanwhile.",
};

/// The coroutines above the leaf, shown after it.
const CHAIN: common::Region = common::region!("chain");

#[spin_sdk::http_service]
async fn awaitable(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let tasks = query.int(&route::N)? as usize;
    let steps = query.int(&route::STEPS)? as u32;
    query.finish()?;

    let trace = Trace::start();
    let leaf_polls = trace.watch(chains_in_tasks(tasks, steps)).await;

    // The loop's count (how often it polled each task) beside the leaf's own.
    let records = trace.tasks();
    let chains: Vec<_> = leaf_polls
        .iter()
        .zip(&records)
        .map(|(leaf, record)| json!({ "task": record.id, "task_polls": record.polls, "leaf_polls": leaf }))
        .collect();
    let every_poll_reached_the_leaf = leaf_polls
        .iter()
        .zip(&records)
        .all(|(leaf, record)| *leaf == record.polls);
    let note = format!(
        "The loop polled each task {} time(s), and each time the poll went down outer > middle > inner to the leaf, which counted {} poll(s) of its own: {}.",
        demo::ids(
            &records
                .iter()
                .map(|record| record.polls as usize)
                .collect::<Vec<_>>()
        ),
        demo::ids(
            &leaf_polls
                .iter()
                .map(|&polls| polls as usize)
                .collect::<Vec<_>>()
        ),
        if every_poll_reached_the_leaf {
            "every poll of a task reached its leaf, and every Pending came back up"
        } else {
            "the counts differ"
        }
    );
    let params = json!({ "n": tasks, "steps": steps });
    let report = Report::new(&INFO, params, 0.0, &trace)
        .with_rust(&[INFO.rust, CHAIN])
        .with_note(note)
        .with("chains", chains)
        .with("every_poll_reached_the_leaf", every_poll_reached_the_leaf);
    Ok(report.into_reply_as(view))
}

/// `tasks` tasks, each awaiting a chain; what each chain's leaf counted.
async fn chains_in_tasks(tasks: usize, steps: u32) -> Vec<u32> {
    let handles: Vec<_> = (0..tasks)
        .map(|n| {
            task::spawn_named(
                format!("chain {n}: outer > middle > inner > Countdown"),
                outer(steps),
            )
        })
        .collect();
    let mut counted = Vec::new();
    for handle in handles {
        counted.push(handle.await.unwrap_or_default());
    }
    counted
}

// region: awaitable
/// A leaf awaitable written by hand: `Pending` `steps` times, then `Ready` with the
/// number of times it was polled (a Python class whose `__await__` yields).
struct Countdown {
    steps: u32,
    polls: u32,
}

impl Future for Countdown {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        self.polls += 1; // reached from the task, through outer, middle and inner
        if self.polls > self.steps {
            return Poll::Ready(self.polls);
        }
        cx.waker().wake_by_ref(); // poll me again: the task goes back in the ready queue
        Poll::Pending // back up through inner, middle and outer, to the executor
    }
}
// endregion: awaitable

// region: chain
/// The chain each task awaits: `outer().await` polls `middle`, which polls `inner`,
/// which polls the `Countdown`.
async fn inner(steps: u32) -> u32 {
    Countdown { steps, polls: 0 }.await
}

async fn middle(steps: u32) -> u32 {
    inner(steps).await
}

async fn outer(steps: u32) -> u32 {
    middle(steps).await
}
// endregion: chain
