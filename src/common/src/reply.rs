//! Responses: JSON bodies, HTML pages, JSON errors, and the little HTTP etiquette
//! every route shares (allowed methods, content negotiation).

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use http_body_util::{BodyExt, Full};
use serde::Serialize;
use spin_sdk::http::{BoxBody, box_body};

pub use crate::error::ApiError;

/// What every handler returns: a response whose body may be complete or streamed.
pub type Reply = http::Response<BoxBody>;

/// A JSON response with the given status.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Reply {
    let mut text = serde_json::to_vec(body).expect("JSON values always serialise");
    text.push(b'\n');
    with_body(status, "application/json", text)
}

/// The content type of a text answer (a demo's `view=text`).
pub const TEXT: &str = "text/plain; charset=utf-8";

/// A text answer with its length.
pub fn text(status: StatusCode, body: String) -> Reply {
    with_body(status, TEXT, body)
}

/// An HTML page with the given status.
pub fn html(status: StatusCode, page: String) -> Reply {
    with_body(status, "text/html; charset=utf-8", page.into_bytes())
}

/// A complete response with any content type, its length declared.
///
/// Why the length: without it the host sends the body chunked, and Spin (which does
/// not set TCP_NODELAY) can hold the closing chunk for a delayed ACK, about 40 ms.
/// `make bench` on Spin 4.1 (wrk -c64, 2 cores): p99 48 ms chunked, 18 ms with it.
///
/// A `&'static [u8]` body (a page or file compiled into the component) is sent
/// without being copied.
pub fn with_body(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Reply {
    let body: Bytes = body.into();
    let length = HeaderValue::from(body.len());
    let mut reply = http::Response::new(box_body(Full::new(body).map_err(|never| match never {})));
    *reply.status_mut() = status;
    let headers = reply.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_LENGTH, length);
    reply
}

/// The same complete reply without its declared length, so the host sends it
/// chunked: how every reply went out before [`with_body`] declared lengths.
/// `/upstream?framing=chunked` offers it, so `make bench` can show the difference
/// and clients can be tried against chunked bodies.
pub fn without_length(mut reply: Reply) -> Reply {
    reply.headers_mut().remove(header::CONTENT_LENGTH);
    reply
}

/// Turns a handler's outcome into a response: errors become JSON error replies.
pub fn respond(outcome: Result<Reply, ApiError>) -> Reply {
    outcome.unwrap_or_else(ErrorReply::into_reply)
}

/// Accepts `GET` (and `HEAD`, whose body the server drops); anything else is a 405
/// that lists what is allowed.
pub fn expect_get(method: &Method) -> Result<(), ApiError> {
    if method == Method::GET || method == Method::HEAD {
        Ok(())
    } else {
        Err(ApiError::method_not_allowed(method, "GET, HEAD"))
    }
}

/// True when the client prefers JSON to HTML (`Accept: application/json`); a browser
/// or a bare `curl` (`*/*`) gets HTML, as from the original service.
pub fn prefers_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    quality(&accept, "application", "json") > quality(&accept, "text", "html")
}

/// The q-value `accept` gives `kind/subtype`, from its most specific matching range.
fn quality(accept: &str, kind: &str, subtype: &str) -> f32 {
    let mut best: Option<(u8, f32)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or("").to_ascii_lowercase();
        let q = parts
            .filter_map(|param| param.strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let specificity = match media.split_once('/') {
            Some((k, s)) if k == kind && s == subtype => 2,
            Some((k, "*")) if k == kind => 1,
            Some(("*", "*")) => 0,
            _ => continue,
        };
        if best.is_none_or(|(seen, _)| specificity > seen) {
            best = Some((specificity, q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// An [`ApiError`] as a response (`ApiError` lives in `basics`, free of the SDK).
pub trait ErrorReply {
    fn into_reply(self) -> Reply;
}

impl ErrorReply for ApiError {
    /// This error as a response.
    fn into_reply(self) -> Reply {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let mut reply = json(status, &self.body());
        if let Some(allow) = self.allow {
            reply
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        reply
    }
}

/// For a wildcard route (`/ui/...`), a `GET` (or `HEAD`) and the part of its path
/// after the route's prefix, `/` for the prefix itself: Spin passes that part in
/// the `spin-path-info` header.
pub fn get_path_info(request: &spin_sdk::http::Request) -> Result<&str, ApiError> {
    expect_get(request.method())?;
    let rest = request
        .headers()
        .get("spin-path-info")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("/");
    Ok(if rest.is_empty() { "/" } else { rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn negotiates_json_only_when_preferred() {
        assert!(prefers_json(&accept("application/json")));
        assert!(prefers_json(&accept("text/html;q=0.5, application/json")));
        assert!(prefers_json(&accept("application/*")));
        assert!(!prefers_json(&accept("*/*")));
        assert!(!prefers_json(&HeaderMap::new()));
        assert!(!prefers_json(&accept(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        )));
        assert!(!prefers_json(&accept("application/json;q=0.4, text/*")));
    }

    #[test]
    fn errors_become_json_replies_with_allow() {
        let reply = ApiError::method_not_allowed(&Method::POST, "GET, HEAD").into_reply();
        assert_eq!(reply.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(reply.headers()[header::ALLOW], "GET, HEAD");
        assert_eq!(reply.headers()[header::CONTENT_TYPE], "application/json");
    }

    #[test]
    fn only_get_and_head_pass() {
        assert!(expect_get(&Method::GET).is_ok());
        assert!(expect_get(&Method::HEAD).is_ok());
        assert_eq!(expect_get(&Method::DELETE).unwrap_err().status, 405);
    }
}
