//! Start-up (manifest, variables, compilation, listener), the accept loop, the
//! access log, and shutdown.

use crate::app::{AppCore, HostBody, info_body};
use crate::hosts::AllowedHosts;
use crate::manifest::Manifest;
use crate::outbound::{AppLink, LocalApp};
use crate::routes::Router;
use crate::runtime::{self, ComponentHandler, ComponentSetup, ReuseConfig, Spread};
use crate::variables::{AppVariables, env_name};
use anyhow::{Context, Result, bail};
use clap::Parser;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// `devhost` command-line options; the names and defaults are `spin up`'s.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "devhost",
    version,
    about = "Serve a Spin app's HTTP components locally, as `spin up` does"
)]
pub struct Options {
    /// The application manifest.
    #[arg(
        short = 'f',
        long = "from",
        value_name = "MANIFEST",
        default_value = "spin.toml"
    )]
    pub manifest: PathBuf,

    /// The address to listen on.
    #[arg(long, env = "SPIN_HTTP_LISTEN_ADDR", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Most requests one WASI 0.3 instance serves in all (N, or a range A..B).
    #[arg(long, default_value = "128", value_parser = runtime::parse_count)]
    pub max_instance_reuse_count: Spread<usize>,

    /// Most requests one WASI 0.3 instance serves at once (N, or a range A..B).
    #[arg(long, default_value = "16", value_parser = runtime::parse_count)]
    pub max_instance_concurrent_reuse_count: Spread<usize>,

    /// How long an idle instance is kept for reuse (e.g. 1s, 500ms, or a range).
    #[arg(long, default_value = "1s", value_parser = runtime::parse_duration)]
    pub idle_instance_timeout: Spread<Duration>,

    /// How long a WASI 0.3 request may take before it fails with 500 (default: no limit).
    #[arg(long, value_parser = runtime::parse_duration)]
    pub request_timeout: Option<Spread<Duration>>,

    /// Set an application variable (overrides SPIN_VARIABLE_<NAME> and defaults).
    #[arg(long = "variable", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub variables: Vec<(String, String)>,

    /// Where compiled components are cached [default: target/devhost-cache next to the manifest].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Compile every component afresh, without the cache.
    #[arg(long)]
    pub no_cache: bool,

    /// Silence the start-up banner and all component output (as `spin up --quiet`).
    #[arg(long)]
    pub quiet: bool,

    /// Close a connection whose request headers take longer than this to arrive
    /// (devhost's own guard against slow clients).
    #[arg(long, default_value = "30s", value_parser = parse_plain_duration)]
    pub header_timeout: Duration,

    /// Fail a request body that sends nothing for this long.
    #[arg(long, default_value = "30s", value_parser = parse_plain_duration)]
    pub body_idle_timeout: Duration,
}

fn parse_plain_duration(text: &str) -> Result<Duration, String> {
    if text.contains("..") {
        return Err(format!("expected one duration, not a range: '{text}'"));
    }
    Ok(runtime::parse_duration(text)?.0.start)
}

fn parse_key_value(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("expected KEY=VALUE, got '{text}'"))
}

impl Options {
    /// Options as `devhost` would parse them from `args` (without the program name).
    pub fn from_args<I, S>(args: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: Into<std::ffi::OsString> + Clone,
    {
        let all = std::iter::once(std::ffi::OsString::from("devhost"))
            .chain(args.into_iter().map(Into::into));
        Ok(Self::try_parse_from(all)?)
    }

    fn reuse(&self) -> ReuseConfig {
        ReuseConfig {
            max_instance_reuse_count: self.max_instance_reuse_count.clone(),
            max_instance_concurrent_reuse_count: self.max_instance_concurrent_reuse_count.clone(),
            idle_instance_timeout: self.idle_instance_timeout.clone(),
            request_timeout: self.request_timeout.clone(),
        }
    }
}

/// A running devhost.
pub struct Devhost {
    addr: SocketAddr,
    banner: String,
    shutdown: watch::Sender<bool>,
    serving: JoinHandle<()>,
}

impl Devhost {
    /// Loads the app, compiles its components, binds the listener and starts serving.
    pub async fn start(options: Options) -> Result<Self> {
        let manifest = Manifest::load(&options.manifest)?;
        let overrides: BTreeMap<String, String> = options.variables.iter().cloned().collect();
        for name in overrides.keys() {
            if !manifest.variables.contains_key(name) {
                bail!("--variable {name}: the manifest declares no variable '{name}'");
            }
        }
        let dotenv = read_dotenv(&manifest.dir.join(".env"));
        let lookup = |name: &str| {
            overrides
                .get(name)
                .cloned()
                .or_else(|| std::env::var(env_name(name)).ok())
                .or_else(|| dotenv.get(&env_name(name)).cloned())
        };
        let app_variables = AppVariables::resolve(&manifest.variables, &lookup)?;
        app_variables.check_manifest(&manifest)?;

        let cache_dir = match (&options.no_cache, &options.cache_dir) {
            (true, _) => None,
            (false, Some(dir)) => Some(dir.clone()),
            (false, None) => Some(manifest.dir.join("target").join("devhost-cache")),
        };
        let cache_dir = cache_dir.map(std::path::absolute).transpose()?;
        let engine = runtime::engine(cache_dir.as_deref())?;
        let linker = runtime::linker(&engine)?;
        let ids: Vec<&str> = manifest.components.keys().map(String::as_str).collect();
        let mut setups = Vec::new();
        for (id, decl) in &manifest.components {
            let pre = {
                let (engine, linker, id, source) = (
                    engine.clone(),
                    linker.clone(),
                    id.clone(),
                    decl.source.clone(),
                );
                tokio::task::spawn_blocking(move || {
                    runtime::prepare(&engine, &linker, &id, &source)
                })
                .await??
            };
            let hosts: Vec<String> = decl
                .allowed_outbound_hosts
                .iter()
                .map(|entry| app_variables.render(entry))
                .collect::<Result<_>>()?;
            let allowed = AllowedHosts::parse(&hosts, &ids).with_context(|| {
                format!("component '{id}': `allowed_outbound_hosts` is malformed")
            })?;
            setups.push(ComponentSetup {
                id: id.as_str().into(),
                pre,
                variables: Arc::new(app_variables.for_component(&decl.variables)?),
                environment: decl.environment.clone(),
                allowed_hosts: Arc::new(allowed),
                reuse: options.reuse(),
                show_output: !options.quiet,
            });
        }

        let router = Router::new(
            manifest
                .triggers
                .iter()
                .filter_map(|t| Some((t.route.as_deref()?, t.component.as_str()))),
        )?;
        if !router.duplicates().is_empty() {
            tracing::error!(
                "The following component routes are duplicates and will never be used:"
            );
            for (replaced, route, effective) in router.duplicates() {
                tracing::error!("  {replaced}: {route} (duplicate of {effective})");
            }
        }

        let listener = listen(options.listen).map_err(|error| {
            if error.kind() == std::io::ErrorKind::AddrInUse {
                anyhow::anyhow!("{} is already in use: stop whatever serves there, or pass --listen with another address", options.listen)
            } else {
                anyhow::anyhow!("cannot listen on {}: {error}", options.listen)
            }
        })?;
        let addr = listener.local_addr()?;
        let triggered: Vec<&str> = manifest
            .triggers
            .iter()
            .map(|t| t.component.as_str())
            .collect();
        let core = Arc::new_cyclic(|weak| AppCore {
            info: info_body(&manifest.name, manifest.version.as_deref()),
            router,
            handlers: setups
                .into_iter()
                .filter(|setup| triggered.contains(&&*setup.id))
                .map(|setup| {
                    (
                        setup.id.to_string(),
                        ComponentHandler::new(setup, AppLink(weak.clone() as Weak<dyn LocalApp>)),
                    )
                })
                .collect(),
            local_addr: addr,
            body_idle_timeout: options.body_idle_timeout,
        });
        let banner = banner(&core, addr);
        let (shutdown, shutdown_rx) = watch::channel(false);
        let header_timeout = options.header_timeout;
        let serving = tokio::spawn(accept_loop(listener, core, shutdown_rx, header_timeout));
        Ok(Self {
            addr,
            banner,
            shutdown,
            serving,
        })
    }

    /// The bound address (useful with `--listen 127.0.0.1:0`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `spin up`-style list of routes.
    pub fn banner(&self) -> &str {
        &self.banner
    }

    /// Stops accepting connections and waits for open ones to finish.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.serving.await;
    }
}

fn banner(core: &AppCore, addr: SocketAddr) -> String {
    let base = format!("http://{addr}");
    let mut text = format!("\nServing {base}\nAvailable Routes:\n");
    for (pattern, component) in core.router.routes_by_precedence() {
        let route = pattern.normalised();
        match route.strip_suffix("/...") {
            Some(prefix) => text.push_str(&format!("  {component}: {base}{prefix} (wildcard)\n")),
            None => text.push_str(&format!("  {component}: {base}{route}\n")),
        }
    }
    text
}

/// `.env` next to the manifest, as Spin's environment provider reads it.
fn read_dotenv(path: &std::path::Path) -> BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.strip_prefix("export ").unwrap_or(line).split_once('='))
        .map(|(key, value)| {
            (
                key.trim().to_owned(),
                value.trim().trim_matches(['"', '\'']).to_owned(),
            )
        })
        .collect()
}

/// Binds `addr` with a deep accept queue: a burst of thousands of connections
/// (the bench opens 2000 at once) would otherwise overflow tokio's default of
/// 1024, and each dropped SYN costs its client a one-second retransmit. The
/// kernel caps the depth at `net.core.somaxconn`.
fn listen(addr: std::net::SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(8192)
}

async fn accept_loop(
    listener: TcpListener,
    core: Arc<AppCore>,
    mut shutdown: watch::Receiver<bool>,
    header_timeout: Duration,
) {
    let connections = Connections::default();
    loop {
        let (stream, client) = tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    tracing::warn!("accept failed: {error}");
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let core = core.clone();
        let mut stop = shutdown.clone();
        let mut open = connections.0.lock().expect("tracker lock");
        // A JoinSet keeps finished tasks until they are joined: reap them, or a
        // long-running devhost would hold one entry per connection it ever served.
        while open.try_join_next().is_some() {}
        open.spawn(async move {
            let service = service_fn(move |request| {
                let core = core.clone();
                async move { serve_one(&core, request, client).await }
            });
            let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                result = connection.as_mut() => {
                    if let Err(error) = result {
                        tracing::debug!("connection from {client} ended: {error}");
                    }
                }
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        drop(open);
    }
    drop(listener);
    let mut tasks = std::mem::take(&mut *connections.0.lock().expect("tracker lock"));
    while tasks.join_next().await.is_some() {}
}

/// Open connections, so shutdown can wait for them.
#[derive(Default)]
struct Connections(std::sync::Mutex<tokio::task::JoinSet<()>>);

async fn serve_one(
    core: &AppCore,
    request: http::Request<hyper::body::Incoming>,
    client: SocketAddr,
) -> Result<http::Response<HostBody>> {
    let started = Instant::now();
    let method = request.method().clone();
    let target = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), ToString::to_string);
    let component = core
        .router
        .route(request.uri().path())
        .map(|m| m.component.to_owned());
    let response = core.handle_incoming(request, client).await;
    let status = match &response {
        Ok(response) => response.status().as_u16().to_string(),
        Err(_) => "closed".to_owned(),
    };
    tracing::info!(
        target: "access",
        "{client} \"{method} {target}\" {status} {} {:.1}ms",
        component.as_deref().unwrap_or("-"),
        started.elapsed().as_secs_f64() * 1000.0
    );
    // An error here means the request named no usable host: like Spin, close the
    // connection without an answer.
    response
}
