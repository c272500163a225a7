//! The app fits the platforms it deploys to (`common::limits`, each limit stated
//! once with its source): no declared bound lets a run outlast a request handler
//! (30 s on Fermyon Cloud) and a run planned past it is refused with a 400 naming
//! the limit; every response body, Pyodide's files included, is under 10 MB; the
//! package (every file spin.toml includes) is under 50 MiB; and each demo's default
//! run sends the outbound requests docs/deploying.md says it does (checked with
//! the default runs `catalogue.rs` makes).

use crate::layout::manifest_components;
use catalogue::{Answer, Param, Route};
use common::limits;
use integration_tests::{app_url, client, get_json, get_ndjson, repo_root};

#[test]
fn no_declared_bound_lets_a_run_outlast_a_handler() {
    let mut checked = 0;
    for route in catalogue::routes() {
        for param in route.each_param() {
            let (name, max) = match param {
                Param::Int(int) => (int.name, int.max),
                Param::IntList(list) => (list.name, list.max),
                _ => continue,
            };
            if name.ends_with("_ms") {
                assert!(
                    max <= limits::RUN_MS,
                    "{} lets {name} be {max} ms: a run may last at most {} ms (limits::RUN_MS)",
                    route.route,
                    limits::RUN_MS
                );
                checked += 1;
            }
        }
        if let Some(catalogue::Body::Text { max_bytes }) = route.body {
            assert!(max_bytes as u64 <= limits::BODY_BYTES, "{}", route.route);
        }
    }
    assert!(checked >= 20, "only {checked} time parameters found");
}

/// Requests whose parameters are each within bounds but whose run, added up, would
/// outlast a handler: (path and query, the parameter the 400 names).
const LONGER_THAN_A_HANDLER: &[(&str, &str)] = &[
    ("/demo/sequential?delays=20000,10000", "delays"),
    ("/demo/sequential?n=30&delay_ms=1000", "delays"),
    ("/demo/event-loop?n=10&steps=100&step_ms=30", "step_ms"),
    ("/demo/blocking?n=6&delay_ms=5000&mode=blocking", "delay_ms"),
    ("/demo/cpu?n=16&work_ms=2000&mode=inline", "work_ms"),
];

#[tokio::test]
async fn a_run_planned_past_the_handler_limit_is_a_400_naming_it() {
    for (path, param) in LONGER_THAN_A_HANDLER {
        let url = format!("{}{path}", app_url());
        let (status, body) = get_json(&url).await;
        assert_eq!(status, 400, "{path}: {body}");
        assert_eq!(body["param"], *param, "{path}: {body}");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("at most 30 s on Fermyon Cloud")
                && message.contains(&format!("at most {} ms", limits::RUN_MS)),
            "{path}: {message}"
        );
    }
}

#[tokio::test]
async fn every_response_body_is_under_the_platform_limit() {
    let (status, listing) = get_json(&format!("{}/pyodide/", app_url())).await;
    assert_eq!(status, 200, "{listing}");
    let mut largest = (0, String::new());
    let files = listing["files"].as_array().expect("files");
    let mut paths: Vec<String> = files
        .iter()
        .map(|file| format!("/pyodide/{}", file["name"].as_str().unwrap()))
        .collect();
    // The largest answers the app makes: a report of 1000 tasks, drawn or not, and
    // the largest upstream body.
    paths.extend(
        [
            "/demo/gather?n=1000&delay_ms=0",
            "/demo/gather?n=1000&delay_ms=0&view=text",
            "/upstream?bytes=1048576",
            "/openapi.json",
            "/ui/",
        ]
        .map(str::to_owned),
    );
    for path in paths {
        let response = client()
            .get(format!("{}{path}", app_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let length = response.bytes().await.unwrap().len() as u64;
        assert!(
            length < limits::BODY_BYTES,
            "{path}: {length} bytes, over the {} a body may have (limits::BODY_BYTES)",
            limits::BODY_BYTES
        );
        if length > largest.0 {
            largest = (length, path);
        }
    }
    eprintln!("largest body: {} ({} bytes)", largest.1, largest.0);
}

#[test]
fn the_package_is_under_the_platform_limit() {
    let manifest = std::fs::read_to_string(repo_root().join("spin.toml")).unwrap();
    assert!(
        !manifest.contains("\nfiles"),
        "a component includes files: count them here too"
    );
    let mut total = 0;
    let mut sources: Vec<String> = manifest_components()
        .into_values()
        .map(|(stem, _)| stem)
        .collect();
    sources.sort();
    sources.dedup();
    for stem in &sources {
        let path = repo_root().join(format!("target/wasm32-wasip2/release/{stem}.wasm"));
        let size = std::fs::metadata(&path)
            .unwrap_or_else(|e| panic!("{path:?}: {e} (make build first)"))
            .len();
        total += size;
    }
    assert!(
        total < limits::PACKAGE_BYTES,
        "the package is {total} bytes: over the {} of limits::PACKAGE_BYTES",
        limits::PACKAGE_BYTES
    );
    eprintln!("package: {} components, {total} bytes", sources.len());
}

/// A demo's report: the body, or a stream's last line.
async fn report_of(route: &Route) -> serde_json::Value {
    let url = format!("{}{}", app_url(), route.route);
    if route.answer == Answer::Report {
        let (status, report) = get_json(&url).await;
        assert_eq!(status, 200, "{url}: {report}");
        report
    } else {
        let (status, lines) = get_ndjson(&url).await;
        assert_eq!(status, 200, "{url}");
        lines.last().expect("a report").value.clone()
    }
}

/// docs/deploying.md's table of outbound requests: (route, count), and the
/// full tour's total.
fn documented_outbound() -> (Vec<(String, u64)>, u64) {
    let docs = std::fs::read_to_string(repo_root().join("docs/deploying.md")).unwrap();
    let mut rows = Vec::new();
    let mut total = None;
    for line in docs.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 4 || !line.starts_with("| ") {
            continue;
        }
        if let (Some(route), Ok(count)) = (
            cells[1]
                .strip_prefix("`/")
                .and_then(|rest| rest.strip_suffix('`')),
            cells[2].parse::<u64>(),
        ) {
            rows.push((format!("/{route}"), count));
        } else if cells[1] == "the full tour" {
            total = cells[2].parse().ok();
        }
    }
    (
        rows,
        total.expect("docs/deploying.md gives the full tour's outbound count"),
    )
}

/// Each demo's default run sends the outbound requests docs/deploying.md says:
/// `measured` for the demos that answer a report whole (from
/// `catalogue::reports_show_the_declared_defaults`, which runs every default once),
/// and the streaming ones run here.
pub(crate) async fn the_docs_give_these_outbound_counts(mut measured: Vec<(String, u64)>) {
    for route in catalogue::routes()
        .filter(|route| route.answer.is_report() && route.answer != Answer::Report)
    {
        let report = report_of(route).await;
        let count = report["outbound_requests"].as_u64().unwrap_or(u64::MAX);
        measured.push((route.route.to_owned(), count));
    }
    let (mut documented, total) = documented_outbound();
    documented.sort();
    measured.sort();
    assert_eq!(
        documented, measured,
        "docs/deploying.md's outbound table against the default runs"
    );
    assert_eq!(total, measured.iter().map(|(_, n)| n).sum::<u64>());
}

#[tokio::test]
async fn a_run_that_spends_much_of_the_hourly_outbound_quota_says_so() {
    let (status, report) = get_json(&format!("{}/demo/gather?n=120&delay_ms=0", app_url())).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["outbound_requests"], 120);
    let warnings: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("sent 120 outbound requests")
                && w.contains("500 an hour")
                && w.contains("24 % of an hour's quota")),
        "{warnings:?}"
    );
    let (_, quiet) = get_json(&format!("{}/demo/gather", app_url())).await;
    assert!(
        !quiet["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("outbound")),
        "{quiet}"
    );
}
