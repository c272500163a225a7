//! `/`, `/hello`, `/hello/:name`: the original greeting, its sleep, and escaping.

use integration_tests::{app_url, client, get_json, get_text, timed};

#[tokio::test]
async fn greets_by_name_in_html_after_the_default_one_second() {
    let (response, elapsed_ms) =
        timed(client().get(format!("{}/hello/Ada", app_url())).send()).await;
    let response = response.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = response.text().await.unwrap();
    assert!(page.contains("<h1>Hello, Ada</h1>"), "{page}");
    assert!(
        page.contains("href=\"/upstream"),
        "the page links to the other routes: {page}"
    );
    assert!(
        elapsed_ms >= 950.0,
        "the default delay is 1000 ms, took {elapsed_ms:.0} ms"
    );
}

#[tokio::test]
async fn root_greets_anonymous() {
    let page = client()
        .get(format!("{}/?delay_ms=0", app_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("<h1>Hello, Anonymous</h1>")
    );
    let (status, body) = get_json(&format!("{}/hello?delay_ms=0", app_url())).await;
    assert_eq!(status, 200);
    assert_eq!(body["greeting"], "Hello, Anonymous");
}

#[tokio::test]
async fn answers_json_when_the_client_prefers_it() {
    let (status, body) =
        get_json(&format!("{}/hello/Ada%20Lovelace?delay_ms=150", app_url())).await;
    assert_eq!(status, 200);
    assert_eq!(body["greeting"], "Hello, Ada Lovelace");
    assert_eq!(body["delay_ms"], 150);
    let slept = body["slept_ms"].as_f64().unwrap();
    assert!((145.0..1500.0).contains(&slept), "slept {slept} ms for 150");
    assert!(
        body["instance"]["id"]
            .as_str()
            .is_some_and(|id| id.len() == 16)
    );
}

#[tokio::test]
async fn escapes_names_in_html() {
    let url = format!(
        "{}/hello/%3Cscript%3Ealert(1)%3C%2Fscript%3E?delay_ms=0",
        app_url()
    );
    let page = get_text(&url).await;
    assert!(!page.contains("<script>"), "{page}");
    assert!(
        page.contains("<h1>Hello, &lt;script&gt;alert(1)&lt;/script&gt;</h1>"),
        "{page}"
    );
}

#[tokio::test]
async fn explicit_delay_is_honoured() {
    let (response, elapsed_ms) =
        timed(get_json(&format!("{}/hello/x?delay_ms=300", app_url()))).await;
    assert_eq!(response.0, 200);
    assert!(elapsed_ms >= 295.0, "took {elapsed_ms:.0} ms");
    let (_, fast_ms) = timed(get_json(&format!("{}/hello/x?delay_ms=0", app_url()))).await;
    assert!(
        fast_ms < elapsed_ms,
        "delay 0 took {fast_ms:.0} ms, delay 300 took {elapsed_ms:.0} ms"
    );
}

#[tokio::test]
async fn bad_parameters_are_json_400s() {
    for query in [
        "delay_ms=abc",
        "delay_ms=-5",
        "delay_ms=30001",
        "delay_ms=1&delay_ms=2",
        "dealy_ms=5",
    ] {
        let (status, body) = get_json(&format!("{}/hello/x?{query}", app_url())).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"], "bad_request", "{query}");
        assert!(
            body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{query}"
        );
        assert!(body["param"].is_string(), "{query}: {body}");
    }
}

#[tokio::test]
async fn other_methods_get_405_with_allow() {
    let response = client()
        .post(format!("{}/hello/x", app_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, HEAD");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "method_not_allowed");
}

#[tokio::test]
async fn unknown_routes_are_json_404s() {
    for path in ["/nope", "/hello/a/b", "/upstream/extra", "/hellox"] {
        let (status, body) = get_json(&format!("{}{path}", app_url())).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn the_page_links_to_every_demo_route() {
    let demo_routes: Vec<String> = integration_tests::manifest_routes()
        .into_iter()
        .filter(|route| route.starts_with("/demo/"))
        .collect();
    assert!(demo_routes.len() >= 10, "{demo_routes:?}");
    let page = get_text(&format!("{}/?delay_ms=0", app_url())).await;
    for route in demo_routes {
        assert!(
            page.contains(&format!("href=\"{route}")),
            "no link to {route}"
        );
    }
}
