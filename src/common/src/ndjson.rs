//! Streaming replies as NDJSON: one JSON object per line, written the moment it
//! exists, so a client sees each event while the demo is still running.
//!
//! The response is returned at once with a body fed by a channel; the demo itself
//! runs as a spawned task that writes lines into the channel. The host sends each
//! line as a body chunk as soon as it is written.

use crate::reply::Reply;
use crate::text_view::View;
use bytes::Bytes;
use futures::StreamExt;
use futures::channel::mpsc;
use http::{HeaderValue, StatusCode, header};
use http_body::Frame;
use http_body_util::StreamBody;
use serde::Serialize;
use spin_sdk::http::box_body;
use std::future::Future;

/// The writing end of an NDJSON response (or of its text view: then each line is
/// drawn for a terminal as it is written, and the summary as the whole picture).
#[derive(Clone, Debug)]
pub struct Lines(mpsc::UnboundedSender<Bytes>, View);

impl Lines {
    /// Writes `value` as one line. A client that has gone away is not an error:
    /// the demo finishes and its lines are dropped.
    pub fn send<T: Serialize>(&self, value: &T) {
        let line = match self.1 {
            View::Json => {
                let mut line = serde_json::to_vec(value).expect("JSON values always serialise");
                line.push(b'\n');
                line
            }
            View::Text { color } => {
                let value = serde_json::to_value(value).expect("JSON values always serialise");
                let text = if value["what"] == "summary" {
                    format!("\n{}", crate::text_view::render(&value, color))
                } else {
                    format!("{}\n", crate::text_view::event_line(&value, color))
                };
                text.into_bytes()
            }
        };
        let _ = self.0.unbounded_send(Bytes::from(line));
    }

    /// Writes raw bytes, for streams that are not JSON.
    pub fn send_bytes(&self, bytes: impl Into<Bytes>) {
        let _ = self.0.unbounded_send(bytes.into());
    }
}

/// A `200 application/x-ndjson` response whose lines `produce` writes. `produce`
/// runs as a spawned task; the body ends when it returns (and drops its `Lines`).
pub fn stream<F, Fut>(produce: F) -> Reply
where
    F: FnOnce(Lines) -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    stream_as("application/x-ndjson", produce)
}

/// A demo's stream of events, its report last, as `view` asks: NDJSON, or text
/// lines for a terminal ending in the picture of the run.
pub fn stream_report<F, Fut>(view: View, produce: F) -> Reply
where
    F: FnOnce(Lines) -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    match view {
        View::Json => stream(produce),
        View::Text { .. } => stream_with(crate::reply::TEXT, view, produce),
    }
}

/// Like [`stream`], with another content type (plain text lines, say).
pub fn stream_as<F, Fut>(content_type: &'static str, produce: F) -> Reply
where
    F: FnOnce(Lines) -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    stream_with(content_type, View::Json, produce)
}

fn stream_with<F, Fut>(content_type: &'static str, view: View, produce: F) -> Reply
where
    F: FnOnce(Lines) -> Fut,
    Fut: Future<Output = ()> + 'static,
{
    let (sender, receiver) = mpsc::unbounded::<Bytes>();
    spin_sdk::wasip3::spawn(produce(Lines(sender, view)));
    let frames = receiver.map(|line| Ok::<_, std::convert::Infallible>(Frame::data(line)));
    let mut reply = http::Response::new(box_body(StreamBody::new(frames)));
    *reply.status_mut() = StatusCode::OK;
    let headers = reply.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Proxies that buffer (nginx, some CDNs) would hold the lines back until the end.
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    reply
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use serde_json::json;

    #[test]
    fn each_value_becomes_one_line() {
        let (sender, receiver) = mpsc::unbounded();
        let lines = Lines(sender, View::Json);
        lines.send(&json!({"t_ms": 1.5, "what": "started"}));
        lines.send(&json!({"what": "summary"}));
        drop(lines);
        let written: Vec<Bytes> = block_on(receiver.collect());
        assert_eq!(
            written,
            [
                Bytes::from("{\"t_ms\":1.5,\"what\":\"started\"}\n"),
                Bytes::from("{\"what\":\"summary\"}\n"),
            ]
        );
    }

    #[test]
    fn a_gone_client_is_not_an_error() {
        let (sender, receiver) = mpsc::unbounded();
        drop(receiver);
        let lines = Lines(sender, View::Json);
        lines.send(&json!({"what": "nobody reads this"}));
    }
}
