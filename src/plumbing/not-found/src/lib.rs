//! `/...`: the catch-all route, so an unknown path gets a JSON 404 under real Spin
//! and devhost alike (Spin's own 404 has an empty body).
//!
//! asyncio: aiohttp's router raises `web.HTTPNotFound` for paths it does not know.
//! Rust: Spin routes the most specific match first, so this component only sees
//! paths that no other route claims.

use common::reply::{ApiError, ErrorReply, Reply};
use spin_sdk::http::Request;

pub mod route;

#[spin_sdk::http_service]
async fn not_found(request: Request) -> Reply {
    ApiError::not_found(format!(
        "no route for {}; start at / for the list of routes",
        request.uri().path()
    ))
    .into_reply()
}
