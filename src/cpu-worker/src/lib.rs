//! `GET /cpu-worker`: burns CPU for a while, then says how long it took.
//!
//! asyncio: CPU-bound work blocks the event loop, so the tour's answer is
//! `await loop.run_in_executor(pool, work)`: hand the work to other threads.
//! Spin: this component is that executor. It is a WASI 0.2 component (spin-sdk 5,
//! `#[http_component]`), and Spin gives a WASI 0.2 component one fresh instance per
//! request, running those instances in parallel on the host's threads. So CPU work
//! sent here over HTTP runs in parallel, whereas a WASI 0.3 instance is one thread
//! shared by up to 16 requests, where CPU work only takes turns.
//!
//! `?work_ms=N` spins for N ms of wall time (0..=10000, default 100);
//! `?iterations=N` runs a fixed number of xorshift steps (1..=2000000000) instead.
//!
//! This crate stays small and self-contained: the shared `common` crate is built
//! on spin-sdk 7 (WASI 0.3), so it cannot be used here.

use serde_json::{Value, json};
use spin_sdk::http::{IncomingRequest, Method, Response};
use std::hash::BuildHasher;
use std::hint::black_box;
use std::ops::RangeInclusive;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const WORK_MS: RangeInclusive<u64> = 0..=10_000;
const DEFAULT_WORK_MS: u64 = 100;
const ITERATIONS: RangeInclusive<u64> = 1..=2_000_000_000;
/// How many xorshift steps to take between two looks at the clock.
const STEPS_PER_CLOCK_CHECK: u64 = 10_000;

/// Statics live as long as the instance: with one instance per request, every
/// response should show a new id and `request_number` 1.
static INSTANCE_ID: OnceLock<String> = OnceLock::new();
static REQUESTS_SEEN: AtomicU64 = AtomicU64::new(0);

/// What to do: spin for a time, or for a number of steps.
enum Work {
    ForMillis(u64),
    Iterations(u64),
}

/// A 400 or 405, answered as JSON.
struct Refusal {
    status: u16,
    body: Value,
}

#[spin_sdk::http_component]
fn cpu_worker(request: IncomingRequest) -> Response {
    // The request body is never read: this route takes none.
    match answer(&request) {
        Ok(body) => json_response(200, &body),
        Err(refusal) => {
            let mut response = json_response(refusal.status, &refusal.body);
            if refusal.status == 405 {
                response.set_header("allow", "GET, HEAD");
            }
            response
        }
    }
}

fn answer(request: &IncomingRequest) -> Result<Value, Refusal> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        return Err(Refusal {
            status: 405,
            body: json!({
                "error": "method_not_allowed",
                "message": "this route answers GET and HEAD only",
            }),
        });
    }
    let path_with_query = request.path_with_query().unwrap_or_default();
    let query = path_with_query.split_once('?').map_or("", |(_, q)| q);
    let work = parse(query)?;

    let request_number = REQUESTS_SEEN.fetch_add(1, Ordering::Relaxed) + 1;
    let (iterations_done, busy_ms) = burn(&work);
    let (name, value) = match work {
        Work::ForMillis(ms) => ("work_ms", ms),
        Work::Iterations(n) => ("iterations", n),
    };
    Ok(json!({
        name: value,
        "busy_ms": busy_ms,
        "iterations_done": iterations_done,
        "instance": { "id": instance_id(), "request_number": request_number },
    }))
}

/// Reads `work_ms` or `iterations` (not both); anything else is a 400.
fn parse(query: &str) -> Result<Work, Refusal> {
    let (mut work_ms, mut iterations) = (None, None);
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let slot = match &*name {
            "work_ms" => &mut work_ms,
            "iterations" => &mut iterations,
            other => {
                let message = format!("unknown parameter '{other}'; expected: work_ms, iterations");
                return Err(bad_request(other, message));
            }
        };
        if slot.is_some() {
            return Err(bad_request(
                &name,
                format!("'{name}' is given more than once"),
            ));
        }
        *slot = Some(value.into_owned());
    }
    match (work_ms, iterations) {
        (Some(_), Some(_)) => Err(bad_request(
            "iterations",
            "give work_ms or iterations, not both".to_owned(),
        )),
        (None, Some(text)) => Ok(Work::Iterations(number("iterations", &text, ITERATIONS)?)),
        (Some(text), None) => Ok(Work::ForMillis(number("work_ms", &text, WORK_MS)?)),
        (None, None) => Ok(Work::ForMillis(DEFAULT_WORK_MS)),
    }
}

fn number(name: &str, text: &str, range: RangeInclusive<u64>) -> Result<u64, Refusal> {
    match text.trim().parse::<u64>() {
        Ok(value) if range.contains(&value) => Ok(value),
        _ => Err(bad_request(
            name,
            format!(
                "'{name}' must be an integer from {} to {}; got '{text}'",
                range.start(),
                range.end()
            ),
        )),
    }
}

fn bad_request(param: &str, message: String) -> Refusal {
    Refusal {
        status: 400,
        body: json!({ "error": "bad_request", "message": message, "param": param }),
    }
}

/// The CPU-bound part: no awaits, no host calls but the clock. Returns the steps
/// taken and the milliseconds it took (rounded to 0.1).
fn burn(work: &Work) -> (u64, f64) {
    let started = Instant::now();
    let mut state = black_box(0x2545_f491_4f6c_dd1d_u64);
    let steps = match *work {
        Work::Iterations(n) => {
            for _ in 0..n {
                state = xorshift(state);
            }
            n
        }
        Work::ForMillis(ms) => {
            let budget = Duration::from_millis(ms);
            let mut steps = 0;
            while started.elapsed() < budget {
                for _ in 0..STEPS_PER_CLOCK_CHECK {
                    state = xorshift(state);
                }
                steps += STEPS_PER_CLOCK_CHECK;
            }
            steps
        }
    };
    // Makes the result "used", so the optimiser cannot drop the loop.
    black_box(state);
    let busy_ms = started.elapsed().as_secs_f64() * 1000.0;
    (steps, (busy_ms * 10.0).round() / 10.0)
}

/// One step of Marsaglia's xorshift64: cheap, and each step needs the one before.
fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// This instance's random id, drawn on first use. `RandomState` is seeded from the
/// host's random source (`wasi:random`), so no extra dependency is needed.
fn instance_id() -> &'static str {
    INSTANCE_ID.get_or_init(|| {
        let random = std::collections::hash_map::RandomState::new().hash_one("cpu-worker");
        format!("{random:016x}")
    })
}

fn json_response(status: u16, body: &Value) -> Response {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(format!("{body}\n"))
        .build()
}
