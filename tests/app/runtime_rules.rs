//! Spin's rules, through the probe fixture (tests/fixtures): routing precedence and
//! headers, outbound permissions, self requests and service chaining, variables,
//! instance-reuse flags and traps. Run on real Spin, these pin down what devhost
//! copies; run on devhost, they check the copy.

use futures::future::join_all;
use integration_tests::{app_url, app_with, fixture_manifest, get_json};
use std::collections::HashSet;

/// The fixture app, with its required variable set and `extra` flags.
fn fixture_with(extra: &[&str]) -> String {
    let manifest = fixture_manifest();
    let mut args = vec!["--from", &manifest, "--variable", "secret_token=s3cret"];
    args.extend_from_slice(extra);
    app_with(&args)
}

fn fixture() -> String {
    fixture_with(&[])
}

#[tokio::test]
async fn routes_most_specific_first_with_spin_headers() {
    let cases = [
        ("/probe/exact", "/probe/exact", ""),
        ("/probe/Ada", "/probe/:name", ""),
        ("/probe/Ada/", "/probe/:name", ""),
        ("/probe/Ada/tail/x/y", "/probe/:name/tail/...", "/x/y"),
        ("/probe/Ada/other", "/probe/...", "/Ada/other"),
        ("/probe", "/probe/...", ""),
    ];
    for (path, route, path_info) in cases {
        let (status, body) = get_json(&format!("{}{path}", fixture())).await;
        assert_eq!(status, 200, "{path}");
        let headers = &body["headers"];
        assert_eq!(headers["spin-matched-route"], route, "{path}");
        assert_eq!(headers["spin-path-info"], path_info, "{path}");
        assert_eq!(headers["spin-base-path"], "/");
        assert_eq!(headers["spin-raw-component-route"], route);
    }
    let (_, body) = get_json(&format!("{}/probe/Ada%20L?variable=message", fixture())).await;
    let headers = &body["headers"];
    assert_eq!(headers["spin-path-match-name"], "Ada%20L");
    assert_eq!(headers["spin-component-route"], "/probe/:name");
    assert!(
        headers["spin-full-url"]
            .as_str()
            .unwrap()
            .ends_with("/probe/Ada%20L?variable=message")
    );
    assert!(
        headers["spin-client-addr"]
            .as_str()
            .unwrap()
            .starts_with("127.0.0.1:")
    );
    assert!(
        body["uri"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:"),
        "the guest sees an absolute URI"
    );
}

#[tokio::test]
async fn unmatched_paths_get_spins_empty_404_and_well_known_paths_answer() {
    let client = integration_tests::client();
    let response = client
        .get(format!("{}/elsewhere", fixture()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.bytes().await.unwrap().is_empty());
    let health = client
        .get(format!("{}/.well-known/spin/health", fixture()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert!(
        health.headers().get("content-type").is_none(),
        "Spin's health answer has no content type"
    );
    assert_eq!(health.text().await.unwrap(), "OK");
    // The fixture gives no version, so none is reported; the app gives one.
    let (_, info) = get_json(&format!("{}/.well-known/spin/info", fixture())).await;
    assert_eq!(info, serde_json::json!({ "name": "devhost-fixture" }));
    let (_, info) = get_json(&format!("{}/.well-known/spin/info", app_url())).await;
    assert_eq!(
        info,
        serde_json::json!({ "name": "spin-async-demo", "version": "0.1.0" })
    );
}

#[tokio::test]
async fn outbound_requests_follow_allowed_outbound_hosts() {
    let (_, chained) = get_json(&format!("{}/probe/x?outbound=chaining", fixture())).await;
    assert_eq!(chained["outbound"]["ok"]["id"], "chaining", "{chained}");
    let (_, own) = get_json(&format!("{}/probe/x?outbound=self", fixture())).await;
    assert_eq!(own["outbound"]["ok"]["id"], "self", "{own}");
    let (_, denied) = get_json(&format!("{}/probe/x?outbound=denied", fixture())).await;
    assert_eq!(
        denied["outbound"]["error"], "ErrorCode::HttpRequestDenied",
        "{denied}"
    );
    // extra_host defaults to "": an optional endpoint, skipped, so this is denied too.
    let (_, templated) = get_json(&format!("{}/probe/x?outbound=templated", fixture())).await;
    assert_eq!(
        templated["outbound"]["error"], "ErrorCode::HttpRequestDenied",
        "{templated}"
    );
}

#[tokio::test]
async fn templated_hosts_are_allowed_once_the_variable_is_set() {
    let url = fixture_with(&["--variable", "extra_host=http://templated.invalid"]);
    let (_, body) = get_json(&format!("{url}/probe/x?outbound=templated")).await;
    let error = body["outbound"]["error"].as_str().unwrap_or_default();
    assert!(
        !error.contains("HttpRequestDenied"),
        "allowed now, so it fails at DNS instead: {body}"
    );
    assert!(
        !error.is_empty(),
        "templated.invalid cannot resolve: {body}"
    );
}

#[tokio::test]
async fn components_read_their_own_variables() {
    let (_, body) = get_json(&format!("{}/probe/x?variable=message", fixture())).await;
    assert_eq!(body["variable"]["value"], "hello, world");
    let (_, body) = get_json(&format!("{}/probe/x?variable=token", fixture())).await;
    assert_eq!(body["variable"]["value"], "s3cret");
    let (_, body) = get_json(&format!("{}/probe/x?variable=greeting", fixture())).await;
    assert!(
        body["variable"]["error"]
            .as_str()
            .unwrap()
            .contains("Undefined"),
        "{body}"
    );
    let (_, body) = get_json(&format!("{}/probe/x?variable=Bad-Name", fixture())).await;
    assert!(
        body["variable"]["error"]
            .as_str()
            .unwrap()
            .contains("InvalidName"),
        "{body}"
    );
}

#[tokio::test]
async fn reuse_limit_of_one_gives_each_request_its_own_instance() {
    let url = fixture_with(&["--max-instance-concurrent-reuse-count", "1"]);
    const N: usize = 8;
    let target = format!("{url}/upstream?delay_ms=400");
    let answers = join_all((0..N).map(|_| get_json(&target))).await;
    let ids: HashSet<&str> = answers
        .iter()
        .map(|(_, body)| body["instance"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        N,
        "each concurrent request on its own instance: {ids:?}"
    );
}

#[tokio::test]
async fn wasi_0_2_components_get_an_instance_each_and_the_same_outbound_rules() {
    let (status, chained) = get_json(&format!("{}/probe2?outbound=chaining", fixture())).await;
    assert_eq!(status, 200, "{chained}");
    assert_eq!(chained["outbound"]["status"], 200, "{chained}");
    assert_eq!(
        chained["outbound"]["body"]["id"], "p2-chaining",
        "{chained}"
    );
    let (_, own) = get_json(&format!("{}/probe2?outbound=self", fixture())).await;
    assert_eq!(own["outbound"]["body"]["id"], "p2-self", "{own}");
    let (_, denied) = get_json(&format!("{}/probe2?outbound=denied", fixture())).await;
    let error = denied["outbound"]["error"].as_str().unwrap_or_default();
    assert!(error.contains("HttpRequestDenied"), "{denied}");
    for answer in [&chained, &own, &denied] {
        assert_eq!(
            answer["instance"]["request_number"], 1,
            "a fresh instance per request: {answer}"
        );
    }
    let (status, bad) = get_json(&format!("{}/probe2?outbound=ftp", fixture())).await;
    assert_eq!(status, 400, "{bad}");
}

#[tokio::test]
async fn a_trap_fails_the_requests_on_its_instance_and_the_next_request_works() {
    use std::time::Duration;
    let url = fixture_with(&["--idle-instance-timeout", "1s"]);
    // Four requests sleep 800 ms on the probe; 100 ms in, a fifth traps at 200 ms.
    let sleepers = (0..4).map(|_| {
        let url = format!("{url}/probe/x?sleep_ms=800");
        async move {
            let response = integration_tests::client().get(&url).send().await.unwrap();
            let status = response.status().as_u16();
            let body: serde_json::Value = response.json().await.unwrap_or(serde_json::Value::Null);
            (status, body["instance"]["id"].as_str().map(str::to_owned))
        }
    });
    let trapper = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let response = integration_tests::client()
            .get(format!("{url}/probe/x?sleep_ms=200&trap=true"))
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.bytes().await.unwrap().len(),
        )
    };
    let (sleepers, trapped) = tokio::join!(join_all(sleepers), trapper);
    assert_eq!(
        trapped,
        (500, 0),
        "a trap answers 500 with an empty body, as in Spin"
    );
    let failed = sleepers.iter().filter(|(status, _)| *status == 500).count();
    let survivors: HashSet<_> = sleepers.iter().filter_map(|(_, id)| id.clone()).collect();
    eprintln!("a trap took down {failed} of 4 concurrent requests; survivors ran on {survivors:?}");
    // Which requests shared the trapping instance is the dispatcher's choice; the
    // ones that did fail with it, the others answer normally.
    for (status, id) in &sleepers {
        assert!(matches!(status, 200 | 500), "{status}");
        assert_eq!(*status == 200, id.is_some());
    }
    // The next request gets a working instance.
    let (status, body) = get_json(&format!("{url}/probe/x")).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_recorder_sees_nested_tasks_under_the_task_that_spawned_them() {
    let (status, body) = get_json(&format!("{}/probe?nested=true", fixture())).await;
    assert_eq!(status, 200, "{body}");
    let tree = &body["tree"];
    assert_eq!(
        integration_tests::without_at(&tree["awaits"]),
        serde_json::json!([{ "kind": "task", "task": 0 }]),
        "{tree}"
    );
    let outer = &tree["children"][0];
    assert_eq!(outer["label"], "outer", "{tree}");
    assert_eq!(
        integration_tests::without_at(&outer["awaits"]),
        serde_json::json!([{ "kind": "task", "task": 1 }]),
        "outer awaits inner: {tree}"
    );
    let under_outer: Vec<&str> = outer["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|child| child["label"].as_str().unwrap())
        .collect();
    assert_eq!(under_outer, ["inner", "GET /upstream?delay_ms=1"], "{tree}");
    assert_eq!(
        integration_tests::without_at(&outer["children"][0]["awaits"]),
        serde_json::json!([{ "kind": "timer", "ms": 5 }])
    );
    assert_eq!(outer["children"][1]["awaits"][0]["kind"], "http");
    let parents: Vec<&serde_json::Value> = body["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["parent"])
        .collect();
    assert_eq!(
        parents,
        [
            &serde_json::Value::Null,
            &serde_json::json!(0),
            &serde_json::json!(0)
        ]
    );
    for task in body["tasks"].as_array().unwrap() {
        assert_eq!(task["outcome"], "ok", "{task}");
    }
}
