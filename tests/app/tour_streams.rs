//! The streaming demos: as-completed and shield write NDJSON lines the moment
//! things happen. These tests read the stream as it arrives and check that early
//! lines really arrive early.

use integration_tests::{Line, app_url, get_ndjson};
use serde_json::Value;

async fn stream(path: &str) -> Vec<Line> {
    let (status, lines) = get_ndjson(&format!("{}/demo/{path}", app_url())).await;
    assert_eq!(status, 200);
    let summary = &lines.last().expect("at least a summary line").value;
    assert_eq!(summary["what"], "summary", "the last line is the summary");
    lines
}

fn with_what<'a>(lines: &'a [Line], what: &str) -> Vec<&'a Line> {
    lines.iter().filter(|l| l.value["what"] == what).collect()
}

#[tokio::test]
async fn as_completed_streams_each_result_as_it_finishes() {
    let lines = stream("as-completed?delays=1500,600,100").await;
    let completed = with_what(&lines, "completed");
    assert_eq!(completed.len(), 3, "one line per call: {lines:?}");
    assert_eq!(lines.last().unwrap().value["what"], "summary");
    let order: Vec<&Value> = completed.iter().map(|l| &l.value["task"]).collect();
    assert_eq!(order, [2, 1, 0], "lines come in completion order");
    let (first, slowest) = (completed[0].arrived_ms, completed[2].arrived_ms);
    assert!(
        first < 0.5 * slowest,
        "the first line arrived at {first:.0} ms, the slowest at {slowest:.0} ms"
    );
    assert!(slowest >= 0.95 * 1500.0);
    assert_eq!(completed[0].value["outcome"], "ok");
    assert_eq!(completed[0].value["result"]["delay_ms"], 100);
    let summary = &lines.last().unwrap().value;
    assert_eq!(summary["demo"], "as-completed");
    assert_eq!(summary["completion_order"], serde_json::json!([2, 1, 0]));
}

#[tokio::test]
async fn as_completed_with_a_timeout_cancels_the_rest() {
    let lines = stream("as-completed?delays=1500,100&timeout_ms=300&fail=1").await;
    let completed = with_what(&lines, "completed");
    assert_eq!(completed.len(), 1);
    assert_eq!(completed[0].value["outcome"], "error");
    let summary = &lines.last().unwrap().value;
    assert_eq!(summary["timed_out"], true);
    assert_eq!(summary["cancelled"], serde_json::json!([0]));
    assert!(summary["elapsed_ms"].as_f64().unwrap() < 0.6 * 1500.0);
}

#[tokio::test]
async fn shield_times_out_the_waiter_but_not_the_work() {
    let lines = stream("shield?delay_ms=1200&timeout_ms=300").await;
    let timeout = lines
        .iter()
        .find(|l| {
            l.value["what"]
                .as_str()
                .unwrap()
                .starts_with("TimeoutError")
        })
        .expect("a timeout line");
    let finished = with_what(&lines, "finished");
    assert_eq!(finished.len(), 1, "the work finished: {lines:?}");
    let t_timeout = timeout.value["t_ms"].as_f64().unwrap();
    let t_finished = finished[0].value["t_ms"].as_f64().unwrap();
    assert!(
        (0.95 * 300.0..0.6 * 1200.0).contains(&t_timeout),
        "{t_timeout}"
    );
    assert!(t_finished >= 0.95 * 1200.0, "{t_finished}");
    assert!(
        timeout.arrived_ms < 0.7 * finished[0].arrived_ms,
        "the timeout line was sent when it happened, not with the rest"
    );
    assert_eq!(finished[0].value["outcome"], "ok");
    assert_eq!(lines.last().unwrap().value["timed_out"], true);
}

#[tokio::test]
async fn without_the_shield_the_timeout_cancels_the_work() {
    let lines = stream("shield?delay_ms=1200&timeout_ms=300&shield=false").await;
    let cancelled = with_what(&lines, "cancelled");
    assert_eq!(cancelled.len(), 1, "{lines:?}");
    let summary = &lines.last().unwrap().value;
    assert_eq!(summary["work"]["outcome"], "cancelled");
    assert!(summary["elapsed_ms"].as_f64().unwrap() < 0.6 * 1200.0);
}
