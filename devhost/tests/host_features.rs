//! devhost's own features, which Spin does not have and the app suite therefore
//! does not test: its start-up errors and its limits on slow clients. (The app
//! suite in tests/ checks what devhost copies from Spin, on both runtimes.)

use std::path::{Path, PathBuf};

/// The repository root, from the directory cargo names when it runs the tests.
fn repo_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf())
        .parent()
        .expect("devhost/ has a parent")
        .to_path_buf()
}

fn fixture_manifest() -> String {
    repo_root()
        .join("tests/fixtures/spin.toml")
        .to_str()
        .unwrap()
        .to_owned()
}

/// Starts devhost on a free loopback port, serving the manifest that leads `args`
/// with the flags that follow; keeps it running for the rest of the test and
/// returns its address, or its start-up error as text.
async fn start(args: &[&str]) -> Result<String, String> {
    let (manifest, flags) = args.split_first().expect("a manifest");
    let mut all = vec!["--from", manifest, "--listen", "127.0.0.1:0", "--quiet"];
    all.extend_from_slice(flags);
    let options = devhost::Options::from_args(all).map_err(|error| format!("{error:#}"))?;
    let devhost = devhost::Devhost::start(options)
        .await
        .map_err(|error| format!("{error:#}"))?;
    let addr = devhost.addr().to_string();
    tokio::spawn(async move {
        let _running = devhost;
        std::future::pending::<()>().await;
    });
    Ok(addr)
}

#[tokio::test(flavor = "multi_thread")]
async fn start_up_errors_are_clear() {
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
    let error = start(&[&missing_wasm]).await.unwrap_err();
    assert!(error.contains("make build"), "{error}");

    let bad = write(
        "bad.toml",
        "spin_manifest_version = 2\n[application]\nnam = \"x\"\n",
    );
    let error = start(&[&bad]).await.unwrap_err();
    assert!(
        error.contains("invalid manifest") && error.contains("nam"),
        "{error}"
    );

    let error = start(&[&fixture_manifest()]).await.unwrap_err();
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

#[tokio::test(flavor = "multi_thread")]
async fn slow_clients_cannot_hold_devhost() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let manifest = repo_root().join("spin.toml");
    let authority = start(&[
        manifest.to_str().unwrap(),
        "--header-timeout",
        "300ms",
        "--body-idle-timeout",
        "300ms",
    ])
    .await
    .expect("devhost starts");
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
