//! `?view=text`: every demo draws its run for a terminal, from the same report its
//! JSON answers: the same tasks in the same order, the same outcomes, about the same
//! elapsed time (two runs), in 100 columns, colour only when asked for.

use integration_tests::{app_url, client, get_json};
use serde_json::Value;

/// Every demo, quickly, and whether it streams.
const RUNS: &[(&str, bool)] = &[
    ("/demo/sequential?delays=10,20", false),
    ("/demo/tasks?delays=10,20", false),
    // 300 against 10 ms: the failure comes first in both runs, even on a loaded machine.
    ("/demo/gather?delays=300,10&fail=1", false),
    (
        "/demo/wait?delays=10,200&return_when=first_completed",
        false,
    ),
    ("/demo/as-completed?delays=40,10", true),
    ("/demo/timeout?delay_ms=200&timeout_ms=20", false),
    (
        "/demo/cancel?work_ms=0&delay_ms=200&cancel_after_ms=10",
        false,
    ),
    ("/demo/shield?delay_ms=60&timeout_ms=10", true),
    ("/demo/future?delay_ms=10&waiters=2", false),
    ("/demo/event-loop?n=2&steps=2&step_ms=1", false),
    ("/demo/blocking?n=2&delay_ms=10", false),
    ("/demo/cpu?n=2&work_ms=10&mode=inline", false),
    ("/asynctasks?delays=10,500&timeout_ms=100", false),
];

/// `(content type, body)` of a text answer.
async fn text(url: &str) -> (String, String) {
    let response = client().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    (kind, response.text().await.unwrap())
}

/// The JSON report of a run (a stream's last line).
async fn report(url: &str, streams: bool) -> Value {
    if streams {
        let (status, lines) = integration_tests::get_ndjson(url).await;
        assert_eq!(status, 200);
        lines.last().unwrap().value.clone()
    } else {
        let (status, body) = get_json(url).await;
        assert_eq!(status, 200, "{body}");
        body
    }
}

/// The task rows of a picture: `(id, label, outcome)`.
fn rows(picture: &str) -> Vec<(u64, String, String)> {
    picture
        .lines()
        .filter_map(|line| {
            let (head, rest) = line.split_once(" |")?;
            let id: u64 = head.get(..4)?.trim().parse().ok()?;
            let outcome = rest.rsplit_once("| ")?.1.to_owned();
            Some((id, head[5..].trim_end().to_owned(), outcome))
        })
        .collect()
}

/// Where a picture and a JSON report of two runs of `path` disagree on what the
/// run was: its elapsed time, its tasks' ids, labels and outcomes.
fn disagreement(path: &str, json: &Value, picture: &str) -> Option<String> {
    let demo = json["demo"].as_str().unwrap();
    let header = picture.lines().next().unwrap();
    let elapsed: f64 = header[demo.len() + 2..]
        .split(" ms")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let json_elapsed = json["elapsed_ms"].as_f64().unwrap();
    if (elapsed - json_elapsed).abs() > 150.0 + 0.5 * json_elapsed {
        return Some(format!("{path}: text {elapsed} ms, JSON {json_elapsed} ms"));
    }
    let drawn = rows(picture);
    let tasks = json["tasks"].as_array().unwrap();
    if drawn.len() != tasks.len().min(40) {
        return Some(format!(
            "{path}: {} rows for {} tasks: {picture}",
            drawn.len(),
            tasks.len()
        ));
    }
    for ((id, label, outcome), task) in drawn.iter().zip(tasks) {
        let want = task["label"].as_str().unwrap();
        let outcome_wanted = task["outcome"].as_str().unwrap().replace('_', " ");
        if *id != task["id"].as_u64().unwrap()
            || !want.starts_with(label.trim_end_matches('…'))
            || *outcome != outcome_wanted
        {
            return Some(format!(
                "{path}: row {id} {label} {outcome}, JSON task {} {want} {outcome_wanted}",
                task["id"]
            ));
        }
    }
    None
}

#[tokio::test]
async fn every_demo_draws_the_run_its_json_reports() {
    for &(path, streams) in RUNS {
        // Two runs are compared, so a run slowed down by the rest of the suite on a
        // loaded machine (a 100 ms timer that fires 800 ms late) is tried again: at
        // most three pairs, one of which must agree.
        let mut failures = Vec::new();
        for _attempt in 0..3 {
            let json = report(&format!("{}{path}", app_url()), streams).await;
            let (kind, body) = text(&format!("{}{path}&view=text", app_url())).await;
            assert_eq!(kind, "text/plain; charset=utf-8", "{path}");
            assert!(!body.contains('\x1b'), "{path}: colour without color=true");
            for line in body.lines() {
                assert!(
                    line.chars().count() <= 100,
                    "{path}: over 100 columns: {line}"
                );
            }
            // A stream writes its events first, then the picture.
            let demo = json["demo"].as_str().unwrap();
            let picture = &body[body.find(&format!("{demo}: ")).expect("a header line")..];
            assert!(
                picture.contains("await graph:\n└── request handler"),
                "{path}"
            );
            assert!(picture.contains("\nnote: "), "{path}");
            if streams {
                assert!(body.starts_with(' '), "{path}: events come first: {body}");
            }
            match disagreement(path, &json, picture) {
                None => break,
                Some(why) => failures.push(why),
            }
        }
        assert!(
            failures.len() < 3,
            "three pairs of runs disagreed: {failures:#?}"
        );
    }
}

#[tokio::test]
async fn colour_only_when_asked_and_bad_views_are_refused() {
    let base = app_url();
    let (_, coloured) = text(&format!(
        "{base}/demo/gather?delays=10&view=text&color=true"
    ))
    .await;
    assert!(coloured.contains("\x1b[32m"), "{coloured}");
    let (status, error) = get_json(&format!("{base}/demo/gather?view=html")).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["param"], "view");
    let (status, json) = get_json(&format!("{base}/demo/gather?delays=10&view=json")).await;
    assert_eq!(status, 200);
    assert_eq!(json["demo"], "gather");
}

#[tokio::test]
async fn a_thousand_tasks_fold_after_forty_rows() {
    let (_, body) = text(&format!(
        "{}/demo/gather?n=1000&delay_ms=0&view=text",
        app_url()
    ))
    .await;
    assert_eq!(rows(&body).len(), 40, "{body}");
    assert!(body.contains("... 960 more tasks folded: 960 ok"), "{body}");
    // 40 rows, 40 graph nodes, a dozen warnings at most, the header, legend and note.
    assert!(
        body.lines().count() < 120,
        "{} lines: {body}",
        body.lines().count()
    );
}
