//! The running application: its router, its components' handlers, and the two ways
//! a request reaches a component (routed from the listener, or chained in-process).

use crate::outbound::{ChainedBody, LocalApp};
use crate::routes::{RouteMatch, Router};
use crate::runtime::ComponentHandler;
use crate::slow_clients::IdleTimeout;
use bytes::Bytes;
use futures::future::BoxFuture;
use http::{HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode, Uri};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Empty, Full};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use wasmtime_wasi_http::handler::{self, ProxyHandler};
use wasmtime_wasi_http::p3::bindings::http::types::ErrorCode;

/// The body devhost sends to clients.
pub type HostBody = UnsyncBoxBody<Bytes, wasmtime::Error>;

/// The client address Spin reports for chained requests.
const CHAINED_CLIENT_ADDR: &str = "0.0.0.0:0";

/// Everything needed to serve the app.
pub struct AppCore {
    /// The body of `/.well-known/spin/info`, written once at start-up.
    pub(crate) info: String,
    pub(crate) router: Router,
    pub(crate) handlers: BTreeMap<String, ProxyHandler<ComponentHandler>>,
    pub(crate) local_addr: SocketAddr,
    /// How long an incoming body may send nothing before it fails.
    pub(crate) body_idle_timeout: std::time::Duration,
}

impl AppCore {
    /// Serves one request from the listener: Spin's well-known paths, then routing.
    /// An error means the request named no usable host, and the connection is closed.
    pub async fn handle_incoming(
        &self,
        request: Request<hyper::body::Incoming>,
        client: SocketAddr,
    ) -> anyhow::Result<Response<HostBody>> {
        let (mut parts, body) = request.into_parts();
        parts.headers.remove(http::header::CONNECTION);
        let host = parts
            .headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned)
            .or_else(|| parts.uri.authority().map(|a| a.to_string()));
        // Spin closes the connection of a request that names no host.
        let Some(host) = host else {
            anyhow::bail!("no 'Host' header present in request");
        };
        if host.ends_with(crate::hosts::CHAINING_DOMAIN) {
            parts.headers.remove(http::header::HOST);
        }
        let path = parts.uri.path().to_owned();
        if let Some(reply) = self.well_known(&path) {
            return Ok(reply);
        }
        let Some(route) = self.router.route(&path) else {
            return Ok(empty_reply(StatusCode::NOT_FOUND));
        };
        let path_and_query = parts
            .uri
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_owned();
        let full_url = format!("http://{host}{path_and_query}");
        parts.uri = Uri::builder()
            .scheme("http")
            .authority(host.as_str())
            .path_and_query(path_and_query)
            .build()?;
        append_spin_headers(&mut parts.headers, &route, &full_url, &client.to_string());
        let component = route.component.to_owned();
        let body = body
            .map_err(|error| handler::ErrorCode::from(ErrorCode::from_hyper_request_error(error)))
            .boxed_unsync();
        let body = IdleTimeout::new(body, self.body_idle_timeout, || {
            handler::ErrorCode::from(ErrorCode::ConnectionReadTimeout)
        })
        .boxed_unsync();
        Ok(self
            .invoke(&component, Request::from_parts(parts, body))
            .await)
    }

    /// Serves a service-chaining request (`http://<id>.spin.internal/...`): straight
    /// to the component, no routing, as Spin does.
    async fn invoke_chained(
        &self,
        component: &str,
        request: Request<ChainedBody>,
    ) -> Result<Response<ChainedBody>, ErrorCode> {
        if !self.handlers.contains_key(component) {
            return Err(ErrorCode::InternalError(Some(format!(
                "unknown routing destination '{component}'"
            ))));
        }
        let (mut parts, body) = request.into_parts();
        parts.headers.remove(http::header::HOST);
        let path_and_query = parts
            .uri
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_owned();
        let chained = crate::routes::RoutePattern::parse("/...").expect("valid route");
        let route = RouteMatch {
            component,
            pattern: &chained,
            params: Vec::new(),
            path_info: parts.uri.path().to_owned(),
        };
        append_spin_headers(
            &mut parts.headers,
            &route,
            &format!("http://localhost{path_and_query}"),
            CHAINED_CLIENT_ADDR,
        );
        let request =
            Request::from_parts(parts, body.map_err(handler::ErrorCode::from).boxed_unsync());
        let response = self.invoke(component, request).await;
        Ok(response.map(|body| {
            body.map_err(|error| ErrorCode::InternalError(Some(format!("{error:#}"))))
                .boxed_unsync()
        }))
    }

    /// Hands a prepared request to the component's handler. A trap, an error code or
    /// a timeout before the response head becomes an empty 500, as in Spin.
    async fn invoke(&self, component: &str, request: handler::Request) -> Response<HostBody> {
        let handler = &self.handlers[component];
        match handler.handle((), request).await {
            Ok(response) => response,
            Err(error) => {
                tracing::error!(component, "Error processing request: {error:?}");
                empty_reply(StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
    }

    /// Spin answers `/.well-known/spin/*` itself, before routing.
    fn well_known(&self, path: &str) -> Option<Response<HostBody>> {
        let rest = path.strip_prefix("/.well-known/spin/")?;
        Some(match rest {
            // As Spin answers it: no content type.
            "health" => text_reply(StatusCode::OK, None, "OK".into()),
            "info" => text_reply(StatusCode::OK, Some("application/json"), self.info.clone()),
            _ => empty_reply(StatusCode::NOT_FOUND),
        })
    }
}

impl LocalApp for AppCore {
    fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    fn invoke_chained(
        &self,
        component: String,
        request: Request<ChainedBody>,
    ) -> BoxFuture<'_, Result<Response<ChainedBody>, ErrorCode>> {
        Box::pin(async move { AppCore::invoke_chained(self, &component, request).await })
    }
}

/// The body of `/.well-known/spin/info` as Spin writes it: pretty JSON with the
/// app's name, and its version only when the manifest gives one.
pub fn info_body(name: &str, version: Option<&str>) -> String {
    let mut info = serde_json::json!({ "name": name });
    if let Some(version) = version {
        info["version"] = version.into();
    }
    serde_json::to_string_pretty(&info).expect("JSON values always serialise")
}

/// The `spin-*` headers Spin appends to every request a component receives.
pub fn append_spin_headers(
    headers: &mut HeaderMap,
    route: &RouteMatch<'_>,
    full_url: &str,
    client: &str,
) {
    let mut add = |name: &str, value: &str| {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            headers.append(name, value);
        }
    };
    add("spin-path-info", &route.path_info);
    add("spin-full-url", full_url);
    add("spin-matched-route", route.pattern.normalised());
    add("spin-base-path", "/");
    add("spin-raw-component-route", route.pattern.raw());
    add("spin-component-route", route.pattern.without_wildcard());
    add("spin-client-addr", client);
    for (name, value) in &route.params {
        add(
            &format!(
                "spin-path-match-{}",
                name.to_ascii_lowercase().replace('_', "-")
            ),
            value,
        );
    }
}

pub(crate) fn empty_reply(status: StatusCode) -> Response<HostBody> {
    let mut reply = Response::new(Empty::new().map_err(|never| match never {}).boxed_unsync());
    *reply.status_mut() = status;
    reply
}

fn text_reply(
    status: StatusCode,
    content_type: Option<&'static str>,
    text: String,
) -> Response<HostBody> {
    let mut reply = Response::new(
        Full::new(Bytes::from(text))
            .map_err(|never| match never {})
            .boxed_unsync(),
    );
    *reply.status_mut() = status;
    if let Some(content_type) = content_type {
        reply.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static(content_type),
        );
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers_for(route: &str, path: &str) -> HeaderMap {
        let router = Router::new([(route, "c")]).unwrap();
        let hit = router.route(path).unwrap();
        let mut headers = HeaderMap::new();
        append_spin_headers(
            &mut headers,
            &hit,
            &format!("http://127.0.0.1:3000{path}"),
            "127.0.0.1:5000",
        );
        headers
    }

    #[test]
    fn spin_headers_for_a_parameter_route() {
        let headers = headers_for("/hello/:user_name", "/hello/Ada");
        assert_eq!(headers["spin-path-info"], "");
        assert_eq!(headers["spin-full-url"], "http://127.0.0.1:3000/hello/Ada");
        assert_eq!(headers["spin-matched-route"], "/hello/:user_name");
        assert_eq!(headers["spin-base-path"], "/");
        assert_eq!(headers["spin-raw-component-route"], "/hello/:user_name");
        assert_eq!(headers["spin-component-route"], "/hello/:user_name");
        assert_eq!(headers["spin-client-addr"], "127.0.0.1:5000");
        assert_eq!(headers["spin-path-match-user-name"], "Ada");
    }

    #[test]
    fn spin_headers_for_wildcard_and_root_routes() {
        let headers = headers_for("/static/...", "/static/css/a.css");
        assert_eq!(headers["spin-path-info"], "/css/a.css");
        assert_eq!(headers["spin-matched-route"], "/static/...");
        assert_eq!(headers["spin-component-route"], "/static");
        let headers = headers_for("/", "/");
        assert_eq!(headers["spin-matched-route"], "");
        assert_eq!(headers["spin-component-route"], "/");
    }
}
