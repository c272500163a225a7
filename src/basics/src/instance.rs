//! Which component instance is serving this request?
//!
//! Spin reuses a WASI 0.3 instance for many requests, concurrently (up to 16) and one
//! after another (up to 128). Statics live as long as the instance, so an id drawn
//! once and kept in a static tells clients which requests shared an instance: the
//! Rust view of "these coroutines ran on the same event loop".

use serde::{Deserialize, Serialize};
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

static INSTANCE_ID: OnceLock<String> = OnceLock::new();
static REQUESTS_SEEN: AtomicU64 = AtomicU64::new(0);
static IN_FLIGHT: AtomicU64 = AtomicU64::new(0);

/// What a response says about the instance that produced it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct InstanceInfo {
    /// Random id of this instance, fixed for its lifetime.
    pub id: String,
    /// How many requests this instance has started, this one included.
    pub request_number: u64,
    /// How many requests the instance was serving when this one's work started,
    /// this one included (demo reports, which hold an [`InFlight`]).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub serving: Option<u64>,
}

/// Held for as long as a request's work runs: the instance counts the requests it
/// serves at once (the coroutines on its one loop).
#[derive(Debug)]
pub struct InFlight(());

impl InFlight {
    /// Counts this request in; returns the guard and how many are in flight now.
    pub fn enter() -> (Self, u64) {
        let now = IN_FLIGHT.fetch_add(1, Ordering::Relaxed) + 1;
        (Self(()), now)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The random id of the running instance.
pub fn id() -> &'static str {
    // `RandomState` is seeded from the host's random source (`wasi:random` inside a
    // component), so no extra dependency is needed for one random number.
    INSTANCE_ID.get_or_init(|| format!("{:016x}", RandomState::new().build_hasher().finish()))
}

/// Counts a new request on this instance and describes the instance.
pub fn enter_request() -> InstanceInfo {
    let request_number = REQUESTS_SEEN.fetch_add(1, Ordering::Relaxed) + 1;
    InstanceInfo {
        id: id().to_owned(),
        request_number,
        serving: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_stable_and_requests_are_counted() {
        let first = enter_request();
        let second = enter_request();
        assert_eq!(first.id, second.id);
        assert_eq!(first.id.len(), 16);
        assert!(second.request_number > first.request_number);
    }
}
