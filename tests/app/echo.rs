//! `/echo` (full duplex, the WebSocket echo's counterpart) and `/ws` (501).
//!
//! The duplex test speaks HTTP/1.1 over a raw socket: it sends one chunk of the
//! upload, waits for that line's answer, and only then sends the next, which no
//! buffering client or server could satisfy.

use integration_tests::{app_url, client, get_json};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads from `stream` until `wanted` has appeared in what was read, or fails after
/// a few seconds.
async fn read_until(stream: &mut TcpStream, seen: &mut Vec<u8>, wanted: &[u8]) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !seen.windows(wanted.len()).any(|window| window == wanted) {
        let mut buffer = [0u8; 4096];
        let read = tokio::time::timeout_at(deadline, stream.read(&mut buffer))
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "no {:?} while the upload was still open; got {:?}",
                    String::from_utf8_lossy(wanted),
                    String::from_utf8_lossy(seen)
                )
            })
            .expect("reading the response");
        assert!(
            read > 0,
            "the connection closed early: {:?}",
            String::from_utf8_lossy(seen)
        );
        seen.extend_from_slice(&buffer[..read]);
    }
}

async fn send_chunk(stream: &mut TcpStream, data: &[u8]) {
    let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(b"\r\n");
    stream.write_all(&chunk).await.expect("sending a chunk");
}

#[tokio::test]
async fn echo_answers_each_line_while_the_upload_is_still_open() {
    let base = app_url();
    let authority = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(authority).await.expect("connect");
    let head = format!(
        "POST /echo HTTP/1.1\r\nHost: {authority}\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut seen = Vec::new();
    send_chunk(&mut stream, b"Ada\n").await;
    read_until(&mut stream, &mut seen, b"Hello, Ada\n").await;
    assert!(
        seen.starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&seen)
    );
    // The second line goes out only after the first answer came back.
    send_chunk(&mut stream, b"Gra").await;
    send_chunk(&mut stream, b"ce\n").await;
    read_until(&mut stream, &mut seen, b"Hello, Grace\n").await;
    stream.write_all(b"0\r\n\r\n").await.unwrap();
    read_until(&mut stream, &mut seen, b"0\r\n\r\n").await;
    let text = String::from_utf8_lossy(&seen);
    assert!(
        !text.contains("Hello, Gra\n"),
        "a line was answered before it was complete: {text}"
    );
}

#[tokio::test]
async fn echo_greets_text_and_returns_other_bytes_unchanged() {
    let url = format!("{}/echo", app_url());
    let reply = client()
        .post(&url)
        .body("Ada\r\nLinus\nno newline")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(
        reply.text().await.unwrap(),
        "Hello, Ada\nHello, Linus\nHello, no newline\n"
    );
    let binary = client()
        .post(&url)
        .body(vec![0xff, 0xfe, 0x00, b'\n', b'o', b'k', b'\n'])
        .send()
        .await
        .unwrap();
    assert_eq!(
        binary.bytes().await.unwrap().as_ref(),
        b"\xff\xfe\x00\nHello, ok\n"
    );
}

#[tokio::test]
async fn echo_refuses_big_uploads_and_other_methods() {
    let url = format!("{}/echo", app_url());
    let too_big = client()
        .post(&url)
        .body(vec![b'x'; 1024 * 1024 + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(too_big.status(), 413);
    let body: serde_json::Value = too_big.json().await.unwrap();
    assert_eq!(body["error"], "payload_too_large");

    let (status, body) = get_json(&url).await;
    assert_eq!(status, 405, "{body}");
}

#[tokio::test]
async fn ws_explains_there_is_no_websocket_and_points_to_echo() {
    let (status, body) = get_json(&format!("{}/ws", app_url())).await;
    assert_eq!(status, 501);
    assert_eq!(body["error"], "not_implemented");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("WebSocket") && message.contains("/echo"),
        "{message}"
    );
}
