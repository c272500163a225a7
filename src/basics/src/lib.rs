//! The plain Rust every component shares, whichever WASI it targets: the WASI 0.3
//! components through `common` (which re-exports all of this), and the WASI 0.2
//! CPU worker directly. No Spin SDK in sight, so that the two SDK generations never
//! meet in one crate: a crate that pulled in spin-sdk 7 would carry its WASI 0.3
//! world into the WASI 0.2 worker.
//!
//! - [`clock`]: a monotonic timeline, so every demo reports times the same way
//!   (milliseconds since the request started, as floats).
//! - [`cpu`]: the CPU-bound kernel, the same inline and in the offload worker.
//! - [`error`]: the JSON errors every route answers.
//! - [`instance`]: a random id held in a static, so responses show which component
//!   instance served them (instances are reused, like coroutines sharing one loop).
//! - [`limits`]: the platforms' limits (Fermyon Cloud's 30 s handler, 10 MB bodies,
//!   50 MiB packages, 500 outbound requests an hour), each stated once.
//! - [`query`]: typed query-string parameters with bounds; bad input becomes a
//!   JSON 400 naming the parameter instead of a panic or a trap.
//! - [`route`]: what a route declares about itself once (parameters with bounds,
//!   defaults and docs; body; answer): its folder's `src/route.rs` is built from
//!   these, and parsing, `/openapi.json`, hello's links and the forms follow it.
//! - [`text`]: percent-decoding and HTML escaping.

pub mod clock;
pub mod cpu;
pub mod error;
pub mod instance;
pub mod limits;
pub mod query;
pub mod route;
pub mod text;

pub use clock::Timeline;
pub use error::ApiError;
pub use query::Query;
