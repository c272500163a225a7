//! The JSON errors every route answers: `{"error": "...", "message": "...", "param": "..."}`.
//!
//! Plain data, with no Spin SDK in sight, so that the WASI 0.2 worker shares it too;
//! `reply` turns an error into a response.

use http::{Method, StatusCode};
use serde_json::json;

/// An error answered as JSON: `{"error": "...", "message": "...", "param": "..."}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    /// A stable machine-readable code such as `bad_request`.
    pub code: &'static str,
    /// A sentence for people.
    pub message: String,
    /// The offending parameter, when there is one.
    pub param: Option<String>,
    /// For 405: the methods the route accepts.
    pub allow: Option<&'static str>,
    /// For 502: the status the upstream answered, when it answered.
    pub upstream_status: Option<u16>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status: status.as_u16(),
            code,
            message: message.into(),
            param: None,
            allow: None,
            upstream_status: None,
        }
    }

    /// 400: the request's parameters are wrong.
    pub fn bad_request(param: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            param: param.map(str::to_owned),
            ..Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
        }
    }

    /// 404: nothing here.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 405, with the `Allow` header.
    pub fn method_not_allowed(method: &Method, allow: &'static str) -> Self {
        Self {
            allow: Some(allow),
            ..Self::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("{method} is not allowed here; use {allow}"),
            )
        }
    }

    /// 413: the request body is over the limit.
    pub fn payload_too_large(limit_bytes: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!("the request body is larger than {limit_bytes} bytes"),
        )
    }

    /// 501: the route exists but what it would need is not available here.
    pub fn not_implemented(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_IMPLEMENTED, "not_implemented", message)
    }

    /// 502: an upstream could not be reached or answered nonsense.
    pub fn bad_gateway(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_GATEWAY, "bad_gateway", message)
    }

    /// 502 for an upstream that answered with an error status.
    pub fn upstream_failed(status: u16, message: impl Into<String>) -> Self {
        Self {
            upstream_status: Some(status),
            ..Self::bad_gateway(message)
        }
    }

    /// 503: the app is missing configuration (a variable) it needs for this route.
    pub fn service_unavailable(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            message,
        )
    }

    /// The JSON body of this error.
    pub fn body(&self) -> serde_json::Value {
        let mut body = json!({ "error": self.code, "message": self.message });
        if let Some(param) = &self.param {
            body["param"] = json!(param);
        }
        if let Some(status) = self.upstream_status {
            body["upstream_status"] = json!(status);
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_carry_status_code_param_and_allow() {
        let error = ApiError::bad_request(Some("n"), "too big");
        assert_eq!(
            error.body(),
            json!({"error": "bad_request", "message": "too big", "param": "n"})
        );
        let refused = ApiError::method_not_allowed(&Method::POST, "GET, HEAD");
        assert_eq!(refused.status, 405);
        assert_eq!(refused.allow, Some("GET, HEAD"));
        assert!(ApiError::not_found("x").body().get("param").is_none());
    }
}
