//! The catalogue (each folder's `src/route.rs`) is the one place a route's facts
//! live: it agrees with spin.toml, and every component accepts exactly the
//! parameters it declares, with the declared defaults.

use crate::layout::{component_crates, manifest_components};
use catalogue::{Answer, FOLDERS, Method, Param, Route};
use integration_tests::{app_url, get_json, repo_root};
use std::collections::{BTreeMap, BTreeSet};

/// spin.toml's routes, by the folder of the crate that serves them.
fn spin_toml_routes_by_folder() -> BTreeMap<String, BTreeSet<String>> {
    let manifest = std::fs::read_to_string(repo_root().join("spin.toml")).unwrap();
    let components = manifest_components();
    let crates = component_crates();
    let mut by_folder: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut route: Option<String> = None;
    for line in manifest.lines() {
        if let Some(path) = line.strip_prefix("route = \"") {
            route = Some(path.trim_end_matches('"').to_owned());
        } else if let Some(id) = line.strip_prefix("component = \"") {
            let id = id.trim_end_matches('"');
            let (_, package) = &components[id];
            let folder = crates[package].clone();
            by_folder
                .entry(folder)
                .or_default()
                .insert(route.take().expect("a route before its component"));
        }
    }
    by_folder
}

#[test]
fn each_folder_declares_the_routes_spin_toml_gives_its_component() {
    let declared: BTreeMap<String, BTreeSet<String>> = FOLDERS
        .iter()
        .map(|folder| {
            let routes = folder.routes.iter().map(|route| route.route.to_owned());
            (folder.path.to_owned(), routes.collect())
        })
        .collect();
    assert_eq!(declared, spin_toml_routes_by_folder());
}

/// A URL that reaches `route` with `query`.
fn url_of(route: &Route, query: &str) -> String {
    let path = route.route.replace(":name", "Ada").replace("...", "");
    format!("{}{path}?{query}", app_url())
}

/// Routes that read a query string: every `GET` route with query parameters.
fn routes_with_query() -> Vec<&'static Route> {
    let routes: Vec<&Route> = catalogue::routes()
        .filter(|route| route.method == Method::Get && !route.query_names().is_empty())
        .collect();
    assert!(routes.len() >= 17, "{}", routes.len());
    routes
}

#[tokio::test]
async fn every_component_accepts_the_parameters_it_declares_and_no_other() {
    let answers = futures::future::join_all(
        routes_with_query()
            .into_iter()
            .map(|route| async move { (route, get_json(&url_of(route, "not_declared=1")).await) }),
    )
    .await;
    for (route, (status, body)) in answers {
        assert_eq!(status, 400, "{}: {body}", route.route);
        assert_eq!(body["param"], "not_declared", "{}: {body}", route.route);
        let message = body["message"].as_str().unwrap();
        let expected = message
            .split_once("expected: ")
            .unwrap_or_else(|| panic!("{}: {message}", route.route))
            .1;
        let read: BTreeSet<&str> = expected.split(", ").collect();
        let declared: BTreeSet<&str> = route.query_names().into_iter().collect();
        assert_eq!(
            read, declared,
            "{}: what it reads is not what route.rs declares",
            route.route
        );
    }
}

#[tokio::test]
async fn bounds_are_the_declared_ones() {
    for route in routes_with_query() {
        for param in route.each_param() {
            let Param::Int(int) = param else { continue };
            let over = format!("{}={}", int.name, int.max + 1);
            let (status, body) = get_json(&url_of(route, &over)).await;
            assert_eq!(status, 400, "{} {over}: {body}", route.route);
            assert_eq!(body["param"], int.name, "{} {over}: {body}", route.route);
            let range = format!("from {} to {}", int.min, int.max);
            assert!(
                body["message"].as_str().unwrap().contains(&range),
                "{} {over}: {body}",
                route.route
            );
        }
    }
}

/// Also: each default run sends the outbound requests docs/deploying.md says.
#[tokio::test]
async fn reports_show_the_declared_defaults() {
    let demos: Vec<&Route> = catalogue::routes()
        .filter(|route| route.answer == Answer::Report && route.method == Method::Get)
        .collect();
    let answers = futures::future::join_all(
        demos
            .iter()
            .map(|route| async move { (route, get_json(&url_of(route, "")).await) }),
    )
    .await;
    // The same default runs tell each demo's outbound requests (tests/app/limits.rs
    // checks them against docs/deploying.md): run once, for both checks.
    let outbound: Vec<(String, u64)> = answers
        .iter()
        .map(|(route, (_, report))| {
            let count = report["outbound_requests"].as_u64();
            (route.route.to_owned(), count.unwrap_or(u64::MAX))
        })
        .collect();
    crate::limits::the_docs_give_these_outbound_counts(outbound).await;
    for (route, (status, report)) in answers {
        assert_eq!(status, 200, "{}: {report}", route.route);
        let mut compared = 0;
        for param in route.each_param() {
            let default = match param {
                Param::Int(int) => int.default.map(serde_json::Value::from),
                Param::IntList(list) => list.default.map(serde_json::Value::from),
                Param::Flag(flag) => Some(flag.default.into()),
                Param::Choice(choice) => Some(choice.default.into()),
                Param::Text(_) | Param::Path(_) => None,
            };
            let shown = &report["params"][param.name()];
            if let (Some(default), false) = (default, shown.is_null()) {
                assert_eq!(shown, &default, "{}: {}", route.route, param.name());
                compared += 1;
            }
        }
        assert!(
            compared > 0,
            "{}: no default shows in params: {report}",
            route.route
        );
    }
}
