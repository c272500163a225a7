//! Security: outbound requests go only where `allowed_outbound_hosts` allows,
//! whatever a client puts in a Host header or a parameter, and redirects are not
//! followed; secrets stay out of responses and logs.

use integration_tests::{app_url, client, get_text, read_request};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// A loopback listener that counts connections: it must never be reached.
async fn canary() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((_socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, hits)
}

#[tokio::test]
async fn urls_in_parameters_and_host_headers_reach_nothing() {
    let (target, hits) = canary().await;
    let encoded: String = target.replace(':', "%3A").replace('/', "%2F");
    let base = app_url();
    let attempts = [
        format!("/demo/sequential?delays=1&transport={encoded}"),
        format!("/demo/gather?delays=1&transport=self&id={encoded}"),
        format!("/upstream?id={encoded}"),
        format!("/testcb?delay_ms={encoded}"),
        format!("/hello/{encoded}?delay_ms=0"),
        format!("/demo/cpu?n=1&work_ms=1&mode=offload&transport={encoded}"),
        format!("/asynctasks?delays={encoded}"),
    ];
    for path in &attempts {
        let response = client().get(format!("{base}{path}")).send().await.unwrap();
        assert!(
            matches!(response.status().as_u16(), 200 | 400 | 404),
            "{path}: {}",
            response.status()
        );
    }
    // A self request follows the app's own address, not the client's Host header.
    let host = target.trim_start_matches("http://");
    let response = client()
        .get(format!("{base}/demo/sequential?delays=1&transport=self"))
        .header("host", host)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["tasks"][0]["outcome"], "ok", "{body}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a client-supplied address was reached"
    );
}

/// A server that answers every request with a redirect to `location`.
async fn redirector(location: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            // Read all of it, body included: closing on unread bytes would reset
            // the connection, and the client would see a failure, not a redirect.
            let _ = read_request(&mut socket).await;
            let reply = format!(
                "HTTP/1.1 302 Found\r\nlocation: {location}/stolen\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
    url
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let (target, hits) = canary().await;
    let origin = redirector(target).await;
    let manifest = integration_tests::app_manifest();
    let base = integration_tests::app_with(&[
        "--from",
        &manifest,
        "--variable",
        &format!("testcb_origin={origin}"),
        "--variable",
        "testcb_delay_ms=10",
        "--variable",
        &format!("llm_base_url={origin}"),
        "--variable",
        "llm_api_key=sk-redirect-test",
    ]);
    let text = get_text(&format!("{base}/testcb")).await;
    assert!(text.contains("fetched (302"), "{text}");
    let response = client()
        .post(format!("{base}/messages"))
        .form(&[("msg", "hi")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["upstream_status"], 302);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a redirect was followed");
}

#[tokio::test]
async fn secrets_stay_out_of_responses_and_logs() {
    const KEY: &str = "sk-log-canary-7f3a9c";
    let (refusing, _) = canary().await; // accepts, then drops: a broken upstream
    let app = integration_tests::start_app_process(
        &[
            "--from",
            &integration_tests::app_manifest(),
            "--variable",
            &format!("llm_api_key={KEY}"),
            "--variable",
            &format!("llm_base_url={refusing}"),
            "--variable",
            "llm_timeout_ms=300",
        ],
        &[("RUST_LOG", "debug")],
    );
    let base = app.url.clone();
    let mut answers = String::new();
    for form in [
        vec![("msg", "hello")],
        vec![("msg", "")],
        vec![("other", KEY)],
    ] {
        let response = client()
            .post(format!("{base}/messages"))
            .form(&form)
            .send()
            .await
            .unwrap();
        answers.push_str(&response.text().await.unwrap());
    }
    answers.push_str(&get_text(&format!("{base}/openapi.json")).await);
    tokio::time::sleep(Duration::from_millis(200)).await; // let the log lines land
    let logs = app.output();
    // The component logs the failed call (on both runtimes): the capture works.
    assert!(
        logs.contains("POST /messages: 502"),
        "the component's log line was not captured: {logs}"
    );
    assert!(
        !answers.contains(KEY),
        "a response carried the key: {answers}"
    );
    assert!(!logs.contains(KEY), "a log line carried the key");
}
