//! Outbound HTTP from components, with `allowed_outbound_hosts` enforced as Spin
//! enforces it.
//!
//! - `http://self.alt/...` is a self request: like Spin, devhost sends it over TCP
//!   to its own listener, where it is routed like any incoming request.
//! - `http://<component>.spin.internal/...` is service chaining: the component is
//!   invoked directly, in-process, without routing.
//! - Anything else goes to the network.
//!
//! A request the component is not allowed to make fails with `HttpRequestDenied`,
//! and devhost prints the line to add to `spin.toml`, as `spin up` does.

use crate::hosts::{AllowedHosts, CHAINING_DOMAIN, Destination, SELF_HOST};
use bytes::Bytes;
use futures::future::BoxFuture;
use http::uri::{Authority, Scheme, Uri};
use http_body_util::BodyExt;
use http_body_util::combinators::UnsyncBoxBody;
use std::net::SocketAddr;
use std::sync::{Arc, Weak};
use wasmtime_wasi::TrappableError;
use wasmtime_wasi_http::p2::types::{
    HostFutureIncomingResponse, IncomingResponse, OutgoingRequestConfig,
};
use wasmtime_wasi_http::p3::RequestOptions;
use wasmtime_wasi_http::p3::bindings::http::types::ErrorCode;

type P2ErrorCode = wasmtime_wasi_http::p2::bindings::http::types::ErrorCode;
type P3Body = UnsyncBoxBody<Bytes, ErrorCode>;
type SendResult = Result<
    (
        http::Response<P3Body>,
        Box<dyn Future<Output = Result<(), ErrorCode>> + Send>,
    ),
    TrappableError<ErrorCode>,
>;

/// A body crossing a service-chaining call.
pub type ChainedBody = UnsyncBoxBody<Bytes, ErrorCode>;

/// What outbound needs of the running app, which sits a layer above it: the
/// address self requests go to, and a component called directly (service
/// chaining). The app implements it.
pub trait LocalApp: Send + Sync {
    /// The address the app listens on.
    fn local_addr(&self) -> SocketAddr;
    /// Calls `component` directly, without routing, as Spin does for
    /// `http://<component>.spin.internal`.
    fn invoke_chained(
        &self,
        component: String,
        request: http::Request<ChainedBody>,
    ) -> BoxFuture<'_, Result<http::Response<ChainedBody>, ErrorCode>>;
}

/// A weak link from a component's instances back to the app: the app owns the
/// instances, so a strong link would be a cycle.
#[derive(Clone)]
pub struct AppLink(pub Weak<dyn LocalApp>);

impl AppLink {
    pub fn get(&self) -> Option<Arc<dyn LocalApp>> {
        self.0.upgrade()
    }
}

/// The outbound side of one component instance.
pub struct Outbound {
    component: Arc<str>,
    allowed: Arc<AllowedHosts>,
    app: AppLink,
}

/// Where a component's request is headed, once checked.
enum Route {
    SelfRequest(Uri),
    Chained(String),
    Network,
}

impl Outbound {
    pub fn new(component: Arc<str>, allowed: Arc<AllowedHosts>, app: AppLink) -> Self {
        Self {
            component,
            allowed,
            app,
        }
    }

    /// Classifies and permission-checks a request's URI.
    fn check(&self, uri: &Uri) -> Result<Route, ErrorCode> {
        let host = uri.host().map(|h| h.to_ascii_lowercase());
        match host.as_deref() {
            None | Some(SELF_HOST) => {
                if !self.allowed.allows_self() {
                    self.warn_denied(None);
                    return Err(ErrorCode::HttpRequestDenied);
                }
                let app = self.app.get().ok_or(ErrorCode::ConnectionRefused)?;
                let scheme = uri.scheme().cloned().unwrap_or(Scheme::HTTP);
                let mut parts = uri.clone().into_parts();
                parts.scheme = Some(if scheme == Scheme::HTTPS {
                    Scheme::HTTP
                } else {
                    scheme
                });
                parts.authority = Some(
                    Authority::try_from(app.local_addr().to_string())
                        .map_err(|_| ErrorCode::HttpRequestUriInvalid)?,
                );
                if parts.path_and_query.is_none() {
                    parts.path_and_query = Some("/".parse().expect("valid path"));
                }
                Ok(Route::SelfRequest(
                    Uri::from_parts(parts).map_err(|_| ErrorCode::HttpRequestUriInvalid)?,
                ))
            }
            Some(host) => {
                let destination = Destination {
                    scheme: uri.scheme_str().unwrap_or("https").to_owned(),
                    host: host.trim_matches(['[', ']']).to_owned(),
                    port: uri.port_u16(),
                };
                if !self.allowed.allows(&destination) {
                    self.warn_denied(Some(uri));
                    return Err(ErrorCode::HttpRequestDenied);
                }
                match host.strip_suffix(CHAINING_DOMAIN) {
                    Some(component) if !component.contains('.') => {
                        Ok(Route::Chained(component.to_owned()))
                    }
                    _ => Ok(Route::Network),
                }
            }
        }
    }

    fn warn_denied(&self, uri: Option<&Uri>) {
        let component = &self.component;
        match uri {
            None => eprintln!(
                "Warning: A component tried to make an HTTP request to its own app but it does not have permission.\n\
                 To allow this request, add 'allowed_outbound_hosts = [\"http://self\"]' to the manifest component section ('{component}')."
            ),
            Some(uri) => {
                let origin = format!(
                    "{}://{}",
                    uri.scheme_str().unwrap_or("https"),
                    uri.authority().map(Authority::as_str).unwrap_or("")
                );
                eprintln!(
                    "Warning: A component tried to make an outbound network connection to disallowed destination '{origin}'.\n\
                     To allow this request, add 'allowed_outbound_hosts = [\"{origin}\"]' to the manifest component section ('{component}')."
                );
            }
        }
    }
}

impl wasmtime_wasi_http::p3::WasiHttpHooks for Outbound {
    fn send_request(
        &mut self,
        mut request: http::Request<P3Body>,
        options: Option<RequestOptions>,
        _response_io: Box<dyn Future<Output = Result<(), ErrorCode>> + Send>,
    ) -> Box<dyn Future<Output = SendResult> + Send> {
        let route = self.check(request.uri());
        let app = self.app.clone();
        Box::new(async move {
            match route? {
                Route::Chained(component) => {
                    let app = app.get().ok_or(ErrorCode::ConnectionRefused)?;
                    let response = app.invoke_chained(component, request).await?;
                    let done: Box<dyn Future<Output = Result<(), ErrorCode>> + Send> =
                        Box::new(std::future::ready(Ok(())));
                    Ok((response, done))
                }
                route => {
                    if let Route::SelfRequest(uri) = route {
                        point_at_self(&mut request, uri);
                    }
                    let (response, io) =
                        wasmtime_wasi_http::p3::default_send_request(request, options).await?;
                    let io: Box<dyn Future<Output = Result<(), ErrorCode>> + Send> = Box::new(io);
                    Ok((response.map(BodyExt::boxed_unsync), io))
                }
            }
        })
    }
}

impl wasmtime_wasi_http::p2::WasiHttpHooks for Outbound {
    fn send_request(
        &mut self,
        mut request: http::Request<UnsyncBoxBody<Bytes, P2ErrorCode>>,
        mut config: OutgoingRequestConfig,
    ) -> wasmtime_wasi_http::p2::HttpResult<HostFutureIncomingResponse> {
        let route = match self.check(request.uri()) {
            Ok(route) => route,
            Err(code) => return Err(P2ErrorCode::from(code).into()),
        };
        match route {
            Route::Chained(component) => {
                let app = self.app.clone();
                let between_bytes_timeout = config.between_bytes_timeout;
                let handle = wasmtime_wasi::runtime::spawn(async move {
                    let Some(app) = app.get() else {
                        return Ok(Err(P2ErrorCode::ConnectionRefused));
                    };
                    let request = request.map(|body| body.map_err(ErrorCode::from).boxed_unsync());
                    Ok(match app.invoke_chained(component, request).await {
                        Ok(response) => Ok(IncomingResponse {
                            resp: response
                                .map(|body| body.map_err(P2ErrorCode::from).boxed_unsync()),
                            worker: None,
                            between_bytes_timeout,
                        }),
                        Err(code) => Err(code.into()),
                    })
                });
                Ok(HostFutureIncomingResponse::pending(handle))
            }
            route => {
                if let Route::SelfRequest(uri) = route {
                    point_at_self(&mut request, uri);
                    config.use_tls = false;
                }
                Ok(wasmtime_wasi_http::p2::default_send_request(
                    request, config,
                ))
            }
        }
    }
}

/// Re-targets a self request at devhost's own listener, with a matching `Host`
/// header (the listener, like Spin's, needs one to build `spin-full-url`).
fn point_at_self<B>(request: &mut http::Request<B>, listener: Uri) {
    if let Some(authority) = listener.authority()
        && let Ok(host) = http::HeaderValue::from_str(authority.as_str())
    {
        request.headers_mut().insert(http::header::HOST, host);
    }
    *request.uri_mut() = listener;
}
