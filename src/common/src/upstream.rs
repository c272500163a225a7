//! The upstream client: how a demo calls the app's own `/upstream` component.
//!
//! The request really leaves the component: `spin_sdk::http::send` hands it to the
//! host, which checks it against `allowed_outbound_hosts` and delivers it to the
//! `upstream` component. The host offers two ways back into the same app:
//!
//! - service chaining, `http://upstream.spin.internal/...` (the default): the host
//!   calls the component directly, in-process, without a socket. On Spin 4.1 it was
//!   measured faster than a self request (a 1000 x 200 ms fan-out took about 1.5x the
//!   ideal time against about 2x), so fan-out demos show the concurrency rather than
//!   the plumbing.
//! - a self request, `http://self.alt/...`: the host routes it like an incoming
//!   request. Use it where service chaining is unavailable (Fermyon Cloud); with
//!   spin-sdk 7 on Spin 4.1 a bare relative URL fails with `HttpRequestUriInvalid`,
//!   hence the `self.alt` host.

use crate::instance::InstanceInfo;
use crate::recorder::{Call, Recordable};
use crate::reply::ApiError;
use crate::text::percent_encode;
use futures::future::LocalBoxFuture;
use serde::{Deserialize, Serialize};

/// Where the upstream call is defined, for the reports of lessons that name `Fetch`.
pub const FETCH: crate::lesson::SourceRef =
    crate::lesson::Region::cut(file!(), include_str!("upstream.rs"), "fetch").source();

/// Largest upstream body a demo will read, in bytes.
pub const MAX_REPLY_BYTES: usize = 2 * 1024 * 1024;

/// How a request reaches the `upstream` component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Transport {
    /// `http://upstream.spin.internal`: in-process, by component id.
    #[default]
    ServiceChaining,
    /// `http://self.alt`: routed like an incoming request.
    SelfRequest,
}

impl Transport {
    /// The names accepted in a `transport=` parameter or variable: the options the
    /// shared parameter declares.
    pub const NAMES: &'static [&'static str] = basics::route::shared::TRANSPORT.options;

    /// Reads a transport name (`chaining` or `self`).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "chaining" => Some(Self::ServiceChaining),
            "self" => Some(Self::SelfRequest),
            _ => None,
        }
    }

    /// This transport's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::ServiceChaining => "chaining",
            Self::SelfRequest => "self",
        }
    }

    /// Scheme and host that reach the upstream this way.
    pub fn origin(self) -> String {
        self.origin_of("upstream")
    }

    /// Scheme and host that reach `component` (by id) this way.
    pub fn origin_of(self, component: &str) -> String {
        match self {
            Self::ServiceChaining => format!("http://{component}.spin.internal"),
            Self::SelfRequest => "http://self.alt".to_owned(),
        }
    }
}

/// One call to `/upstream`: what the upstream should do before it answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpstreamCall {
    /// How long the upstream sleeps (async) before answering.
    pub delay_ms: u64,
    /// The status it answers with (200 when `None`).
    pub status: Option<u16>,
    /// How many filler bytes it adds to its reply.
    pub bytes: Option<u64>,
    /// A label echoed back, to match replies to calls.
    pub id: Option<String>,
}

impl UpstreamCall {
    /// A call that sleeps `delay_ms` and answers 200.
    pub fn sleeping(delay_ms: u64) -> Self {
        Self {
            delay_ms,
            ..Self::default()
        }
    }

    /// `/upstream?delay_ms=...` with the other fields when set.
    pub fn path_and_query(&self) -> String {
        let mut path = format!("/upstream?delay_ms={}", self.delay_ms);
        if let Some(status) = self.status {
            path.push_str(&format!("&status={status}"));
        }
        if let Some(bytes) = self.bytes {
            path.push_str(&format!("&bytes={bytes}"));
        }
        if let Some(id) = &self.id {
            path.push_str(&format!("&id={}", percent_encode(id)));
        }
        path
    }

    /// The absolute URL of this call over `transport`.
    pub fn url(&self, transport: Transport) -> String {
        format!("{}{}", transport.origin(), self.path_and_query())
    }

    // region: fetch
    /// The call, not yet sent: a future that, awaited, sends it through the host
    /// and reads the upstream's JSON reply. Like any Rust future it does nothing
    /// until polled; it records itself ([`Call`]) when it runs in a watched handler.
    pub fn send(&self, transport: Transport) -> Fetch {
        let url = self.url(transport);
        // Labelled as the user would type it: the echoed id is plumbing.
        let label = Self {
            id: None,
            ..self.clone()
        };
        Call::new(
            format!("GET {}", label.path_and_query()),
            Box::pin(async move {
                let (status, body) = get_unrecorded(&url).await?;
                UpstreamReply::from_http(status, &body)
            }),
        )
    }
}

/// An upstream call in flight ([`UpstreamCall::send`]): awaited, the reply or why
/// there was none.
pub type Fetch = Call<LocalBoxFuture<'static, Result<UpstreamReply, UpstreamError>>>;
// endregion: fetch

/// `GET url` through the host (`spin_sdk::http::send`): the status and the body, at
/// most [`MAX_REPLY_BYTES`] of it. Recorded as a call awaiting `GET path`.
pub fn get(url: &str) -> Call<LocalBoxFuture<'static, Result<(u16, bytes::Bytes), UpstreamError>>> {
    let request = format!("GET {}", path_of(url));
    let url = url.to_owned();
    Call::new(request, Box::pin(async move { get_unrecorded(&url).await }))
}

/// `GET url`, expecting a `200` JSON answer: the parsed body. Recorded as a call
/// awaiting `GET path`, its result the whole answer.
pub fn get_json(
    url: &str,
) -> Call<LocalBoxFuture<'static, Result<serde_json::Value, UpstreamError>>> {
    let request = format!("GET {}", path_of(url));
    let url = url.to_owned();
    Call::new(
        request,
        Box::pin(async move {
            let (status, body) = get_unrecorded(&url).await?;
            if status != 200 {
                let body = String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned();
                return Err(UpstreamError::Status { status, body });
            }
            serde_json::from_slice(&body)
                .map_err(|error| UpstreamError::Malformed(error.to_string()))
        }),
    )
}

/// The path and query of an absolute URL (all of it when it has none).
fn path_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(url, |at| &url[at + 3..]);
    after_scheme
        .find('/')
        .map_or(url, |slash| &after_scheme[slash..])
}

async fn get_unrecorded(url: &str) -> Result<(u16, bytes::Bytes), UpstreamError> {
    let request = http::Request::get(url)
        .body(bytes::Bytes::new())
        .map_err(|error| UpstreamError::Unreachable(error.to_string()))?;
    send(request).await
}

/// Sends `request` through the host and reads the status and at most
/// [`MAX_REPLY_BYTES`] of the body.
pub async fn send(
    request: http::Request<bytes::Bytes>,
) -> Result<(u16, bytes::Bytes), UpstreamError> {
    use http_body_util::{BodyExt, Full, Limited};

    crate::recorder::sent_outbound();
    let request = request.map(Full::new);
    let response = spin_sdk::http::send(request)
        .await
        .map_err(|code| UpstreamError::Unreachable(format!("{code:?}")))?;
    let status = response.status().as_u16();
    let body = Limited::new(response.into_body(), MAX_REPLY_BYTES)
        .collect()
        .await
        .map_err(|error| UpstreamError::Unreachable(format!("reading the reply: {error}")))?
        .to_bytes();
    Ok((status, body))
}

/// What `/upstream` answers (also what the upstream component serialises).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct UpstreamReply {
    /// The caller's label, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The delay that was asked for.
    pub delay_ms: u64,
    /// The sleep the upstream measured.
    pub slept_ms: f64,
    /// The status it answered with.
    pub status: u16,
    /// Filler bytes, as asked for with `bytes=`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub filler: String,
    /// The upstream instance that answered.
    pub instance: InstanceInfo,
    /// When it answered, by the wall clock (ms since the Unix epoch): how late the
    /// caller was woken after its answer arrived is measured from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_unix_ms: Option<f64>,
}

impl UpstreamReply {
    /// What a task's result shows of an upstream reply.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "delay_ms": self.delay_ms,
            "slept_ms": self.slept_ms,
            "status": self.status,
            "upstream_instance": self.instance.id,
        })
    }
}

impl Recordable for UpstreamReply {
    fn recorded(&self) -> Result<serde_json::Value, String> {
        Ok(self.summary())
    }

    fn ready_unix_ms(&self) -> Option<f64> {
        self.answered_unix_ms
    }
}

impl Recordable for (u16, bytes::Bytes) {
    /// A status outside 2xx is a failed call.
    fn recorded(&self) -> Result<serde_json::Value, String> {
        match self.0 {
            200..=299 => Ok(serde_json::json!({ "status": self.0 })),
            status => Err(format!("answered {status}")),
        }
    }
}

impl UpstreamReply {
    /// Reads a reply; a status outside 2xx is an [`UpstreamError::Status`].
    pub fn from_http(status: u16, body: &[u8]) -> Result<Self, UpstreamError> {
        if !(200..300).contains(&status) {
            return Err(UpstreamError::Status {
                status,
                body: String::from_utf8_lossy(&body[..body.len().min(512)]).into_owned(),
            });
        }
        serde_json::from_slice(body).map_err(|error| UpstreamError::Malformed(error.to_string()))
    }
}

/// Why an upstream call did not produce a reply.
#[derive(Clone, Debug, PartialEq)]
pub enum UpstreamError {
    /// The host could not deliver the request (denied, refused, reset, ...).
    Unreachable(String),
    /// The upstream answered with a status outside 2xx.
    Status { status: u16, body: String },
    /// The upstream answered 2xx with a body that is not an upstream reply.
    Malformed(String),
}

impl std::fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreachable(why) => write!(f, "upstream unreachable: {why}"),
            Self::Status { status, .. } => write!(f, "upstream answered {status}"),
            Self::Malformed(why) => write!(f, "upstream reply malformed: {why}"),
        }
    }
}

/// Awaiting a cancelled task that made a call: no reply, because the task was
/// cancelled (see `task::JoinHandle::outcome`).
impl From<crate::task::Cancelled> for UpstreamError {
    fn from(cancelled: crate::task::Cancelled) -> Self {
        Self::Unreachable(format!("the task was {cancelled}"))
    }
}

impl From<UpstreamError> for ApiError {
    fn from(error: UpstreamError) -> Self {
        ApiError::bad_gateway(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_urls_for_both_transports() {
        let call = UpstreamCall {
            delay_ms: 250,
            status: Some(500),
            bytes: Some(10),
            id: Some("task 1&x".into()),
        };
        assert_eq!(
            call.url(Transport::ServiceChaining),
            "http://upstream.spin.internal/upstream?delay_ms=250&status=500&bytes=10&id=task%201%26x"
        );
        assert_eq!(
            UpstreamCall::sleeping(5).url(Transport::SelfRequest),
            "http://self.alt/upstream?delay_ms=5"
        );
    }

    #[test]
    fn transport_names_round_trip() {
        for &name in Transport::NAMES {
            assert_eq!(Transport::from_name(name).unwrap().name(), name);
        }
        assert_eq!(Transport::from_name("tcp"), None);
        assert_eq!(Transport::default(), Transport::ServiceChaining);
    }

    #[test]
    fn reads_replies_and_classifies_failures() {
        let reply = UpstreamReply {
            id: Some("a".into()),
            delay_ms: 10,
            slept_ms: 10.2,
            status: 200,
            filler: String::new(),
            instance: InstanceInfo {
                id: "00ff".into(),
                request_number: 3,
                serving: None,
            },
            answered_unix_ms: Some(1.0),
        };
        let body = serde_json::to_vec(&reply).unwrap();
        assert_eq!(UpstreamReply::from_http(200, &body).unwrap(), reply);
        assert!(matches!(
            UpstreamReply::from_http(503, b"busy"),
            Err(UpstreamError::Status { status: 503, .. })
        ));
        assert!(matches!(
            UpstreamReply::from_http(200, b"not json"),
            Err(UpstreamError::Malformed(_))
        ));
        assert_eq!(path_of("http://a.b/c?d=1"), "/c?d=1");
        assert_eq!(path_of("http://a.b"), "http://a.b");
        let api: ApiError = UpstreamError::Unreachable("HttpRequestDenied".into()).into();
        assert_eq!(api.status, 502);
    }
}
