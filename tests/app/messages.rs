//! `POST /messages` against a small OpenAI-compatible stand-in on loopback: the
//! stand-in records what it was sent and answers a canned completion or an error.

use integration_tests::{app_url, app_with, client, read_request};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const KEY: &str = "sk-test-d0-not-leak-42";

/// What the stand-in received: the Authorization header and the JSON body.
type Seen = Arc<Mutex<Vec<(String, Value)>>>;

/// Starts the stand-in; every request gets `status` (200: a completion that
/// echoes the message).
async fn stand_in(status: u16) -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let Some((head, payload)) = read_request(&mut socket).await else {
                    return;
                };
                let authorization = head
                    .lines()
                    .find_map(|line| {
                        let (name, value) = line.split_once(':')?;
                        name.eq_ignore_ascii_case("authorization")
                            .then(|| value.trim().to_owned())
                    })
                    .unwrap_or_default();
                let body: Value = serde_json::from_slice(&payload).unwrap_or(Value::Null);
                let content = body["messages"][0]["content"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned();
                record.lock().unwrap().push((authorization, body));
                let answer = if status == 200 {
                    json!({
                        "id": "chatcmpl-stand-in",
                        "model": "gpt-4o-stand-in",
                        "choices": [{ "index": 0, "message": { "role": "assistant", "content": format!("echo: {content}") } }],
                        "usage": { "prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7 },
                    })
                } else {
                    json!({ "error": { "message": "the stand-in is down" } })
                }
                .to_string();
                let response = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
                    answer.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    (url, seen)
}

/// The app under devhost with the LLM variables pointing at `stand_in_url`.
fn app_with_llm(stand_in_url: &str) -> String {
    let manifest = integration_tests::app_manifest();
    app_with(&[
        "--from",
        &manifest,
        "--variable",
        &format!("llm_base_url={stand_in_url}"),
        "--variable",
        &format!("llm_api_key={KEY}"),
    ])
}

async fn post_form(base: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = client()
        .post(format!("{base}/messages"))
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn messages_asks_the_model_and_answers_json() {
    let (stand_in_url, seen) = stand_in(200).await;
    let base = app_with_llm(&stand_in_url);
    let (status, text) = post_form(&base, &[("msg", "Hello, model")]).await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains(KEY), "the key leaked: {text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["reply"], "echo: Hello, model");
    assert_eq!(body["model"], "gpt-4o-stand-in");
    assert_eq!(body["usage"]["total_tokens"], 7);
    let (authorization, sent) = seen.lock().unwrap()[0].clone();
    assert_eq!(authorization, format!("Bearer {KEY}"));
    assert_eq!(sent["model"], "gpt-4o");
    assert_eq!(
        sent["messages"][0],
        json!({ "role": "user", "content": "Hello, model" })
    );

    let json_answer = client()
        .post(format!("{base}/messages"))
        .json(&json!({ "msg": "as JSON" }))
        .send()
        .await
        .unwrap();
    assert_eq!(json_answer.status(), 200);
    let body: Value = json_answer.json().await.unwrap();
    assert_eq!(body["reply"], "echo: as JSON");
}

#[tokio::test]
async fn messages_reports_upstream_failures_as_502() {
    let (stand_in_url, _) = stand_in(500).await;
    let (status, text) = post_form(&app_with_llm(&stand_in_url), &[("msg", "hi")]).await;
    assert_eq!(status, 502, "{text}");
    assert!(!text.contains(KEY), "the key leaked: {text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["error"], "bad_gateway");
    assert_eq!(body["upstream_status"], 500);
}

#[tokio::test]
async fn messages_rejects_bad_input() {
    let (stand_in_url, seen) = stand_in(200).await;
    let base = app_with_llm(&stand_in_url);
    let long = "x".repeat(4001);
    for (form, why) in [
        (vec![("text", "hi")], "missing"),
        (vec![("msg", "   ")], "empty"),
        (vec![("msg", long.as_str())], "longer"),
    ] {
        let (status, text) = post_form(&base, &form).await;
        assert_eq!(status, 400, "{text}");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["param"], "msg");
        assert!(body["message"].as_str().unwrap().contains(why), "{text}");
    }
    let plain = client()
        .post(format!("{base}/messages"))
        .header("content-type", "text/plain")
        .body("msg=hi")
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 400);
    let get = client()
        .get(format!("{base}/messages"))
        .send()
        .await
        .unwrap();
    assert_eq!(get.status(), 405);
    assert_eq!(get.headers()["allow"], "POST");
    assert!(
        seen.lock().unwrap().is_empty(),
        "bad input reached the model"
    );
}

#[tokio::test]
async fn messages_without_a_key_is_503() {
    // The app's default configuration has no key.
    let (status, text) = post_form(&app_url(), &[("msg", "hi")]).await;
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("llm_api_key"), "{text}");
}
