//! `/openapi.json` stays in step with spin.toml: every route is described.

use integration_tests::{app_url, get_json};

#[tokio::test]
async fn every_route_in_spin_toml_is_described() {
    let (status, document) = get_json(&format!("{}/openapi.json", app_url())).await;
    assert_eq!(status, 200);
    assert_eq!(document["openapi"], "3.1.0");
    let routes = integration_tests::manifest_routes();
    assert!(routes.len() >= 20, "{routes:?}");
    for route in routes {
        if route == "/..." {
            continue; // the JSON 404 for everything else
        }
        // A wildcard route is described by its root: `/ui/...` as `/ui/`.
        let route = match route.strip_suffix("...") {
            Some(root) => root.to_owned(),
            None => route,
        };
        let path = route
            .split('/')
            .map(|segment| match segment.strip_prefix(':') {
                Some(name) => format!("{{{name}}}"),
                None => segment.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("/");
        let item = &document["paths"][&path];
        assert!(item.is_object(), "{route} ({path}) is not in /openapi.json");
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["responses"]["200"].is_object()
                    || operation["responses"]["501"].is_object(),
                "{method} {path} has no success answer"
            );
        }
    }
    // What it says of each route's parameters is what the route's folder declares.
    for route in catalogue::routes().filter(|route| route.route != "/...") {
        let path = route.route.replace("...", "").replace(":name", "{name}");
        let operation = document["paths"][&path]
            .as_object()
            .and_then(|item| item.values().next())
            .unwrap_or_else(|| panic!("{path} is not in /openapi.json"));
        let names: Vec<&str> = operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|param| param["name"].as_str().unwrap())
            .collect();
        let declared: Vec<&str> = route
            .each_param()
            .iter()
            .map(|param| param.name())
            .collect();
        assert_eq!(names, declared, "{path}");
    }
    // Every $ref points at a schema that exists.
    let text = document.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(
            document["components"]["schemas"][name].is_object(),
            "missing schema {name}"
        );
    }
}
