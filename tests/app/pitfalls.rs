//! The pitfalls: a blocking call stalls its instance (and only its instance).

use crate::tour::{demo_isolated, ms};
use integration_tests::{app_url, app_with, get_json, isolated_app_url};
use std::time::{Duration, Instant};

#[tokio::test]
async fn blocking_sleeps_add_up_and_async_sleeps_overlap() {
    let body = demo_isolated("blocking?n=3&delay_ms=300&mode=both").await;
    let blocking = body["runs"]["blocking"]["elapsed_ms"].as_f64().unwrap();
    let overlapped = body["runs"]["async"]["elapsed_ms"].as_f64().unwrap();
    assert!(blocking >= 0.8 * 3.0 * 300.0, "blocking: {blocking} ms");
    assert!(overlapped <= 2.0 * 300.0, "async: {overlapped} ms");
    assert!(ms(&body, "elapsed_ms") >= blocking + overlapped * 0.9);
    // Blocking tasks ran strictly one after another.
    for task in 1..3 {
        let started = body["tasks"][task]["started_ms"].as_f64().unwrap();
        let previous_end = body["tasks"][task - 1]["finished_ms"].as_f64().unwrap();
        assert!(started >= previous_end, "{body}");
    }
}

#[tokio::test]
async fn a_blocking_call_moved_to_other_instances_no_longer_stalls_the_loop() {
    let body = demo_isolated("blocking?n=3&delay_ms=300&mode=offload").await;
    let offloaded = body["runs"]["offload"]["elapsed_ms"].as_f64().unwrap();
    // Three blocking sleeps of 300 ms, each on a worker instance of its own: they
    // overlap (one after another they would take 900 ms).
    assert!(offloaded >= 0.95 * 300.0, "offload: {offloaded} ms");
    assert!(offloaded <= 2.0 * 300.0, "offload: {offloaded} ms");
    assert_eq!(body["outbound_requests"], 3);
    for task in body["tasks"].as_array().unwrap() {
        assert_eq!(task["outcome"], "ok", "{task}");
        assert_eq!(task["result"]["block_ms"], 300, "{task}");
        // The task only awaited: it never held the thread for long.
        assert!(task["longest_poll_ms"].as_f64().unwrap() < 50.0, "{task}");
    }
    assert!(body["warnings"].as_array().unwrap().is_empty(), "{body}");
}

#[tokio::test]
async fn blocking_parameters_are_bounded() {
    for (query, param) in [
        ("n=21", "n"),
        ("delay_ms=5001", "delay_ms"),
        ("n=20&delay_ms=5000", "delay_ms"),
        ("mode=sometimes", "mode"),
    ] {
        let (status, body) = get_json(&format!("{}/demo/blocking?{query}", app_url())).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["param"], param, "{query}");
    }
}

/// One request's latency and the instance that served it.
struct Served {
    name: String,
    latency_ms: f64,
    instance: String,
}

async fn served(base: &str, name: String, query: &str, after_ms: u64) -> Served {
    tokio::time::sleep(Duration::from_millis(after_ms)).await;
    let started = Instant::now();
    let (status, body) = get_json(&format!("{base}/demo/blocking?{query}")).await;
    assert_eq!(status, 200, "{name}: {body}");
    Served {
        name,
        latency_ms: started.elapsed().as_secs_f64() * 1000.0,
        instance: body["instance"]["id"].as_str().unwrap().to_owned(),
    }
}

const BLOCK_MS: f64 = 1500.0;
const EARLY_SLEEP_MS: f64 = 800.0;

/// Four requests that await 800 ms; 100 ms later one that blocks for 1.5 s; 200 ms
/// after that, three quick ones. Returns the blocker and the others.
async fn stall_scenario(base: &str) -> (Served, Vec<Served>) {
    let early =
        (0..4).map(|i| served(base, format!("early {i}"), "mode=async&n=1&delay_ms=800", 0));
    let late = (0..3).map(|i| served(base, format!("late {i}"), "mode=async&n=1&delay_ms=0", 300));
    let blocker = served(
        base,
        "blocker".into(),
        "mode=blocking&n=1&delay_ms=1500",
        100,
    );
    let (blocker, early, late) = tokio::join!(
        blocker,
        futures::future::join_all(early),
        futures::future::join_all(late)
    );
    (blocker, early.into_iter().chain(late).collect())
}

#[tokio::test]
async fn a_blocked_instance_stalls_the_requests_it_holds_and_only_those() {
    let base = isolated_app_url();
    // Which requests share the blocker's instance is the dispatcher's choice; try a
    // few times for a run that shows both sides.
    let mut attempts = Vec::new();
    for _ in 0..3 {
        let (blocker, others) = stall_scenario(&base).await;
        assert!(blocker.latency_ms >= 0.9 * BLOCK_MS);
        let mut shared = 0;
        for request in &others {
            let undisturbed_ms = undisturbed_ms(request);
            if request.instance == blocker.instance {
                shared += 1;
                // It could not answer before the block ended.
                assert!(
                    request.latency_ms >= undisturbed_ms + 0.5 * (BLOCK_MS - undisturbed_ms),
                    "{} shared the blocked instance yet answered in {:.0} ms",
                    request.name,
                    request.latency_ms
                );
            } else {
                assert!(
                    request.latency_ms < undisturbed_ms + 0.5 * BLOCK_MS,
                    "{} ran on another instance yet took {:.0} ms",
                    request.name,
                    request.latency_ms
                );
            }
        }
        if shared > 0 && shared < others.len() {
            return;
        }
        attempts.push(
            others
                .iter()
                .map(|r| {
                    (
                        r.name.clone(),
                        r.latency_ms as u64,
                        r.instance == blocker.instance,
                    )
                })
                .collect::<Vec<_>>(),
        );
    }
    panic!("no run had requests both on and off the blocked instance: {attempts:?}");
}

fn undisturbed_ms(request: &Served) -> f64 {
    if request.name.starts_with("early") {
        EARLY_SLEEP_MS
    } else {
        0.0
    }
}

#[tokio::test]
async fn with_a_reuse_limit_of_one_no_request_is_stalled() {
    let manifest = integration_tests::app_manifest();
    let base = app_with(&[
        "--from",
        &manifest,
        "--max-instance-concurrent-reuse-count",
        "1",
    ]);
    let (blocker, others) = stall_scenario(&base).await;
    for request in &others {
        assert_ne!(
            request.instance, blocker.instance,
            "{} shared an instance",
            request.name
        );
        let undisturbed_ms = if request.name.starts_with("early") {
            EARLY_SLEEP_MS
        } else {
            0.0
        };
        assert!(
            request.latency_ms < undisturbed_ms + 0.5 * BLOCK_MS,
            "{} took {:.0} ms",
            request.name,
            request.latency_ms
        );
    }
}

#[tokio::test]
async fn cpu_work_inline_takes_turns_and_offloaded_runs_in_parallel() {
    let body = demo_isolated("cpu?n=4&work_ms=250&mode=both").await;
    // Inline: one thread, so the four tasks ran strictly one after another.
    for task in 1..4 {
        let started = body["tasks"][task]["started_ms"].as_f64().unwrap();
        let previous_end = body["tasks"][task - 1]["finished_ms"].as_f64().unwrap();
        assert!(started >= previous_end, "inline tasks overlapped: {body}");
    }
    let outcomes = crate::tour::outcomes(&body);
    assert!(outcomes.iter().all(|o| o == "ok"), "{outcomes:?}");
    // Offloaded: spread over worker instances, some of them busy at the same
    // moment. The speed-up this gives depends on free cores: `make bench` shows it.
    let offload = &body["runs"]["offload"];
    assert!(
        offload["worker_instances"].as_u64().unwrap() > 1,
        "the work was not spread over instances: {offload}"
    );
    let windows: Vec<(f64, f64)> = body["tasks"].as_array().unwrap()[4..]
        .iter()
        .map(|task| crate::cpu_worker::busy_window(&task["result"]))
        .collect();
    assert_eq!(windows.len(), 4, "{body}");
    assert!(
        integration_tests::overlapping_pairs(&windows) >= 1,
        "no two offloaded tasks were busy at the same time: {windows:?}"
    );
    let inline_ms = body["runs"]["inline"]["elapsed_ms"].as_f64().unwrap();
    let offload_ms = offload["elapsed_ms"].as_f64().unwrap();
    assert!((inline_ms / offload_ms - offload["speedup"].as_f64().unwrap()).abs() < 0.01);
}

#[tokio::test]
async fn cpu_parameters_are_bounded() {
    for (query, param) in [
        ("n=17", "n"),
        ("work_ms=2001", "work_ms"),
        ("work_ms=10&iterations=10", "iterations"),
        ("n=16&work_ms=2000", "work_ms"),
        ("mode=threads", "mode"),
        ("transport=ftp", "transport"),
    ] {
        let (status, body) = get_json(&format!("{}/demo/cpu?{query}", app_url())).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["param"], param, "{query}");
    }
}
