//! Routes of the original aiohttp service: /asynctasks (see echo.rs for /echo and /ws).

use crate::tour::{ids, ms, outcomes};
use integration_tests::{app_url, get_json};

async fn asynctasks(query: &str) -> serde_json::Value {
    let (status, body) = get_json(&format!("{}/asynctasks{query}", app_url())).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn asynctasks_cancels_what_is_pending_at_the_timeout() {
    let body = asynctasks("?delays=100,300,3000&timeout_ms=600").await;
    assert_eq!(body["timed_out"], true);
    assert_eq!(ids(&body, "done"), [0, 1]);
    assert_eq!(ids(&body, "cancelled"), [2]);
    assert_eq!(outcomes(&body), ["ok", "ok", "cancelled"]);
    assert_eq!(body["tasks"][1]["result"]["delay_ms"], 300);
    let total = ms(&body, "total_time_ms");
    assert!(
        (0.95 * 600.0..0.5 * 3000.0).contains(&total),
        "total_time_ms {total}"
    );
}

#[tokio::test]
async fn asynctasks_has_the_original_defaults() {
    // 200, 800 and 6000 ms fetches under a 5 s timeout, as the original.
    let body = asynctasks("").await;
    assert_eq!(
        body["params"]["delays"],
        serde_json::json!([200, 800, 6000])
    );
    assert_eq!(body["params"]["timeout_ms"], 5000);
    assert_eq!(ids(&body, "done"), [0, 1]);
    assert_eq!(ids(&body, "cancelled"), [2]);
    let total = ms(&body, "total_time_ms");
    assert!((0.95 * 5000.0..5800.0).contains(&total), "{total}");
}

#[tokio::test]
async fn asynctasks_reports_errors_and_needs_no_cancel_when_all_finish() {
    let body = asynctasks("?delays=50,100&fail=0&timeout_ms=2000").await;
    assert_eq!(body["timed_out"], false);
    assert_eq!(outcomes(&body), ["error", "ok"]);
    assert!(body["tasks"][0]["error"].as_str().unwrap().contains("500"));
    assert!(ids(&body, "cancelled").is_empty());
    let (status, bad) = get_json(&format!("{}/asynctasks?timeout_ms=60001", app_url())).await;
    assert_eq!(status, 400, "{bad}");
}
