//! The non-blocking proof and instance reuse, as any Spin 4.1 host shows them.

use futures::future::join_all;
use integration_tests::{app_url, client, get_json, isolated_app_url, timed};
use std::collections::HashMap;

#[tokio::test]
async fn two_hundred_sleeping_greetings_overlap() {
    const N: usize = 200;
    const DELAY_MS: f64 = 500.0;
    let client = client();
    let url = format!("{}/hello?delay_ms=500", app_url());
    let requests = (0..N).map(|_| async {
        let response = client.get(&url).send().await.expect("request");
        (
            response.status().as_u16(),
            response.text().await.unwrap_or_default(),
        )
    });
    let (answers, elapsed_ms) = timed(join_all(requests)).await;
    assert!(
        answers
            .iter()
            .all(|(status, page)| *status == 200 && page.contains("Hello, Anonymous"))
    );
    // Sequentially this would take N x 500 ms = 100 s; overlapped, about 500 ms.
    assert!(
        elapsed_ms < 6.0 * DELAY_MS,
        "{N} concurrent {DELAY_MS} ms sleeps took {elapsed_ms:.0} ms (sequential would be {} ms)",
        N as f64 * DELAY_MS
    );
}

#[tokio::test]
async fn concurrent_requests_share_instances_up_to_the_limit() {
    const N: usize = 40;
    let url = format!("{}/hello?delay_ms=600", app_url());
    let answers = join_all((0..N).map(|_| get_json(&url))).await;
    let mut per_instance: HashMap<String, usize> = HashMap::new();
    for (status, body) in &answers {
        assert_eq!(*status, 200);
        *per_instance
            .entry(body["instance"]["id"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    // Spin's default: up to 16 concurrent requests per WASI 0.3 instance.
    assert!(
        per_instance.len() < N,
        "no instance took more than one request: {per_instance:?}"
    );
    assert!(
        per_instance.len() >= N.div_ceil(16),
        "more than 16 at once on an instance: {per_instance:?}"
    );
    assert!(
        per_instance.values().any(|&count| count > 1),
        "{per_instance:?}"
    );
}

#[tokio::test]
async fn sequential_requests_reuse_the_instance_and_its_globals() {
    // An app of its own: other tests' requests would otherwise share (and count on)
    // its instances between our two.
    let url = format!("{}/upstream?delay_ms=0", isolated_app_url());
    let (_, first) = get_json(&url).await;
    let (_, second) = get_json(&url).await;
    // Consecutive requests land on a warm instance; its request counter (a static)
    // has moved on. (With a 1 s idle timeout the instance is still there.)
    if first["instance"]["id"] == second["instance"]["id"] {
        assert!(
            second["instance"]["request_number"].as_u64()
                > first["instance"]["request_number"].as_u64()
        );
    } else {
        assert_eq!(
            second["instance"]["request_number"], 1,
            "a new instance starts counting at 1"
        );
    }
}
