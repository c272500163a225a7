//! devhost against Spin's rules, through the probe fixture (tests/fixtures): routing
//! precedence and headers, outbound permissions, self requests and service
//! chaining, variables, instance-reuse flags, and start-up errors.

use futures::future::join_all;
use integration_tests::{
    devhost_url, get_json, needs_in_process_devhost, repo_root, start_devhost,
};
use std::collections::HashSet;

fn fixture_manifest() -> String {
    repo_root()
        .join("tests/fixtures/spin.toml")
        .to_str()
        .unwrap()
        .to_owned()
}

/// The fixture app under devhost, with its required variable set and `extra` flags.
fn fixture_with(extra: &[&str]) -> String {
    let manifest = fixture_manifest();
    let mut args = vec!["--from", &manifest, "--variable", "secret_token=s3cret"];
    args.extend_from_slice(extra);
    devhost_url(&args)
}

fn fixture() -> String {
    fixture_with(&[])
}

#[tokio::test]
async fn routes_most_specific_first_with_spin_headers() {
    if needs_in_process_devhost("routes_most_specific_first_with_spin_headers") {
        return;
    }
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
    if needs_in_process_devhost("unmatched_paths_get_spins_empty_404") {
        return;
    }
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
    assert_eq!(health.text().await.unwrap(), "OK");
    let (_, info) = get_json(&format!("{}/.well-known/spin/info", fixture())).await;
    assert_eq!(info["name"], "devhost-fixture");
}

#[tokio::test]
async fn outbound_requests_follow_allowed_outbound_hosts() {
    if needs_in_process_devhost("outbound_requests_follow_allowed_outbound_hosts") {
        return;
    }
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
    if needs_in_process_devhost("templated_hosts_are_allowed_once_the_variable_is_set") {
        return;
    }
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
    if needs_in_process_devhost("components_read_their_own_variables") {
        return;
    }
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
    if needs_in_process_devhost("reuse_limit_of_one_gives_each_request_its_own_instance") {
        return;
    }
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
async fn start_up_errors_are_clear() {
    if needs_in_process_devhost("start_up_errors_are_clear") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("devhost-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let missing_wasm = write(
        "missing.toml",
        "spin_manifest_version = 2\n[application]\nname = \"x\"\n[[trigger.http]]\nroute = \"/\"\ncomponent = \"a\"\n[component.a]\nsource = \"nope.wasm\"\n",
    );
    let error = start_devhost(&["--from".into(), missing_wasm]).unwrap_err();
    assert!(error.contains("make build"), "{error}");

    let bad = write(
        "bad.toml",
        "spin_manifest_version = 2\n[application]\nnam = \"x\"\n",
    );
    let error = start_devhost(&["--from".into(), bad]).unwrap_err();
    assert!(
        error.contains("invalid manifest") && error.contains("nam"),
        "{error}"
    );

    let error = start_devhost(&["--from".into(), fixture_manifest()]).unwrap_err();
    assert!(error.contains("SPIN_VARIABLE_SECRET_TOKEN"), "{error}");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let options = devhost::Options::from_args([
        "--from",
        &fixture_manifest(),
        "--variable",
        "secret_token=x",
        "--listen",
        &addr,
    ])
    .unwrap();
    let error = format!(
        "{:#}",
        devhost::Devhost::start(options)
            .await
            .err()
            .expect("port is taken")
    );
    assert!(error.contains("already in use"), "{error}");
}

#[tokio::test]
async fn wasi_0_2_components_get_an_instance_each_and_the_same_outbound_rules() {
    if needs_in_process_devhost(
        "wasi_0_2_components_get_an_instance_each_and_the_same_outbound_rules",
    ) {
        return;
    }
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
async fn slow_clients_cannot_hold_devhost() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    if needs_in_process_devhost("slow_clients_cannot_hold_devhost") {
        return;
    }
    let manifest = repo_root().join("spin.toml");
    let base = devhost_url(&[
        "--from",
        manifest.to_str().unwrap(),
        "--header-timeout",
        "300ms",
        "--body-idle-timeout",
        "300ms",
    ]);
    let authority = base.trim_start_matches("http://").to_owned();
    let read_all = |mut stream: tokio::net::TcpStream| async move {
        let mut seen = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut seen)).await;
        seen
    };

    // Headers that never finish: the connection is closed after the header timeout.
    let mut stream = tokio::net::TcpStream::connect(&authority).await.unwrap();
    stream
        .write_all(b"GET /hello HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let _ = read_all(stream).await;
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(3),
        "a stalled header held the connection {waited:?}"
    );

    // A body that stops: the component sees the upload fail and the response ends.
    let mut stream = tokio::net::TcpStream::connect(&authority).await.unwrap();
    let head = format!(
        "POST /echo HTTP/1.1\r\nHost: {authority}\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nAda\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let seen = read_all(stream).await;
    let text = String::from_utf8_lossy(&seen);
    assert!(text.contains("Hello, Ada"), "{text}");
    assert!(text.contains("error: the upload broke off"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_trap_fails_the_requests_on_its_instance_and_the_next_request_works() {
    use std::time::Duration;
    if needs_in_process_devhost(
        "a_trap_fails_the_requests_on_its_instance_and_the_next_request_works",
    ) {
        return;
    }
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
