//! The asyncio tour, part 1: sequential, tasks, gather, wait, timeout. Each test
//! checks what the idea claims (sum, max, order, cancellation), with ratio bounds
//! loose enough for a busy 2-core machine.

use integration_tests::{app_url, get_json};
use serde_json::Value;

/// GET `/demo/{path}`, asserting a 200 JSON report for that demo.
pub async fn demo(path: &str) -> Value {
    demo_at(&app_url(), path).await
}

/// [`demo`] on a devhost of its own, for demos that hold a thread for a long time
/// (CPU work, blocking sleeps): on the shared devhost they would stall other
/// tests' requests and upset their timing.
pub async fn demo_isolated(path: &str) -> Value {
    demo_at(&integration_tests::isolated_app_url(), path).await
}

async fn demo_at(base: &str, path: &str) -> Value {
    let url = format!("{base}/demo/{path}");
    let (status, body) = get_json(&url).await;
    assert_eq!(status, 200, "GET {url}: {body}");
    let name = path.split('?').next().unwrap();
    assert_eq!(body["demo"], name, "{body}");
    body
}

pub fn ms(body: &Value, field: &str) -> f64 {
    body[field]
        .as_f64()
        .unwrap_or_else(|| panic!("{field} is not a number: {body}"))
}

pub fn task_ms(body: &Value, task: usize, field: &str) -> f64 {
    body["tasks"][task][field]
        .as_f64()
        .unwrap_or_else(|| panic!("task {task} has no {field}: {}", body["tasks"][task]))
}

pub fn outcomes(body: &Value) -> Vec<String> {
    body["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|task| task["outcome"].as_str().unwrap().to_owned())
        .collect()
}

pub fn ids(body: &Value, field: &str) -> Vec<u64> {
    body[field]
        .as_array()
        .unwrap_or_else(|| panic!("{field} is not a list: {body}"))
        .iter()
        .map(|id| id.as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn sequential_awaits_one_call_after_another() {
    let body = demo("sequential?delays=100,200,300").await;
    assert_eq!(ms(&body, "expected_ms"), 600.0);
    assert!(ms(&body, "elapsed_ms") >= 0.95 * 600.0, "{body}");
    for task in 1..3 {
        assert!(
            task_ms(&body, task, "started_ms") >= task_ms(&body, task - 1, "finished_ms"),
            "task {task} started before task {} finished: {body}",
            task - 1
        );
    }
    assert_eq!(outcomes(&body), ["ok", "ok", "ok"]);
    assert_eq!(body["tasks"][1]["result"]["delay_ms"], 200);
}

#[tokio::test]
async fn sequential_takes_n_and_delay_ms_and_the_self_request_transport() {
    let body = demo("sequential?n=2&delay_ms=50&transport=self").await;
    assert_eq!(body["params"]["delays"], serde_json::json!([50, 50]));
    assert_eq!(body["params"]["transport"], "self");
    assert_eq!(outcomes(&body), ["ok", "ok"]);
}

#[tokio::test]
async fn tasks_all_start_before_the_first_is_awaited() {
    let body = demo("tasks?delays=300,300,300").await;
    let elapsed = ms(&body, "elapsed_ms");
    assert_eq!(ms(&body, "expected_ms"), 300.0);
    assert!(elapsed >= 0.95 * 300.0, "{body}");
    assert!(
        elapsed < 0.7 * 900.0,
        "three 300 ms tasks took {elapsed} ms: they did not overlap"
    );
    // Every task had started before any of them ended: the creator's first await
    // let them all run.
    let tasks = body["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    let first_end = tasks
        .iter()
        .map(|t| t["finished_ms"].as_f64().unwrap())
        .fold(f64::MAX, f64::min);
    for task in tasks {
        let started = task["started_ms"].as_f64().unwrap();
        assert!(
            started < first_end,
            "a task started after another ended: {tasks:?}"
        );
    }
    assert_eq!(
        integration_tests::without_at(&body["tree"]["awaits"]),
        serde_json::json!([
            { "kind": "task", "task": 0 },
            { "kind": "task", "task": 1 },
            { "kind": "task", "task": 2 }
        ]),
        "the handler awaits its tasks in order"
    );
}

#[tokio::test]
async fn gather_overlaps_and_keeps_argument_order() {
    let sequential = demo("sequential?n=3&delay_ms=700").await;
    let gathered = demo("gather?delays=700,400,100").await;
    let (seq_ms, gather_ms) = (ms(&sequential, "elapsed_ms"), ms(&gathered, "elapsed_ms"));
    assert!(
        gather_ms < 0.7 * seq_ms,
        "gather took {gather_ms} ms against {seq_ms} ms sequentially"
    );
    assert!(gather_ms >= 0.95 * 700.0);
    assert_eq!(gathered["outcome"], "ok");
    let delays: Vec<u64> = gathered["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["delay_ms"].as_u64().unwrap())
        .collect();
    assert_eq!(delays, [700, 400, 100], "results follow argument order");
    assert_eq!(ids(&gathered, "completion_order"), [2, 1, 0]);
}

#[tokio::test]
async fn gather_raises_the_first_error_and_cancels_the_rest() {
    let body = demo("gather?delays=2000,600,50&fail=1").await;
    assert_eq!(body["outcome"], "error");
    assert_eq!(body["error"]["task"], 1);
    assert!(
        body["error"]["message"].as_str().unwrap().contains("500"),
        "{body}"
    );
    assert_eq!(ids(&body, "cancelled"), [0], "{}", body["tasks"]);
    assert_eq!(outcomes(&body), ["cancelled", "error", "ok"]);
    let elapsed = ms(&body, "elapsed_ms");
    assert!(
        elapsed < 0.5 * 2000.0,
        "the error at 600 ms should end gather, took {elapsed} ms"
    );
    assert_eq!(ms(&body, "expected_ms"), 600.0);
}

#[tokio::test]
async fn gather_with_return_exceptions_keeps_errors_in_place() {
    let body = demo("gather?delays=300,200,100&fail=0,2&return_exceptions=true").await;
    assert_eq!(body["outcome"], "ok");
    let results = body["results"].as_array().unwrap();
    assert!(results[0]["error"].as_str().unwrap().contains("500"));
    assert_eq!(results[1]["delay_ms"], 200);
    assert!(results[2]["error"].is_string());
    assert_eq!(outcomes(&body), ["error", "ok", "error"]);
    assert!(ms(&body, "elapsed_ms") >= 0.95 * 300.0, "{body}");
}

#[tokio::test]
async fn wait_first_completed_returns_early_and_cancels_the_pending() {
    let body = demo("wait?delays=1500,800,100&return_when=first_completed").await;
    assert_eq!(ids(&body, "done"), [2]);
    assert_eq!(ids(&body, "pending"), [0, 1]);
    assert_eq!(ids(&body, "cancelled"), [0, 1]);
    assert_eq!(body["timed_out"], false);
    let elapsed = ms(&body, "elapsed_ms");
    assert!((0.95 * 100.0..0.5 * 800.0).contains(&elapsed), "{elapsed}");
}

#[tokio::test]
async fn wait_first_exception_stops_at_the_failure() {
    let body = demo("wait?delays=2000,600,50&fail=1&return_when=first_exception").await;
    assert_eq!(ids(&body, "done"), [2, 1]);
    assert_eq!(ids(&body, "pending"), [0]);
    assert_eq!(outcomes(&body), ["cancelled", "error", "ok"]);
    assert!(ms(&body, "elapsed_ms") < 0.5 * 2000.0, "{body}");
}

#[tokio::test]
async fn wait_all_completed_and_with_a_timeout() {
    let all = demo("wait?delays=500,100&return_when=all_completed").await;
    assert_eq!(ids(&all, "done"), [1, 0]);
    assert!(ids(&all, "pending").is_empty());

    let timed = demo("wait?delays=1500,800,100&timeout_ms=300").await;
    assert_eq!(timed["timed_out"], true);
    assert_eq!(ids(&timed, "done"), [2]);
    assert_eq!(ids(&timed, "cancelled"), [0, 1]);
    let elapsed = ms(&timed, "elapsed_ms");
    assert!((0.95 * 300.0..0.6 * 1500.0).contains(&elapsed), "{elapsed}");
    assert_eq!(ms(&timed, "expected_ms"), 300.0);
}

#[tokio::test]
async fn timeout_drops_the_call_when_the_timer_wins() {
    let body = demo("timeout?delay_ms=2000&timeout_ms=300").await;
    assert_eq!(body["outcome"], "timed_out");
    assert_eq!(outcomes(&body), ["timed_out"]);
    let elapsed = ms(&body, "elapsed_ms");
    assert!(
        (0.95 * 300.0..0.5 * 2000.0).contains(&elapsed),
        "wait_for(2000 ms, timeout=300 ms) took {elapsed} ms"
    );
}

#[tokio::test]
async fn timeout_returns_the_result_when_the_call_wins() {
    let body = demo("timeout?delay_ms=100&timeout_ms=2000").await;
    assert_eq!(body["outcome"], "ok");
    assert_eq!(body["result"]["delay_ms"], 100);
    assert!(ms(&body, "elapsed_ms") < 0.5 * 2000.0);
}

#[tokio::test]
async fn a_thousand_calls_fan_out_without_a_failure() {
    // The most tasks a request may start: every call must get an upstream instance
    // (devhost once ran out of pooled core instances here, as Spin's sizes avoid).
    // On a devhost of its own: its 1000 upstream calls would otherwise queue the
    // other tests' calls behind them and upset their timing.
    let url = format!(
        "{}/demo/gather?n=1000&delay_ms=200&return_exceptions=true",
        integration_tests::isolated_app_url()
    );
    let (status, body) = get_json(&url).await;
    assert_eq!(status, 200, "{body}");
    let outcomes = outcomes(&body);
    let failed = outcomes.iter().filter(|o| *o != "ok").count();
    assert_eq!(
        failed,
        0,
        "{failed} of 1000 calls failed: {:?}",
        body["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r.get("error").is_some())
    );
    let elapsed = ms(&body, "elapsed_ms");
    // One after another they would take 200 s; overlapped, one delay and the cost
    // of 1000 calls, which on a loaded 2-core machine can pass 5 delays.
    assert!(
        elapsed < 10.0 * 200.0,
        "1000 x 200 ms overlapped in {elapsed} ms"
    );
}
