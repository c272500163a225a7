//! What every demo component needs, written once.
//!
//! - [`clock`]: a monotonic timeline, so every demo reports times the same way
//!   (milliseconds since the request started, as floats).
//! - [`query`]: typed query-string parameters with bounds; bad input becomes a
//!   JSON 400 naming the parameter instead of a panic or a trap.
//! - [`reply`]: JSON and HTML responses, JSON errors, content negotiation, HTML escaping.
//! - [`upstream`]: the client every concurrency demo uses to call the app's own
//!   `/upstream` component through the host's outbound HTTP.
//! - [`instance`]: a random id held in a static, so responses show which component
//!   instance served them (instances are reused, like coroutines sharing one loop).
//!
//! - [`trace`], [`task`], [`demo`], [`ndjson`]: what the tour demos share: the task
//!   timeline, spawning with a handle, timeouts, the report, streaming lines.
//! - [`lesson`]: the `region!` macro, which embeds the marked region of a lesson's
//!   own source that its report answers as `rust`.
//! - [`cpu`]: the CPU-bound kernel, the same inline and in the offload worker.
//!
//! Everything except the actual `send` is plain Rust and unit-tested natively.
//! Without the default `sdk` feature only the parts free of spin-sdk 7 remain
//! (clock, cpu, error, instance, query, text): what the WASI 0.2 worker uses.

pub mod clock;
pub mod cpu;
#[cfg(feature = "sdk")]
pub mod demo;
pub mod error;
pub mod instance;
pub mod lesson;
pub mod lines;
#[cfg(feature = "sdk")]
pub mod ndjson;
pub mod query;
#[cfg(feature = "sdk")]
pub mod reply;
#[cfg(feature = "sdk")]
pub mod task;
pub mod text;
#[cfg(feature = "sdk")]
pub mod trace;
#[cfg(feature = "sdk")]
pub mod upstream;

pub use clock::Timeline;
#[cfg(feature = "sdk")]
pub use demo::{CallPlan, DemoInfo, Report, TracedCall};
pub use error::ApiError;
pub use lesson::Region;
pub use query::Query;
#[cfg(feature = "sdk")]
pub use reply::Reply;
#[cfg(feature = "sdk")]
pub use trace::{Outcome, Trace};
