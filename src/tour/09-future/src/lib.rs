//! `GET /demo/future`: a value that does not exist yet, set once, awaited by many.
//!
//! asyncio: `fut = loop.create_future()` starts PENDING; one task calls
//! `fut.set_result(v)` and it becomes FINISHED; every task awaiting it wakes with
//! the same `v`; a second `set_result` raises `InvalidStateError`.
//! Rust: `common::task::SetOnce` is that future: `set_result` once (a second is
//! refused, as asyncio refuses it), `result()` awaited by any number of tasks,
//! each getting a clone of the value.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::task::{self, InvalidState, SetOnce};
use common::upstream::Fetch;
use common::{Report, Trace};
use futures::future::join_all;
use serde_json::{Value, json};
use spin_sdk::http::Request;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "future",
    python: common::python_region!("idea"),
    rust: common::region!("future"),
    note: "Every waiter received the same value the moment it was set, and the second set_result was refused.",
};

#[spin_sdk::http_service]
async fn future(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let waiters = query.int(&route::WAITERS)? as usize;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    let trace = Trace::start();
    let call = demo::call(delay_ms, false, 0, transport);
    let (answer, second_set) = trace.watch(one_future_many_waiters(call, waiters)).await;

    // The moments the future recorded: made pending, then set by the setter.
    let setter = waiters; // spawned after the waiters
    let created_ms = trace.when(None, "create_future()").unwrap_or(0.0);
    let set_ms = trace.when(Some(setter), "set_result():");
    let states = json!([
        { "state": "pending", "t_ms": created_ms },
        { "state": "finished", "t_ms": set_ms, "done": set_ms.is_some() },
    ]);
    let received: Vec<Value> = trace.tasks()[..waiters]
        .iter()
        .map(|waiter| waiter.result.clone().unwrap_or(Value::Null))
        .collect();
    let all_same = received.iter().all(|value| *value == answer);
    let second_set = match second_set {
        Ok(()) => json!({ "accepted": true }),
        Err(refused) => json!({ "accepted": false, "error": refused.to_string() }),
    };

    let params = json!({ "delay_ms": delay_ms, "waiters": waiters, "transport": transport.name() });
    let note = match (set_ms, all_same, &second_set["accepted"]) {
        (Some(at), true, Value::Bool(false)) => format!(
            "The setter set the future at {at} ms; all {waiters} waiters woke with that same value, and the second set_result was refused."
        ),
        (Some(at), same, _) => format!(
            "The setter set the future at {at} ms; the waiters {} the same value.",
            if same {
                "all received"
            } else {
                "did not all receive"
            }
        ),
        (None, _, _) => "The future was never set.".to_owned(),
    };
    let report = Report::new(&INFO, params, delay_ms as f64, &trace)
        .with_note(note)
        .with("value", answer)
        .with("first_set_accepted", set_ms.is_some())
        .with("all_waiters_got_the_value", all_same)
        .with("second_set", second_set)
        .with("states", states);
    Ok(report.into_reply_as(view))
}

// region: future
/// `fut = loop.create_future()`: awaited by `waiters` tasks, set once by another
/// task with the upstream's answer; a second `set_result` is refused.
async fn one_future_many_waiters(call: Fetch, waiters: usize) -> (Value, Result<(), InvalidState>) {
    let fut = SetOnce::new(); // pending
    let waiting: Vec<_> = (0..waiters)
        .map(|n| task::spawn_named(format!("waiter {n}: await fut"), fut.result()))
        .collect();
    // The setter: another task, which completes the future with an upstream answer.
    let setter = task::spawn({
        let fut = fut.clone();
        async move {
            let answer = match call.await {
                Ok(reply) => reply.summary(),
                Err(error) => json!({ "error": error.to_string() }),
            };
            let _ = fut.set_result(answer.clone()); // done: every waiter wakes
            answer
        }
    });
    join_all(waiting).await;
    let answer = setter.await.unwrap_or_default();
    // The future is done: setting it again raises InvalidStateError.
    let second_set = fut.set_result(json!("another value"));
    (answer, second_set)
}
// endregion: future
