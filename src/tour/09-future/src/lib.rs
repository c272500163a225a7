//! `GET /demo/future`: a value that does not exist yet, set once, awaited by many.
//!
//! asyncio: `fut = loop.create_future()` starts PENDING; one task calls
//! `fut.set_result(v)` and it becomes FINISHED; every task awaiting it wakes with
//! the same `v`; a second `set_result` raises `InvalidStateError`.
//! Rust: a oneshot channel is the set-once half, and `.shared()` lets any number of
//! waiters await a clone of its value. [`Promise`] wraps the two and refuses a
//! second set, as asyncio does.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{Awaits, Outcome, Report, Trace, TracedCall, task};
use futures::FutureExt;
use futures::channel::oneshot;
use futures::future::Shared;
use serde_json::{Value, json};
use spin_sdk::http::Request;
use std::cell::RefCell;
use std::rc::Rc;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "future",
    python: common::python_region!("idea"),
    rust: common::region!("future"),
    note: "Every waiter received the same value the moment it was set, and the second set_result was refused.",
};

// region: future
/// `asyncio.Future`: pending until set, then finished; set at most once.
struct Promise<T: Clone> {
    setter: RefCell<Option<oneshot::Sender<T>>>,
    value: Shared<oneshot::Receiver<T>>,
}

/// A second `set_result`: the counterpart of `asyncio.InvalidStateError`.
#[derive(Debug)]
struct InvalidState;

impl<T: Clone> Promise<T> {
    fn new() -> Self {
        let (setter, value) = oneshot::channel();
        Self {
            setter: RefCell::new(Some(setter)),
            value: value.shared(),
        }
    }

    fn set_result(&self, value: T) -> Result<(), InvalidState> {
        let setter = self.setter.borrow_mut().take().ok_or(InvalidState)?;
        setter.send(value).map_err(|_| InvalidState)
    }

    fn done(&self) -> bool {
        self.setter.borrow().is_none()
    }

    /// Waits for the value; `None` if the promise was dropped unset.
    async fn result(&self) -> Option<T> {
        self.value.clone().await.ok()
    }
}
// endregion: future

#[spin_sdk::http_service]
async fn future(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let mut query = demo::get_query(&request)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let waiters = query.int(&route::WAITERS)? as usize;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    let trace = Trace::start();
    let promise: Rc<Promise<Value>> = Rc::new(Promise::new());
    let mut states = vec![json!({ "state": "pending", "t_ms": trace.now_ms() })];

    let waiter_handles: Vec<_> = (0..waiters)
        .map(|n| {
            let id = trace.add_task(format!("waiter {n}: await fut"));
            let promise = promise.clone();
            task::spawn(trace.instrument(id, move |trace| async move {
                trace.started(id);
                match promise.result().await {
                    Some(value) => trace.finished(id, Outcome::Ok, Ok(value)),
                    None => trace.finished(
                        id,
                        Outcome::Error,
                        Err("the future was dropped unset".into()),
                    ),
                }
            }))
        })
        .collect();

    // The setter: another task, which completes the future with an upstream answer.
    let call = TracedCall::declare(&trace, delay_ms, false, transport);
    let setter_id = call.task;
    for waiter in 0..waiters {
        let fut = Awaits::Future {
            name: "fut",
            set_by: setter_id,
        };
        trace.awaits(waiter, fut);
    }
    let (setter_trace, setter_promise) = (trace.clone(), promise.clone());
    let setter = task::spawn(async move {
        let answer = match call.run().await {
            Ok(reply) => demo::reply_summary(&reply),
            Err(error) => json!({ "error": error.to_string() }),
        };
        let first_set = setter_promise.set_result(answer.clone()).is_ok();
        setter_trace.event(setter_id, "fut.set_result(answer)");
        let finished_ms = setter_trace.now_ms();
        let second_set = match setter_promise.set_result(json!("another value")) {
            Ok(()) => json!({ "accepted": true }),
            Err(InvalidState) => {
                setter_trace.event(
                    setter_id,
                    "a second set_result is refused: InvalidStateError",
                );
                json!({ "accepted": false, "error": "InvalidStateError: the result is already set" })
            }
        };
        (answer, first_set, finished_ms, second_set)
    });

    for handle in waiter_handles {
        let _ = handle.await;
    }
    let (answer, first_set, finished_ms, second_set) = setter
        .await
        .map_err(|_| ApiError::bad_gateway("the setter task was cancelled"))?;
    states.push(json!({ "state": "finished", "t_ms": finished_ms, "done": promise.done() }));
    let received: Vec<Value> = trace.tasks()[..waiters]
        .iter()
        .map(|waiter| waiter.result.clone().unwrap_or(Value::Null))
        .collect();
    let all_same = received.iter().all(|value| *value == answer);

    let params = json!({ "delay_ms": delay_ms, "waiters": waiters, "transport": transport.name() });
    let report = Report::new(&INFO, params, delay_ms as f64, &trace)
        .with("value", answer)
        .with("first_set_accepted", first_set)
        .with("all_waiters_got_the_value", all_same)
        .with("second_set", second_set)
        .with("states", states);
    Ok(report.into_reply())
}
