//! `GET /ws`: where the original service had its WebSocket echo.
//!
//! aiohttp: `web.WebSocketResponse()` upgraded the connection and echoed messages.
//! Spin: there is no inbound WebSocket (its SIP 016 is not implemented), so this
//! route says so, as a 501 JSON error, and points to `POST /echo`, which streams
//! an answer to each line of the upload while it is still uploading.

use common::reply::{self, ApiError, ErrorReply, Reply};
use spin_sdk::http::Request;

pub mod route;

#[spin_sdk::http_service]
async fn ws(request: Request) -> Reply {
    let refusal = match reply::expect_get(request.method()) {
        Err(wrong_method) => wrong_method,
        Ok(()) => ApiError::not_implemented(
            "Spin has no inbound WebSocket support, so /ws cannot upgrade; POST lines to /echo instead: each is answered 'Hello, <line>' while the upload is still running",
        ),
    };
    refusal.into_reply()
}
