//! `GET /demo/loop`: the event loop itself, and a callback scheduled on it.
//!
//! asyncio: `asyncio.run(main())` makes a loop, runs `main` on it, cancels the
//! tasks still pending, and closes the loop; code inside reaches it with
//! `asyncio.get_running_loop()`. `loop.call_soon(callback)` only queues the
//! callback: it runs at the loop's next turn, behind the tasks already ready.
//! Rust: there is no `asyncio.run` to call. Spin's host makes the executor, one
//! per instance, and polls `#[http_service]`'s future, one per request, on it, up
//! to 16 at once and 128 in all: the instance is the loop (`instance::id()` names
//! it), and it outlives a request. `new_event_loop`, `set_event_loop` and the
//! loop policy have no counterpart: a component cannot make or swap its executor.
//! `task::call_soon(callback)` is a future of one step, polled at the next turn.

use basics::instance;
use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::upstream::Fetch;
use common::{Report, Trace, task};
use serde_json::json;
use spin_sdk::http::Request;
use std::cell::Cell;
use std::rc::Rc;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "loop",
    python: common::python_region!("idea"),
    rust: common::region!("loop"),
    note: "call_soon only queued the callback; the loop ran it at its next turn, after the task that was ready before it.",
};

#[spin_sdk::http_service]
async fn event_loop(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let transport = demo::transport(&mut query)?;
    query.finish()?;

    let trace = Trace::start();
    let call = demo::call(delay_ms, false, 0, transport);
    let seen = trace.watch(on_the_running_loop(call)).await;

    // The turn the callback ran in: after the task it was queued behind had started.
    let events = trace.events();
    let task_started = events
        .iter()
        .position(|event| event.task == Some(0) && event.what == "started");
    let callback_ran = events
        .iter()
        .position(|event| event.task.is_none() && event.what == "call_soon callback ran");
    let after_the_task =
        matches!((task_started, callback_ran), (Some(task), Some(callback)) if task < callback);
    let instance = trace.instance();
    let note = format!(
        "call_soon returned before its callback ran ({}), and the loop ran it at its next turn, {} the task made before it started; this loop is instance {}, which has served {} request(s) with this one, and Spin's host keeps it for the next ones, where asyncio.run would close its loop.",
        if seen.ran_inside_call_soon {
            "no: it had already run"
        } else {
            "it had not run yet"
        },
        if after_the_task { "after" } else { "before" },
        seen.running_loop,
        instance.request_number,
    );
    let params = json!({ "delay_ms": delay_ms, "transport": transport.name() });
    let report = Report::new(&INFO, params, delay_ms as f64, &trace)
        .with_note(note)
        .with("loop", seen.running_loop)
        .with("ran_inside_call_soon", seen.ran_inside_call_soon)
        .with("ran_at_the_next_turn", seen.ran_at_the_next_turn)
        .with("callback_ran_after_the_ready_task", after_the_task);
    Ok(report.into_reply_as(view))
}

/// What the program saw of its loop.
struct Seen {
    running_loop: &'static str,
    ran_inside_call_soon: bool,
    ran_at_the_next_turn: bool,
}

// region: loop
/// `loop = asyncio.get_running_loop()`, a task, then `loop.call_soon(callback)`:
/// the callback waits for the loop's next turn, behind the task made before it.
async fn on_the_running_loop(call: Fetch) -> Seen {
    let running_loop = instance::id(); // the loop this request runs on: its instance
    let task = task::spawn(call); // ready: its first step is queued
    let ran = Rc::new(Cell::new(false));
    task::call_soon({
        let ran = ran.clone();
        move || ran.set(true) // queued behind the task
    });
    let ran_inside_call_soon = ran.get(); // false: call_soon only queued it
    task::yield_now().await; // this turn ends: the task's first step, then the callback
    let ran_at_the_next_turn = ran.get(); // true
    let _ = task.await;
    Seen {
        running_loop,
        ran_inside_call_soon,
        ran_at_the_next_turn,
    }
}
// endregion: loop
