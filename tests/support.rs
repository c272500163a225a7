//! Test support: where the app under test runs.
//!
//! By default each suite starts devhost in-process on an ephemeral port, in a
//! thread with its own runtime so it outlives any single test. With `APP_URL` set
//! (for example `APP_URL=http://127.0.0.1:3000` with `spin up` running), the suite
//! talks to that app instead: same tests, another runtime.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The app's base URL: `APP_URL`, or a devhost started once for this test binary.
pub fn app_url() -> String {
    if let Some(url) = external_app() {
        return url;
    }
    let manifest = repo_root().join("spin.toml");
    devhost_url(&["--from", manifest.to_str().expect("UTF-8 path")])
}

/// `APP_URL`, or a devhost of its own for a test whose timing other tests must not
/// disturb (their requests would share its instances).
pub fn isolated_app_url() -> String {
    if let Some(url) = external_app() {
        return url;
    }
    let manifest = repo_root().join("spin.toml");
    let args = ["--from", manifest.to_str().expect("UTF-8 path")].map(String::from);
    start_devhost(&args).unwrap_or_else(|error| panic!("devhost did not start: {error}"))
}

/// `APP_URL` when the suite targets an already running app.
pub fn external_app() -> Option<String> {
    std::env::var("APP_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .map(|url| url.trim_end_matches('/').to_owned())
}

/// A devhost started in-process with these arguments (once per distinct argument
/// list), on an ephemeral port; returns its base URL. Panics with devhost's own
/// message if it cannot start (for example: run `make build`).
pub fn devhost_url(args: &[&str]) -> String {
    static STARTED: OnceLock<Mutex<HashMap<Vec<String>, String>>> = OnceLock::new();
    let key: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut started = STARTED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(url) = started.get(&key) {
        return url.clone();
    }
    let url = start_devhost(&key).unwrap_or_else(|error| panic!("devhost did not start: {error}"));
    started.insert(key, url.clone());
    url
}

/// Starts devhost with `args` (plus `--listen 127.0.0.1:0 --quiet`) in a background
/// thread that keeps it running for the rest of the process.
pub fn start_devhost(args: &[String]) -> Result<String, String> {
    let mut all = args.to_vec();
    all.extend(["--listen", "127.0.0.1:0", "--quiet"].map(String::from));
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async move {
            let started = match devhost::Options::from_args(&all) {
                Ok(options) => devhost::Devhost::start(options).await,
                Err(error) => Err(error),
            };
            match started {
                Ok(devhost) => {
                    let _ = sender.send(Ok(format!("http://{}", devhost.addr())));
                    std::future::pending::<()>().await;
                }
                Err(error) => {
                    let _ = sender.send(Err(format!("{error:#}")));
                }
            }
        });
    });
    receiver
        .recv()
        .map_err(|_| "devhost thread ended".to_owned())?
}

/// An HTTP client with a timeout long enough for every demo.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(0)
        .build()
        .expect("an HTTP client")
}

/// GET `url` and return status and JSON body.
pub async fn get_json(url: &str) -> (u16, serde_json::Value) {
    let response = client()
        .get(url)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let body = response
        .json()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: body is not JSON: {e}"));
    (status, body)
}

/// Runs `f` and returns its output and how long it took, in milliseconds.
pub async fn timed<F: Future>(f: F) -> (F::Output, f64) {
    let started = Instant::now();
    let output = f.await;
    (output, started.elapsed().as_secs_f64() * 1000.0)
}

/// Says out loud that a test needs the in-process devhost and returns true when it
/// must not run (APP_URL points elsewhere): never a silent skip.
pub fn needs_in_process_devhost(test: &str) -> bool {
    if external_app().is_some() {
        eprintln!(
            "SKIPPED {test}: it starts its own devhost with special settings; APP_URL is set"
        );
        true
    } else {
        false
    }
}

/// One NDJSON line and when the client received it (ms after the request was sent).
#[derive(Debug, Clone)]
pub struct Line {
    pub arrived_ms: f64,
    pub value: serde_json::Value,
}

/// GET `url`, reading an `application/x-ndjson` body line by line as it streams in,
/// noting when each line arrived.
pub async fn get_ndjson(url: &str) -> (u16, Vec<Line>) {
    let started = Instant::now();
    let mut response = client()
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    if status == 200 {
        let content_type = response.headers()["content-type"].to_str().unwrap_or("");
        assert_eq!(content_type, "application/x-ndjson", "GET {url}");
    }
    let mut pending = Vec::new();
    let mut lines = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: reading the stream: {e}"))
    {
        let arrived_ms = started.elapsed().as_secs_f64() * 1000.0;
        pending.extend_from_slice(&chunk);
        while let Some(end) = pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let value = serde_json::from_slice(&line)
                .unwrap_or_else(|e| panic!("GET {url}: a line is not JSON ({e}): {line:?}"));
            lines.push(Line { arrived_ms, value });
        }
    }
    assert!(pending.is_empty(), "GET {url}: the stream ended mid-line");
    (status, lines)
}

/// Reads one whole HTTP/1.1 request from `stream`: its head (request line and
/// headers) and its body, by Content-Length or chunked. For the small test servers
/// that stand in for outside hosts; `None` if the peer goes away first.
pub async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<(String, Vec<u8>)> {
    use tokio::io::AsyncReadExt;
    let mut request = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = stream.read(&mut buffer).await.ok().filter(|&n| n > 0)?;
        request.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&request[..head_end]).into_owned();
    let lower = head.to_ascii_lowercase();
    let chunked = lower.contains("transfer-encoding: chunked");
    let length = lower
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok())
        .unwrap_or(0);
    loop {
        let body = &request[head_end..];
        let complete = if chunked {
            body.ends_with(b"0\r\n\r\n")
        } else {
            body.len() >= length
        };
        if complete {
            break;
        }
        let read = stream.read(&mut buffer).await.ok().filter(|&n| n > 0)?;
        request.extend_from_slice(&buffer[..read]);
    }
    let body = &request[head_end..];
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_vec()
    };
    Some((head, body))
}

/// Decodes a chunked body (`size\r\ndata\r\n ... 0\r\n\r\n`).
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut payload = Vec::new();
    while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size = usize::from_str_radix(size_text.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        payload.extend_from_slice(&rest[start..(start + size).min(rest.len())]);
        rest = &rest[(start + size + 2).min(rest.len())..];
    }
    payload
}

/// GET `url` and return its body as text (any status).
pub async fn get_text(url: &str) -> String {
    client()
        .get(url)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
        .text()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: reading the body: {e}"))
}
