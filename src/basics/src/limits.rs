//! The limits of the platforms the app deploys to, each stated once, with where it
//! comes from. The app holds itself to the tightest of them, so that what runs with
//! `spin up` also runs where users deploy it:
//!
//! - Fermyon Cloud's published quotas (<https://developer.fermyon.com/cloud/faq>,
//!   "Quota Limits"): a request handler runs for at most 30 s, a request or response
//!   body is at most 10 MB, an application package at most 100 MB, and a Spin app
//!   makes at most 500 outbound requests an hour (the same on the starter and growth
//!   plans).
//! - Fermyon Wasm Functions (Akamai Functions,
//!   <https://techdocs.akamai.com/akamai-functions/docs/quotas-and-limits>): an
//!   application of at most 50 MiB.
//!
//! `tests/app/limits.rs` checks the app against each one; `docs/deploying.md` says
//! what they mean for a user.

use crate::ApiError;

/// Longest a request handler may run on Fermyon Cloud, in ms.
pub const HANDLER_MS: u64 = 30_000;
/// Longest run a request may ask for, in ms: the handler's limit, less a second
/// for what the host and the report need around the run itself.
pub const RUN_MS: u64 = HANDLER_MS - 1_000;
/// Largest request or response body on Fermyon Cloud, in bytes (10 MB).
pub const BODY_BYTES: u64 = 10_000_000;
/// Largest application package on Fermyon Wasm Functions, in bytes (50 MiB; Fermyon
/// Cloud allows 100 MB).
pub const PACKAGE_BYTES: u64 = 50 * 1024 * 1024;
/// Outbound requests a Spin app may make in an hour on Fermyon Cloud.
pub const OUTBOUND_PER_HOUR: u64 = 500;

/// A 400 when a run planned to last `planned_ms` would outlast [`RUN_MS`]: `param`
/// names the parameter that sets most of it, `how` says how the length adds up.
pub fn within_a_handler(param: &str, planned_ms: u64, how: &str) -> Result<(), ApiError> {
    if planned_ms <= RUN_MS {
        return Ok(());
    }
    Err(ApiError::bad_request(
        Some(param),
        format!(
            "this run would last {planned_ms} ms ({how}); a request handler may run for at most \
             {} s on Fermyon Cloud, so a run may last at most {RUN_MS} ms",
            HANDLER_MS / 1000
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_up_to_the_budget_is_allowed_and_one_past_it_names_the_limit() {
        assert!(within_a_handler("delays", RUN_MS, "the sum of the delays").is_ok());
        let error = within_a_handler("delays", RUN_MS + 1, "the sum of the delays").unwrap_err();
        assert_eq!(error.status, 400);
        assert_eq!(error.param.as_deref(), Some("delays"));
        assert!(
            error.message.contains("30 s on Fermyon Cloud"),
            "{}",
            error.message
        );
        assert!(
            error.message.contains("29001 ms (the sum of the delays)"),
            "{}",
            error.message
        );
    }
}
