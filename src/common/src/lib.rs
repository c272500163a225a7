//! What every WASI 0.3 component of the app shares, written once. A map, in the
//! order a request meets it:
//!
//! - [`query`], [`clock`], [`error`], [`instance`], [`cpu`], [`text`]: plain Rust
//!   from the `basics` crate (shared with the WASI 0.2 worker), re-exported here:
//!   typed parameters with bounds (bad input is a JSON 400, never a trap), the
//!   request's monotonic clock, the JSON errors, the instance id, the CPU kernel,
//!   text codecs.
//! - [`reply`]: JSON and HTML responses with their length, JSON errors, content
//!   negotiation; [`ndjson`]: streamed replies, a line the moment it exists;
//!   [`lines`]: splitting an uploaded body into lines.
//! - [`upstream`]: the client every concurrency demo uses to call the app's own
//!   `/upstream` through the host's outbound HTTP.
//! - [`trace`]: one request's timeline of tasks and events, and [`polls`]: how long
//!   each task held the thread (its polls, busy against waiting, long polls);
//!   [`demo`]: the tour's
//!   parameters (`CallPlan`), the traced upstream call and the report every demo
//!   answers; [`task`]: tasks with handles (`asyncio.Task`: spawn, cancel) and the
//!   timeout race, which the SDK lacks and several lessons use.
//! - [`lesson`]: the `region!` macro, which embeds the marked region of a lesson's
//!   own source that its report answers as `rust`.
//!
//! Everything except the host calls is plain Rust and unit-tested natively.

pub use basics::{clock, cpu, error, instance, query, text};

pub mod demo;
pub mod lesson;
pub mod lines;
pub mod ndjson;
pub mod polls;
pub mod reply;
pub mod task;
pub mod trace;
pub mod upstream;

pub use basics::{ApiError, Query, Timeline};
pub use demo::{CallPlan, DemoInfo, Report, TracedCall};
pub use lesson::Region;
pub use reply::Reply;
pub use trace::{Awaits, Outcome, Trace};
