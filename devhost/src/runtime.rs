//! The Wasm side of devhost: one engine, components compiled once (with an on-disk
//! cache), and for each component a `ProxyHandler` that manages its instances the
//! way Spin 4.1 does.
//!
//! `wasmtime_wasi_http::handler::ProxyHandler` is the machinery Spin and
//! `wasmtime serve` share. A WASI 0.3 instance takes up to
//! `--max-instance-concurrent-reuse-count` requests at once (only while its current
//! tasks are all waiting on I/O) and `--max-instance-reuse-count` in all, and is
//! dropped after `--idle-instance-timeout` without work. A WASI 0.2 instance serves
//! exactly one request.

use crate::hosts::AllowedHosts;
use crate::outbound::{AppLink, Outbound};
use crate::variables::{ComponentVariables, GetError};
use anyhow::{Context as _, Result, bail};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use wasmtime::component::{Accessor, Component, GuestTaskId, HasSelf, Linker, ResourceTable};
use wasmtime::{
    Cache, CacheConfig, Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store,
    StoreContextMut,
};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::WasiHttpCtx;
use wasmtime_wasi_http::handler::{
    HandlerState, Instance, ProxyHandler, ProxyPre, ShouldAccept, ViewFn, WorkerExpiration,
    WorkerState, WorkerStatus,
};

mod spin_variables {
    wasmtime::component::bindgen!({
        inline: r#"
            package spin:variables@3.0.0;

            interface variables {
                get: async func(name: string) -> result<string, error>;

                variant error {
                    invalid-name(string),
                    undefined(string),
                    provider(string),
                    other(string),
                }
            }

            world host {
                import variables;
            }
        "#,
    });
}
use spin_variables::spin::variables::variables as spin_vars;

/// Everything one component instance's store holds.
pub struct HostState {
    table: ResourceTable,
    wasi: WasiCtx,
    http: WasiHttpCtx,
    outbound: Outbound,
    variables: Arc<ComponentVariables>,
    component_id: Arc<str>,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl wasmtime_wasi_http::p2::WasiHttpView for HostState {
    fn http(&mut self) -> wasmtime_wasi_http::p2::WasiHttpCtxView<'_> {
        wasmtime_wasi_http::p2::WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.outbound,
        }
    }
}

impl wasmtime_wasi_http::p3::WasiHttpView for HostState {
    fn http(&mut self) -> wasmtime_wasi_http::p3::WasiHttpCtxView<'_> {
        wasmtime_wasi_http::p3::WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.outbound,
        }
    }
}

impl spin_vars::Host for HostState {}

impl<U> spin_vars::HostWithStore<U> for HasSelf<HostState> {
    async fn get(store: &Accessor<U, Self>, name: String) -> Result<String, spin_vars::Error> {
        store.with(|mut access| {
            let state = access.get();
            state.variables.get(&name).map_err(|error| match error {
                GetError::InvalidName(message) => spin_vars::Error::InvalidName(message),
                GetError::Undefined(_) => spin_vars::Error::Undefined(format!(
                    "no variable for \"{}\".\"{name}\"",
                    state.component_id
                )),
            })
        })
    }
}

/// Builds the engine: component model with async, pooling allocator where the
/// machine allows it, and the compile cache when `cache_dir` is given.
pub fn engine(cache_dir: Option<&Path>) -> Result<Engine> {
    let mut config = Config::new();
    config.wasm_component_model(true);
    config.wasm_component_model_async(true);
    if let Some(dir) = cache_dir {
        let mut cache = CacheConfig::new();
        cache.with_directory(dir);
        config.cache(Some(
            Cache::new(cache)
                .map_err(anyhow::Error::from)
                .context("cannot open the compile cache")?,
        ));
    }
    let mut pooled = config.clone();
    pooled.allocation_strategy(InstanceAllocationStrategy::Pooling(spin_pool_sizes()?));
    // The pooling allocator reserves address space up front; where that is refused
    // (small ulimits, some containers) fall back to allocating on demand.
    Ok(Engine::new(&pooled).or_else(|_| Engine::new(&config))?)
}

/// The pooling allocator sized as Spin 4.1 sizes it: everything scales with
/// `SPIN_MAX_INSTANCE_COUNT` (1000) live instances, and each component instance
/// may hold several core instances (our components have 3-4), hence 4x as many of
/// those. Wasmtime's own defaults (1000 core instances) made a 1000-call fan-out
/// fail its instantiations.
fn spin_pool_sizes() -> Result<PoolingAllocationConfig> {
    const MB: usize = 1 << 20;
    let instances = env_count("SPIN_MAX_INSTANCE_COUNT", 1_000)?;
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(env_count("SPIN_WASMTIME_INSTANCE_COUNT", instances)?)
        .total_memories(env_count("SPIN_WASMTIME_TOTAL_MEMORIES", instances)?)
        .total_tables(env_count("SPIN_WASMTIME_TOTAL_TABLES", 2 * instances)?)
        .total_stacks(env_count("SPIN_WASMTIME_TOTAL_STACKS", instances)?)
        .total_core_instances(env_count(
            "SPIN_WASMTIME_TOTAL_CORE_INSTANCES",
            4 * instances,
        )?)
        .table_elements(100_000)
        .max_component_instance_size(10 * MB)
        .max_core_instance_size(10 * MB)
        .max_core_instances_per_component(200)
        .max_tables_per_component(64)
        .max_memories_per_component(32)
        .max_tables_per_module(2)
        .max_memories_per_module(2)
        .max_memory_size(4 << 30);
    // Spin keeps the first 2 MiB of each freed memory slot resident (zeroed with
    // memset) to make the next instantiation cheaper. Every slot ever used then
    // stays resident: after a soak of 8000 requests devhost held 628 MiB against
    // 113 MiB before. devhost returns the pages instead (Wasmtime's default).
    Ok(pool)
}

/// A count from the environment (Spin's tuning variables), or `default`.
fn env_count(name: &str, default: u32) -> Result<u32> {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .with_context(|| format!("{name}={text} is not a count")),
        Err(_) => Ok(default),
    }
}

/// A linker with the WASI 0.2 and 0.3 interfaces, `wasi:http` and `spin:variables`.
pub fn linker(engine: &Engine) -> Result<Linker<HostState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    wasmtime_wasi::p3::add_to_linker(&mut linker)?;
    wasmtime_wasi_http::p3::add_to_linker(&mut linker)?;
    spin_vars::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |state| state)?;
    Ok(linker)
}

/// Compiles (or loads from the cache) and pre-instantiates one component.
pub fn prepare(
    engine: &Engine,
    linker: &Linker<HostState>,
    id: &str,
    path: &Path,
) -> Result<ProxyPre<HostState>> {
    if !path.exists() {
        bail!(
            "component '{id}': {} does not exist; run `make build` first",
            path.display()
        );
    }
    let component = Component::from_file(engine, path)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("component '{id}': cannot compile {}", path.display()))?;
    let pre = linker
        .instantiate_pre(&component)
        .map_err(anyhow::Error::from)
        .with_context(|| {
            format!("component '{id}': it imports something devhost does not provide")
        })?;
    match wasmtime_wasi_http::p3::bindings::ServicePre::new(pre.clone()) {
        Ok(service) => Ok(ProxyPre::P3(service)),
        Err(_) => match wasmtime_wasi_http::p2::bindings::ProxyPre::new(pre) {
            Ok(proxy) => Ok(ProxyPre::P2(proxy)),
            Err(_) => bail!(
                "component '{id}': it exports neither wasi:http/handler@0.3 nor wasi:http/incoming-handler@0.2"
            ),
        },
    }
}

/// A count or duration that may be a range `A..B` (end excluded): each new
/// instance draws its own value, as Spin does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spread<T>(pub Range<T>);

impl Spread<usize> {
    fn sample(&self) -> usize {
        if self.0.end > self.0.start + 1 {
            fastrand::usize(self.0.clone())
        } else {
            self.0.start
        }
    }
}

impl Spread<Duration> {
    fn sample(&self) -> Duration {
        let (start, end) = (self.0.start.as_nanos() as u64, self.0.end.as_nanos() as u64);
        if end > start + 1 {
            Duration::from_nanos(fastrand::u64(start..end))
        } else {
            self.0.start
        }
    }
}

/// Instance reuse settings (`spin up`'s flags).
#[derive(Debug, Clone)]
pub struct ReuseConfig {
    pub max_instance_reuse_count: Spread<usize>,
    pub max_instance_concurrent_reuse_count: Spread<usize>,
    pub idle_instance_timeout: Spread<Duration>,
    pub request_timeout: Option<Spread<Duration>>,
}

/// What each instance of a component is created with.
pub struct ComponentSetup {
    pub id: Arc<str>,
    pub pre: ProxyPre<HostState>,
    pub variables: Arc<ComponentVariables>,
    pub environment: BTreeMap<String, String>,
    pub allowed_hosts: Arc<AllowedHosts>,
    pub reuse: ReuseConfig,
    /// False with `--quiet`: component output is dropped, as `spin up --quiet` does.
    pub show_output: bool,
}

/// The `HandlerState` of one component: how to make an instance and how long to keep it.
pub struct ComponentHandler {
    setup: ComponentSetup,
    app: AppLink,
}

impl ComponentHandler {
    pub fn new(setup: ComponentSetup, app: AppLink) -> ProxyHandler<Self> {
        ProxyHandler::new(Self { setup, app })
    }

    fn new_store(&self) -> Store<HostState> {
        let mut wasi = WasiCtx::builder();
        // Like Spin, component stdout and stderr both go, unprefixed, to our stderr;
        // with --quiet, nowhere (WASI's default).
        if self.setup.show_output {
            wasi.stdout(wasmtime_wasi::cli::stderr());
            wasi.stderr(wasmtime_wasi::cli::stderr());
        }
        for (key, value) in &self.setup.environment {
            wasi.env(key, value);
        }
        let engine = match &self.setup.pre {
            ProxyPre::P3(pre) => pre.instance_pre().engine().clone(),
            ProxyPre::P2(pre) => pre.instance_pre().engine().clone(),
        };
        Store::new(
            &engine,
            HostState {
                table: ResourceTable::new(),
                wasi: wasi.build(),
                http: WasiHttpCtx::new(),
                outbound: Outbound::new(
                    self.setup.id.clone(),
                    self.setup.allowed_hosts.clone(),
                    self.app.clone(),
                ),
                variables: self.setup.variables.clone(),
                component_id: self.setup.id.clone(),
            },
        )
    }
}

impl HandlerState for ComponentHandler {
    type StoreData = HostState;
    type WorkerExpiration = Expiration;
    type WorkerState = ReusePolicy;

    async fn instantiate(&self) -> wasmtime::Result<Instance<HostState, Expiration, ReusePolicy>> {
        let mut store = self.new_store();
        let proxy = self.setup.pre.instantiate_async(&mut store).await?;
        let reuse = &self.setup.reuse;
        let (view, policy, request_timeout) = match &self.setup.pre {
            ProxyPre::P3(_) => {
                let timeout = reuse
                    .request_timeout
                    .as_ref()
                    .map_or(Duration::MAX, Spread::<Duration>::sample);
                let policy = ReusePolicy {
                    max_total: reuse.max_instance_reuse_count.sample(),
                    max_concurrent: reuse.max_instance_concurrent_reuse_count.sample(),
                    request_timeout: timeout,
                };
                (
                    ViewFn::P3(wasmtime_wasi_http::p3::WasiHttpView::http),
                    policy,
                    timeout,
                )
            }
            // Spin gives a WASI 0.2 component a fresh instance per request, no timeout.
            ProxyPre::P2(_) => (
                ViewFn::P2(wasmtime_wasi_http::p2::WasiHttpView::http),
                ReusePolicy {
                    max_total: 1,
                    max_concurrent: 1,
                    request_timeout: Duration::MAX,
                },
                Duration::MAX,
            ),
        };
        Ok(Instance {
            store,
            proxy,
            view,
            expiration: Expiration {
                idle_timeout: reuse.idle_instance_timeout.sample(),
                request_timeout,
                sleep: Box::pin(tokio::time::sleep(Duration::from_secs(86_400 * 365))),
            },
            state: policy,
        })
    }
}

/// When an instance takes another request (Spin's `HttpWorkerState`).
pub struct ReusePolicy {
    max_total: usize,
    max_concurrent: usize,
    request_timeout: Duration,
}

impl WorkerState for ReusePolicy {
    type StoreData = HostState;
    type RequestId = ();

    fn should_accept_request(&self, concurrent: usize, total: usize) -> ShouldAccept {
        if total >= self.max_total {
            ShouldAccept::Never
        } else if concurrent >= self.max_concurrent {
            ShouldAccept::No
        } else {
            ShouldAccept::Yes
        }
    }

    fn on_request_start(
        &self,
        _store: StoreContextMut<'_, HostState>,
        _id: (),
        _task: GuestTaskId,
    ) -> Pin<Box<dyn Future<Output = ()> + Send + Sync>> {
        let timeout = self.request_timeout;
        Box::pin(async move {
            match Instant::now().checked_add(timeout) {
                Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
                None => std::future::pending().await,
            }
        })
    }

    fn drop(&self, store: Store<HostState>, result: wasmtime::Result<()>) {
        if let Err(error) = result {
            tracing::error!(component = %store.data().component_id, "worker failed: {error:?}");
        }
    }
}

/// When an instance is dropped: after its idle timeout, or when a request overruns
/// the request timeout (Spin's `HttpWorkerExpiration`).
pub struct Expiration {
    idle_timeout: Duration,
    request_timeout: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl WorkerExpiration for Expiration {
    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        status: WorkerStatus,
        start: Instant,
    ) -> Poll<()> {
        let timeout = match status {
            WorkerStatus::Idle => self.idle_timeout,
            WorkerStatus::Requests | WorkerStatus::PostReturn => self.request_timeout,
        };
        let Some(deadline) = start.checked_add(timeout) else {
            return Poll::Pending;
        };
        let deadline = tokio::time::Instant::from_std(deadline);
        if self.sleep.deadline() != deadline {
            self.sleep.as_mut().reset(deadline);
        }
        self.sleep.as_mut().poll(cx)
    }
}

/// Parses `N` or `A..B` (end excluded), as Spin's flags accept.
pub fn parse_count(text: &str) -> Result<Spread<usize>, String> {
    parse_spread(text, |t| t.parse::<usize>().map_err(|e| e.to_string()))
}

/// Parses a duration (`500ms`, `2s`, bare seconds) or a range of them.
pub fn parse_duration(text: &str) -> Result<Spread<Duration>, String> {
    parse_spread(text, |t| {
        let (number, unit) = t
            .find(|c: char| !c.is_ascii_digit())
            .map_or((t, "s"), |at| t.split_at(at));
        let n: u64 = number
            .parse()
            .map_err(|_| format!("'{t}' is not a whole number with a unit (s, ms, us, ns)"))?;
        match unit {
            "s" => Ok(Duration::from_secs(n)),
            "ms" => Ok(Duration::from_millis(n)),
            "us" | "μs" => Ok(Duration::from_micros(n)),
            "ns" => Ok(Duration::from_nanos(n)),
            other => Err(format!(
                "unknown unit '{other}' in '{t}' (use s, ms, us or ns)"
            )),
        }
    })
}

fn parse_spread<T: Clone + PartialOrd>(
    text: &str,
    one: impl Fn(&str) -> Result<T, String>,
) -> Result<Spread<T>, String> {
    let spread = match text.split_once("..") {
        Some((start, end)) => {
            let (start, end) = (one(start)?, one(end)?);
            if start >= end {
                return Err(format!(
                    "expected integer or range; got \"{text}\": the range is empty"
                ));
            }
            start..end
        }
        None => {
            let value =
                one(text).map_err(|e| format!("expected integer or range; got \"{text}\": {e}"))?;
            value.clone()..value
        }
    };
    Ok(Spread(spread))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_counts_and_ranges_like_spin() {
        assert_eq!(parse_count("16").unwrap().sample(), 16);
        let spread = parse_count("1..4").unwrap();
        for _ in 0..50 {
            assert!((1..4).contains(&spread.sample()));
        }
        assert!(parse_count("1..=128").is_err());
        assert!(parse_count("4..4").is_err());
        assert!(parse_count("x").is_err());
    }

    #[test]
    fn parses_durations_like_spin() {
        assert_eq!(
            parse_duration("1s").unwrap().sample(),
            Duration::from_secs(1)
        );
        assert_eq!(
            parse_duration("2").unwrap().sample(),
            Duration::from_secs(2)
        );
        assert_eq!(
            parse_duration("250ms").unwrap().sample(),
            Duration::from_millis(250)
        );
        assert_eq!(
            parse_duration("7us").unwrap().sample(),
            Duration::from_micros(7)
        );
        let spread = parse_duration("500ms..2s").unwrap();
        assert!((Duration::from_millis(500)..Duration::from_secs(2)).contains(&spread.sample()));
        assert!(parse_duration("1.5s").is_err());
        assert!(parse_duration("3m").is_err());
    }

    #[test]
    fn policy_accepts_up_to_the_limits() {
        let policy = ReusePolicy {
            max_total: 3,
            max_concurrent: 2,
            request_timeout: Duration::MAX,
        };
        assert!(matches!(
            policy.should_accept_request(1, 1),
            ShouldAccept::Yes
        ));
        assert!(matches!(
            policy.should_accept_request(2, 2),
            ShouldAccept::No
        ));
        assert!(matches!(
            policy.should_accept_request(0, 3),
            ShouldAccept::Never
        ));
    }
}
