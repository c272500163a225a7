//! `?view=text`: a run drawn for a terminal, as `python -m asyncio pstree` prints
//! an await tree and tokio-console draws tasks.
//!
//! Everything is drawn from the report's JSON (the [`crate::Report`] as it would be
//! sent), so the picture and the JSON never disagree: no number is worked out
//! twice. The picture fits [`WIDTH`] columns: a header, one row per task on a
//! shared time axis (at most [`MAX_ROWS`], the rest folded into a count of their
//! outcomes), a legend, the warnings, the await graph and the note. ANSI colour
//! only when asked for (`color=true`).

use serde_json::Value;
use std::fmt::Write;

/// Columns the picture fits in.
pub const WIDTH: usize = 100;
/// Task rows (and graph nodes) drawn before the rest are folded.
pub const MAX_ROWS: usize = 40;
const ID_W: usize = 4;
const LABEL_W: usize = 28;
const OUTCOME_W: usize = 11;
/// The timeline's columns: what the row leaves after its id, label and outcome.
const BAR_W: usize = WIDTH - ID_W - 1 - LABEL_W - 1 - 2 - 1 - OUTCOME_W;
const RUNNING: char = '█';
const WAITING: char = '░';

/// How a report is answered: its JSON (the default) or a terminal picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Json,
    Text {
        color: bool,
    },
}

/// ANSI colours, or nothing.
struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn outcome(&self, outcome: &str, text: &str) -> String {
        let code = match outcome {
            "ok" => "32",
            "error" => "31",
            "cancelled" | "timed_out" => "33",
            _ => "2",
        };
        self.wrap(code, text)
    }
}

/// The whole picture of `report` (a report's JSON, or a stream's summary line).
pub fn render(report: &Value, color: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    let num = |key: &str| report[key].as_f64().unwrap_or(0.0);
    let instance = &report["instance"];
    let _ = writeln!(
        out,
        "{}",
        fit(
            &format!(
                "{}: {} ms (expected {} ms) · instance {} (request {}, serving {})",
                report["demo"].as_str().unwrap_or("?"),
                num("elapsed_ms"),
                num("expected_ms"),
                instance["id"].as_str().unwrap_or("?"),
                instance["request_number"],
                instance["serving"],
            ),
            WIDTH
        )
    );
    let tasks = report["tasks"].as_array().cloned().unwrap_or_default();
    let span = tasks
        .iter()
        .filter_map(|task| task["finished_ms"].as_f64())
        .fold(num("elapsed_ms").max(num("expected_ms")), f64::max)
        .max(0.1);
    let per_col = span / BAR_W as f64;
    let _ = writeln!(
        out,
        "{:>ID_W$} {:<LABEL_W$} |{}| outcome",
        "task",
        "",
        axis(span)
    );
    for task in tasks.iter().take(MAX_ROWS) {
        out.push_str(&row(task, num("elapsed_ms"), per_col, &paint));
        out.push('\n');
    }
    if tasks.len() > MAX_ROWS {
        let folded = &tasks[MAX_ROWS..];
        let _ = writeln!(
            out,
            "{}",
            fit(
                &format!(
                    "... {} more tasks folded: {}",
                    folded.len(),
                    outcome_counts(folded)
                ),
                WIDTH
            )
        );
    }
    let _ = writeln!(
        out,
        "{}",
        fit(
            &format!(
                "{RUNNING} running (holding the thread)  {WAITING} waiting at an await  axis 0-{span:.0} ms, {per_col:.1} ms a column"
            ),
            WIDTH
        )
    );
    let warnings = report["warnings"].as_array().cloned().unwrap_or_default();
    if !warnings.is_empty() {
        out.push_str("\nwarnings:\n");
        for warning in &warnings {
            let text = paint.wrap("33", warning.as_str().unwrap_or(""));
            out.push_str(&wrap(&text, "  ! ", "    "));
        }
    }
    out.push_str("\nawait graph:\n");
    let mut nodes = 0;
    tree(&report["tree"], "", true, &mut nodes, &mut out);
    if nodes > MAX_ROWS {
        let _ = writeln!(out, "... {} more nodes folded", nodes - MAX_ROWS);
    }
    if let Some(note) = report["note"].as_str() {
        out.push('\n');
        out.push_str(&wrap(note, "note: ", "      "));
    }
    out
}

/// One event of a streamed run, as a line: `  12.3 ms  task 0  finished (ok)`.
pub fn event_line(line: &Value, color: bool) -> String {
    let paint = Paint(color);
    // A line the lesson writes itself (as-completed's answers) carries no time.
    let t = match line["t_ms"].as_f64() {
        Some(t) => format!("{t:>9.1} ms"),
        None => format!("{:>12}", ""),
    };
    let who = match line["task"].as_u64() {
        Some(task) => format!("task {task}"),
        None => "handler".to_owned(),
    };
    let what = line["what"].as_str().unwrap_or("");
    let outcome = line["outcome"].as_str().unwrap_or("");
    let tail = if outcome.is_empty() || outcome == "pending" {
        String::new()
    } else {
        format!(" ({})", paint.outcome(outcome, outcome))
    };
    let label = line["label"]
        .as_str()
        .map(|label| format!("  {label}"))
        .unwrap_or_default();
    fit(&format!("{t}  {who:<8} {what}{tail}{label}"), WIDTH)
}

/// The axis header: `0` at the left, the span at the right.
fn axis(span: f64) -> String {
    let right = format!("{span:.0} ms");
    let mut axis = String::from("0");
    while axis.chars().count() + right.chars().count() < BAR_W {
        axis.push(' ');
    }
    axis.push_str(&right);
    axis
}

/// A task's row: id, label, its bar (running over waiting), its outcome.
fn row(task: &Value, elapsed: f64, per_col: f64, paint: &Paint) -> String {
    let id = task["id"].as_u64().unwrap_or(0);
    let label = fit(task["label"].as_str().unwrap_or(""), LABEL_W);
    let outcome = task["outcome"].as_str().unwrap_or("pending");
    let started = task["started_ms"].as_f64();
    let finished = task["finished_ms"].as_f64();
    let busy: Vec<(f64, f64)> = task["busy"]
        .as_array()
        .map(|segments| {
            segments
                .iter()
                .filter_map(|s| Some((s[0].as_f64()?, s[1].as_f64()?)))
                .collect()
        })
        .unwrap_or_default();
    let mut bar = String::new();
    for col in 0..BAR_W {
        let (from, to) = (col as f64 * per_col, (col + 1) as f64 * per_col);
        let alive = match started {
            Some(start) => start < to && finished.unwrap_or(elapsed) >= from,
            None => false,
        };
        let running = busy.iter().any(|&(a, b)| a < to && b > from);
        bar.push(if running {
            RUNNING
        } else if alive {
            WAITING
        } else {
            ' '
        });
    }
    let mark = match outcome {
        "ok" => "ok",
        "error" => "error",
        "cancelled" => "cancelled",
        "timed_out" => "timed out",
        _ => "pending",
    };
    let bar = if paint.0 {
        paint.outcome(outcome, &bar)
    } else {
        bar
    };
    format!(
        "{id:>ID_W$} {label:<LABEL_W$} |{bar}| {}",
        paint.outcome(outcome, mark)
    )
}

fn outcome_counts(tasks: &[Value]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for task in tasks {
        let outcome = task["outcome"].as_str().unwrap_or("pending").to_owned();
        match counts.iter_mut().find(|(name, _)| *name == outcome) {
            Some((_, count)) => *count += 1,
            None => counts.push((outcome, 1)),
        }
    }
    let listed: Vec<String> = counts
        .iter()
        .map(|(name, count)| format!("{count} {name}"))
        .collect();
    listed.join(", ")
}

/// What a node awaits, in words (as the page says it).
fn describe(awaited: &Value) -> String {
    let task = |key: &str| awaited[key].as_u64().unwrap_or(0);
    match awaited["kind"].as_str().unwrap_or("") {
        "http" => awaited["request"].as_str().unwrap_or("http").to_owned(),
        "timer" => format!("sleep {} ms", awaited["ms"]),
        "yield" => "yield (sleep(0))".to_owned(),
        "task" => format!("task {}", task("task")),
        "shield" => format!("shield(task {})", task("task")),
        "future" => match awaited["set_by"].as_u64() {
            Some(setter) => format!(
                "{} (set by task {setter})",
                awaited["name"].as_str().unwrap_or("fut")
            ),
            None => format!("{} (not set)", awaited["name"].as_str().unwrap_or("fut")),
        },
        "race" => {
            let work: Vec<String> = awaited["work"]
                .as_array()
                .map(|work| work.iter().map(describe).collect())
                .unwrap_or_default();
            format!(
                "timeout {} ms racing [{}]",
                awaited["timer_ms"],
                work.join(", ")
            )
        }
        "nothing" => format!("nothing: {}", awaited["why"].as_str().unwrap_or("")),
        other => other.to_owned(),
    }
}

/// The await graph, `pstree` style, at most [`MAX_ROWS`] nodes drawn.
fn tree(node: &Value, prefix: &str, last: bool, drawn: &mut usize, out: &mut String) {
    *drawn += 1;
    if *drawn <= MAX_ROWS {
        let name = match node["task"].as_u64() {
            Some(task) => format!("task {task}: {}", node["label"].as_str().unwrap_or("")),
            None => node["label"]
                .as_str()
                .unwrap_or("request handler")
                .to_owned(),
        };
        // Each wait with the line of the shown code that awaits it, when known.
        let awaits: Vec<String> = node["awaits"]
            .as_array()
            .map(|awaits| {
                (awaits.iter())
                    .map(|awaited| match awaited["at"]["line"].as_u64() {
                        Some(line) => format!("{} (line {line})", describe(awaited)),
                        None => describe(awaited),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let branch = if last { "└── " } else { "├── " };
        let text = if awaits.is_empty() {
            name
        } else {
            format!("{name}  awaits {}", awaits.join("; "))
        };
        let _ = writeln!(out, "{}", fit(&format!("{prefix}{branch}{text}"), WIDTH));
    }
    let children = node["children"].as_array().cloned().unwrap_or_default();
    let deeper = format!("{prefix}{}", if last { "    " } else { "│   " });
    for (i, child) in children.iter().enumerate() {
        tree(child, &deeper, i + 1 == children.len(), drawn, out);
    }
}

/// `text` cut to `width` characters, with `…` where it was cut.
fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(width - 1).collect();
    cut.push('…');
    cut
}

/// `text` wrapped at [`WIDTH`]: the first line after `first`, the rest after `rest`.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = rest.to_owned();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(tasks: usize) -> Value {
        let tasks: Vec<Value> = (0..tasks)
            .map(|id| {
                json!({ "id": id, "label": format!("GET /upstream?delay_ms={}", id * 10),
                    "started_ms": 0.0, "finished_ms": 100.0, "outcome": if id == 1 { "error" } else { "ok" },
                    "busy": [[0.0, 1.0], [99.0, 100.0]] })
            })
            .collect();
        json!({ "demo": "gather", "elapsed_ms": 100.0, "expected_ms": 100, "tasks": tasks,
            "instance": { "id": "ab", "request_number": 1, "serving": 1 },
            "warnings": ["long poll: task 0 held the thread for 20 ms in one poll"],
            "tree": { "task": null, "label": "request handler", "awaits": [{ "kind": "task", "task": 0 }],
                "children": [{ "task": 0, "label": "GET /upstream?delay_ms=0", "awaits": [{ "kind": "http", "request": "GET /upstream?delay_ms=0" }], "children": [] }] },
            "note": "All calls overlapped." })
    }

    #[test]
    fn a_picture_fits_the_width_and_carries_the_report() {
        let text = render(&report(3), false);
        for line in text.lines() {
            assert!(
                line.chars().count() <= WIDTH,
                "{} columns: {line}",
                line.chars().count()
            );
        }
        assert!(
            text.starts_with("gather: 100 ms (expected 100 ms)"),
            "{text}"
        );
        assert!(text.contains("GET /upstream?delay_ms=20"));
        assert!(text.contains("| error"));
        assert!(
            text.contains("└── request handler  awaits task 0"),
            "{text}"
        );
        assert!(
            text.contains(
                "    └── task 0: GET /upstream?delay_ms=0  awaits GET /upstream?delay_ms=0"
            ),
            "{text}"
        );
        assert!(text.contains("note: All calls overlapped."));
        assert!(!text.contains('\x1b'), "no colour unless asked");
        assert!(render(&report(3), true).contains("\x1b[31m"));
    }

    #[test]
    fn wide_runs_fold_after_forty_rows() {
        let text = render(&report(45), false);
        let rows = text
            .lines()
            .filter(|line| line.contains("GET /upstream"))
            .count();
        assert_eq!(
            rows,
            MAX_ROWS + 1,
            "40 task rows and one graph node: {text}"
        );
        assert!(text.contains("... 5 more tasks folded: 5 ok"), "{text}");
    }

    #[test]
    fn a_row_draws_running_over_waiting() {
        let text = render(&report(1), false);
        let row = text.lines().find(|line| line.starts_with("   0 ")).unwrap();
        assert!(row.contains(RUNNING) && row.contains(WAITING), "{row}");
        assert!(row.ends_with("| ok"), "{row}");
    }
}
