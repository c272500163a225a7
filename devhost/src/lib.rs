//! devhost: serve a Spin app's HTTP components locally, the way `spin up` does,
//! on machines where Spin itself cannot be installed.
//!
//! It reads the same `spin.toml`, routes like Spin, reuses WASI 0.3 instances like
//! Spin 4.1 (through wasmtime-wasi-http's `ProxyHandler`, as Spin and `wasmtime
//! serve` do), enforces `allowed_outbound_hosts`, resolves application variables,
//! and answers Spin's well-known paths. Spin stays the real runtime; devhost covers
//! exactly what this app uses. Tests start it in-process with [`Devhost::start`].

pub mod app;
pub mod hosts;
pub mod manifest;
pub mod outbound;
pub mod routes;
pub mod runtime;
pub mod server;
pub mod slow_clients;
pub mod variables;

pub use server::{Devhost, Options};
