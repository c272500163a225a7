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
//! `?iterations=N` runs that many steps of the shared CPU kernel instead;
//! `?block_ms=N` holds the thread with a blocking sleep instead: the blocking
//! lesson's `asyncio.to_thread(time.sleep, s)`, the call moved off the loop.
//!
//! It uses `basics`, the part of the shared code that needs no spin-sdk 7 (WASI
//! 0.3): parameters, errors, the instance id and the CPU kernel.

use basics::{ApiError, Query, clock, cpu, instance, limits};
use serde_json::{Value, json};
use spin_sdk::http::{IncomingRequest, Method, Response};
use std::time::{Duration, Instant};

pub mod route;

#[spin_sdk::http_component]
fn cpu_worker(request: IncomingRequest) -> Response {
    // The request body is never read: this route takes none.
    match answer(&request) {
        Ok(body) => json_response(200, &body),
        Err(error) => {
            let mut response = json_response(error.status, &error.body());
            if let Some(allow) = error.allow {
                response.set_header("allow", allow);
            }
            response
        }
    }
}

fn answer(request: &IncomingRequest) -> Result<Value, ApiError> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let method = http::Method::from_bytes(request.method().to_string().as_bytes())
            .unwrap_or(http::Method::POST);
        return Err(ApiError::method_not_allowed(&method, "GET, HEAD"));
    }
    let path_with_query = request.path_with_query().unwrap_or_default();
    let mut query = Query::parse(path_with_query.split_once('?').map(|(_, q)| q))?;
    let work_ms = query.optional_int(&route::WORK_MS)?;
    let iterations = query.optional_int(&route::ITERATIONS)?;
    let block_ms = query.optional_int(&route::BLOCK_MS)?;
    query.finish()?;
    if block_ms.is_some() && (work_ms.is_some() || iterations.is_some()) {
        return Err(ApiError::bad_request(
            Some("block_ms"),
            "give block_ms alone, without work_ms or iterations",
        ));
    }
    if let Some(iterations) = iterations {
        // How long a number of steps takes depends on the machine: a millisecond's
        // sample tells, before a run that would outlast the handler starts.
        let per_ms = cpu::iterations_per_ms(Duration::from_millis(1));
        let planned_ms = (iterations as f64 / per_ms) as u64;
        limits::within_a_handler(
            "iterations",
            planned_ms,
            "the steps at this instance's speed",
        )?;
    }

    let instance = instance::enter_request();
    // Wall-clock bounds of the work, comparable across instances: they show which
    // requests were busy at the same time (`started` measures the duration).
    let busy_from = clock::unix_ms();
    let started = Instant::now();
    let (name, value, iterations_done) = match (work_ms, iterations, block_ms) {
        (_, _, Some(block_ms)) => {
            std::thread::sleep(Duration::from_millis(block_ms)); // this instance's thread only
            ("block_ms", block_ms, 0)
        }
        (Some(_), Some(_), None) => {
            return Err(ApiError::bad_request(
                Some("iterations"),
                "give work_ms or iterations, not both",
            ));
        }
        (None, Some(iterations), None) => {
            cpu::spin(iterations);
            ("iterations", iterations, iterations)
        }
        (work_ms, None, None) => {
            let work_ms = work_ms.unwrap_or(route::DEFAULT_WORK_MS);
            let done = cpu::burn_for(Duration::from_millis(work_ms));
            ("work_ms", work_ms, done)
        }
    };
    let busy_ms = clock::millis(started.elapsed());
    Ok(json!({
        name: value,
        "busy_ms": busy_ms,
        "busy_from_unix_ms": busy_from,
        "busy_until_unix_ms": clock::unix_ms(),
        "iterations_done": iterations_done,
        "instance": instance,
    }))
}

fn json_response(status: u16, body: &Value) -> Response {
    let text = format!("{body}\n");
    // The length lets the host send the body in one piece (see common::reply::with_body).
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("content-length", text.len().to_string())
        .body(text)
        .build()
}
