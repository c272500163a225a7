//! The asyncio tour, part 2: cancel, future, event-loop.

use crate::tour::{demo, demo_isolated, ms, outcomes, task_ms};
use serde_json::Value;

#[tokio::test]
async fn cancel_waits_for_the_await_point_after_a_cpu_step() {
    let body = demo_isolated("cancel?work_ms=400&cancel_after_ms=50&delay_ms=1500").await;
    assert_eq!(body["worker"]["cancel_returned"], true);
    assert_eq!(body["worker"]["outcome"], "cancelled");
    // The canceller was due at ~50 ms but could only run when the CPU step ended.
    let called = ms(&body, "cancel_called_ms");
    assert!(called >= 0.9 * 400.0, "cancel() ran at {called} ms: {body}");
    assert!(ms(&body, "cancel_late_by_ms") >= 0.5 * 350.0, "{body}");
    let elapsed = ms(&body, "elapsed_ms");
    assert!(elapsed < 0.6 * (400.0 + 1500.0), "{elapsed}");
    let worker = &body["tasks"][body["worker"]["task"].as_u64().unwrap() as usize];
    assert_eq!(worker["outcome"], "cancelled", "{worker}");
    // The CPU step ran to its end in one poll, and the cancel landed after it.
    assert!(
        worker["longest_poll_ms"].as_f64().unwrap() >= 0.9 * 400.0,
        "{worker}"
    );
    assert!(
        called >= worker["busy_ms"].as_f64().unwrap() * 0.9,
        "{body}"
    );
    // The canceller's 50 ms timer was due during the step: it was woken late.
    let warnings = body["warnings"].as_array().unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.as_str().unwrap().starts_with("the request handler woken")),
        "{warnings:?}"
    );
}

#[tokio::test]
async fn cancel_is_prompt_while_the_task_awaits() {
    let body = demo("cancel?work_ms=0&cancel_after_ms=100&delay_ms=1500").await;
    assert_eq!(body["worker"]["outcome"], "cancelled");
    assert!(ms(&body, "cancel_late_by_ms") < 0.5 * 1500.0, "{body}");
    assert!(ms(&body, "elapsed_ms") < 0.5 * 1500.0, "{body}");
}

#[tokio::test]
async fn cancelling_a_finished_task_changes_nothing() {
    let body = demo("cancel?work_ms=0&cancel_after_ms=600&delay_ms=50").await;
    assert_eq!(body["finished_task"]["cancel_returned"], false);
    assert_eq!(body["finished_task"]["outcome"], "ok");
    assert_eq!(body["finished_task"]["result"]["status"], 200);
    // Here the worker, too, was done before cancel() came.
    assert_eq!(body["worker"]["cancel_returned"], false);
    assert_eq!(body["worker"]["outcome"], "ok");
}

#[tokio::test]
async fn a_future_is_set_once_and_every_waiter_gets_the_value() {
    let body = demo("future?delay_ms=300&waiters=5").await;
    let value = &body["value"];
    assert_eq!(value["delay_ms"], 300);
    assert_eq!(body["all_waiters_got_the_value"], true);
    for waiter in 0..5 {
        assert_eq!(&body["tasks"][waiter]["result"], value);
        assert!(task_ms(&body, waiter, "finished_ms") >= 0.95 * 300.0);
    }
    assert_eq!(
        outcomes(&body).len(),
        7,
        "five waiters, the setter and its call"
    );
    assert_eq!(body["ended_with"], "set_result");
    assert_eq!(body["done_while_pending"], false);
    assert_eq!(body["exception_while_pending"]["accepted"], false);
    assert_eq!(body["exception"], Value::Null);
    assert_eq!(body["done_callback_ran"], true);
    assert_eq!(body["second_set"]["accepted"], false);
    assert!(
        body["second_set"]["error"]
            .as_str()
            .unwrap()
            .contains("InvalidStateError")
    );
    let states = body["states"].as_array().unwrap();
    assert_eq!(states[0]["state"], "pending");
    assert_eq!(states[1]["state"], "finished");
    assert!(states[1]["t_ms"].as_f64().unwrap() >= 0.95 * 300.0);
}

#[tokio::test]
async fn the_event_loop_runs_one_step_at_a_time_and_switches_at_yields() {
    let body = demo("event-loop?n=3&steps=3&step_ms=2").await;
    assert_eq!(
        body["step_order"]["with_yields"],
        "A0 B0 C0 A1 B1 C1 A2 B2 C2"
    );
    assert_eq!(
        body["step_order"]["without_yields"],
        "A0 A1 A2 B0 B1 B2 C0 C1 C2"
    );
    assert_eq!(body["max_steps_running_at_once"], 1);
    // 2 runs x 3 tasks x 3 steps x 2 ms of CPU cannot overlap on one thread.
    assert!(ms(&body, "elapsed_ms") >= 0.9 * 36.0, "{body}");
}

#[tokio::test]
async fn the_event_loop_runs_one_mode_when_asked() {
    let body = demo("event-loop?mode=no-yield&n=2&steps=2&step_ms=0").await;
    assert_eq!(body["step_order"]["without_yields"], "A0 A1 B0 B1");
    assert!(body["step_order"].get("with_yields").is_none());
}

#[tokio::test]
async fn a_future_ended_with_an_exception_raises_it_in_every_waiter() {
    let body = demo("future?delay_ms=100&waiters=3&fail=true").await;
    assert_eq!(body["ended_with"], "set_exception");
    assert_eq!(body["exception"], "upstream answered 500");
    for waiter in 0..3 {
        assert_eq!(body["tasks"][waiter]["outcome"], "error", "{body}");
        assert_eq!(body["tasks"][waiter]["error"], "upstream answered 500");
        assert!(task_ms(&body, waiter, "finished_ms") >= 0.95 * 100.0);
    }
    assert_eq!(body["all_waiters_got_the_value"], true);
    assert_eq!(body["done_callback_ran"], true);
    assert_eq!(body["second_set"]["accepted"], false);
}
