//! devhost: serve a Spin app's HTTP components locally, the way `spin up` does,
//! on machines where Spin itself cannot be installed.
//!
//! It reads the same `spin.toml`, routes like Spin, reuses WASI 0.3 instances like
//! Spin 4.1 (through wasmtime-wasi-http's `ProxyHandler`, as Spin and `wasmtime
//! serve` do), enforces `allowed_outbound_hosts`, resolves application variables,
//! and answers Spin's well-known paths. Spin stays the real runtime; devhost covers
//! exactly what this app uses. Tests start it in-process with [`Devhost::start`].

// The layers, top to bottom; each module uses only those above it.

// 1. spin.toml as written, checked.
mod manifest;

// 2. What it means: variables resolved, routes matched, outbound hosts allowed.
mod hosts;
mod routes;
mod variables;

// 3. Outbound HTTP from components: self requests, service chaining, the network.
mod outbound;

// 4. Component instances: engine, linker, reuse limits (Spin 4.1's ProxyHandler).
mod runtime;

// 5. devhost's own guard against slow clients (a body that stops sending).
mod slow_clients;

// 6. The running app: Spin's well-known paths, routing, a request to an instance.
mod app;

// 7. The server: the command line, the listener, the accept loop.
mod server;

pub use server::{Devhost, Options};
