//! `GET /upstream`: the slow remote site that every concurrency demo calls.
//!
//! asyncio: the original fetched real URLs with `aiohttp.ClientSession().get(url)`;
//! their latency is what `gather`, `wait` and `wait_for` overlap.
//! Rust: this component plays that remote site, with a latency, status and size you
//! choose; the demos reach it through the host (`spin_sdk::http::send`), so each call
//! is a real outbound HTTP request with a real await on its answer.

use common::reply::{self, ApiError, Reply};
use common::upstream::UpstreamReply;
use common::{Query, Timeline, instance};
use http::StatusCode;
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

#[spin_sdk::http_service]
async fn upstream(request: Request) -> Reply {
    reply::respond(answer(request).await)
}

async fn answer(request: Request) -> Result<Reply, ApiError> {
    reply::expect_get(request.method())?;
    let mut query = Query::parse(request.uri().query())?;
    let delay_ms = query.int(&route::DELAY_MS)?;
    let status = query.int(&route::STATUS)?;
    let filler_bytes = query.int(&route::BYTES)?;
    let id = query.text(&route::ID)?;
    let framing = query.choice(&route::FRAMING)?;
    query.finish()?;
    let instance = instance::enter_request();

    let timeline = Timeline::start();
    spin_sdk::time::sleep(Duration::from_millis(delay_ms)).await;

    let status = StatusCode::from_u16(status as u16).expect("200..=599 is a valid status");
    let body = UpstreamReply {
        id,
        delay_ms,
        slept_ms: timeline.now_ms(),
        status: status.as_u16(),
        filler: ".".repeat(filler_bytes as usize),
        instance,
        answered_unix_ms: Some(common::clock::unix_ms()),
    };
    let reply = reply::json(status, &body);
    Ok(match framing {
        "chunked" => reply::without_length(reply),
        _ => reply,
    })
}
