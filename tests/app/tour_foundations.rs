//! The tour's first lessons, on what `await` is: a coroutine runs nothing until it
//! is awaited (01), the loop runs callbacks at its next turn (02), each poll goes
//! down a chain of futures to its leaf (03); and gather against wait (12).

use crate::tour::{demo, ms, task_ms};

#[tokio::test]
async fn a_coroutine_sends_nothing_until_it_is_awaited_and_a_task_runs_unawaited() {
    let body = demo("coroutine?delay_ms=100&pause_ms=300").await;
    // Two records, two requests: the coroutine dropped unawaited was never sent.
    assert_eq!(body["tasks"].as_array().unwrap().len(), 2, "{body}");
    assert_eq!(body["outbound_requests"], 2);
    assert_eq!(body["requests_sent"], 2);
    // The task's request went out at the handler's first await, long before the
    // pause ended; the coroutine's only after it.
    assert!(task_ms(&body, 0, "started_ms") < 100.0, "{body}");
    assert!(task_ms(&body, 1, "started_ms") >= 0.95 * 300.0, "{body}");
    assert_eq!(body["task_done_before_it_was_awaited"], true);
    assert_eq!(body["coroutine_ran_only_when_awaited"], true);
    assert!(ms(&body, "elapsed_ms") >= 0.95 * 400.0);
    // A pause shorter than the call: the task had started, but was not done.
    let body = demo("coroutine?delay_ms=300&pause_ms=0").await;
    assert_eq!(body["task_done_before_it_was_awaited"], false, "{body}");
    assert!(task_ms(&body, 0, "started_ms") < 100.0, "{body}");
}

#[tokio::test]
async fn call_soon_queues_its_callback_behind_the_ready_task() {
    let body = demo("loop?delay_ms=20").await;
    assert_eq!(body["ran_inside_call_soon"], false);
    assert_eq!(body["ran_at_the_next_turn"], true);
    assert_eq!(body["callback_ran_after_the_ready_task"], true);
    assert!(
        body["loop"].is_string(),
        "the loop is named by its instance: {body}"
    );
    let events: Vec<&str> = body["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|event| event["what"].as_str())
        .collect();
    let started = events.iter().position(|what| *what == "started").unwrap();
    let callback = events
        .iter()
        .position(|what| *what == "call_soon callback ran")
        .unwrap_or_else(|| panic!("no callback event: {events:?}"));
    assert!(started < callback, "{events:?}");
}

#[tokio::test]
async fn every_poll_of_a_task_reaches_its_hand_written_leaf() {
    for (steps, polls) in [(0, 1), (3, 4), (50, 51)] {
        let body = demo(&format!("awaitable?n=2&steps={steps}")).await;
        assert_eq!(body["every_poll_reached_the_leaf"], true, "{body}");
        for chain in body["chains"].as_array().unwrap() {
            assert_eq!(chain["task_polls"], polls, "steps={steps}: {chain}");
            assert_eq!(chain["leaf_polls"], polls, "steps={steps}: {chain}");
        }
        assert_eq!(body["outbound_requests"], 0);
    }
}

#[tokio::test]
async fn gather_returns_one_ordered_list_and_wait_returns_every_task() {
    let body = demo("gather-vs-wait?delays=300,100,200").await;
    assert_eq!(
        body["gather"]["returned"],
        serde_json::json!([300, 100, 200])
    );
    assert_eq!(body["gather"]["raised"], serde_json::Value::Null);
    assert_eq!(body["wait"]["done"], serde_json::json!([0, 1, 2]));
    assert_eq!(body["wait"]["pending"], serde_json::json!([]));
    // gather, then wait: about 300 ms each.
    assert!(ms(&body, "elapsed_ms") >= 0.95 * 600.0, "{body}");
}

#[tokio::test]
async fn gather_raises_the_first_error_at_once_and_wait_keeps_it_in_its_task() {
    let body = demo("gather-vs-wait?delays=600,100,300&fail=1").await;
    assert_eq!(body["gather"]["raised"], "upstream answered 500");
    assert_eq!(body["gather"]["returned"], serde_json::Value::Null);
    assert_eq!(
        body["wait"]["exceptions"],
        serde_json::json!({ "1": "upstream answered 500" })
    );
    assert_eq!(body["wait"]["done"], serde_json::json!([0, 1, 2]));
    // wait's tasks start as soon as gather raised (at 100 ms), not when gather's
    // other tasks end (600 ms): they run on, and finish ok.
    let wait_started = task_ms(&body, 3, "started_ms");
    assert!(
        (95.0..450.0).contains(&wait_started),
        "wait started at {wait_started} ms: {body}"
    );
    assert_eq!(body["tasks"][0]["outcome"], "ok", "{body}");
    assert_eq!(body["tasks"][2]["outcome"], "ok", "{body}");
}
