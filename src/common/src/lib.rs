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
//! - [`task`]: the asyncio primitives the lessons call and the SDK lacks: tasks
//!   with handles (`create_task`, `cancel`), `sleep` that always yields,
//!   `yield_now`, the timeout race (`wait_for`), a set-once future.
//! - [`recorder`]: how those primitives and the upstream call record themselves
//!   (the task being polled now, its parent, what it awaits) into [`trace`], one
//!   request's timeline of tasks and events; [`polls`]: how long each task held
//!   the thread (busy against waiting, long polls); [`demo`]: the tour's
//!   parameters (`CallPlan`) and the report every demo answers.
//! - [`text_view`]: `?view=text`, a run drawn for a terminal from its report.
//! - [`lesson`]: the `region!` macro, which embeds the marked region of a lesson's
//!   own source that its report answers as `rust`.
//!
//! Everything except the host calls is plain Rust and unit-tested natively.

pub use basics::{clock, cpu, error, instance, limits, query, text};

pub mod demo;
pub mod lesson;
pub mod lines;
pub mod ndjson;
pub mod polls;
pub mod recorder;
pub mod reply;
pub mod task;
pub mod text_view;
pub mod trace;
pub mod upstream;

pub use basics::{ApiError, Query, Timeline};
pub use demo::{CallPlan, DemoInfo, Report};
pub use lesson::Region;
pub use reply::Reply;
pub use trace::{Awaits, Outcome, Trace};
