//! `GET /demo/blocking`: a blocking call inside async code stalls everything.
//!
//! asyncio: `time.sleep(1)` or `requests.get(url)` in a coroutine blocks the event
//! loop's thread: every other task (and every other request the loop serves) waits.
//! `await asyncio.sleep(1)` suspends only the coroutine, and a blocking call that
//! cannot be rewritten moves off the loop: `await asyncio.to_thread(time.sleep, 1)`
//! runs it on another thread while the task awaits.
//! Rust: `std::thread::sleep` is a blocking call (WASI `poll`): the instance's one
//! thread stops, so the other tasks of this request, and every other request this
//! instance holds, wait for it. `task::sleep(..).await` suspends only the task. The
//! host keeps serving: new requests go to other instances. A WASI 0.3 component
//! cannot start a thread, so `to_thread`'s counterpart sends the blocking call to
//! another instance: `/cpu-worker?block_ms=..`, the WASI 0.2 worker, where the host
//! gives each request an instance (and a thread) of its own.

use common::demo::{self, DemoInfo};
use common::limits;
use common::reply::{self, ApiError, Reply};
use common::upstream;
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
    let transport = demo::transport(&mut query)?;
    query.finish()?;
    let runs_of_mode: &[Sleep] = match mode {
        "blocking" => &[Sleep::Blocking],
        "offload" => &[Sleep::Offloaded],
        "async" => &[Sleep::Async],
        _ => &[Sleep::Blocking, Sleep::Async],
    };
    let run_ms = |how: Sleep| {
        if how == Sleep::Blocking {
            tasks as u64 * delay_ms
        } else {
            delay_ms
        }
    };
    let planned_ms: u64 = runs_of_mode.iter().map(|&how| run_ms(how)).sum();
    limits::within_a_handler(
        "delay_ms",
        planned_ms,
        "n x delay_ms blocking, plus delay_ms asleep with mode=both",
    )?;

    let trace = Trace::start();
    let mut runs = serde_json::Map::new();
    let mut notes = Vec::new();
    let worker = transport.origin_of("cpu-worker");
    for &how in runs_of_mode {
        let started = trace.now_ms();
        let late_before = trace.latest_wake_ms();
        let delay = Duration::from_millis(delay_ms);
        trace
            .watch(sleep_in_tasks(tasks, delay, how, &worker))
            .await;
        let elapsed = common::clock::round_ms(trace.now_ms() - started);
        notes.push(worked_out(
            how,
            tasks,
            delay_ms,
            elapsed,
            trace.latest_wake_ms().max(late_before),
        ));
        let expected = run_ms(how);
        runs.insert(
            how.name().to_owned(),
            json!({ "elapsed_ms": elapsed, "expected_ms": expected }),
        );
    }

    let params =
        json!({ "n": tasks, "delay_ms": delay_ms, "mode": mode, "transport": transport.name() });
    let report = Report::new(&INFO, params, planned_ms as f64, &trace)
        .with_rust(&[SPAWNING, INFO.rust])
        .with_note(common::text::sentence(&notes))
        .with("runs", runs);
    Ok(report.into_reply_as(view))
}

/// The tasks and their handles: what the handler does while they sleep.
const SPAWNING: common::Region = common::region!("spawning");

/// How a run's tasks sleep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sleep {
    Blocking,
    Offloaded,
    Async,
}

impl Sleep {
    fn name(self) -> &'static str {
        match self {
            Self::Blocking => "blocking",
            Self::Offloaded => "offload",
            Self::Async => "async",
        }
    }
}

// region: spawning
/// Starts `tasks` tasks that each sleep `delay` as `how` says, and waits for all.
async fn sleep_in_tasks(tasks: usize, delay: Duration, how: Sleep, worker: &str) {
    let handles: Vec<_> = (0..tasks)
        .map(|n| {
            let work = sleeper(delay, how, worker.to_owned());
            match how {
                Sleep::Blocking => {
                    task::spawn_named(format!("task {n}: std::thread::sleep({delay:?})"), work)
                }
                // Unnamed: the task is the one call it makes, and shows its request.
                Sleep::Offloaded => task::spawn(work),
                Sleep::Async => {
                    task::spawn_named(format!("task {n}: sleep({delay:?}).await"), work)
                }
            }
        })
        .collect();
    for handle in handles {
        let _ = handle.await;
    }
}
// endregion: spawning

// region: sleepers
/// One task's sleep: `time.sleep(s)`, `await asyncio.to_thread(time.sleep, s)`,
/// or `await asyncio.sleep(s)`.
async fn sleeper(delay: Duration, how: Sleep, worker: String) {
    match how {
        Sleep::Blocking => std::thread::sleep(delay), // holds the instance's one thread
        Sleep::Offloaded => {
            // to_thread: the same blocking sleep, on another instance's thread
            let moved = format!("{worker}/cpu-worker?block_ms={}", delay.as_millis());
            let _ = upstream::get_json(&moved).await; // this task only awaits
        }
        Sleep::Async => task::sleep(delay).await, // suspends this task only
    }
}
// endregion: sleepers

/// What one run showed, in numbers: how its elapsed time compares with one sleep
/// and with all of them end to end, and whether its tasks were woken late.
fn worked_out(how: Sleep, tasks: usize, delay_ms: u64, elapsed_ms: f64, late_ms: f64) -> String {
    let one = delay_ms as f64;
    let all = one * tasks as f64;
    let kind = match how {
        Sleep::Blocking => "blocking",
        Sleep::Offloaded => "offloaded blocking",
        Sleep::Async => "async",
    };
    let shape = if tasks < 2 || delay_ms == 0 {
        format!("{kind}: {tasks} sleep(s) of {delay_ms} ms took {elapsed_ms} ms")
    } else if elapsed_ms >= 0.9 * all {
        format!("{kind} sleeps ran one after another: {elapsed_ms} ms for {tasks} x {delay_ms} ms")
    } else {
        format!("{kind} sleeps overlapped: {elapsed_ms} ms for {tasks} sleeps of {delay_ms} ms")
    };
    let stalled = late_ms > common::trace::LATE_WAKE_MS && how != Sleep::Blocking;
    if stalled {
        format!(
            "{shape}, some woken {late_ms:.0} ms after their timers were due because something else held the instance's thread (see warnings)"
        )
    } else {
        shape
    }
}
