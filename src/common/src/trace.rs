//! The task timeline every demo reports: one record per task (when it started, when
//! it finished, how it ended) and a list of events in the order they happened.
//!
//! Tasks in a component run on one thread, like coroutines on one asyncio loop, so
//! the trace is shared with `Rc<RefCell<..>>`: no locks, and a task can only touch it
//! between two awaits, never in the middle of another task's step.
//!
//! A streaming trace also writes each event as an NDJSON line the moment it is
//! recorded (see [`crate::ndjson`]).

use crate::clock::Timeline;
use crate::ndjson::Lines;
use crate::polls::{LONG_POLL_MS, Measured, PollStats};
use serde::Serialize;
use serde_json::{Value, json};
use std::cell::RefCell;
use std::rc::Rc;

/// The event recorded when a task ends with a result or an error.
const FINISHED: &str = "finished";

/// How a task ended (or that it has not ended yet).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pending,
    Ok,
    Error,
    Cancelled,
    TimedOut,
}

/// What a task waits on when it awaits: the edges of the await tree, as Python
/// 3.14's `asyncio.capture_call_graph` (and `python -m asyncio pstree`) shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Awaits {
    /// An outbound HTTP request: the upstream, or the CPU worker.
    Http { request: String },
    /// A timer: `sleep(ms)`.
    Timer { ms: u64 },
    /// One turn of the loop: `yield_async()`, asyncio's `sleep(0)`.
    Yield,
    /// A future that another task completes.
    Future { name: &'static str, set_by: usize },
    /// Nothing: the task runs to its end without an await (blocking or CPU-bound code).
    Nothing { why: &'static str },
}

/// One task of a demo, as the JSON contract describes it.
#[derive(Clone, Debug, Serialize)]
pub struct TaskRecord {
    pub id: usize,
    pub label: String,
    /// The task that started it and awaits it; `None`: the request's handler.
    pub parent: Option<usize>,
    /// What it awaits, in the order it first awaited each.
    pub awaits: Vec<Awaits>,
    pub started_ms: Option<f64>,
    pub finished_ms: Option<f64>,
    pub outcome: Outcome,
    pub result: Option<Value>,
    pub error: Option<String>,
    /// Its polls ([`Trace::measure`]): how often and how long it held the thread.
    pub polls: u32,
    pub busy_ms: f64,
    /// From start to finish (or to now), the time it was not running: awaiting.
    pub waiting_ms: Option<f64>,
    pub longest_poll_ms: f64,
    /// When it ran: `[from_ms, to_ms]` segments, merged when close, capped.
    pub busy: Vec<[f64; 2]>,
}

/// Something that happened at `t_ms`, to a task or to the demo itself.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    pub t_ms: f64,
    pub task: Option<usize>,
    pub what: String,
}

#[derive(Debug)]
struct Recorded {
    timeline: Timeline,
    /// The wall clock when the timeline started, in ms since the Unix epoch.
    started_unix_ms: f64,
    /// The instance, and this request's number on it, counted when the trace (the
    /// request's work) starts, not when the report is written.
    instance: crate::instance::InstanceInfo,
    /// Counts this request among those the instance serves, until the trace ends.
    _in_flight: crate::instance::InFlight,
    tasks: Vec<TaskRecord>,
    /// One per task, shared with the [`Measured`] wrappers of its future.
    polls: Vec<Rc<RefCell<PollStats>>>,
    events: Vec<Event>,
    lines: Option<Lines>,
}

/// A shared, cheaply cloned handle on one request's timeline.
#[derive(Clone, Debug)]
pub struct Trace(Rc<RefCell<Recorded>>);

impl Trace {
    /// A trace whose clock starts now.
    pub fn start() -> Self {
        Self::with_lines(None)
    }

    /// A trace that also streams every event as an NDJSON line.
    pub fn streaming(lines: Lines) -> Self {
        Self::with_lines(Some(lines))
    }

    fn with_lines(lines: Option<Lines>) -> Self {
        let (in_flight, serving) = crate::instance::InFlight::enter();
        let mut instance = crate::instance::enter_request();
        instance.serving = Some(serving);
        Self(Rc::new(RefCell::new(Recorded {
            timeline: Timeline::start(),
            started_unix_ms: crate::clock::unix_ms(),
            instance,
            _in_flight: in_flight,
            tasks: Vec::new(),
            polls: Vec::new(),
            events: Vec::new(),
            lines,
        })))
    }

    /// The instance serving this request, counted when the trace started.
    pub fn instance(&self) -> crate::instance::InstanceInfo {
        self.0.borrow().instance.clone()
    }

    /// When the trace started, by the wall clock: ms since the Unix epoch.
    pub fn started_unix_ms(&self) -> f64 {
        self.0.borrow().started_unix_ms
    }

    /// Milliseconds since the trace started.
    pub fn now_ms(&self) -> f64 {
        self.0.borrow().timeline.now_ms()
    }

    /// Declares a task (pending, not started) and returns its id.
    pub fn add_task(&self, label: impl Into<String>) -> usize {
        let mut recorded = self.0.borrow_mut();
        let id = recorded.tasks.len();
        recorded.tasks.push(TaskRecord {
            id,
            label: label.into(),
            parent: None,
            awaits: Vec::new(),
            started_ms: None,
            finished_ms: None,
            outcome: Outcome::Pending,
            result: None,
            error: None,
            polls: 0,
            busy_ms: 0.0,
            waiting_ms: None,
            longest_poll_ms: 0.0,
            busy: Vec::new(),
        });
        recorded.polls.push(Rc::default());
        id
    }

    /// Records that `task` awaits `what` (once per kind of wait).
    pub fn awaits(&self, task: usize, what: Awaits) {
        let awaits = &mut self.0.borrow_mut().tasks[task].awaits;
        if !awaits.contains(&what) {
            awaits.push(what);
        }
    }

    /// The await tree: the handler, the tasks it started and awaits, and what each
    /// of them awaits.
    pub fn tree(&self) -> TreeNode {
        let recorded = self.0.borrow();
        TreeNode {
            task: None,
            label: "request handler".to_owned(),
            awaits: Vec::new(),
            children: children_of(&recorded.tasks, None),
        }
    }

    /// Builds `task`'s future from a handle on this trace and [`measure`]s it:
    /// `task::spawn(trace.instrument(id, |trace| async move { .. }))`.
    ///
    /// [`measure`]: Self::measure
    pub fn instrument<Work, Fut>(&self, task: usize, work: Work) -> Measured<Fut>
    where
        Work: FnOnce(Trace) -> Fut,
        Fut: std::future::Future,
    {
        self.measure(task, work(self.clone()))
    }

    /// Wraps `task`'s future so that each of its polls is timed: the
    /// instrumentation tokio-console puts on a spawned task. Only the outermost
    /// wrapper of a task counts.
    pub fn measure<F: std::future::Future>(&self, task: usize, work: F) -> Measured<F> {
        let recorded = self.0.borrow();
        Measured::new(work, recorded.timeline, recorded.polls[task].clone())
    }

    /// Records that the demo itself (not one task) did something.
    pub fn note(&self, what: impl Into<String>) {
        self.record(None, what.into());
    }

    /// Records that `task` did something.
    pub fn event(&self, task: usize, what: impl Into<String>) {
        self.record(Some(task), what.into());
    }

    /// Marks `task` as started now (once: a later call changes nothing).
    pub fn started(&self, task: usize) {
        let now = self.now_ms();
        {
            let mut recorded = self.0.borrow_mut();
            let started_ms = &mut recorded.tasks[task].started_ms;
            if started_ms.is_some() {
                return;
            }
            *started_ms = Some(now);
        }
        self.event(task, "started");
    }

    /// Marks `task` as finished now with this outcome. A task finishes once: later
    /// calls only rename how it ended (a cancelled call that was a timeout, say).
    pub fn finished(&self, task: usize, outcome: Outcome, result: Result<Value, String>) {
        let now = self.now_ms();
        {
            let mut recorded = self.0.borrow_mut();
            let record = &mut recorded.tasks[task];
            if record.finished_ms.is_some() {
                record.outcome = outcome;
                if let Err(error) = result {
                    record.error = Some(error);
                }
                return;
            }
            record.finished_ms = Some(now);
            record.outcome = outcome;
            match result {
                Ok(value) => record.result = Some(value),
                Err(error) => record.error = Some(error),
            }
        }
        let what = match outcome {
            Outcome::Ok | Outcome::Error => FINISHED,
            Outcome::Cancelled => "cancelled",
            Outcome::TimedOut => "timed out",
            Outcome::Pending => "still pending",
        };
        self.event(task, what);
    }

    /// The current record of `task`, with its polls so far.
    pub fn task(&self, task: usize) -> TaskRecord {
        let recorded = self.0.borrow();
        with_polls(&recorded, task, recorded.timeline.now_ms())
    }

    /// Every task record, in id order, with its polls so far.
    pub fn tasks(&self) -> Vec<TaskRecord> {
        let recorded = self.0.borrow();
        let now = recorded.timeline.now_ms();
        (0..recorded.tasks.len())
            .map(|task| with_polls(&recorded, task, now))
            .collect()
    }

    /// When this request's code ran on the instance's thread: the union of its
    /// tasks' busy segments.
    pub fn busy(&self) -> Vec<[f64; 2]> {
        let recorded = self.0.borrow();
        let all = recorded
            .polls
            .iter()
            .flat_map(|stats| stats.borrow().busy.clone());
        crate::polls::union(all)
            .into_iter()
            .map(|[from, to]| [crate::clock::round_ms(from), crate::clock::round_ms(to)])
            .collect()
    }

    /// One warning per task whose longest poll held the thread over
    /// [`LONG_POLL_MS`]: blocking code, in asyncio's words.
    pub fn warnings(&self) -> Vec<String> {
        let recorded = self.0.borrow();
        recorded
            .tasks
            .iter()
            .zip(&recorded.polls)
            .filter_map(|(task, stats)| {
                let longest = stats.borrow().longest_poll_ms;
                (longest > LONG_POLL_MS).then(|| {
                    format!(
                        "long poll: task {} held the thread for {:.0} ms in one poll (over {LONG_POLL_MS} ms); blocking code: nothing else on this instance ran for {:.0} ms",
                        task.id, longest, longest
                    )
                })
            })
            .collect()
    }

    /// Every event, in the order recorded.
    pub fn events(&self) -> Vec<Event> {
        self.0.borrow().events.clone()
    }

    /// Ids of the tasks whose outcome is `outcome`.
    pub fn ids_with(&self, outcome: Outcome) -> Vec<usize> {
        let recorded = self.0.borrow();
        let matching = recorded.tasks.iter().filter(|task| task.outcome == outcome);
        matching.map(|task| task.id).collect()
    }

    /// Ids of the tasks that finished (ok or error), in the order they finished.
    pub fn completion_order(&self) -> Vec<usize> {
        let recorded = self.0.borrow();
        let finishes = recorded.events.iter().filter(|e| e.what == FINISHED);
        finishes.filter_map(|event| event.task).collect()
    }

    /// The stream line for `task` as it stands now: its record, stamped with the time.
    pub fn task_line(&self, task: usize, what: &str) -> Value {
        let recorded = self.0.borrow();
        let event = Event {
            t_ms: recorded.timeline.now_ms(),
            task: Some(task),
            what: what.to_owned(),
        };
        line_for(&event, Some(&with_polls(&recorded, task, event.t_ms)))
    }

    /// Writes a line that is not an event (a streaming demo's summary).
    pub fn send_line(&self, line: &Value) {
        if let Some(lines) = &self.0.borrow().lines {
            lines.send(line);
        }
    }

    fn record(&self, task: Option<usize>, what: String) {
        let mut recorded = self.0.borrow_mut();
        let event = Event {
            t_ms: recorded.timeline.now_ms(),
            task,
            what,
        };
        if let Some(lines) = &recorded.lines {
            let record = task.map(|id| with_polls(&recorded, id, event.t_ms));
            lines.send(&line_for(&event, record.as_ref()));
        }
        recorded.events.push(event);
    }
}

/// A node of the await tree: a task (or the handler, `task: None`), what it awaits
/// and the tasks under it.
#[derive(Clone, Debug, Serialize)]
pub struct TreeNode {
    pub task: Option<usize>,
    pub label: String,
    pub awaits: Vec<Awaits>,
    pub children: Vec<TreeNode>,
}

fn children_of(tasks: &[TaskRecord], parent: Option<usize>) -> Vec<TreeNode> {
    let under = tasks.iter().filter(|task| task.parent == parent);
    under
        .map(|task| TreeNode {
            task: Some(task.id),
            label: task.label.clone(),
            awaits: task.awaits.clone(),
            children: children_of(tasks, Some(task.id)),
        })
        .collect()
}

/// `task`'s record with its poll figures filled in; `now` ends a task still running.
fn with_polls(recorded: &Recorded, task: usize, now: f64) -> TaskRecord {
    let mut record = recorded.tasks[task].clone();
    let stats = recorded.polls[task].borrow().rounded();
    record.waiting_ms = record.started_ms.map(|started| {
        let lasted = record.finished_ms.unwrap_or(now) - started;
        crate::clock::round_ms((lasted - stats.busy_ms).max(0.0))
    });
    record.polls = stats.polls;
    record.busy_ms = stats.busy_ms;
    record.longest_poll_ms = stats.longest_poll_ms;
    record.busy = stats.busy;
    record
}

/// A streamed event carries its task's record, so a reader needs no other line to
/// draw that task.
fn line_for(event: &Event, task: Option<&TaskRecord>) -> Value {
    let mut line = json!(event);
    if let Some(task) = task {
        line["label"] = json!(task.label);
        line["started_ms"] = json!(task.started_ms);
        line["finished_ms"] = json!(task.finished_ms);
        line["outcome"] = json!(task.outcome);
        line["result"] = json!(task.result);
        line["error"] = json!(task.error);
        line["busy"] = json!(task.busy);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_tasks_and_events_in_order() {
        let trace = Trace::start();
        let first = trace.add_task("GET /upstream?delay_ms=1");
        let second = trace.add_task("GET /upstream?delay_ms=2");
        trace.started(first);
        trace.started(second);
        trace.finished(second, Outcome::Error, Err("upstream answered 500".into()));
        trace.finished(first, Outcome::Ok, Ok(json!({"slept_ms": 1.0})));
        trace.note("all done");

        let tasks = trace.tasks();
        assert_eq!(tasks[first].outcome, Outcome::Ok);
        assert_eq!(
            tasks[second].error.as_deref(),
            Some("upstream answered 500")
        );
        assert!(tasks[first].finished_ms >= tasks[first].started_ms);
        let whats: Vec<_> = trace
            .events()
            .iter()
            .map(|e| (e.task, e.what.clone()))
            .collect();
        assert_eq!(
            whats,
            [
                (Some(0), "started".to_owned()),
                (Some(1), "started".to_owned()),
                (Some(1), "finished".to_owned()),
                (Some(0), "finished".to_owned()),
                (None, "all done".to_owned()),
            ]
        );
        assert_eq!(trace.ids_with(Outcome::Error), [second]);
        assert_eq!(trace.completion_order(), [second, first]);
    }

    #[test]
    fn a_task_finishes_once_but_its_outcome_may_be_renamed() {
        let trace = Trace::start();
        let task = trace.add_task("wait_for");
        trace.started(task);
        trace.finished(task, Outcome::Cancelled, Err("dropped".into()));
        let first_finish = trace.task(task).finished_ms;
        trace.finished(task, Outcome::TimedOut, Err("timed out".into()));
        let record = trace.task(task);
        assert_eq!(record.outcome, Outcome::TimedOut);
        assert_eq!(record.finished_ms, first_finish);
        assert_eq!(record.error.as_deref(), Some("timed out"));
        assert_eq!(trace.events().len(), 2, "the rename is not a second finish");
    }

    #[test]
    fn serialises_outcomes_in_snake_case() {
        assert_eq!(json!(Outcome::TimedOut), json!("timed_out"));
        assert_eq!(json!(Outcome::Ok), json!("ok"));
    }
}
