//! `/pyodide/`: the app serves Pyodide itself (fetched from npm when the component
//! is built), so the playground's Python runs need nothing from elsewhere.

use integration_tests::{app_url, client, get_json};

#[tokio::test]
async fn pyodide_lists_its_files_and_serves_each_with_its_type_and_length() {
    let (status, listing) = get_json(&format!("{}/pyodide/", app_url())).await;
    assert_eq!(status, 200, "{listing}");
    assert!(listing["version"].as_str().is_some_and(|v| !v.is_empty()));
    let files = listing["files"].as_array().expect("files");
    let names: Vec<&str> = files.iter().map(|f| f["name"].as_str().unwrap()).collect();
    for needed in [
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
    ] {
        assert!(
            names.contains(&needed),
            "loadPyodide needs {needed}: {names:?}"
        );
    }
    for file in files {
        let name = file["name"].as_str().unwrap();
        let url = format!("{}/pyodide/{name}", app_url());
        let response = client().get(&url).send().await.unwrap();
        assert_eq!(response.status(), 200, "{name}");
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(
            content_type,
            file["content_type"].as_str().unwrap(),
            "{name}"
        );
        let body = response.bytes().await.unwrap();
        assert_eq!(body.len() as u64, file["bytes"].as_u64().unwrap(), "{name}");
    }
    let wasm = client()
        .get(format!("{}/pyodide/pyodide.asm.wasm", app_url()))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&wasm[..4], b"\0asm", "a WebAssembly module");
}

#[tokio::test]
async fn pyodide_refuses_unknown_files_and_other_methods() {
    let (status, body) = get_json(&format!("{}/pyodide/../../etc/passwd", app_url())).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = get_json(&format!("{}/pyodide/pyodide.js", app_url())).await;
    assert_eq!(status, 404, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("/pyodide/ lists them"),
        "{body}"
    );
    let response = client()
        .post(format!("{}/pyodide/pyodide.mjs", app_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
}
