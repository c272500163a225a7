//! Framing: every response whose body is complete when it is sent carries its
//! `content-length`; only the streamed ones go out chunked. Chunked replies cost up
//! to 40 ms on Spin (no TCP_NODELAY: the last chunk waits for a delayed ACK), so a
//! complete body must say how long it is.

use futures::future::join_all;
use integration_tests::{client, isolated_app_url};

/// One request per route of spin.toml: (route, method, path and query, streamed?).
const REQUESTS: &[(&str, &str, &str, bool)] = &[
    ("/", "GET", "/?delay_ms=0", false),
    ("/hello", "GET", "/hello?delay_ms=0", false),
    ("/hello/:name", "GET", "/hello/Ada?delay_ms=0", false),
    ("/upstream", "GET", "/upstream?delay_ms=0", false),
    ("/echo", "GET", "/echo", false),
    ("/echo", "POST", "/echo", true),
    ("/ws", "GET", "/ws", false),
    ("/testcb", "GET", "/testcb?delay_ms=10", true),
    ("/messages", "GET", "/messages", false),
    ("/asynctasks", "GET", "/asynctasks", false),
    (
        "/demo/coroutine",
        "GET",
        "/demo/coroutine?pause_ms=10",
        false,
    ),
    ("/demo/loop", "GET", "/demo/loop", false),
    ("/demo/awaitable", "GET", "/demo/awaitable", false),
    ("/demo/sequential", "GET", "/demo/sequential", false),
    ("/demo/tasks", "GET", "/demo/tasks", false),
    ("/demo/gather", "GET", "/demo/gather", false),
    ("/demo/wait", "GET", "/demo/wait", false),
    ("/demo/as-completed", "GET", "/demo/as-completed", true),
    ("/demo/timeout", "GET", "/demo/timeout", false),
    ("/demo/cancel", "GET", "/demo/cancel", false),
    ("/demo/shield", "GET", "/demo/shield", true),
    ("/demo/gather-vs-wait", "GET", "/demo/gather-vs-wait", false),
    ("/demo/future", "GET", "/demo/future", false),
    ("/demo/event-loop", "GET", "/demo/event-loop", false),
    ("/demo/blocking", "GET", "/demo/blocking", false),
    ("/demo/cpu", "GET", "/demo/cpu?work_ms=20", false),
    ("/ui/...", "GET", "/ui/", false),
    ("/pyodide/...", "GET", "/pyodide/pyodide.mjs", false),
    ("/openapi.json", "GET", "/openapi.json", false),
    ("/...", "GET", "/no/such/page", false),
    ("/cpu-worker", "GET", "/cpu-worker?work_ms=1", false),
    // Errors are complete bodies too.
    ("", "GET", "/demo/gather?delays=abc", false),
    ("", "DELETE", "/upstream", false),
    // How every reply went out before lengths were declared (make bench compares).
    ("", "GET", "/upstream?framing=chunked", true),
];

#[tokio::test]
async fn complete_bodies_carry_their_length_and_only_streams_are_chunked() {
    for route in integration_tests::manifest_routes() {
        assert!(
            REQUESTS.iter().any(|(r, ..)| *r == route),
            "{route} is in spin.toml but not in this test's table"
        );
    }
    let base = isolated_app_url();
    let answers = join_all(REQUESTS.iter().map(|(_, method, path, streamed)| {
        let url = format!("{base}{path}");
        async move {
            let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
            let mut request = client().request(method.clone(), &url);
            if method == reqwest::Method::POST {
                request = request.body("Ada\n");
            }
            let response = request
                .send()
                .await
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            let headers = response.headers().clone();
            let status = response.status().as_u16();
            let body = response.bytes().await.unwrap();
            (method, url, *streamed, status, headers, body)
        }
    }))
    .await;
    for (method, url, streamed, status, headers, body) in answers {
        let chunked = headers
            .get("transfer-encoding")
            .is_some_and(|value| value.to_str().unwrap_or("").contains("chunked"));
        let length = headers
            .get("content-length")
            .map(|value| value.to_str().unwrap().parse::<usize>().unwrap());
        if streamed {
            assert!(
                chunked,
                "{method} {url} ({status}) streams, so it is chunked"
            );
        } else {
            assert!(!chunked, "{method} {url} ({status}) went out chunked");
            assert_eq!(
                length,
                Some(body.len()),
                "{method} {url} ({status}): content-length"
            );
        }
    }
}
