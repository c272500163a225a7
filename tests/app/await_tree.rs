//! Who awaits whom: every report carries the await tree (the handler, the tasks it
//! started, what each awaits), and the tree matches what each demo spawns.

use integration_tests::{app_url, get_json, repo_root, without_at};
use serde_json::{Value, json};

/// `(task id, awaits)` of the handler's children, checking the shape on the way.
fn children(report: &Value) -> Vec<(u64, Value)> {
    let tree = &report["tree"];
    assert_eq!(tree["task"], Value::Null, "the root is the handler: {tree}");
    assert_eq!(tree["label"], "request handler");
    let tasks = report["tasks"].as_array().expect("tasks");
    let children = tree["children"].as_array().expect("children");
    assert_eq!(children.len(), tasks.len(), "one node per task: {tree}");
    children
        .iter()
        .zip(tasks)
        .map(|(child, task)| {
            assert_eq!(child["task"], task["id"], "{tree}");
            assert_eq!(child["label"], task["label"], "{tree}");
            assert_eq!(child["awaits"], task["awaits"], "{tree}");
            assert_eq!(
                task["parent"],
                Value::Null,
                "started by the handler: {task}"
            );
            assert_eq!(child["children"], json!([]), "{tree}");
            (child["task"].as_u64().unwrap(), child["awaits"].clone())
        })
        .collect()
}

async fn report(path_and_query: &str) -> Value {
    let (status, report) = get_json(&format!("{}{path_and_query}", app_url())).await;
    assert_eq!(status, 200, "{path_and_query}: {report}");
    report
}

#[tokio::test]
async fn fan_out_tasks_await_their_upstream_calls() {
    for path in [
        "/demo/gather?delays=30,10,20",
        "/demo/wait?delays=30,10,20",
        "/demo/tasks?delays=30,10",
        "/asynctasks?delays=20,10&timeout_ms=1000",
    ] {
        let report = report(path).await;
        let tasks = report["tasks"].as_array().unwrap().clone();
        for ((_, awaits), task) in children(&report).into_iter().zip(tasks) {
            let request = task["label"].as_str().unwrap();
            assert!(request.starts_with("GET /upstream?"), "{path}: {task}");
            assert_eq!(
                without_at(&awaits),
                json!([{ "kind": "http", "request": request }]),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn future_waiters_await_the_future_the_setter_completes() {
    let report = report("/demo/future?waiters=2&delay_ms=30").await;
    let tree = &report["tree"];
    let children = tree["children"].as_array().expect("children");
    assert_eq!(children.len(), 3, "two waiters and the setter: {tree}");
    let setter = &children[2];
    assert_eq!(setter["label"], "setter", "{tree}");
    for waiter in &children[..2] {
        assert_eq!(
            without_at(&waiter["awaits"]),
            json!([{ "kind": "future", "name": "fut", "set_by": setter["task"] }])
        );
    }
    // The setter's call is a record of its own under it (the setter is named).
    let calls = setter["children"]
        .as_array()
        .expect("the setter's children");
    assert_eq!(calls.len(), 1, "{tree}");
    assert_eq!(
        calls[0]["awaits"][0]["kind"], "http",
        "the setter's call: {tree}"
    );
}

#[tokio::test]
async fn blocking_and_cpu_bound_tasks_await_nothing() {
    let report_blocking = report("/demo/blocking?n=2&delay_ms=20&mode=both").await;
    let kinds: Vec<Value> = children(&report_blocking)
        .into_iter()
        .map(|(_, awaits)| awaits[0]["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        ["nothing", "nothing", "timer", "timer"],
        "{report_blocking}"
    );
    let timer = &children(&report_blocking)[2].1[0];
    assert_eq!(timer["ms"], 20);

    let event_loop = report("/demo/event-loop?n=2&steps=2&step_ms=2&mode=both").await;
    let kinds: Vec<Value> = children(&event_loop)
        .into_iter()
        .map(|(_, awaits)| awaits[0]["kind"].clone())
        .collect();
    assert_eq!(kinds.len(), 4, "{event_loop}");
    assert!(kinds.contains(&json!("yield")) && kinds.contains(&json!("nothing")));

    let cpu = report("/demo/cpu?n=2&work_ms=20&mode=both").await;
    for (task, (_, awaits)) in cpu["tasks"].as_array().unwrap().iter().zip(children(&cpu)) {
        let label = task["label"].as_str().unwrap();
        let expected = if label.starts_with("GET /cpu-worker") {
            "http"
        } else {
            "nothing"
        };
        assert_eq!(awaits[0]["kind"], expected, "{task}");
    }
}

#[tokio::test]
async fn every_report_says_when_it_started_by_the_wall_clock() {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as f64;
    let report = report("/demo/sequential?delays=10").await;
    let started = report["started_unix_ms"].as_f64().expect("started_unix_ms");
    assert!(
        (started - now_ms).abs() < 60_000.0,
        "started_unix_ms {started} is not near the test's clock {now_ms}"
    );
}

#[tokio::test]
async fn the_canceller_awaits_its_tasks_and_its_timer() {
    let canceller = report("/demo/cancel?work_ms=0&delay_ms=200&cancel_after_ms=30").await;
    assert_eq!(
        without_at(&canceller["tree"]["awaits"]),
        json!([
            { "kind": "task", "task": 0 },
            { "kind": "timer", "ms": 30 },
            { "kind": "task", "task": 1 }
        ]),
        "{canceller}"
    );
    // A zero sleep is a turn of the loop, as asyncio.sleep(0) is.
    let at_once = report("/demo/cancel?work_ms=0&delay_ms=200&cancel_after_ms=0").await;
    assert_eq!(
        without_at(&at_once["tree"]["awaits"][1]),
        json!({ "kind": "yield" }),
        "{at_once}"
    );
}

/// The shield's report is its last NDJSON line.
async fn shield_report(query: &str) -> Value {
    let (status, lines) =
        integration_tests::get_ndjson(&format!("{}/demo/shield?{query}", app_url())).await;
    assert_eq!(status, 200);
    lines.last().unwrap().value.clone()
}

#[tokio::test]
async fn shield_and_no_shield_give_different_graphs() {
    let shielded = shield_report("delay_ms=200&timeout_ms=30&shield=true").await;
    assert_eq!(
        without_at(&shielded["tree"]["awaits"]),
        json!([
            { "kind": "race", "timer_ms": 30, "work": [{ "kind": "shield", "task": 0 }] },
            { "kind": "task", "task": 0 }
        ]),
        "the waiter gives up on the shield, then awaits the work itself"
    );
    let bare = shield_report("delay_ms=200&timeout_ms=30&shield=false").await;
    assert_eq!(
        without_at(&bare["tree"]["awaits"]),
        json!([{ "kind": "race", "timer_ms": 30, "work": [{ "kind": "task", "task": 0 }] }]),
        "without the shield the race awaits the work itself"
    );
    assert_eq!(bare["work"]["outcome"], "cancelled");
    assert_eq!(shielded["work"]["outcome"], "ok");
    // Cancelled before it ever ran: one outcome for one fact, everywhere.
    let never_ran = shield_report("delay_ms=200&timeout_ms=0&shield=false").await;
    assert_eq!(never_ran["work"]["outcome"], "cancelled", "{never_ran}");
    assert_eq!(never_ran["work"]["error"], "cancelled before it ever ran");
}

#[tokio::test]
async fn a_timeout_race_shows_the_calls_it_raced() {
    let report = report("/demo/wait?delays=300,20&return_when=all_completed&timeout_ms=100").await;
    assert_eq!(
        without_at(&report["tree"]["awaits"]),
        json!([{ "kind": "race", "timer_ms": 100, "work": [
            { "kind": "task", "task": 0 }, { "kind": "task", "task": 1 }
        ] }]),
        "{report}"
    );
    assert_eq!(report["done"], json!([1]));
    assert_eq!(report["pending"], json!([0]));
}

#[tokio::test]
async fn the_future_lesson_shows_the_handler_awaiting_the_waiters() {
    let report = report("/demo/future?waiters=2&delay_ms=20").await;
    assert_eq!(
        without_at(&report["tree"]["awaits"]),
        json!([
            { "kind": "task", "task": 0 },
            { "kind": "task", "task": 1 },
            { "kind": "task", "task": 2 }
        ]),
        "the waiters, then the setter: {report}"
    );
}

/// The line of `file` (1-based), read from the checkout.
fn source_line(file: &str, line: u64) -> String {
    let text = std::fs::read_to_string(repo_root().join(file)).unwrap();
    text.lines().nth(line as usize - 1).unwrap_or("").to_owned()
}

#[tokio::test]
async fn each_await_carries_the_line_of_the_shown_code_that_awaits_it() {
    for path in [
        "/demo/cancel?work_ms=0&delay_ms=200&cancel_after_ms=30",
        "/demo/future?waiters=2&delay_ms=20",
        "/demo/wait?delays=300,20&return_when=all_completed&timeout_ms=100",
        "/demo/gather?delays=30,10",
        "/demo/blocking?n=2&delay_ms=20",
    ] {
        let report = report(path).await;
        let sources = report["rust_source"].as_array().unwrap();
        let shown = |at: &Value| {
            sources.iter().any(|source| {
                source["file"] == at["file"]
                    && (source["first_line"].as_u64()..=source["last_line"].as_u64())
                        .contains(&at["line"].as_u64())
            })
        };
        // The handler's own waits: each at a line with its `.await` (but one awaited
        // through `&mut`, which core's `impl Future for &mut F` polls: no line).
        let handler = report["tree"]["awaits"].as_array().unwrap();
        let located: Vec<&Value> = handler.iter().filter(|a| a.get("at").is_some()).collect();
        assert!(
            handler.is_empty() || !located.is_empty(),
            "{path}: {handler:?}"
        );
        for awaited in located {
            let at = &awaited["at"];
            assert!(shown(at), "{path}: {awaited} outside the shown code");
            let line = source_line(at["file"].as_str().unwrap(), at["line"].as_u64().unwrap());
            assert!(
                line.contains(".await"),
                "{path}: {awaited} points at {line:?}"
            );
        }
        // Every location a report gives is in the code it shows.
        let steps = report["steps"].as_array().unwrap();
        let located = steps.iter().filter(|step| step.get("at").is_some());
        assert!(
            located.clone().count() > 0,
            "{path}: no step says where it stopped"
        );
        for step in located {
            assert!(shown(&step["at"]), "{path}: {step}");
        }
        for task in report["tasks"].as_array().unwrap() {
            for awaited in task["awaits"].as_array().unwrap() {
                if let Some(at) = awaited.get("at") {
                    assert!(shown(at), "{path}: {awaited}");
                }
            }
        }
    }
}

#[tokio::test]
async fn the_steps_are_the_polls_each_task_holds_the_thread_for_one_at_a_time() {
    // Two tasks that each block the thread for 60 ms: while the first runs, the
    // second is ready (spawned, waiting for the thread); the steps show it.
    let report = report("/demo/blocking?n=2&delay_ms=60&mode=blocking").await;
    let steps = report["steps"].as_array().unwrap();
    let tasks = report["tasks"].as_array().unwrap();
    let polls: u64 = tasks
        .iter()
        .map(|task| task["polls"].as_u64().unwrap())
        .sum();
    let task_steps: Vec<&Value> = steps
        .iter()
        .filter(|step| !step["task"].is_null())
        .collect();
    assert_eq!(
        task_steps.len() as u64,
        polls,
        "one step per poll: {report}"
    );
    let mut previous_end = f64::MIN;
    for step in &task_steps {
        let (from, to) = (
            step["from_ms"].as_f64().unwrap(),
            step["to_ms"].as_f64().unwrap(),
        );
        assert!(
            from <= to && from >= previous_end - 0.11,
            "task polls overlap: {report}"
        );
        previous_end = to;
    }
    let long: Vec<&&Value> = (task_steps.iter())
        .filter(|step| step["to_ms"].as_f64().unwrap() - step["from_ms"].as_f64().unwrap() >= 50.0)
        .collect();
    assert_eq!(long.len(), 2, "each task blocks in one step: {report}");
    let second = long[1];
    let ready = second["ready_ms"].as_f64().expect("the second was ready");
    assert!(
        ready <= long[0]["to_ms"].as_f64().unwrap() - 50.0,
        "the second task was ready while the first held the thread: {report}"
    );
}
