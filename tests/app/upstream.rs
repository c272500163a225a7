//! `/upstream`: the controllable slow upstream.

use integration_tests::{app_url, get_json, timed};

#[tokio::test]
async fn sleeps_and_echoes_its_parameters() {
    let url = format!("{}/upstream?delay_ms=200&id=task%201&bytes=16", app_url());
    let ((status, body), elapsed_ms) = timed(get_json(&url)).await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], "task 1");
    assert_eq!(body["delay_ms"], 200);
    assert_eq!(body["status"], 200);
    assert_eq!(body["filler"].as_str().unwrap().len(), 16);
    assert!(body["slept_ms"].as_f64().unwrap() >= 199.0);
    assert!(elapsed_ms >= 195.0, "{elapsed_ms}");
}

#[tokio::test]
async fn answers_the_status_it_is_asked_for() {
    for wanted in [201, 404, 500, 503, 599] {
        let (status, body) = get_json(&format!("{}/upstream?status={wanted}", app_url())).await;
        assert_eq!(status, wanted);
        assert_eq!(body["status"], wanted);
    }
}

#[tokio::test]
async fn defaults_to_an_immediate_empty_200() {
    let (status, body) = get_json(&format!("{}/upstream", app_url())).await;
    assert_eq!(status, 200);
    assert_eq!(body["delay_ms"], 0);
    assert!(body.get("filler").is_none());
    assert!(body.get("id").is_none());
}

#[tokio::test]
async fn sends_up_to_a_mebibyte_of_filler() {
    let (status, body) = get_json(&format!("{}/upstream?bytes=1048576", app_url())).await;
    assert_eq!(status, 200);
    assert_eq!(body["filler"].as_str().unwrap().len(), 1_048_576);
}

#[tokio::test]
async fn rejects_out_of_bounds_parameters() {
    let too_long_id = format!("id={}", "x".repeat(129));
    for query in [
        "status=199",
        "status=600",
        "bytes=1048577",
        "delay_ms=30001",
        &too_long_id,
    ] {
        let (status, body) = get_json(&format!("{}/upstream?{query}", app_url())).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"], "bad_request");
    }
}
