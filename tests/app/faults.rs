//! Faults from outside: an upstream that resets the connection, never answers, or
//! answers 500. The app reaches such hosts only where its settings say so
//! (`/testcb`'s origin, `/messages`' LLM base URL); both must report the fault and
//! still finish the request.

use integration_tests::{app_with, client};
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

#[derive(Clone, Copy)]
enum Fault {
    /// Reads the request, then resets the connection (RST).
    Reset,
    /// Reads the request and never answers.
    Hang,
}

/// A loopback server that misbehaves as `fault` says; returns its base URL.
async fn faulty_server(fault: Fault) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            match fault {
                Fault::Reset => {
                    let _ = socket.set_zero_linger();
                    drop(socket);
                }
                Fault::Hang => held.push(socket),
            }
        }
    });
    url
}

fn app_with_variables(variables: &[String]) -> String {
    let manifest = integration_tests::app_manifest();
    let mut args = vec!["--from".to_owned(), manifest];
    for variable in variables {
        args.extend(["--variable".to_owned(), variable.clone()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    app_with(&args)
}

async fn testcb_against(fault: Fault) -> (String, Duration) {
    let origin = faulty_server(fault).await;
    let base = app_with_variables(&[
        format!("testcb_origin={origin}"),
        "testcb_path=/anything".to_owned(),
        "testcb_timeout_ms=300".to_owned(),
        "testcb_delay_ms=50".to_owned(),
    ]);
    let started = Instant::now();
    let response = client().get(format!("{base}/testcb")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    (response.text().await.unwrap(), started.elapsed())
}

#[tokio::test]
async fn testcb_reports_a_reset_upstream_and_finishes() {
    let (text, took) = testcb_against(Fault::Reset).await;
    assert!(text.starts_with("Waiting for "), "{text}");
    assert!(text.contains("fetch failed"), "{text}");
    assert!(
        text.contains("callback: "),
        "the callback still fired: {text}"
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test]
async fn testcb_gives_up_on_a_silent_upstream_at_its_timeout() {
    let (text, took) = testcb_against(Fault::Hang).await;
    assert!(text.contains("no answer within 300 ms"), "{text}");
    assert!(text.contains("callback: "), "{text}");
    assert!(
        took >= Duration::from_millis(280) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

async fn messages_against(fault: Fault) -> (u16, serde_json::Value, Duration) {
    let base_url = faulty_server(fault).await;
    let base = app_with_variables(&[
        format!("llm_base_url={base_url}"),
        "llm_api_key=sk-fault-test".to_owned(),
        "llm_timeout_ms=300".to_owned(),
    ]);
    let started = Instant::now();
    let response = client()
        .post(format!("{base}/messages"))
        .form(&[("msg", "hello")])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert!(!text.contains("sk-fault-test"), "the key leaked: {text}");
    (
        status,
        serde_json::from_str(&text).unwrap(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn messages_turns_a_reset_into_a_502() {
    let (status, body, took) = messages_against(Fault::Reset).await;
    assert_eq!(status, 502, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("cannot reach the LLM API"),
        "{body}"
    );
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test]
async fn messages_turns_a_silent_api_into_a_502_at_its_timeout() {
    let (status, body, took) = messages_against(Fault::Hang).await;
    assert_eq!(status, 502, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("within 300 ms"),
        "{body}"
    );
    assert!(
        took >= Duration::from_millis(280) && took < Duration::from_secs(3),
        "{took:?}"
    );
}
