//! `GET /demo/blocking`: a blocking call inside async code stalls everything.
//!
//! asyncio: `time.sleep(1)` or `requests.get(url)` in a coroutine blocks the event
//! loop's thread: every other task (and every other request the loop serves) waits.
//! `await asyncio.sleep(1)` suspends only the coroutine.
//! Rust: `std::thread::sleep` is a blocking call (WASI `poll`): the instance's one
//! thread stops, so the other tasks of this request, and every other request this
//! instance holds, wait for it. `task::sleep(..).await` suspends only the task. The host keeps serving: new requests go to other instances.

use common::demo::{self, DemoInfo};
use common::limits;
use common::reply::{self, ApiError, Reply};
use common::{Report, Trace, task};
use serde_json::json;
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

const INFO: DemoInfo = DemoInfo {
    name: "blocking",
    python: common::python_region!("idea"),
    rust: common::region!("sleepers"),
    note: "Blocking sleeps run one after another because each holds the instance's only thread; async sleeps overlap.",
};

#[spin_sdk::http_service]
async fn blocking(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    let (mut query, view) = demo::get_query(&request)?;
    let tasks = query.int(&route::N)? as usize;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let mode = query.choice(&route::MODE)?;
    query.finish()?;
    let blocking_runs: &[bool] = match mode {
        "blocking" => &[true],
        "async" => &[false],
        _ => &[true, false],
    };
    let run_ms = |blocks: bool| {
        if blocks {
            tasks as u64 * delay_ms
        } else {
            delay_ms
        }
    };
    let planned_ms: u64 = blocking_runs.iter().map(|&blocks| run_ms(blocks)).sum();
    limits::within_a_handler(
        "delay_ms",
        planned_ms,
        "n x delay_ms blocking, plus delay_ms asleep with mode=both",
    )?;

    let trace = Trace::start();
    let mut runs = serde_json::Map::new();
    let mut notes = Vec::new();
    for &blocks in blocking_runs {
        let started = trace.now_ms();
        let late_before = trace.latest_wake_ms();
        let delay = Duration::from_millis(delay_ms);
        trace.watch(sleep_in_tasks(tasks, delay, blocks)).await;
        let elapsed = common::clock::round_ms(trace.now_ms() - started);
        notes.push(worked_out(
            blocks,
            tasks,
            delay_ms,
            elapsed,
            trace.latest_wake_ms().max(late_before),
        ));
        let expected = run_ms(blocks);
        runs.insert(
            run_name(blocks).to_owned(),
            json!({ "elapsed_ms": elapsed, "expected_ms": expected }),
        );
    }

    let params = json!({ "n": tasks, "delay_ms": delay_ms, "mode": mode });
    let report = Report::new(&INFO, params, planned_ms as f64, &trace)
        .with_note(common::text::sentence(&notes))
        .with("runs", runs);
    Ok(report.into_reply_as(view))
}

fn run_name(blocks: bool) -> &'static str {
    if blocks { "blocking" } else { "async" }
}

/// Starts `tasks` tasks that each sleep `delay`, blocking or not, and waits for all.
async fn sleep_in_tasks(tasks: usize, delay: Duration, blocks: bool) {
    let handles: Vec<_> = (0..tasks)
        .map(|n| {
            let name = if blocks {
                format!("task {n}: std::thread::sleep({delay:?})")
            } else {
                format!("task {n}: sleep({delay:?}).await")
            };
            task::spawn_named(name, sleeper(delay, blocks))
        })
        .collect();
    for handle in handles {
        let _ = handle.await;
    }
}

// region: sleepers
/// One task's sleep: `time.sleep(s)` against `await asyncio.sleep(s)`.
async fn sleeper(delay: Duration, blocks: bool) {
    if blocks {
        std::thread::sleep(delay); // holds the instance's one thread
    } else {
        task::sleep(delay).await; // suspends this task only
    }
}
// endregion: sleepers

/// What one run showed, in numbers: how its elapsed time compares with one sleep
/// and with all of them end to end, and whether its tasks were woken late.
fn worked_out(blocks: bool, tasks: usize, delay_ms: u64, elapsed_ms: f64, late_ms: f64) -> String {
    let one = delay_ms as f64;
    let all = one * tasks as f64;
    let kind = if blocks { "blocking" } else { "async" };
    let shape = if tasks < 2 || delay_ms == 0 {
        format!("{kind}: {tasks} sleep(s) of {delay_ms} ms took {elapsed_ms} ms")
    } else if elapsed_ms >= 0.9 * all {
        format!("{kind} sleeps ran one after another: {elapsed_ms} ms for {tasks} x {delay_ms} ms")
    } else {
        format!("{kind} sleeps overlapped: {elapsed_ms} ms for {tasks} sleeps of {delay_ms} ms")
    };
    let stalled = late_ms > common::trace::LATE_WAKE_MS && !blocks;
    if stalled {
        format!(
            "{shape}, some woken {late_ms:.0} ms after their timers were due because something else held the instance's thread (see warnings)"
        )
    } else {
        shape
    }
}
