//! The task timeline every demo reports: one record per task (who started it,
//! what it awaited, when it ran, how it ended) and a list of events in the order
//! they happened.
//!
//! Nothing in a lesson writes to it. The primitives a lesson calls record
//! themselves ([`crate::recorder`]): `task::spawn` registers a task, the upstream
//! call registers its request, timers, yields and joins say what the current task
//! now awaits. This module is the store they write into and the report reads from.
//!
//! Tasks in a component run on one thread, like coroutines on one asyncio loop, so
//! the trace is shared with `Rc<RefCell<..>>`: no locks, and a task can only touch
//! it between two awaits, never in the middle of another task's step.
//!
//! A streaming trace also writes each event as an NDJSON line the moment it is
//! recorded (see [`crate::ndjson`]).

use crate::clock::Timeline;
use crate::ndjson::Lines;
use crate::polls::{LONG_POLL_MS, PollStats};
use serde::Serialize;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

/// The event recorded when a task ends with a result or an error.
const FINISHED: &str = "finished";
/// A task resumed this much later than what it awaited became ready was held up:
/// the instance's one thread was running something else (asyncio's debug mode
/// reports the same as a slow callback).
pub const LATE_WAKE_MS: f64 = 20.0;
/// At most this many per-task warnings of one kind; the rest are summed up in one.
pub const MAX_WARNINGS_EACH: usize = 5;
/// A run that sends more outbound requests than this (a tenth of what Fermyon
/// Cloud allows an app in an hour) says what that costs there.
pub const OUTBOUND_WARNING: u64 = crate::limits::OUTBOUND_PER_HOUR / 10;

/// What `outbound` requests in one run mean against Fermyon Cloud's hourly quota.
fn outbound_warning(outbound: u64) -> String {
    let per_hour = crate::limits::OUTBOUND_PER_HOUR;
    let share = outbound as f64 / per_hour as f64;
    let cost = if share >= 1.0 {
        format!("{share:.1} hours of that quota")
    } else {
        format!("{:.0} % of an hour's quota", share * 100.0)
    };
    format!(
        "This run sent {outbound} outbound requests: on Fermyon Cloud, where a Spin app may send \
         {per_hour} an hour, that is {cost}, if the platform counts service-chained calls \
         (docs/deploying.md)."
    )
}

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

impl Outcome {
    /// Its name, as the JSON contract spells it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Ok => "ok",
            Self::Error => "error",
            Self::Cancelled => "cancelled",
            Self::TimedOut => "timed_out",
        }
    }
}

/// What a task waits on when it awaits: the edges of the await graph, as Python
/// 3.14's `asyncio.capture_call_graph` (and `python -m asyncio pstree`) shows them.
/// Recorded by the primitive being awaited, at the moment it is awaited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Awaits {
    /// An outbound HTTP request: the upstream, or the CPU worker.
    Http { request: String },
    /// A timer: `task::sleep(ms)`.
    Timer { ms: u64 },
    /// One turn of the loop: `task::yield_now()`, asyncio's `sleep(0)`.
    Yield,
    /// Another task, through its `JoinHandle`.
    Task { task: usize },
    /// Another task through `task::shield`: a cancel of the waiter stops here.
    Shield { task: usize },
    /// A set-once future, and the task that set it (once one has).
    Future { name: String, set_by: Option<usize> },
    /// A timeout race (`task::timeout`): a timer of `timer_ms` against `work`, what
    /// the raced future awaited meanwhile.
    Race { timer_ms: u64, work: Vec<Awaits> },
    /// Nothing: the task ran to its end without an await (blocking or CPU-bound
    /// code). Worked out when the report is made, from its polls.
    Nothing { why: String },
}

/// Where an await is in the source: a file of the workspace and a line. A report
/// keeps only those inside the regions it shows ([`crate::demo::Report`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct At {
    pub file: &'static str,
    pub line: u32,
}

impl From<&'static std::panic::Location<'static>> for At {
    fn from(location: &'static std::panic::Location<'static>) -> Self {
        Self {
            file: location.file(),
            line: location.line(),
        }
    }
}

/// An edge of the await graph and the line that awaits (when it is known).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Await {
    #[serde(flatten)]
    pub what: Awaits,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<At>,
}

impl From<Awaits> for Await {
    fn from(what: Awaits) -> Self {
        Self { what, at: None }
    }
}

/// One task of a demo, as the JSON contract describes it.
#[derive(Clone, Debug, Serialize)]
pub struct TaskRecord {
    pub id: usize,
    pub label: String,
    /// The task that was being polled when this one was spawned (or, for a call,
    /// first polled); `None`: the request's handler.
    pub parent: Option<usize>,
    /// What it awaits, in the order it first awaited each, and where.
    pub awaits: Vec<Await>,
    pub started_ms: Option<f64>,
    pub finished_ms: Option<f64>,
    pub outcome: Outcome,
    pub result: Option<Value>,
    pub error: Option<String>,
    /// Its polls: how often and how long it held the thread.
    pub polls: u32,
    pub busy_ms: f64,
    /// From start to finish (or to now), the time it was not running: awaiting.
    pub waiting_ms: Option<f64>,
    pub longest_poll_ms: f64,
    /// When it ran: `[from_ms, to_ms]` segments, merged when close, capped.
    pub busy: Vec<[f64; 2]>,
    /// The longest it was resumed after what it awaited was ready (a timer's
    /// deadline, an answer that had arrived): 0 when always on time.
    pub late_ms: f64,
}

/// One poll of a task (`None`: the handler), a step of the run: when it started
/// and ended, on the request's clock (ms, not rounded), when the task was woken
/// for it (it waited for the thread from then on: the ready queue), and where it
/// stopped when it ended `Pending`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PollEntry {
    pub task: Option<usize>,
    pub from_ms: f64,
    pub to_ms: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ready_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<At>,
}

/// Something that happened at `t_ms`, to a task or to the demo itself.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    pub t_ms: f64,
    pub task: Option<usize>,
    pub what: Cow<'static, str>,
}

/// What the recorder keeps of a task besides its public record.
#[derive(Debug, Default)]
struct Bookkeeping {
    polls: PollStats,
    /// Spawned without a name and not yet awaiting anything: the first call it
    /// makes names it (a task that is one request is that request).
    adoptable: bool,
    /// The longest it was resumed after what it awaited was ready.
    late_ms: f64,
    /// Its step under way: where it is in the poll log.
    open_step: Option<usize>,
    /// When it was made (spawned, or its call first polled): its first step was
    /// ready from then.
    spawned_ms: f64,
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
    books: Vec<Bookkeeping>,
    /// What the handler itself awaits (the root of the graph).
    handler_awaits: Vec<Await>,
    /// The handler's polls and late wakes, as `books` keeps a task's.
    handler_books: Bookkeeping,
    /// Requests sent out through the host (`upstream::send`) while this trace was
    /// the current one: what a platform counts against its outbound quota.
    outbound: u64,
    /// Timeout races being polled now: (task, index of the race in its awaits).
    races: Vec<(Option<usize>, usize)>,
    /// Every poll in the order it started, up to
    /// [`crate::polls::MAX_POLLS_LOGGED`].
    poll_log: Vec<PollEntry>,
    /// Set-once futures made so far (they are named in the order they were made).
    futures: usize,
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
            books: Vec::new(),
            handler_awaits: Vec::new(),
            handler_books: Bookkeeping::default(),
            outbound: 0,
            races: Vec::new(),
            poll_log: Vec::new(),
            futures: 0,
            events: Vec::new(),
            lines,
        })))
    }

    /// Runs `work` as this request's handler: while it is polled, this trace is
    /// the current one, so what it spawns, calls and awaits records itself here.
    pub fn watch<F: std::future::Future>(&self, work: F) -> crate::recorder::Watched<F> {
        crate::recorder::Watched::handler(self.clone(), work)
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

    /// The request's clock, to time polls against.
    pub(crate) fn timeline(&self) -> Timeline {
        self.0.borrow().timeline
    }

    /// Registers a task under `parent` and returns its id. An unnamed task
    /// (`label: None`) is "task N" until a call it makes first names it.
    pub(crate) fn add_task(&self, label: Option<String>, parent: Option<usize>) -> usize {
        let mut recorded = self.0.borrow_mut();
        let id = recorded.tasks.len();
        let adoptable = label.is_none();
        recorded.tasks.push(TaskRecord {
            id,
            label: label.unwrap_or_else(|| format!("task {id}")),
            parent,
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
            late_ms: 0.0,
        });
        let spawned_ms = recorded.timeline.exact_ms();
        recorded.books.push(Bookkeeping {
            adoptable,
            spawned_ms,
            ..Bookkeeping::default()
        });
        if let Some(parent) = parent {
            recorded.books[parent].adoptable = false;
        }
        // A task made while a race is polled is part of the raced work.
        if let Some(race) = open_race(&mut recorded, parent)
            && !race.contains(&Awaits::Task { task: id })
        {
            race.push(Awaits::Task { task: id });
        }
        id
    }

    /// Labels an unnamed task (it stays adoptable: its call still names it).
    pub(crate) fn label_unnamed(&self, task: usize, label: String) {
        self.0.borrow_mut().tasks[task].label = label;
    }

    /// The record a call made from `current` writes into: `current` itself when it
    /// is a task that has awaited nothing yet and has no name (the call adopts it and
    /// names it), else a new record under `current`. Returns the id and whether it
    /// is a new record.
    pub(crate) fn call_record(&self, current: Option<usize>, request: &str) -> (usize, bool) {
        if let Some(task) = current {
            let mut recorded = self.0.borrow_mut();
            if recorded.books[task].adoptable {
                recorded.books[task].adoptable = false;
                recorded.tasks[task].label = request.to_owned();
                return (task, false);
            }
        }
        (self.add_task(Some(request.to_owned()), current), true)
    }

    /// Records that `task` (or the handler, `None`) awaits `what` now, at `at`
    /// (once per kind of wait). Inside a timeout race, it is what the raced work
    /// awaits.
    pub(crate) fn awaits(&self, task: Option<usize>, what: Awaits, at: Option<At>) {
        let mut recorded = self.0.borrow_mut();
        if let Some(task) = task {
            recorded.books[task].adoptable = false;
        }
        if let Some(race) = open_race(&mut recorded, task) {
            if !race.contains(&what) {
                race.push(what);
            }
            return;
        }
        let awaits = awaits_of(&mut recorded, task);
        if !awaits.iter().any(|each| each.what == what) {
            awaits.push(Await { what, at });
        }
    }

    /// Opens a timeout race for `task`: what it awaits until [`Self::close_race`]
    /// is the raced work's. `at`: where this race was recorded at its last poll;
    /// returns where it is now.
    pub(crate) fn open_race(
        &self,
        task: Option<usize>,
        timer_ms: u64,
        at: Option<usize>,
        line: At,
    ) -> usize {
        let mut recorded = self.0.borrow_mut();
        let awaits = awaits_of(&mut recorded, task);
        let index = match at {
            Some(index) => index,
            None => {
                awaits.push(Await {
                    what: Awaits::Race {
                        timer_ms,
                        work: Vec::new(),
                    },
                    at: Some(line),
                });
                awaits.len() - 1
            }
        };
        recorded.races.push((task, index));
        index
    }

    pub(crate) fn close_race(&self) {
        self.0.borrow_mut().races.pop();
    }

    /// Names a new set-once future: `fut`, then `fut 1`, `fut 2`, ...
    pub(crate) fn name_future(&self) -> String {
        let mut recorded = self.0.borrow_mut();
        let n = recorded.futures;
        recorded.futures += 1;
        if n == 0 {
            "fut".to_owned()
        } else {
            format!("fut {n}")
        }
    }

    /// Records who set future `name` in every await of it.
    pub(crate) fn future_set(&self, name: &str, by: Option<usize>) {
        let mut recorded = self.0.borrow_mut();
        let recorded = &mut *recorded;
        let all = recorded
            .tasks
            .iter_mut()
            .map(|task| &mut task.awaits)
            .chain(std::iter::once(&mut recorded.handler_awaits));
        for awaits in all {
            for each in awaits.iter_mut().map(|each| &mut each.what) {
                if let Awaits::Future {
                    name: named,
                    set_by,
                } = each
                    && named == name
                    && set_by.is_none()
                {
                    *set_by = by;
                }
            }
        }
    }

    /// Records that `task` (or the handler) was resumed `late_ms` after what it
    /// awaited was ready.
    /// What it awaited was ready that long before now, so its step under way
    /// was ready then: the replay shows it in the ready queue from that moment
    /// (a timer that expired while another task held the thread).
    pub(crate) fn woken_late(&self, task: Option<usize>, late_ms: f64) {
        let mut recorded = self.0.borrow_mut();
        let recorded = &mut *recorded;
        let ready = recorded.timeline.exact_ms() - late_ms;
        let books = books_of(recorded, task);
        books.late_ms = books.late_ms.max(late_ms);
        if let Some(step) = books
            .open_step
            .and_then(|step| recorded.poll_log.get_mut(step))
        {
            step.ready_ms = Some(step.ready_ms.map_or(ready, |woken| woken.min(ready)));
        }
    }

    /// Starts timing a poll of `task` at `from_ms`, woken at `ready_ms`: `None`
    /// when an outer measurement of the same task is under way (only the
    /// outermost counts), else where the poll went in the log.
    pub(crate) fn enter_poll(
        &self,
        task: Option<usize>,
        from_ms: f64,
        ready_ms: Option<f64>,
    ) -> Option<usize> {
        let mut recorded = self.0.borrow_mut();
        let recorded = &mut *recorded;
        let logged = recorded.poll_log.len();
        let books = books_of(recorded, task);
        if !books.polls.enter() {
            return None;
        }
        // A task's first step was ready from its spawn.
        let ready_ms =
            ready_ms.or((task.is_some() && books.polls.polls == 0).then_some(books.spawned_ms));
        if logged < crate::polls::MAX_POLLS_LOGGED {
            books.open_step = Some(logged);
            recorded.poll_log.push(PollEntry {
                task,
                from_ms,
                to_ms: from_ms,
                ready_ms: ready_ms.map(|ready| ready.min(from_ms)),
                at: None,
            });
        }
        Some(logged)
    }

    /// Ends the poll [`Self::enter_poll`] started; `at`: where it stopped.
    pub(crate) fn leave_poll(
        &self,
        task: Option<usize>,
        entry: Option<usize>,
        from_ms: f64,
        to_ms: f64,
        at: Option<At>,
    ) {
        let mut recorded = self.0.borrow_mut();
        let recorded = &mut *recorded;
        let books = books_of(recorded, task);
        books.polls.leave(entry.is_some(), from_ms, to_ms);
        if entry.is_some() {
            books.open_step = None;
        }
        if let Some(logged) = entry.and_then(|entry| recorded.poll_log.get_mut(entry)) {
            logged.to_ms = to_ms;
            logged.at = at;
        }
    }

    /// The steps of the run for its report: every logged poll, rounded, the
    /// locations kept only where `shown` says they are shown.
    pub fn steps(&self, shown: impl Fn(&At) -> bool) -> Vec<PollEntry> {
        let round = crate::clock::round_ms;
        self.0
            .borrow()
            .poll_log
            .iter()
            .map(|step| PollEntry {
                from_ms: round(step.from_ms),
                to_ms: round(step.to_ms),
                ready_ms: step.ready_ms.map(round),
                at: step.at.filter(|at| shown(at)),
                ..*step
            })
            .collect()
    }

    /// Every poll so far, in the order they started (the first
    /// [`crate::polls::MAX_POLLS_LOGGED`]): what a report derives the order of
    /// steps from.
    pub fn poll_log(&self) -> Vec<PollEntry> {
        self.0.borrow().poll_log.clone()
    }

    /// Records that the demo itself (not one task) did something.
    pub fn note(&self, what: impl Into<Cow<'static, str>>) {
        self.record(None, what.into());
    }

    /// Records that `task` did something.
    pub fn event(&self, task: usize, what: impl Into<Cow<'static, str>>) {
        self.record(Some(task), what.into());
    }

    /// Records that `task` (or the demo itself, `None`) did something.
    pub(crate) fn record_event(&self, task: Option<usize>, what: impl Into<Cow<'static, str>>) {
        self.record(task, what.into());
    }

    /// Marks `task` as started now (once: a later call changes nothing).
    pub(crate) fn started(&self, task: usize) {
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
    /// calls change nothing (a task that is one call ends when its call does).
    pub(crate) fn finished(&self, task: usize, outcome: Outcome, result: Result<Value, String>) {
        let now = self.now_ms();
        {
            let mut recorded = self.0.borrow_mut();
            let record = &mut recorded.tasks[task];
            if record.finished_ms.is_some() {
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

    /// Renames how `task` ended: a cancelled wait that was a timeout, say.
    pub fn rename_outcome(&self, task: usize, outcome: Outcome, error: impl Into<String>) {
        let mut recorded = self.0.borrow_mut();
        let record = &mut recorded.tasks[task];
        record.outcome = outcome;
        record.error = Some(error.into());
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

    /// Counts one request sent out through the host.
    pub(crate) fn sent_outbound(&self) {
        self.0.borrow_mut().outbound += 1;
    }

    /// How many requests this request's work sent out through the host.
    pub fn outbound_requests(&self) -> u64 {
        self.0.borrow().outbound
    }

    /// When this request's code ran on the instance's thread: the union of its
    /// tasks' busy segments.
    pub fn busy(&self) -> Vec<[f64; 2]> {
        let recorded = self.0.borrow();
        let all = recorded
            .books
            .iter()
            .flat_map(|books| books.polls.busy.iter().copied());
        crate::polls::union(all)
            .into_iter()
            .map(|[from, to]| [crate::clock::round_ms(from), crate::clock::round_ms(to)])
            .collect()
    }

    /// What the report warns about, worked out from the polls: a task whose
    /// longest poll held the thread over [`LONG_POLL_MS`] (blocking code, in
    /// asyncio's words), and a task resumed over [`LATE_WAKE_MS`] after what it
    /// awaited was ready (something else held the thread meanwhile).
    pub fn warnings(&self) -> Vec<String> {
        let recorded = self.0.borrow();
        let long: Vec<(usize, f64)> = recorded
            .books
            .iter()
            .enumerate()
            .map(|(id, books)| (id, books.polls.longest_poll_ms))
            .filter(|&(_, longest)| longest > LONG_POLL_MS)
            .collect();
        let mut late: Vec<(Option<usize>, f64)> = recorded
            .books
            .iter()
            .enumerate()
            .map(|(id, books)| (Some(id), books.late_ms))
            .filter(|&(_, late)| late > LATE_WAKE_MS)
            .collect();
        if recorded.handler_books.late_ms > LATE_WAKE_MS {
            late.insert(0, (None, recorded.handler_books.late_ms));
        }
        let mut warnings: Vec<String> = long
            .iter()
            .take(MAX_WARNINGS_EACH)
            .map(|&(id, longest)| long_poll_warning(id, longest))
            .collect();
        if long.len() > MAX_WARNINGS_EACH {
            warnings.push(more_warnings(&long[MAX_WARNINGS_EACH..], "held the thread"));
        }
        warnings.extend(
            late.iter()
                .take(MAX_WARNINGS_EACH)
                .map(|&(id, late)| late_wake_warning(id, late)),
        );
        if late.len() > MAX_WARNINGS_EACH {
            let rest: Vec<(usize, f64)> = late[MAX_WARNINGS_EACH..]
                .iter()
                .map(|&(id, ms)| (id.unwrap_or(0), ms))
                .collect();
            warnings.push(more_warnings(&rest, "were woken late"));
        }
        if recorded.outbound > OUTBOUND_WARNING {
            warnings.push(outbound_warning(recorded.outbound));
        }
        warnings
    }

    /// The longest any task (or the handler) was woken late, in ms.
    pub fn latest_wake_ms(&self) -> f64 {
        let recorded = self.0.borrow();
        let tasks = recorded.books.iter().map(|books| books.late_ms);
        crate::clock::round_ms(tasks.fold(recorded.handler_books.late_ms, f64::max))
    }

    /// Every event, in the order recorded.
    pub fn events(&self) -> Vec<Event> {
        self.0.borrow().events.clone()
    }

    /// When `task` (or the demo, `None`) first recorded an event starting with
    /// `what`: a report reads the moments the primitives recorded this way.
    pub fn when(&self, task: Option<usize>, what: &str) -> Option<f64> {
        let recorded = self.0.borrow();
        let mut events = recorded.events.iter();
        let event = events.find(|event| event.task == task && event.what.starts_with(what))?;
        Some(event.t_ms)
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
    pub fn task_line(&self, task: usize, what: &'static str) -> Value {
        let recorded = self.0.borrow();
        let event = Event {
            t_ms: recorded.timeline.now_ms(),
            task: Some(task),
            what: Cow::Borrowed(what),
        };
        line_for(&event, Some(&with_polls(&recorded, task, event.t_ms)))
    }

    /// Writes a line that is not an event (a streaming demo's summary).
    pub fn send_line(&self, line: &Value) {
        if let Some(lines) = &self.0.borrow().lines {
            lines.send(line);
        }
    }

    /// The await graph: the handler, what it awaits, the tasks under it, and so on
    /// down, as the primitives recorded it.
    pub fn tree(&self) -> TreeNode {
        self.tree_of(&self.tasks())
    }

    /// [`Self::tree`] from records already read ([`Self::tasks`]): a report reads
    /// them once.
    pub fn tree_of(&self, tasks: &[TaskRecord]) -> TreeNode {
        let recorded = self.0.borrow();
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); tasks.len()];
        let mut roots = Vec::new();
        for task in tasks {
            match task.parent {
                Some(parent) => children[parent].push(task.id),
                None => roots.push(task.id),
            }
        }
        TreeNode {
            task: None,
            label: "request handler".to_owned(),
            awaits: recorded.handler_awaits.clone(),
            children: roots
                .into_iter()
                .map(|id| node(tasks, &children, id))
                .collect(),
        }
    }

    fn record(&self, task: Option<usize>, what: Cow<'static, str>) {
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

/// The long-poll warning; `tour.py` writes the same words (tests/app/facts.rs).
pub fn long_poll_warning(task: usize, longest_ms: f64) -> String {
    format!(
        "long poll: task {task} held the thread for {longest_ms:.0} ms in one poll (over {LONG_POLL_MS} ms); blocking code: nothing else on this instance ran for {longest_ms:.0} ms"
    )
}

/// The late-wake warning; `tour.py` writes the same words.
pub fn late_wake_warning(task: Option<usize>, late_ms: f64) -> String {
    let who = match task {
        Some(task) => format!("task {task}"),
        None => "the request handler".to_owned(),
    };
    format!("{who} woken {late_ms:.0} ms late: the instance's thread was held")
}

fn more_warnings(rest: &[(usize, f64)], what: &str) -> String {
    let worst = rest.iter().map(|&(_, ms)| ms).fold(0.0, f64::max);
    format!("and {} more tasks {what} (up to {worst:.0} ms)", rest.len())
}

fn books_of(recorded: &mut Recorded, task: Option<usize>) -> &mut Bookkeeping {
    match task {
        Some(task) => &mut recorded.books[task],
        None => &mut recorded.handler_books,
    }
}

fn awaits_of(recorded: &mut Recorded, task: Option<usize>) -> &mut Vec<Await> {
    match task {
        Some(task) => &mut recorded.tasks[task].awaits,
        None => &mut recorded.handler_awaits,
    }
}

/// The innermost race `task` is polling now, if any: what it awaits goes there.
fn open_race(recorded: &mut Recorded, task: Option<usize>) -> Option<&mut Vec<Awaits>> {
    let &(_, index) = recorded.races.iter().rev().find(|(of, _)| *of == task)?;
    match awaits_of(recorded, task)
        .get_mut(index)
        .map(|each| &mut each.what)
    {
        Some(Awaits::Race { work, .. }) => Some(work),
        _ => None,
    }
}

/// A node of the await tree: a task (or the handler, `task: None`), what it awaits
/// and the tasks under it.
#[derive(Clone, Debug, Serialize)]
pub struct TreeNode {
    pub task: Option<usize>,
    pub label: String,
    pub awaits: Vec<Await>,
    pub children: Vec<TreeNode>,
}

fn node(tasks: &[TaskRecord], children: &[Vec<usize>], id: usize) -> TreeNode {
    let task = &tasks[id];
    TreeNode {
        task: Some(id),
        label: task.label.clone(),
        awaits: task.awaits.clone(),
        children: children[id]
            .iter()
            .map(|&child| node(tasks, children, child))
            .collect(),
    }
}

/// `task`'s record with its poll figures filled in; `now` ends a task still running.
fn with_polls(recorded: &Recorded, task: usize, now: f64) -> TaskRecord {
    let mut record = recorded.tasks[task].clone();
    let books = &recorded.books[task];
    let stats = books.polls.rounded();
    record.waiting_ms = record.started_ms.map(|started| {
        let lasted = record.finished_ms.unwrap_or(now) - started;
        crate::clock::round_ms((lasted - stats.busy_ms).max(0.0))
    });
    record.polls = stats.polls;
    record.busy_ms = stats.busy_ms;
    record.longest_poll_ms = stats.longest_poll_ms;
    record.late_ms = crate::clock::round_ms(books.late_ms);
    if record.awaits.is_empty() && record.finished_ms.is_some() && stats.polls == 1 {
        record.awaits.push(
            Awaits::Nothing {
                why: format!(
                    "ran to its end in one poll of {:.1} ms, without an await",
                    stats.busy_ms
                ),
            }
            .into(),
        );
    }
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
        let first = trace.add_task(Some("GET /upstream?delay_ms=1".into()), None);
        let second = trace.add_task(Some("GET /upstream?delay_ms=2".into()), None);
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
            .map(|e| (e.task, e.what.to_string()))
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
        let task = trace.add_task(Some("wait_for".into()), None);
        trace.started(task);
        trace.finished(task, Outcome::Cancelled, Err("dropped".into()));
        let first_finish = trace.task(task).finished_ms;
        trace.finished(task, Outcome::Ok, Ok(json!(1)));
        trace.rename_outcome(task, Outcome::TimedOut, "timed out");
        let record = trace.task(task);
        assert_eq!(record.outcome, Outcome::TimedOut);
        assert_eq!(record.finished_ms, first_finish);
        assert_eq!(record.error.as_deref(), Some("timed out"));
        assert_eq!(trace.events().len(), 2, "the rename is not a second finish");
    }

    #[test]
    fn a_call_adopts_a_fresh_unnamed_task_and_nests_under_any_other() {
        let trace = Trace::start();
        let fresh = trace.add_task(None, None);
        assert_eq!(trace.task(fresh).label, "task 0");
        assert_eq!(trace.call_record(Some(fresh), "GET /a"), (fresh, false));
        assert_eq!(trace.task(fresh).label, "GET /a");
        // A second call of the same task is a record of its own, under it.
        let (second, new) = trace.call_record(Some(fresh), "GET /b");
        assert!(new);
        assert_eq!(trace.task(second).parent, Some(fresh));
        // A named task keeps its name; the handler never adopts.
        let named = trace.add_task(Some("worker A".into()), None);
        assert_ne!(trace.call_record(Some(named), "GET /c").0, named);
        assert!(trace.call_record(None, "GET /d").1);
        let tree = trace.tree();
        assert_eq!(tree.children.len(), 3, "{tree:?}");
        assert_eq!(tree.children[0].children[0].label, "GET /b");
    }

    #[test]
    fn awaits_inside_a_race_are_the_raced_work() {
        let trace = Trace::start();
        let task = trace.add_task(None, None);
        let line = At {
            file: "src/tour/09-timeout/src/lib.rs",
            line: 88,
        };
        let at = trace.open_race(None, 50, None, line);
        trace.awaits(None, Awaits::Task { task }, None);
        trace.close_race();
        assert_eq!(trace.open_race(None, 50, Some(at), line), at);
        trace.close_race();
        trace.awaits(None, Awaits::Task { task }, Some(line));
        trace.awaits(None, Awaits::Task { task }, None);
        assert_eq!(
            trace.tree().awaits,
            [
                Await {
                    what: Awaits::Race {
                        timer_ms: 50,
                        work: vec![Awaits::Task { task }]
                    },
                    at: Some(line)
                },
                Await {
                    what: Awaits::Task { task },
                    at: Some(line)
                }
            ],
            "each wait once, where it was first awaited"
        );
        assert_eq!(
            json!(trace.tree().awaits[1]),
            json!({"kind": "task", "task": task, "at": {"file": line.file, "line": 88}})
        );
    }

    #[test]
    fn a_step_is_ready_from_its_wake_or_from_a_deadline_it_missed() {
        let trace = Trace::start();
        let task = trace.add_task(None, None);
        let spawned = trace.0.borrow().books[task].spawned_ms;
        let first = trace.enter_poll(Some(task), 5.0, None);
        trace.leave_poll(Some(task), first, 5.0, 6.0, None);
        let second = trace.enter_poll(Some(task), 50.0, Some(40.0));
        trace.woken_late(Some(task), trace.now_ms() + 1000.0); // a deadline long missed
        trace.leave_poll(Some(task), second, 50.0, 51.0, None);
        let third = trace.enter_poll(Some(task), 60.0, Some(55.0));
        trace.leave_poll(Some(task), third, 60.0, 61.0, None);
        let steps = trace.steps(|_| true);
        assert_eq!(steps.len(), 3);
        assert_eq!(
            steps[0].ready_ms,
            Some(crate::clock::round_ms(spawned.min(5.0))),
            "ready from its spawn"
        );
        assert!(
            steps[1].ready_ms.unwrap() < 0.0,
            "the missed deadline is earlier than the wake"
        );
        assert_eq!(steps[2].ready_ms, Some(55.0));
        assert_eq!(trace.task(task).polls, 3);
    }

    #[test]
    fn a_future_names_its_setter_once_set() {
        let trace = Trace::start();
        let waiter = trace.add_task(None, None);
        let name = trace.name_future();
        trace.awaits(
            Some(waiter),
            Awaits::Future {
                name: name.clone(),
                set_by: None,
            },
            None,
        );
        trace.future_set(&name, Some(7));
        assert_eq!(
            trace.task(waiter).awaits,
            [Await::from(Awaits::Future {
                name: "fut".into(),
                set_by: Some(7)
            })]
        );
    }

    #[test]
    fn late_wakes_and_long_polls_are_warned_about_and_summed_up() {
        let trace = Trace::start();
        for _ in 0..8 {
            trace.add_task(None, None);
        }
        trace.woken_late(Some(2), 236.4);
        trace.woken_late(None, 30.0);
        let warnings = trace.warnings();
        assert_eq!(
            warnings,
            [
                "the request handler woken 30 ms late: the instance's thread was held",
                "task 2 woken 236 ms late: the instance's thread was held"
            ]
        );
        for task in 0..8 {
            trace.woken_late(Some(task), 25.0 + task as f64);
        }
        let warnings = trace.warnings();
        assert_eq!(warnings.len(), MAX_WARNINGS_EACH + 1, "{warnings:?}");
        assert!(
            warnings
                .last()
                .unwrap()
                .starts_with("and 4 more tasks were woken late")
        );
        assert_eq!(trace.latest_wake_ms(), 236.4);
    }

    #[test]
    fn serialises_outcomes_in_snake_case() {
        assert_eq!(json!(Outcome::TimedOut), json!("timed_out"));
        assert_eq!(json!(Outcome::Ok), json!("ok"));
    }
}
