//! What every tour route promises: the JSON contract, 405 for other methods, and
//! 400 JSON errors naming the bad parameter.

use integration_tests::{app_url, client, get_json};

/// Every tour route with a quick, valid query.
const ROUTES: [&str; 16] = [
    "coroutine?delay_ms=10&pause_ms=10",
    "loop?delay_ms=10",
    "awaitable?steps=2",
    "sequential?delays=10",
    "tasks?delays=10,20",
    "gather?delays=10,20",
    "wait?delays=10,20",
    "as-completed?delays=10,20",
    "timeout?delay_ms=10&timeout_ms=500",
    "cancel?work_ms=0&cancel_after_ms=10&delay_ms=20",
    "shield?delay_ms=20&timeout_ms=10",
    "gather-vs-wait?delays=10,20&fail=0",
    "future?delay_ms=10",
    "event-loop?step_ms=0",
    "blocking?n=2&delay_ms=10&mode=offload",
    "cpu?n=1&work_ms=5",
];

#[tokio::test]
async fn every_report_follows_the_contract() {
    for route in ROUTES {
        let url = format!("{}/demo/{route}", app_url());
        let response = client().get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{url}");
        let text = response.text().await.unwrap();
        // A streaming demo's last line is its report.
        let report: serde_json::Value =
            serde_json::from_str(text.trim_end().lines().last().unwrap()).unwrap();
        for field in ["python", "rust", "note", "params"] {
            assert!(!report[field].is_null(), "{url}: no {field}");
        }
        assert!(report["elapsed_ms"].is_f64(), "{url}");
        assert!(report["expected_ms"].is_number(), "{url}");
        assert!(report["instance"]["id"].is_string(), "{url}");
        let note = report["note"].as_str().unwrap();
        assert!(
            note.ends_with('.') && note.matches(". ").count() == 0,
            "{url}: one sentence: {note}"
        );
        for task in report["tasks"].as_array().unwrap() {
            for field in ["id", "label", "started_ms", "finished_ms", "outcome"] {
                assert!(task.get(field).is_some(), "{url}: task without {field}");
            }
        }
        for event in report["events"].as_array().unwrap() {
            assert!(event["t_ms"].is_f64() && event["what"].is_string(), "{url}");
        }
    }
}

#[tokio::test]
async fn other_methods_get_405_with_allow() {
    for route in ROUTES {
        let url = format!("{}/demo/{route}", app_url());
        let response = client().post(&url).send().await.unwrap();
        assert_eq!(response.status(), 405, "{url}");
        assert_eq!(response.headers()["allow"], "GET, HEAD", "{url}");
    }
}

#[tokio::test]
async fn bad_parameters_get_400_naming_them() {
    let cases = [
        ("sequential?delays=1,x", "delays"),
        ("sequential?delays=10&n=2", "delays"),
        ("tasks?n=1001", "n"),
        ("gather?delay_ms=30001", "delay_ms"),
        ("gather?fail=3", "fail"),
        ("gather?return_exceptions=maybe", "return_exceptions"),
        ("wait?return_when=sometimes", "return_when"),
        ("wait?timeout_ms=60001", "timeout_ms"),
        ("as-completed?transport=tcp", "transport"),
        ("timeout?timeout_ms=-1", "timeout_ms"),
        ("cancel?work_ms=5001", "work_ms"),
        ("shield?shield=yes", "shield"),
        ("future?waiters=0", "waiters"),
        ("event-loop?n=11", "n"),
        ("event-loop?steps=100&step_ms=1000", "step_ms"),
        ("event-loop?colour=red", "colour"),
    ];
    for (route, param) in cases {
        let (status, body) = get_json(&format!("{}/demo/{route}", app_url())).await;
        assert_eq!(status, 400, "{route}: {body}");
        assert_eq!(body["error"], "bad_request", "{route}");
        assert_eq!(body["param"], param, "{route}: {body}");
    }
}
