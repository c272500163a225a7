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
    let body = asynctasks("?delays=100,500,3000&timeout_ms=900").await;
    assert_eq!(body["timed_out"], true);
    assert_eq!(ids(&body, "done"), [0, 1]);
    assert_eq!(ids(&body, "cancelled"), [2]);
    assert_eq!(outcomes(&body), ["ok", "ok", "cancelled"]);
    assert_eq!(body["tasks"][1]["result"]["delay_ms"], 500);
    let total = ms(&body, "total_time_ms");
    assert!(
        (0.95 * 900.0..0.6 * 3000.0).contains(&total),
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

/// GET a text stream, returning each line with its arrival time in ms.
async fn text_lines(url: &str) -> Vec<(f64, String)> {
    let started = std::time::Instant::now();
    let mut response = integration_tests::client().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    let mut pending = String::new();
    let mut lines = Vec::new();
    while let Some(chunk) = response.chunk().await.unwrap() {
        let arrived = started.elapsed().as_secs_f64() * 1000.0;
        pending.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = pending.find('\n') {
            lines.push((arrived, pending[..end].to_owned()));
            pending.drain(..=end);
        }
    }
    lines
}

#[tokio::test]
async fn testcb_streams_waiting_then_the_fetch_then_the_callback() {
    let lines = text_lines(&format!("{}/testcb", app_url())).await;
    assert_eq!(lines.len(), 3, "{lines:?}");
    let (waiting, fetched, callback) = (&lines[0], &lines[1], &lines[2]);
    assert!(waiting.1.starts_with("Waiting for "), "{lines:?}");
    assert!(fetched.1.starts_with("fetched (200"), "{lines:?}");
    assert!(fetched.1.contains("\"id\":\"testcb\""), "{lines:?}");
    assert!(callback.1.starts_with("callback: "), "{lines:?}");
    // Defaults: a 300 ms fetch and a 1000 ms callback, each sent when it happened.
    assert!(waiting.0 < 0.5 * fetched.0, "{lines:?}");
    assert!(fetched.0 < 0.7 * callback.0, "{lines:?}");
    assert!(callback.0 >= 0.95 * 1000.0, "{lines:?}");
}

#[tokio::test]
async fn testcb_takes_its_settings_from_spin_variables() {
    let manifest = integration_tests::app_manifest();
    let base = integration_tests::app_with(&[
        "--from",
        &manifest,
        "--variable",
        "testcb_path=/upstream?id=configured",
        "--variable",
        "testcb_delay_ms=50",
    ]);
    let lines = text_lines(&format!("{base}/testcb")).await;
    let text: Vec<&str> = lines.iter().map(|(_, line)| line.as_str()).collect();
    assert!(text[0].contains("fires in 50 ms"), "{text:?}");
    assert!(
        text.iter()
            .any(|line| line.contains("\"id\":\"configured\"")),
        "{text:?}"
    );
    // A query parameter still wins over the variable; bad ones are 400s.
    let (status, _) = get_json(&format!("{base}/testcb?delay_ms=abc")).await;
    assert_eq!(status, 400);
}
