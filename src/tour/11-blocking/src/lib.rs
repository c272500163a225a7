//! `GET /demo/blocking`: a blocking call inside async code stalls everything.
//!
//! asyncio: `time.sleep(1)` or `requests.get(url)` in a coroutine blocks the event
//! loop's thread: every other task (and every other request the loop serves) waits.
//! `await asyncio.sleep(1)` suspends only the coroutine.
//! Rust: `std::thread::sleep` is a blocking call (WASI `poll`): the instance's one
//! thread stops, so the other tasks of this request, and every other request this
//! instance holds, wait for it. `spin_sdk::time::sleep(..).await` suspends only
//! the task. The host keeps serving: new requests go to other instances.

use common::demo::{self, DemoInfo};
use common::reply::{self, ApiError, Reply};
use common::{Awaits, Outcome, Report, Trace, task};

/// `std::thread::sleep` is not an await: the task keeps the thread while it sleeps.
const BLOCKS: Awaits = Awaits::Nothing {
    why: "std::thread::sleep blocks the thread instead of awaiting",
};
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "blocking",
    python: common::python_region!("idea"),
    rust: common::region!("sleepers"),
    note: "Blocking sleeps ran one after another, about n x delay_ms, because each held the instance's only thread; async sleeps overlapped in about delay_ms.",
};

const MAX_TOTAL_MS: u64 = 20_000;

#[spin_sdk::http_service]
async fn blocking(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let mut query = demo::get_query(&request)?;
    let tasks = query.int(&route::N)? as usize;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let mode = query.choice(&route::MODE)?;
    query.finish()?;
    let blocking_runs: &[bool] = match mode {
        "blocking" => &[true],
        "async" => &[false],
        _ => &[true, false],
    };
    let blocked_ms = if blocking_runs.contains(&true) {
        tasks as u64 * delay_ms
    } else {
        0
    };
    if blocked_ms > MAX_TOTAL_MS {
        return Err(ApiError::bad_request(
            Some("delay_ms"),
            format!(
                "n x delay_ms of blocking is {blocked_ms} ms; at most {MAX_TOTAL_MS} ms are allowed"
            ),
        ));
    }

    let trace = Trace::start();
    let mut runs = serde_json::Map::new();
    for &blocks in blocking_runs {
        let started = trace.now_ms();
        sleep_in_tasks(&trace, tasks, Duration::from_millis(delay_ms), blocks).await;
        let elapsed = common::clock::round_ms(trace.now_ms() - started);
        let expected = if blocks {
            tasks as u64 * delay_ms
        } else {
            delay_ms
        };
        runs.insert(
            run_name(blocks).to_owned(),
            json!({ "elapsed_ms": elapsed, "expected_ms": expected }),
        );
    }

    let params = json!({ "n": tasks, "delay_ms": delay_ms, "mode": mode });
    let async_ms = if blocking_runs.contains(&false) {
        delay_ms
    } else {
        0
    };
    let report =
        Report::new(&INFO, params, (blocked_ms + async_ms) as f64, &trace).with("runs", runs);
    Ok(report.into_reply())
}

fn run_name(blocks: bool) -> &'static str {
    if blocks { "blocking" } else { "async" }
}

/// Starts `tasks` tasks that each sleep `delay`, blocking or not, and waits for all.
async fn sleep_in_tasks(trace: &Trace, tasks: usize, delay: Duration, blocks: bool) {
    let handles: Vec<_> = (0..tasks)
        .map(|n| {
            let label = if blocks {
                format!("task {n}: std::thread::sleep({delay:?})")
            } else {
                format!("task {n}: sleep({delay:?}).await")
            };
            let id = trace.add_task(label);
            trace.awaits(
                id,
                if blocks {
                    BLOCKS
                } else {
                    Awaits::Timer {
                        ms: delay.as_millis() as u64,
                    }
                },
            );
            // region: sleepers
            // `instrument` times the task's polls: how long it held the thread.
            task::spawn(trace.instrument(id, move |trace| async move {
                trace.started(id);
                if blocks {
                    std::thread::sleep(delay); // holds the instance's one thread
                } else {
                    spin_sdk::time::sleep(delay).await; // suspends this task only
                }
                trace.finished(id, Outcome::Ok, Ok(json!({ "slept": run_name(blocks) })));
            }))
            // endregion: sleepers
        })
        .collect();
    for handle in handles {
        let _ = handle.await;
    }
}
