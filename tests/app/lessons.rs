//! What a learner reads is the code that ran: every demo answers, as `rust`, regions
//! cut from its own source, and `rust_source` says where they are. This reads those
//! files and lines and checks that they hold exactly that code, for each mode.

use integration_tests::{app_url, get_json, get_ndjson, repo_root};
use serde_json::Value;

/// A quick run of every lesson (and of /asynctasks, the original's own lesson).
const RUNS: &[&str] = &[
    "/demo/coroutine?delay_ms=10&pause_ms=10",
    "/demo/loop?delay_ms=10",
    "/demo/awaitable?steps=2",
    "/demo/sequential?delays=10,20",
    "/demo/tasks?delays=10,20",
    "/demo/gather?delays=10,20",
    "/demo/gather?delays=10,20&return_exceptions=true",
    "/demo/wait?delays=10,20&timeout_ms=5000",
    "/demo/as-completed?delays=10,20",
    "/demo/timeout?delay_ms=50&timeout_ms=10",
    "/demo/cancel?work_ms=0&delay_ms=50&cancel_after_ms=10",
    "/demo/shield?delay_ms=50&timeout_ms=10",
    "/demo/shield?delay_ms=50&timeout_ms=10&shield=false",
    "/demo/gather-vs-wait?delays=10,20&fail=0",
    "/demo/future?delay_ms=10",
    "/demo/future?delay_ms=10&fail=true",
    "/demo/event-loop?step_ms=1",
    "/demo/blocking?delay_ms=10",
    "/demo/blocking?delay_ms=10&mode=offload",
    "/demo/cpu?n=2&work_ms=10",
    "/demo/cpu?n=2&work_ms=10&mode=offload",
    "/asynctasks?delays=10,20",
];

/// The report of one run: the JSON body, or a stream's summary line.
async fn report(path: &str) -> Value {
    let url = format!("{}{path}", app_url());
    if path.starts_with("/demo/as-completed") || path.starts_with("/demo/shield") {
        let (status, lines) = get_ndjson(&url).await;
        assert_eq!(status, 200, "{path}");
        lines.last().expect("a summary line").value.clone()
    } else {
        let (status, body) = get_json(&url).await;
        assert_eq!(status, 200, "{path}: {body}");
        body
    }
}

/// Lines `first..=last` of `file`, with their common indentation removed.
fn lines_of(file: &str, first: usize, last: usize) -> String {
    let text = std::fs::read_to_string(repo_root().join(file))
        .unwrap_or_else(|e| panic!("{file} (named by rust_source): {e}"));
    let lines: Vec<&str> = text.lines().collect();
    assert!(first >= 1 && last <= lines.len(), "{file}:{first}-{last}");
    let region = &lines[first - 1..last];
    let indent = region
        .iter()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    region
        .iter()
        .map(|line| line.get(indent..).unwrap_or("").trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn every_snippet_is_cut_from_the_file_and_lines_it_names() {
    for route in integration_tests::manifest_routes()
        .into_iter()
        .filter(|route| route.starts_with("/demo/"))
    {
        assert!(
            RUNS.iter().any(|run| run.starts_with(&format!("{route}?"))),
            "{route} has no run in this test"
        );
    }
    for path in RUNS {
        let body = report(path).await;
        let rust = body["rust"].as_str().unwrap_or_default();
        assert!(!rust.trim().is_empty(), "{path}: empty rust snippet");
        let sources = body["rust_source"].as_array().expect("rust_source");
        assert!(!sources.is_empty(), "{path}");
        let cut: Vec<String> = sources
            .iter()
            .map(|at| {
                let file = at["file"].as_str().unwrap();
                assert!(
                    file.starts_with("src/") && file.ends_with("/src/lib.rs"),
                    "{path}: {file}"
                );
                let first = at["first_line"].as_u64().unwrap() as usize;
                let last = at["last_line"].as_u64().unwrap() as usize;
                lines_of(file, first, last)
            })
            .collect();
        assert_eq!(
            rust,
            cut.join("\n\n"),
            "{path}: rust is not the named lines"
        );
    }
}

#[tokio::test]
async fn the_snippet_follows_the_mode_that_ran() {
    let shielded = report("/demo/shield?delay_ms=50&timeout_ms=10").await;
    let unshielded = report("/demo/shield?delay_ms=50&timeout_ms=10&shield=false").await;
    assert_ne!(shielded["rust"], unshielded["rust"]);
    assert!(
        unshielded["rust"].as_str().unwrap().contains(".cancel()"),
        "{}",
        unshielded["rust"]
    );
    assert!(
        !shielded["rust"].as_str().unwrap().contains("work.cancel()"),
        "{}",
        shielded["rust"]
    );
    let wait = report("/demo/wait?delays=10,20&timeout_ms=5000").await;
    assert!(
        wait["rust"].as_str().unwrap().contains("timeout"),
        "wait's snippet shows its timer: {}",
        wait["rust"]
    );
    let both = report("/demo/cpu?n=2&work_ms=10").await;
    assert_eq!(both["rust_source"].as_array().unwrap().len(), 2, "{both}");
    let offload = report("/demo/cpu?n=2&work_ms=10&mode=offload").await;
    assert_eq!(offload["rust_source"].as_array().unwrap().len(), 1);
    assert!(offload["rust"].as_str().unwrap().contains("ask_worker"));
    let gather = report("/demo/gather?delays=10,20&return_exceptions=true").await;
    assert!(gather["rust"].as_str().unwrap().contains("join_all("));
    assert!(!gather["rust"].as_str().unwrap().contains("try_join_all"));
}

/// The lines between `# region: idea` and `# endregion: idea` of a `lesson.py`,
/// dedented as the report shows them.
fn python_idea(file: &str) -> String {
    let text =
        std::fs::read_to_string(repo_root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let at = |marker: &str| {
        lines
            .iter()
            .position(|line| line.trim() == marker)
            .unwrap_or_else(|| panic!("{file} has no line {marker:?}"))
    };
    let (open, close) = (at("# region: idea"), at("# endregion: idea"));
    lines_of(file, open + 2, close)
}

#[tokio::test]
async fn the_python_is_the_idea_of_the_lessons_own_program() {
    for path in RUNS {
        let body = report(path).await;
        let rust_file = body["rust_source"][0]["file"]
            .as_str()
            .expect("rust_source");
        let folder = rust_file
            .strip_suffix("/src/lib.rs")
            .expect("a lesson's lib.rs");
        assert_eq!(
            body["python"].as_str().unwrap_or_default(),
            python_idea(&format!("{folder}/lesson.py")),
            "{path}: python is not the idea of {folder}/lesson.py"
        );
        for language in ["en", "zh"] {
            let file = format!("{folder}/lesson.{language}.md");
            let text = std::fs::read_to_string(repo_root().join(&file)).unwrap_or_else(|e| {
                panic!("{file}: every lesson explains itself in both languages: {e}")
            });
            assert!(text.starts_with("# "), "{file} starts with its '# Title'");
        }
    }
}

#[tokio::test]
async fn the_playground_serves_every_lesson() {
    let (status, lessons) = get_json(&format!("{}/ui/lessons.json", app_url())).await;
    assert_eq!(status, 200);
    let lessons = lessons["lessons"].as_array().expect("lessons");
    let ideas: Vec<&str> = lessons
        .iter()
        .map(|l| l["idea"].as_str().unwrap())
        .collect();
    let mut expected: Vec<String> = RUNS
        .iter()
        .map(|run| {
            run.split('?')
                .next()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    expected.dedup();
    assert_eq!(ideas, expected, "the lessons, in the tour's order");
    for lesson in lessons {
        let program = std::fs::read_to_string(
            repo_root().join(format!("{}/lesson.py", lesson["folder"].as_str().unwrap())),
        )
        .unwrap();
        assert_eq!(lesson["python"], program.as_str(), "{}", lesson["idea"]);
        for language in ["en", "zh"] {
            assert!(!lesson["title"][language].as_str().unwrap().is_empty());
            assert!(lesson["text"][language].as_str().unwrap().len() > 400);
        }
    }
}

/// The recorder's vocabulary: none of it may appear in a region a learner reads,
/// since recording is ambient (the primitives record themselves).
const RUST_RECORDER_WORDS: &[&str] = &[
    "trace",
    "Trace",
    "recorder",
    ".note(",
    ".event(",
    "add_task",
    "instrument",
    "measure",
    "started(",
    ".finished(",
    "completion_order",
    "ids_with",
    "task_line",
    "send_line",
    "rename_outcome",
    "awaits(",
];
/// In Python, the run's `trace` and every `tour.` name but the two documented
/// helpers (the traced fetch and CPU work).
const PYTHON_RECORDER_WORDS: &[&str] =
    &["trace", "Trace", "_measure", "task_id", "note(", "event("];
const PYTHON_HELPERS: &[&str] = &["tour.fetch(", "tour.burn_for("];
const MAX_REGION_LINES: usize = 25;

/// Every `(file, region name, lines)` marked with `open`/`close` under `dirs`.
fn regions_in(file: &str, open: &str, close: &str) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
    let mut found = Vec::new();
    let mut current: Option<(String, Vec<String>)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix(open) {
            current = Some((name.to_owned(), Vec::new()));
        } else if trimmed.starts_with(close) {
            found.extend(current.take());
        } else if let Some((_, lines)) = &mut current {
            lines.push(line.to_owned());
        }
    }
    found
}

/// Each lesson folder: the tour's and /asynctasks.
fn lesson_folders() -> Vec<String> {
    let mut folders: Vec<String> = std::fs::read_dir(repo_root().join("src/tour"))
        .unwrap()
        .map(|entry| format!("src/tour/{}", entry.unwrap().file_name().to_string_lossy()))
        .collect();
    folders.sort();
    folders.push("src/service/asynctasks".to_owned());
    folders
}

#[test]
fn a_region_is_the_idea_only_and_at_most_25_lines() {
    let mut checked = 0;
    for folder in lesson_folders() {
        let rust = format!("{folder}/src/lib.rs");
        let python = format!("{folder}/lesson.py");
        let rust_regions = regions_in(&rust, "// region: ", "// endregion: ");
        let python_regions = regions_in(&python, "# region: ", "# endregion: ");
        assert!(
            !rust_regions.is_empty() && !python_regions.is_empty(),
            "{folder}"
        );
        for (file, words, regions, helpers) in [
            (&rust, RUST_RECORDER_WORDS, rust_regions, &[][..]),
            (
                &python,
                PYTHON_RECORDER_WORDS,
                python_regions,
                PYTHON_HELPERS,
            ),
        ] {
            for (name, lines) in regions {
                assert!(
                    lines.len() <= MAX_REGION_LINES,
                    "{file} region {name}: {} lines, over {MAX_REGION_LINES}",
                    lines.len()
                );
                for line in &lines {
                    let mut code = line.clone();
                    for helper in helpers {
                        code = code.replace(helper, "");
                    }
                    for word in words.iter().chain(if file.ends_with(".py") {
                        &["tour."][..]
                    } else {
                        &[][..]
                    }) {
                        assert!(
                            !code.contains(word),
                            "{file} region {name} calls the recorder ({word}): {line}"
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 26, "only {checked} regions found");
}

#[tokio::test]
async fn every_report_links_the_helpers_its_code_names() {
    for path in RUNS {
        let report = report(path).await;
        let rust = report["rust"].as_str().unwrap();
        let helpers = report["helpers"].as_array().expect("helpers");
        for helper in helpers {
            let name = helper["name"].as_str().unwrap();
            assert!(rust.contains(name), "{path}: {name} is not in the code");
            let (first, last) = (
                helper["first_line"].as_u64().unwrap() as usize,
                helper["last_line"].as_u64().unwrap() as usize,
            );
            let defined = lines_of(helper["file"].as_str().unwrap(), first, last);
            let item = name.rsplit("::").next().unwrap();
            assert!(defined.contains(item), "{path}: {name} not at {helper}");
        }
        if rust.contains("task::spawn") {
            assert!(helpers.iter().any(|h| h["name"] == "task::spawn"), "{path}");
        }
    }
}

/// The seed's ideas that once had no lesson (issue 21), each with a term its lesson
/// lists: the glossary, made from the lessons' Terms sections, points at it.
const SEED_IDEAS: &[(&str, &str, &str)] = &[
    (
        "calling a coroutine function runs nothing",
        "RuntimeWarning: coroutine ... was never awaited",
        "coroutine",
    ),
    (
        "ensure_future against create_task",
        "asyncio.ensure_future(coro_or_future)",
        "coroutine",
    ),
    ("await as yield from", "yield from", "awaitable"),
    ("awaitables share __await__", "__await__", "awaitable"),
    ("the loop: asyncio.run", "asyncio.run(main())", "loop"),
    (
        "the loop: get_running_loop",
        "asyncio.get_running_loop()",
        "loop",
    ),
    (
        "the loop: new_event_loop",
        "asyncio.new_event_loop()",
        "loop",
    ),
    (
        "the loop: set_event_loop",
        "asyncio.set_event_loop(loop)",
        "loop",
    ),
    (
        "the loop: the policy",
        "asyncio.get_event_loop_policy()",
        "loop",
    ),
    ("the loop: call_soon", "loop.call_soon(callback)", "loop"),
    (
        "the Future API: set_exception",
        "fut.set_exception(e)",
        "future",
    ),
    ("the Future API: exception()", "fut.exception()", "future"),
    ("the Future API: done()", "fut.done()", "future"),
    (
        "the Future API: done callbacks",
        "fut.add_done_callback(fn)",
        "future",
    ),
    (
        "the thread pool for blocking APIs",
        "asyncio.to_thread(fn, *args)",
        "blocking",
    ),
    (
        "gather against wait",
        "asyncio.wait(tasks)",
        "gather-vs-wait",
    ),
];

#[tokio::test]
async fn the_glossary_points_every_seed_idea_at_the_lesson_that_runs_it() {
    let (status, lessons) = get_json(&format!("{}/ui/lessons.json", app_url())).await;
    assert_eq!(status, 200);
    let glossary = lessons["glossary"].as_array().expect("a glossary");
    let ideas: Vec<&str> = lessons["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|lesson| lesson["idea"].as_str().unwrap())
        .collect();
    for term in glossary {
        let idea = term["idea"].as_str().unwrap();
        assert!(ideas.contains(&idea), "{term}: no such lesson");
        assert!(
            !term["meaning"]["en"].as_str().unwrap().is_empty(),
            "{term}"
        );
        assert!(
            !term["meaning"]["zh"].as_str().unwrap().is_empty(),
            "{term}"
        );
    }
    for (what, asyncio, idea) in SEED_IDEAS {
        assert!(
            glossary
                .iter()
                .any(|term| term["asyncio"] == *asyncio && term["idea"] == *idea),
            "{what}: the glossary should list {asyncio} under /demo/{idea}"
        );
    }
    // Every lesson lists its terms.
    for idea in ideas {
        assert!(
            glossary.iter().any(|term| term["idea"] == idea),
            "{idea} lists no terms"
        );
    }
}
