//! `GET /demo/event-loop`: one task runs at a time; they switch only at awaits.
//!
//! asyncio: the event loop runs one task until it awaits, then picks the next ready
//! one. `await asyncio.sleep(0)` is an explicit yield point; a task without one
//! keeps the loop to itself until it ends.
//! Rust: the component's executor does the same on the instance's one thread.
//! `wit_bindgen::yield_async().await` is `asyncio.sleep(0)`. The trace records every
//! step with its start and end, and how many steps were ever running at once.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{Awaits, Outcome, Report, Trace, cpu, task};

/// A worker without yield points awaits nothing until it ends.
const NO_AWAIT: Awaits = Awaits::Nothing {
    why: "its steps run back to back without an await",
};
use serde_json::{Value, json};
use spin_sdk::http::Request;
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "event-loop",
    python: common::python_region!("idea"),
    rust: common::region!("worker"),
    note: "Only one step ever ran at a time; with yield points the tasks took turns step by step, without them each task ran to its end before the next began.",
};

const MAX_TOTAL_MS: u64 = 10_000;

#[spin_sdk::http_service]
async fn event_loop(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let mut query = demo::get_query(&request)?;
    let tasks = query.int(&route::N)? as usize;
    let steps = query.int(&route::STEPS)? as usize;
    let step_ms = query.int(&route::STEP_MS)?;
    let mode = query.choice(&route::MODE)?;
    query.finish()?;
    let runs: &[bool] = match mode {
        "yield" => &[true],
        "no-yield" => &[false],
        _ => &[true, false],
    };
    let total_ms = runs.len() as u64 * tasks as u64 * steps as u64 * step_ms;
    if total_ms > MAX_TOTAL_MS {
        return Err(ApiError::bad_request(
            Some("step_ms"),
            format!(
                "n x steps x step_ms (x2 for mode=both) is {total_ms} ms of CPU; at most {MAX_TOTAL_MS} ms are allowed"
            ),
        ));
    }

    let trace = Trace::start();
    let busy = Rc::new(Busy::default());
    let mut orders = serde_json::Map::new();
    for &yields in runs {
        let order = run_workers(&trace, &busy, tasks, steps, step_ms, yields).await;
        orders.insert(run_name(yields).to_owned(), Value::String(order.join(" ")));
    }

    let params = json!({ "n": tasks, "steps": steps, "step_ms": step_ms, "mode": mode });
    let report = Report::new(&INFO, params, total_ms as f64, &trace)
        .with("step_order", orders)
        .with("max_steps_running_at_once", busy.max.get());
    Ok(report.into_reply())
}

/// Counts steps in progress, to show there is never more than one.
#[derive(Default)]
struct Busy {
    now: Cell<usize>,
    max: Cell<usize>,
}

fn run_name(yields: bool) -> &'static str {
    if yields {
        "with_yields"
    } else {
        "without_yields"
    }
}

/// Spawns `tasks` workers of `steps` steps each and returns the order the steps
/// ran in, as `A0 B0 C0 A1 ...`.
async fn run_workers(
    trace: &Trace,
    busy: &Rc<Busy>,
    tasks: usize,
    steps: usize,
    step_ms: u64,
    yields: bool,
) -> Vec<String> {
    let order = Rc::new(std::cell::RefCell::new(Vec::new()));
    let handles: Vec<_> = (0..tasks)
        .map(|n| {
            let name = char::from(b'A' + n as u8);
            let id = trace.add_task(format!("worker {name} ({})", run_name(yields)));
            trace.awaits(id, if yields { Awaits::Yield } else { NO_AWAIT });
            let (busy, order) = (busy.clone(), order.clone());
            // region: worker
            task::spawn(trace.instrument(id, move |trace| async move {
                trace.started(id);
                for step in 0..steps {
                    busy.now.set(busy.now.get() + 1);
                    busy.max.set(busy.max.get().max(busy.now.get()));
                    trace.event(id, format!("step {step}"));
                    order.borrow_mut().push(format!("{name}{step}"));
                    cpu::burn_for(Duration::from_millis(step_ms));
                    busy.now.set(busy.now.get() - 1);
                    if yields {
                        spin_sdk::wit_bindgen::yield_async().await;
                    }
                }
                trace.finished(id, Outcome::Ok, Ok(json!({ "steps": steps })));
            }))
            // endregion: worker
        })
        .collect();
    for handle in handles {
        let _ = handle.await;
    }
    order.take()
}
