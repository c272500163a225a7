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
