//! `GET /` and `GET /hello/:name`: the original service's greeting.
//!
//! asyncio: the aiohttp handler does `await asyncio.sleep(1)` before answering; the
//! coroutine is suspended and the event loop serves other requests meanwhile.
//! Rust: `spin_sdk::time::sleep(..).await` (WASI 0.3 `monotonic-clock.wait-for`)
//! suspends this request's task, and the same instance takes other requests
//! meanwhile: 200 concurrent one-second greetings take about one second, not 200.

use common::reply::{self, ApiError, Reply};
use common::{Query, Timeline, instance, text};
use http::StatusCode;
use serde_json::json;
use spin_sdk::http::Request;
use std::sync::OnceLock;
use std::time::Duration;

/// The original slept one second.
const DEFAULT_DELAY_MS: u64 = 1000;
const MAX_DELAY_MS: u64 = 30_000;
const MAX_NAME_CHARS: usize = 200;

/// Where the page links to: the app's routes, for a visitor to try next.
const LINKS: &[(&str, &str)] = &[
    (
        "/ui/",
        "the playground: run every demo and watch its timeline",
    ),
    (
        "/hello/Ada",
        "a greeting by name (add ?delay_ms=0 to skip the sleep)",
    ),
    (
        "/upstream?delay_ms=200",
        "the slow upstream the concurrency demos call",
    ),
    (
        "/testcb",
        "a background task's callback fires while a fetch runs (streamed)",
    ),
    (
        "/asynctasks",
        "three fetches under asyncio.wait(timeout=5): done and cancelled",
    ),
    (
        "/ws",
        "why there is no WebSocket here (POST lines to /echo instead)",
    ),
    (
        "/demo/sequential",
        "awaiting one call after another: the sum",
    ),
    ("/demo/tasks", "create_task: every call at once, the max"),
    (
        "/demo/gather?fail=1",
        "gather: ordered results, the first error",
    ),
    (
        "/demo/wait?return_when=first_completed",
        "wait: done and pending",
    ),
    (
        "/demo/as-completed",
        "as_completed: results streamed as they finish",
    ),
    (
        "/demo/timeout",
        "wait_for: the timer wins, the call is dropped",
    ),
    ("/demo/cancel", "cancel(): only at an await"),
    (
        "/demo/shield",
        "shield: the timeout fires, the work goes on",
    ),
    ("/demo/future", "a future set once, awaited by many"),
    (
        "/demo/event-loop",
        "one task at a time, switching at awaits",
    ),
    (
        "/demo/blocking",
        "a blocking sleep stalls the instance; an async one does not",
    ),
    (
        "/demo/cpu",
        "CPU-bound work: inline on one thread, or offloaded",
    ),
];

#[spin_sdk::http_service]
async fn hello(request: Request) -> Reply {
    reply::respond(greet(request).await)
}

async fn greet(request: Request) -> Result<Reply, ApiError> {
    reply::expect_get(request.method())?;
    let mut query = Query::parse(request.uri().query())?;
    let delay_ms = query.int_or("delay_ms", 0..=MAX_DELAY_MS, DEFAULT_DELAY_MS)?;
    query.finish()?;
    let name = name_from(&request)?;
    let instance = instance::enter_request();

    let timeline = Timeline::start();
    spin_sdk::time::sleep(Duration::from_millis(delay_ms)).await;
    let slept_ms = timeline.now_ms();

    let greeting = format!("Hello, {name}");
    if reply::prefers_json(request.headers()) {
        let body = json!({
            "greeting": greeting,
            "delay_ms": delay_ms,
            "slept_ms": slept_ms,
            "instance": instance,
        });
        Ok(reply::json(StatusCode::OK, &body))
    } else {
        Ok(reply::html(StatusCode::OK, page(&greeting)))
    }
}

/// The `:name` segment (Spin passes it percent-encoded), or `Anonymous` on `/`.
fn name_from(request: &Request) -> Result<String, ApiError> {
    let Some(raw) = request.headers().get("spin-path-match-name") else {
        return Ok("Anonymous".to_owned());
    };
    let name = text::percent_decode(&String::from_utf8_lossy(raw.as_bytes()), false);
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::bad_request(
            Some("name"),
            format!("the name is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    Ok(name)
}

fn page(greeting: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>spin-async-demo</title></head>\n<body>\n<h1>{}</h1>\n<p>Try next:</p>\n<ul>\n{}</ul>\n</body>\n</html>\n",
        text::html_escape(greeting),
        links_html()
    )
}

/// The list of links, escaped once per instance: it never changes, and an
/// instance serves up to 128 requests.
fn links_html() -> &'static str {
    static LINKS_HTML: OnceLock<String> = OnceLock::new();
    LINKS_HTML.get_or_init(|| {
        LINKS
            .iter()
            .map(|(href, what)| {
                let href = text::html_escape(href);
                format!(
                    "    <li><a href=\"{href}\">{href}</a>: {}</li>\n",
                    text::html_escape(what)
                )
            })
            .collect()
    })
}
