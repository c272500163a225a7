//! `/cpu-worker`: the WASI 0.2 component (spin-sdk 5). One fresh instance per
//! request, instances running in parallel: the `run_in_executor` of this app.

use futures::future::join_all;
use integration_tests::{app_url, client, get_json};
use std::collections::HashSet;

/// The heavy tests take turns, so they do not slow each other down.
static CPU_HEAVY: futures::lock::Mutex<()> = futures::lock::Mutex::new(());

fn url(query: &str) -> String {
    format!("{}/cpu-worker{query}", app_url())
}

/// On a devhost of its own: seconds of CPU work hold its threads, which on the
/// shared devhost would stall other tests' requests.
fn heavy_url(query: &str) -> String {
    format!(
        "{}/cpu-worker{query}",
        integration_tests::isolated_app_url()
    )
}

#[tokio::test]
async fn burns_cpu_for_the_time_asked() {
    let response = client()
        .get(url("?work_ms=50"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["work_ms"], 50);
    assert!(body.get("iterations").is_none(), "{body}");
    let busy_ms = body["busy_ms"].as_f64().unwrap();
    assert!((50.0..1000.0).contains(&busy_ms), "{body}");
    assert!(body["iterations_done"].as_u64().unwrap() > 0, "{body}");
    let id = body["instance"]["id"].as_str().unwrap();
    assert!(
        id.len() == 16 && id.chars().all(|c| c.is_ascii_hexdigit()),
        "{id}"
    );
    assert_eq!(body["instance"]["request_number"], 1);
}

#[tokio::test]
async fn defaults_to_100_ms_and_counts_fixed_iterations() {
    let (status, body) = get_json(&url("")).await;
    assert_eq!(status, 200);
    assert_eq!(body["work_ms"], 100);
    assert!(body["busy_ms"].as_f64().unwrap() >= 100.0, "{body}");

    let (status, body) = get_json(&url("?iterations=1000")).await;
    assert_eq!(status, 200);
    assert_eq!(body["iterations"], 1000);
    assert_eq!(body["iterations_done"], 1000);
    assert!(body.get("work_ms").is_none(), "{body}");
    assert!(body["busy_ms"].as_f64().unwrap() >= 0.0);
}

#[tokio::test]
async fn rejects_bad_parameters_naming_them() {
    for (query, param) in [
        ("work_ms=abc", "work_ms"),
        ("work_ms=-1", "work_ms"),
        ("work_ms=10001", "work_ms"),
        ("work_ms=", "work_ms"),
        ("work_ms=1.5", "work_ms"),
        ("iterations=0", "iterations"),
        ("iterations=2000000001", "iterations"),
        ("work_ms=10&iterations=10", "iterations"),
        ("work_ms=1&work_ms=2", "work_ms"),
        ("dealy_ms=5", "dealy_ms"),
    ] {
        let (status, body) = get_json(&url(&format!("?{query}"))).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"], "bad_request", "{query}");
        assert_eq!(body["param"], param, "{query}");
        assert!(!body["message"].as_str().unwrap().is_empty(), "{query}");
    }
}

#[tokio::test]
async fn other_methods_get_405_with_allow() {
    let client = client();
    for method in [
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let response = client
            .request(method.clone(), url("?work_ms=0"))
            .body("ignored")
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 405, "{method}");
        assert_eq!(response.headers()["allow"], "GET, HEAD", "{method}");
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(body["error"], "method_not_allowed", "{method}");
    }
    let response = client
        .head(url("?work_ms=0"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn every_request_gets_a_fresh_instance() {
    // The WASI 0.2 rule, in Spin as in devhost: no instance serves two requests, so
    // statics never carry over and every counter reads 1.
    let mut ids = HashSet::new();
    for _ in 0..5 {
        let (status, body) = get_json(&url("?work_ms=0")).await;
        assert_eq!(status, 200);
        assert_eq!(body["instance"]["request_number"], 1, "{body}");
        ids.insert(body["instance"]["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 5, "an instance was reused: {ids:?}");
}

#[tokio::test]
async fn concurrent_jobs_run_on_instances_of_their_own_at_the_same_time() {
    const N: usize = 4;
    let _turn = CPU_HEAVY.lock().await;
    let url = heavy_url("?work_ms=400");
    let answers = join_all((0..N).map(|_| get_json(&url))).await;
    let mut ids = HashSet::new();
    let mut windows = Vec::new();
    for (status, body) in &answers {
        assert_eq!(*status, 200);
        assert!(body["busy_ms"].as_f64().unwrap() >= 400.0, "{body}");
        ids.insert(body["instance"]["id"].as_str().unwrap().to_owned());
        windows.push(busy_window(body));
    }
    assert_eq!(ids.len(), N, "requests shared an instance: {ids:?}");
    // Structure, not speed: some jobs were busy at the same moment, which one
    // instance thread taking turns could never show. How much faster that makes
    // the whole is `make bench`'s business.
    assert!(
        integration_tests::overlapping_pairs(&windows) >= 1,
        "no two jobs were busy at the same time: {windows:?}"
    );
}

/// A job's wall-clock busy interval, as the worker reports it.
pub fn busy_window(body: &serde_json::Value) -> (f64, f64) {
    let from = body["busy_from_unix_ms"].as_f64().unwrap();
    let until = body["busy_until_unix_ms"].as_f64().unwrap();
    assert!(until >= from, "{body}");
    (from, until)
}
