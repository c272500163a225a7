//! `GET /testcb`: a fire-and-forget task with a callback, and a fetch meanwhile.
//!
//! aiohttp: the handler did `task = asyncio.create_task(asyncio.sleep(1))`,
//! `task.add_done_callback(callback)`, then fetched a remote URL and answered
//! "Waiting for ..." with the fetched text; the callback ran a second later.
//! Rust: `common::task::spawn` starts the sleeping task, which invokes its callback
//! when the sleep ends; meanwhile the handler fetches the configured upstream
//! through the host. The response streams each part as it happens: "Waiting for
//! ..." at once, the fetched body, then the callback's line.
//!
//! Settings (Spin variables, defaults in spin.toml): `testcb_origin` and
//! `testcb_path` (what to fetch: by default the app's own /upstream; the origin
//! is also the only host this component may reach) and `testcb_delay_ms` (the
//! sleep, 1000 ms; `?delay_ms=` overrides it).

use common::ndjson;
use common::reply::{self, ApiError, Reply};
use common::upstream::{self, UpstreamError};
use common::{Query, Timeline, task};
use spin_sdk::http::Request;
use std::time::Duration;

pub mod route;

#[spin_sdk::http_service]
async fn testcb(request: Request) -> Reply {
    reply::respond(run(request).await)
}

async fn run(request: Request) -> Result<Reply, ApiError> {
    reply::expect_get(request.method())?;
    let mut query = Query::parse(request.uri().query())?;
    let delay_ms = query.optional_int(&route::DELAY_MS)?;
    query.finish()?;
    let delay_ms = match delay_ms {
        Some(ms) => ms,
        None => number_setting("testcb_delay_ms").await?,
    };
    let fetch_timeout = Duration::from_millis(number_setting("testcb_timeout_ms").await?);
    let url = format!(
        "{}{}",
        setting("testcb_origin").await?,
        setting("testcb_path").await?
    );

    Ok(ndjson::stream_as(
        "text/plain; charset=utf-8",
        move |lines| async move {
            let timeline = Timeline::start();
            lines.send_bytes(format!(
                "Waiting for {url} (the callback fires in {delay_ms} ms)\n"
            ));

            // The background task: sleep, then invoke the callback, like
            // `create_task(sleep(1)).add_done_callback(callback)`.
            let callback_lines = lines.clone();
            let callback = move |slept_ms: f64| {
                callback_lines.send_bytes(format!(
                    "callback: the background task finished after {slept_ms} ms\n"
                ));
            };
            let background = task::spawn(async move {
                spin_sdk::time::sleep(Duration::from_millis(delay_ms)).await;
                callback(timeline.now_ms());
            });

            match task::timeout(fetch_timeout, upstream::get(&url))
                .await
                .unwrap_or_else(|task::TimedOut| {
                    Err(UpstreamError::Unreachable(format!(
                        "no answer within {} ms",
                        fetch_timeout.as_millis()
                    )))
                }) {
                Ok((status, body)) => {
                    lines.send_bytes(format!("fetched ({status}, {} ms): ", timeline.now_ms()));
                    let ends_its_line = body.ends_with(b"\n");
                    lines.send_bytes(body);
                    if !ends_its_line {
                        lines.send_bytes("\n");
                    }
                }
                Err(error) => lines.send_bytes(format!(
                    "fetch failed after {} ms: {error}\n",
                    timeline.now_ms()
                )),
            }
            // The response ends once the callback has fired.
            let _ = background.await;
        },
    ))
}

async fn setting(name: &str) -> Result<String, ApiError> {
    spin_sdk::variables::get(name).await.map_err(|_| {
        ApiError::service_unavailable(format!("the Spin variable '{name}' is not set"))
    })
}

/// A Spin variable holding a number of ms (0..=30000), or a 503 saying what is wrong.
async fn number_setting(name: &str) -> Result<u64, ApiError> {
    let text = setting(name).await?;
    match text.trim().parse::<u64>() {
        Ok(ms) if ms <= route::DELAY_MS.max => Ok(ms),
        _ => Err(ApiError::service_unavailable(format!(
            "the Spin variable '{name}' must be 0..={}; it is '{text}'",
            route::DELAY_MS.max
        ))),
    }
}
