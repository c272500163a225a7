//! `GET /demo/future`: a value that does not exist yet, set once, awaited by many.
//!
//! asyncio: `fut = loop.create_future()` starts pending (`fut.done()` is False);
//! one task ends it with `fut.set_result(v)` or `fut.set_exception(e)`; every task
//! awaiting it wakes with that `v` (or has `e` raised); its done callbacks run on
//! the loop's next turn; `fut.exception()` then tells which it was (and raises
//! `InvalidStateError` while the future is pending), and a second `set_result`
//! raises `InvalidStateError`.
//! Rust: `common::task::SetOnce` is that future, its outcome a `Result`: the same
//! methods, the same refusals, `result()` awaited by any number of tasks, each
//! getting a clone.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::task::join_all;
use common::task::{self, InvalidState, SetOnce};
use common::upstream::Fetch;
use common::{Report, Trace};
use serde_json::{Value, json};
use spin_sdk::http::Request;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "future",
    python: common::python_region!("idea"),
    rust: common::region!("future"),
    note: "Every waiter received the same outcome the moment it was set, and the second set_result was refused.",
};

/// The setter's task, shown after the future's story.
const SETTER: common::Region = common::region!("setter");

#[spin_sdk::http_service]
async fn future(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let waiters = query.int(&route::WAITERS)? as usize;
    let fails = query.flag(&route::FAIL)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    let trace = Trace::start();
    let call = demo::call(delay_ms, fails, 0, transport);
    let seen = trace.watch(one_future_many_waiters(call, waiters)).await;

    // The moments the future recorded: made pending, then set by the setter.
    let setter = waiters; // spawned after the waiters
    let created_ms = trace.when(None, "create_future()").unwrap_or(0.0);
    let set_ms = trace.when(Some(setter), "set_");
    let callback_ms = trace.when(None, "done callback");
    let states = json!([
        { "state": "pending", "t_ms": created_ms },
        { "state": "finished", "t_ms": set_ms, "done": set_ms.is_some() },
    ]);
    // What each waiter received: the value, or the exception raised at its await.
    let received: Vec<Value> = trace.tasks()[..waiters]
        .iter()
        .map(|waiter| match (&waiter.result, &waiter.error) {
            (_, Some(error)) => json!({ "exception": error }),
            (result, None) => result.clone().unwrap_or(Value::Null),
        })
        .collect();
    let all_same = received.windows(2).all(|pair| pair[0] == pair[1]);
    let refusal = |refused: Result<(), InvalidState>| match refused {
        Ok(()) => json!({ "accepted": true }),
        Err(refused) => json!({ "accepted": false, "error": refused.to_string() }),
    };
    let ended_with = if seen.exception.is_some() {
        "set_exception"
    } else {
        "set_result"
    };

    let params = json!({ "delay_ms": delay_ms, "waiters": waiters, "fail": fails, "transport": transport.name() });
    let note = match (set_ms, all_same, seen.second_set.is_err()) {
        (Some(at), true, true) => format!(
            "The setter called {ended_with} at {at} ms; all {waiters} waiters woke with that same outcome, the done callback ran {}, and the second set_result was refused.",
            callback_ms.map_or_else(|| "never".to_owned(), |ms| format!("at {ms} ms"))
        ),
        (Some(at), same, _) => format!(
            "The setter called {ended_with} at {at} ms; the waiters {} the same outcome.",
            if same {
                "all received"
            } else {
                "did not all receive"
            }
        ),
        (None, _, _) => "The future was never set.".to_owned(),
    };
    let report = Report::new(&INFO, params, delay_ms as f64, &trace)
        .with_rust(&[INFO.rust, SETTER])
        .with_note(note)
        .with("value", received.first().cloned().unwrap_or(Value::Null))
        .with("ended_with", ended_with)
        .with("done_while_pending", seen.done_while_pending)
        .with(
            "exception_while_pending",
            refusal(seen.exception_while_pending.map(drop)),
        )
        .with("exception", seen.exception)
        .with("all_waiters_got_the_value", all_same)
        .with("done_callback_ran", callback_ms.is_some())
        .with("second_set", refusal(seen.second_set))
        .with("states", states);
    Ok(report.into_reply_as(view))
}

/// What the program saw of its future, besides what the waiters received.
struct Seen {
    done_while_pending: bool,
    exception_while_pending: Result<Option<String>, InvalidState>,
    exception: Option<String>,
    second_set: Result<(), InvalidState>,
}

// region: future
/// `fut = loop.create_future()`: awaited by `waiters` tasks, ended once by another
/// task with the upstream's answer (or its error); a second `set_result` is refused.
async fn one_future_many_waiters(call: Fetch, waiters: usize) -> Seen {
    let fut = SetOnce::<Value, String>::new(); // pending
    let done_while_pending = fut.done(); // false
    let exception_while_pending = fut.exception(); // refused: nothing to tell yet
    fut.add_done_callback(|outcome| eprintln!("future: done with {outcome:?}"));
    let waiting: Vec<_> = (0..waiters)
        .map(|n| task::spawn_named(format!("waiter {n}: await fut"), fut.result()))
        .collect();
    let setter = task::spawn_named("setter", set_from(call, fut.clone())); // it ends fut
    join_all(waiting).await;
    let _ = setter.await;
    Seen {
        done_while_pending,
        exception_while_pending,
        exception: fut.exception().unwrap_or_default(), // None after set_result
        second_set: fut.set_result(json!("another value")), // InvalidStateError
    }
}
// endregion: future

// region: setter
/// The setter's task: it ends the future with the upstream's answer, or its error.
async fn set_from(call: Fetch, fut: SetOnce<Value, String>) {
    let _ = match call.await {
        Ok(reply) => fut.set_result(reply.summary()), // every waiter wakes with it
        Err(error) => fut.set_exception(error.to_string()), // raised in every waiter
    };
}
// endregion: setter
