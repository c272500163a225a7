//! `GET /` and `GET /hello/:name`: the original service's greeting.
//!
//! asyncio: the aiohttp handler does `await asyncio.sleep(1)` before answering; the
//! coroutine is suspended and the event loop serves other requests meanwhile.
//! Rust: `spin_sdk::time::sleep(..).await` (WASI 0.3 `monotonic-clock.wait-for`)
//! suspends this request's task, and the same instance takes other requests
//! meanwhile: 200 concurrent one-second greetings take about one second, not 200.

use catalogue::{Answer, Route};
use common::reply::{self, ApiError, Reply};
use common::{Query, Timeline, instance, text};
use http::StatusCode;
use serde_json::json;
use spin_sdk::http::Request;
use std::sync::OnceLock;
use std::time::Duration;

pub mod route;

#[spin_sdk::http_service]
async fn hello(request: Request) -> Reply {
    reply::respond(greet(request).await)
}

async fn greet(request: Request) -> Result<Reply, ApiError> {
    reply::expect_get(request.method())?;
    let mut query = Query::parse(request.uri().query())?;
    let delay_ms = query.int(&route::DELAY_MS)?;
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
    if name.chars().count() > route::NAME.max_chars {
        return Err(ApiError::bad_request(
            Some("name"),
            format!(
                "the name is longer than {} characters",
                route::NAME.max_chars
            ),
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

/// A link to every route that offers an example (each folder's `route.rs`), the
/// playground first, the rest in reading order. Escaped once per instance: it never
/// changes, and an instance serves up to 128 requests.
fn links_html() -> &'static str {
    static LINKS_HTML: OnceLock<String> = OnceLock::new();
    LINKS_HTML.get_or_init(|| {
        let mut routes: Vec<&Route> = catalogue::routes().collect();
        routes.sort_by_key(|route| route.answer != Answer::Page);
        routes
            .iter()
            .filter_map(|route| Some((route.example?, route.summary)))
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
