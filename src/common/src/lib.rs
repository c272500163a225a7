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
//! Everything except the actual `send` is plain Rust and unit-tested natively.

pub mod clock;
pub mod demo;
pub mod instance;
pub mod ndjson;
pub mod query;
pub mod reply;
pub mod task;
pub mod text;
pub mod trace;
pub mod upstream;

pub use clock::Timeline;
pub use demo::{DemoInfo, Report, TracedCall};
pub use query::Query;
pub use reply::{ApiError, Reply};
pub use trace::{Outcome, Trace};
