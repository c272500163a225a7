//! Test support: where the app under test runs.
//!
//! Every test that needs an app asks for one here, with `spin up`'s own flags
//! (`--from <manifest> --variable k=v --max-instance-concurrent-reuse-count N`
//! ...). When `SPIN_BIN` names a Spin 4.1+ binary the app runs under real Spin, a
//! `spin up` child process on a free port; otherwise it runs under devhost, started
//! in-process (devhost's flags copy `spin up`'s). One suite, two runtimes, and
//! nothing skipped on either: a test that cannot run fails.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The repository root: the parent of this crate's directory, as cargo names it
/// when it runs the tests. (Read at run time: a target directory shared by two
/// checkouts may hold this library built from the other one.)
pub fn repo_root() -> PathBuf {
    let tests_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    tests_dir
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The app's own manifest, as a `--from` argument.
pub fn app_manifest() -> String {
    path_arg(&repo_root().join("spin.toml"))
}

/// The test fixture's manifest (tests/fixtures/spin.toml).
pub fn fixture_manifest() -> String {
    path_arg(&repo_root().join("tests/fixtures/spin.toml"))
}

fn path_arg(path: &Path) -> String {
    path.to_str().expect("UTF-8 path").to_owned()
}

/// Every `route = "..."` of the app's spin.toml, in manifest order.
pub fn manifest_routes() -> Vec<String> {
    let manifest = std::fs::read_to_string(repo_root().join("spin.toml")).expect("spin.toml");
    manifest
        .lines()
        .filter_map(|line| line.strip_prefix("route = \""))
        .map(|route| route.trim_end_matches('"').to_owned())
        .collect()
}

/// The runtime the suite runs the app on.
#[derive(Debug, Clone)]
pub enum Runtime {
    /// devhost, in this process.
    Devhost,
    /// `spin up`, from this binary, as a child process.
    Spin { binary: PathBuf, version: String },
}

/// The runtime chosen by `SPIN_BIN` (devhost when unset or empty). A `SPIN_BIN`
/// that does not run, or runs a Spin older than 4.1, fails the test that asked.
pub fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let chosen = match std::env::var("SPIN_BIN").ok().filter(|b| !b.is_empty()) {
            None => Runtime::Devhost,
            Some(binary) => {
                let version = spin_version(Path::new(&binary))
                    .unwrap_or_else(|error| panic!("SPIN_BIN={binary}: {error}"));
                Runtime::Spin {
                    binary: PathBuf::from(binary),
                    version,
                }
            }
        };
        eprintln!("app suite runtime: {}", describe(&chosen));
        chosen
    })
}

fn describe(runtime: &Runtime) -> String {
    match runtime {
        Runtime::Devhost => "devhost (in-process)".to_owned(),
        Runtime::Spin { binary, version } => format!("{version} ({})", binary.display()),
    }
}

/// `spin --version`, checked to be 4.1 or newer.
fn spin_version(binary: &Path) -> Result<String, String> {
    let output = Command::new(binary)
        .arg("--version")
        .output()
        .map_err(|error| {
            let hint = if binary.is_relative() && binary.components().count() > 1 {
                " (a relative path is read from tests/, where the suite runs: give an absolute one)"
            } else {
                ""
            };
            format!("cannot run it: {error}{hint}")
        })?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let number = version
        .strip_prefix("spin ")
        .and_then(|rest| {
            rest.split(['.', ' ', '-'])
                .next()
                .zip(rest.split('.').nth(1))
        })
        .and_then(|(major, minor)| Some((major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?)));
    match number {
        Some(found) if found >= (4, 1) => Ok(version),
        Some(_) => Err(format!(
            "{version} is older than Spin 4.1, which the app needs"
        )),
        None => Err(format!(
            "`--version` printed {version:?}, not a Spin version"
        )),
    }
}

/// The app's base URL: one app from spin.toml, shared by every test of this binary.
pub fn app_url() -> String {
    app_with(&["--from", &app_manifest()])
}

/// An app of its own, for a test whose timing other tests must not disturb (their
/// requests would share its instances).
pub fn isolated_app_url() -> String {
    start_app(&["--from", &app_manifest()]).url
}

/// An app started with `spin up`'s `args`, once per distinct argument list and
/// shared by the tests that ask for the same one; returns its base URL.
pub fn app_with(args: &[&str]) -> String {
    static STARTED: OnceLock<Mutex<HashMap<Vec<String>, String>>> = OnceLock::new();
    let key: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let mut started = STARTED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(url) = started.get(&key) {
        return url.clone();
    }
    let url = start_app(args).url;
    started.insert(key, url.clone());
    url
}

/// A running app: its base URL and, on Spin, the output of its process.
pub struct App {
    pub url: String,
    output: Option<Arc<Mutex<String>>>,
}

impl App {
    /// What the runtime printed so far (Spin's process output; empty for the
    /// in-process devhost, which logs to this process's stderr).
    pub fn output(&self) -> String {
        self.output
            .as_ref()
            .map(|text| text.lock().unwrap_or_else(|e| e.into_inner()).clone())
            .unwrap_or_default()
    }
}

/// Starts an app with `spin up`'s `args` on the chosen runtime, quiet, and kept
/// running until this test process ends. Panics with the runtime's own message
/// when it cannot start (for example: run `make build`).
pub fn start_app(args: &[&str]) -> App {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    match runtime() {
        Runtime::Devhost => App {
            url: start_devhost(&args)
                .unwrap_or_else(|error| panic!("devhost did not start: {error}")),
            output: None,
        },
        Runtime::Spin { binary, .. } => {
            let mut all = args;
            all.push("--quiet".to_owned());
            start_process(binary, &all, &[])
        }
    }
}

/// Starts the chosen runtime as a child process with `args` and `env`, component
/// output not silenced, its stdout and stderr collected: for tests that read logs.
/// Under devhost this runs the devhost binary (`make devhost` builds it).
pub fn start_app_process(args: &[&str], env: &[(&str, &str)]) -> App {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    match runtime() {
        Runtime::Devhost => {
            let binary = repo_root().join("target/debug/devhost");
            assert!(
                binary.exists(),
                "{} is missing: run `make devhost`",
                binary.display()
            );
            start_process(&binary, &args, env)
        }
        Runtime::Spin { binary, .. } => start_process(binary, &args, env),
    }
}

/// Starts devhost with `args` (plus `--listen 127.0.0.1:0 --quiet`) in a background
/// thread that keeps it running for the rest of the process.
fn start_devhost(args: &[String]) -> Result<String, String> {
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

/// How long a runtime may take to answer its health check after starting (Spin
/// compiles every component on a cold cache).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `binary` (`spin up`, or devhost's binary, which takes the same flags) with
/// `args`, a free loopback port and `env`, and waits until it answers. Tries a few
/// ports: another process may take the free one before the child binds it.
fn start_process(binary: &Path, args: &[String], env: &[(&str, &str)]) -> App {
    let mut failures = Vec::new();
    for _ in 0..3 {
        let port = free_port();
        let mut command = Command::new(binary);
        if !binary.ends_with("devhost") {
            command.arg("up"); // Spin logs component output under .spin/ (git ignores it)
        }
        command.args(args);
        command
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let (mut child, output) = spawn_tied_to_this_process(command);
        let url = format!("http://127.0.0.1:{port}");
        match wait_until_healthy(&url, &mut child) {
            Ok(()) => {
                std::mem::forget(child); // it ends with this process (see below)
                return App {
                    url,
                    output: Some(output),
                };
            }
            Err(why) => {
                let _ = child.kill();
                let _ = child.wait();
                let printed = output.lock().unwrap_or_else(|e| e.into_inner()).clone();
                if !printed.contains("in use") {
                    panic!(
                        "{} {} did not start: {why}\n{printed}",
                        binary.display(),
                        args.join(" ")
                    );
                }
                failures.push(printed);
            }
        }
    }
    panic!("no free port was found: {failures:?}");
}

fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    probe.local_addr().expect("its address").port()
}

/// Polls Spin's health endpoint until it answers 200, the child exits, or time runs out.
fn wait_until_healthy(url: &str, child: &mut Child) -> Result<(), String> {
    let health = format!("{url}/.well-known/spin/health");
    let started = Instant::now();
    while started.elapsed() < START_TIMEOUT {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("it exited ({status})"));
        }
        if let Ok(mut stream) = std::net::TcpStream::connect(url.trim_start_matches("http://")) {
            use std::io::Write;
            let request = "GET /.well-known/spin/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            let mut answer = String::new();
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_to_string(&mut answer).is_ok()
                && answer.starts_with("HTTP/1.1 200")
            {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("{health} did not answer within {START_TIMEOUT:?}"))
}

/// Spawns `command` from one long-lived thread with `PR_SET_PDEATHSIG`, so the child
/// gets SIGTERM when this test process ends, however it ends (the signal follows
/// the spawning thread, hence one thread that lives as long as the process).
/// Returns the child and a buffer that collects its stdout and stderr.
fn spawn_tied_to_this_process(command: Command) -> (Child, Arc<Mutex<String>>) {
    type Job = (Command, std::sync::mpsc::Sender<std::io::Result<Child>>);
    static SPAWNER: OnceLock<Mutex<std::sync::mpsc::Sender<Job>>> = OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        std::thread::spawn(move || {
            for (mut command, reply) in queue {
                use std::os::unix::process::CommandExt;
                // SAFETY: prctl is async-signal-safe and touches no memory of ours.
                unsafe {
                    command.pre_exec(|| {
                        if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                            return Err(std::io::Error::last_os_error());
                        }
                        Ok(())
                    });
                }
                let _ = reply.send(command.spawn());
            }
        });
        Mutex::new(jobs)
    });
    let program = command.get_program().to_string_lossy().into_owned();
    let (reply, answer) = std::sync::mpsc::channel();
    spawner
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send((command, reply))
        .expect("the spawner thread runs");
    let mut child = answer
        .recv()
        .expect("the spawner answers")
        .unwrap_or_else(|error| panic!("cannot start {program}: {error}"));
    let output = Arc::new(Mutex::new(String::new()));
    for pipe in [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    {
        let output = output.clone();
        std::thread::spawn(move || collect(pipe, &output));
    }
    (child, output)
}

/// Appends what `pipe` gives to `output` until it closes (so the child never blocks
/// on a full pipe).
fn collect(mut pipe: Box<dyn Read + Send>, output: &Mutex<String>) {
    let mut buffer = [0u8; 8192];
    while let Ok(read) = pipe.read(&mut buffer) {
        if read == 0 {
            break;
        }
        output
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_str(&String::from_utf8_lossy(&buffer[..read]));
    }
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

/// How many pairs of the `(from, until)` intervals overlap: the number of pairs of
/// tasks that were running at the same moment.
pub fn overlapping_pairs(intervals: &[(f64, f64)]) -> usize {
    let mut pairs = 0;
    for (i, a) in intervals.iter().enumerate() {
        for b in &intervals[i + 1..] {
            if a.0 < b.1 && b.0 < a.1 {
                pairs += 1;
            }
        }
    }
    pairs
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

/// `value` with every `"at"` (the source line an await was recorded at) taken out
/// of its objects: for comparing await graphs by what they await.
pub fn without_at(value: &serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .filter(|(key, _)| *key != "at")
            .map(|(key, value)| (key.clone(), without_at(value)))
            .collect(),
        serde_json::Value::Array(items) => items.iter().map(without_at).collect(),
        other => other.clone(),
    }
}
