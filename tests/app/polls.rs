//! What the reports say about polls: a task that blocks holds the thread for about
//! its delay in one long poll, a task that awaits hardly holds it at all, and the
//! long-poll warning appears exactly where blocking code ran. Every report names the
//! instance and how many requests it was serving.

use integration_tests::{app_url, get_json, isolated_app_url};
use serde_json::Value;

fn tasks(report: &Value) -> &Vec<Value> {
    report["tasks"].as_array().expect("tasks")
}

fn f(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

fn warnings(report: &Value) -> Vec<&str> {
    report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|warning| warning.as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn blocking_tasks_are_busy_for_their_delay_and_async_ones_wait() {
    let url = format!("{}/demo/blocking?n=3&delay_ms=120&mode=both", app_url());
    let (status, report) = get_json(&url).await;
    assert_eq!(status, 200, "{report}");
    for task in tasks(&report) {
        let label = task["label"].as_str().unwrap();
        let (busy, waiting) = (f(&task["busy_ms"]), f(&task["waiting_ms"]));
        assert!(task["polls"].as_u64().unwrap() >= 1, "{task}");
        if label.contains("std::thread::sleep") {
            // One poll held the thread for the whole sleep.
            assert!(busy >= 120.0 * 0.8, "blocking task not busy: {task}");
            assert!(f(&task["longest_poll_ms"]) >= 120.0 * 0.8, "{task}");
        } else {
            assert!(busy < 120.0 * 0.2, "async task busy: {task}");
            assert!(waiting >= 120.0 * 0.8, "async task not waiting: {task}");
        }
    }
}

#[tokio::test]
async fn busy_segments_lie_within_each_task_and_add_up() {
    let url = format!(
        "{}/demo/event-loop?n=3&steps=4&step_ms=5&mode=yield",
        app_url()
    );
    let (status, report) = get_json(&url).await;
    assert_eq!(status, 200, "{report}");
    for task in tasks(&report) {
        let (started, finished) = (f(&task["started_ms"]), f(&task["finished_ms"]));
        let segments = task["busy"].as_array().unwrap();
        assert!(!segments.is_empty(), "{task}");
        let mut summed = 0.0;
        for segment in segments {
            let (from, to) = (f(&segment[0]), f(&segment[1]));
            assert!(from <= to, "{task}");
            assert!(from >= started - 1.0 && to <= finished + 1.0, "{task}");
            summed += to - from;
        }
        // Merged segments cover the polls and the short gaps between them.
        assert!(summed + 0.5 >= f(&task["busy_ms"]), "{task}");
        let lasted = finished - started;
        let accounted = f(&task["busy_ms"]) + f(&task["waiting_ms"]);
        assert!(
            (accounted - lasted).abs() < 1.0,
            "busy + waiting != lasted: {task}"
        );
    }
    // The request's busy segments: the union, in order, not overlapping.
    let union = report["busy"].as_array().unwrap();
    assert!(!union.is_empty());
    for pair in union.windows(2) {
        assert!(f(&pair[0][1]) <= f(&pair[1][0]), "{union:?}");
    }
}

#[tokio::test]
async fn the_long_poll_warning_appears_exactly_where_code_blocks() {
    let cases = [
        ("/demo/blocking?n=2&delay_ms=60&mode=blocking", 2),
        ("/demo/blocking?n=2&delay_ms=60&mode=async", 0),
        ("/demo/cpu?n=2&work_ms=40&mode=inline", 2),
        ("/demo/cpu?n=2&work_ms=40&mode=offload", 0),
        ("/demo/event-loop?n=2&steps=2&step_ms=1&mode=yield", 0),
        ("/demo/gather?delays=50,80", 0),
        ("/demo/timeout?delay_ms=200&timeout_ms=50", 0),
        ("/demo/cancel?work_ms=60&delay_ms=100&cancel_after_ms=10", 1),
    ];
    for (path, expected) in cases {
        let (status, report) = get_json(&format!("{}{path}", app_url())).await;
        assert_eq!(status, 200, "{path}: {report}");
        let found = warnings(&report);
        let long_polls: Vec<&&str> = found
            .iter()
            .filter(|warning| warning.starts_with("long poll: task "))
            .collect();
        assert_eq!(long_polls.len(), expected, "{path}: {found:?}");
        for warning in long_polls {
            assert!(
                warning.contains("nothing else on this instance ran"),
                "{warning}"
            );
        }
        assert_eq!(report["long_poll_ms"], 10.0, "{path}");
    }
}

#[tokio::test]
async fn reports_say_how_many_requests_their_instance_was_serving() {
    // An app of its own, so that only these requests share its instances.
    let base = isolated_app_url();
    let url = format!("{base}/demo/blocking?n=1&delay_ms=400&mode=async");
    let reports = futures::future::join_all((0..4).map(|_| async { get_json(&url).await.1 })).await;
    let mut most = 0;
    for report in &reports {
        let serving = report["instance"]["serving"].as_u64().expect("serving");
        assert!((1..=16).contains(&serving), "{report}");
        most = most.max(serving);
    }
    // Concurrent requests share an instance (up to 16 on Spin 4.1): the later ones
    // see the earlier ones in flight.
    assert!(
        most >= 2,
        "no report saw another request in flight: {reports:?}"
    );
}
