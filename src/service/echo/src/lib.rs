//! `POST /echo`: full duplex, the counterpart of the original `/ws` WebSocket echo.
//!
//! aiohttp: the WebSocket handler answered each text message `msg` with
//! `Hello, msg` and echoed binary messages, while the connection stayed open.
//! Spin has no inbound WebSocket, but WASI 0.3 streams both bodies: this component
//! returns its response at once and answers each line of the upload the moment the
//! line arrives, while the client is still sending. A text line gets
//! `Hello, <line>`; a line that is not UTF-8 is echoed unchanged.

use common::lines::LineSplitter;
use common::ndjson::{self, Lines};
use common::reply::{self, ApiError, Reply};
use http_body_util::BodyExt;
use spin_sdk::http::{Method, Request};

pub mod route;

#[spin_sdk::http_service]
async fn echo(request: Request) -> Reply {
    reply::respond(run(request))
}

fn run(request: Request) -> Result<Reply, ApiError> {
    if request.method() != Method::POST {
        return Err(ApiError::method_not_allowed(request.method(), "POST"));
    }
    let declared_length = request
        .headers()
        .get("content-length")
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared_length.is_some_and(|length| length > route::MAX_BODY_BYTES as u64) {
        return Err(ApiError::payload_too_large(route::MAX_BODY_BYTES));
    }

    let mut upload = request.into_body();
    Ok(ndjson::stream_as(
        "text/plain; charset=utf-8",
        move |answers| async move {
            let mut splitter = LineSplitter::default();
            let mut received = 0;
            while let Some(frame) = upload.frame().await {
                let Ok(frame) = frame else {
                    answers.send_bytes("error: the upload broke off\n");
                    return;
                };
                let Ok(chunk) = frame.into_data() else {
                    continue; // trailers carry no lines
                };
                received += chunk.len();
                if received > route::MAX_BODY_BYTES {
                    let refusal = format!(
                        "error: the upload is larger than {} bytes; stopped reading\n",
                        route::MAX_BODY_BYTES
                    );
                    answers.send_bytes(refusal);
                    return;
                }
                for line in splitter.push(&chunk) {
                    answer(&answers, line);
                }
            }
            if let Some(last) = splitter.finish() {
                answer(&answers, last);
            }
        },
    ))
}

/// `Hello, <line>` for text, the bytes unchanged otherwise (the WebSocket echo's
/// text and binary messages).
fn answer(answers: &Lines, line: Vec<u8>) {
    let mut reply = match String::from_utf8(line) {
        Ok(text) => format!("Hello, {text}").into_bytes(),
        Err(not_text) => not_text.into_bytes(),
    };
    reply.push(b'\n');
    answers.send_bytes(reply);
}
