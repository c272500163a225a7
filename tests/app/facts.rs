//! Facts a learner relies on, pinned: what a report says must be true of the run.

use crate::tour::{demo, demo_isolated};
use integration_tests::{get_json, isolated_app_url};
use std::time::Duration;

#[tokio::test]
async fn request_number_counts_arrivals_not_finishes() {
    // A slow request arrives first, a quick one 100 ms later on the same instance
    // and finishes first: the numbers still follow the arrivals.
    let base = isolated_app_url();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let (slow_url, quick_url) = (
            format!("{base}/demo/sequential?delays=600"),
            format!("{base}/demo/sequential?delays=0"),
        );
        let slow = get_json(&slow_url);
        let quick = async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            get_json(&quick_url).await
        };
        let ((_, slow), (_, quick)) = tokio::join!(slow, quick);
        let (slow, quick) = (&slow["instance"], &quick["instance"]);
        if slow["id"] == quick["id"] {
            assert!(
                slow["request_number"].as_u64() < quick["request_number"].as_u64(),
                "the earlier arrival has the lower number: slow {slow}, quick {quick}"
            );
            return;
        }
        seen.push((slow.clone(), quick.clone()));
    }
    panic!("the two requests never shared an instance: {seen:?}");
}

#[tokio::test]
async fn params_show_the_values_in_effect() {
    let body = demo_isolated("cpu?n=2").await;
    assert_eq!(
        body["params"]["work_ms"], 250,
        "the default in effect: {body}"
    );
    assert!(body["params"]["iterations"].as_u64().unwrap() > 0, "{body}");
    assert!(
        body["expected_assumes"]
            .as_str()
            .unwrap()
            .contains("a free core per task"),
        "{body}"
    );
    let fixed = demo_isolated("cpu?n=2&iterations=1000").await;
    assert!(fixed["params"]["work_ms"].is_null(), "{fixed}");
    assert_eq!(fixed["params"]["iterations"], 1000);
    let gather = demo("gather").await;
    assert_eq!(
        gather["params"]["delays"],
        serde_json::json!([300, 200, 100])
    );
    assert_eq!(gather["params"]["return_exceptions"], false);
    assert_eq!(gather["params"]["transport"], "chaining");
}

#[tokio::test]
async fn the_shield_lesson_says_that_dropping_a_handle_detaches() {
    let (status, lines) = integration_tests::get_ndjson(&format!(
        "{}/demo/shield?delay_ms=50&timeout_ms=10",
        integration_tests::app_url()
    ))
    .await;
    assert_eq!(status, 200);
    let summary = &lines.last().unwrap().value;
    let rust = summary["rust"].as_str().unwrap();
    assert!(rust.contains("detaches"), "{rust}");
    assert!(
        rust.contains("task::timeout(limit, task::shield(&mut work))"),
        "{rust}"
    );
}

/// What the Python twin (src/common/python/tour.py) copies from the Rust, read by
/// running it: the thresholds, the merge rule's gap and cap, the failing status,
/// and the warning and cancel texts, rendered with the same values.
#[test]
fn the_python_twin_says_what_the_rust_says() {
    let script = r#"
import json, tour
print(json.dumps({
    "LONG_POLL_MS": tour.LONG_POLL_MS, "LATE_MS": tour.LATE_MS,
    "MERGE_GAP_MS": tour.MERGE_GAP_MS, "MAX_SEGMENTS": tour.MAX_SEGMENTS,
    "MAX_WARNINGS_EACH": tour.MAX_WARNINGS_EACH, "FAILING_STATUS": tour.FAILING_STATUS,
    "long_poll": tour.long_poll_warning(3, 236.4),
    "late_task": tour.late_wake_warning(2, 41.6), "late_handler": tour.late_wake_warning(None, 25),
    "before_it_ran": tour.CANCELLED_BEFORE_IT_RAN, "at_an_await": tour.CANCELLED_AT_AN_AWAIT,
    "call": tour.CALL_CANCELLED,
}))
"#;
    let output = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .env(
            "PYTHONPATH",
            integration_tests::repo_root().join("src/common/python"),
        )
        .output()
        .expect("python3 (the Python lessons need it) runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let python: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    use common::trace::{LATE_WAKE_MS, late_wake_warning, long_poll_warning};
    let rust = serde_json::json!({
        "LONG_POLL_MS": common::polls::LONG_POLL_MS, "LATE_MS": LATE_WAKE_MS,
        "MERGE_GAP_MS": common::polls::MERGE_GAP_MS, "MAX_SEGMENTS": common::polls::MAX_SEGMENTS,
        "MAX_WARNINGS_EACH": common::trace::MAX_WARNINGS_EACH,
        "FAILING_STATUS": common::demo::FAILING_STATUS,
        "long_poll": long_poll_warning(3, 236.4),
        "late_task": late_wake_warning(Some(2), 41.6), "late_handler": late_wake_warning(None, 25.0),
        "before_it_ran": common::task::CANCELLED_BEFORE_IT_RAN,
        "at_an_await": common::task::CANCELLED_AT_AN_AWAIT,
        "call": common::recorder::CALL_CANCELLED,
    });
    assert_eq!(python, rust);
}
