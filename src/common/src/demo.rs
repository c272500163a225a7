//! What the asyncio-tour demos share: their parameters (delays, failing tasks,
//! transport), the upstream calls they make, and the report every demo answers:
//! the JSON contract of the README's "The asyncio tour".

use crate::instance::InstanceInfo;
use crate::lesson::{Region, SourceRef};
use crate::query::Query;
use crate::reply::{ApiError, Reply};
use crate::text_view::View;
use crate::trace::{At, Await, Event, PollEntry, TaskRecord, Trace, TreeNode};
use crate::upstream::{Fetch, Transport, UpstreamCall};
use basics::route::{Calls, IntList, shared};
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::borrow::Cow;

pub use basics::route::shared::{MAX_DELAY_MS, MAX_TASKS, MAX_TIMEOUT_MS};
/// The status a failing task asks the upstream for.
pub const FAILING_STATUS: u16 = 500;
/// At most this many steps (polls) in a report; a run with more says how many
/// were left out (`steps_left_out`).
pub const MAX_STEPS_REPORTED: usize = 2000;

/// What a demo teaches, written once per component.
#[derive(Clone, Copy, Debug)]
pub struct DemoInfo {
    /// The route's last segment: `gather` for `/demo/gather`.
    pub name: &'static str,
    /// The lines of its `lesson.py` that are the idea (`python_region!`): the
    /// asyncio code it mirrors.
    pub python: Region,
    /// The region of the component's source that does the same here (`region!`).
    pub rust: Region,
    /// The lesson, in one sentence.
    pub note: &'static str,
}

/// A demo's answer: the JSON contract plus any fields the demo adds.
#[derive(Debug, Serialize)]
pub struct Report {
    pub demo: &'static str,
    pub python: &'static str,
    /// The code that ran, cut from the component's source.
    pub rust: Cow<'static, str>,
    /// Where that code lives: file and lines of each region shown.
    pub rust_source: Vec<SourceRef>,
    /// The documented helpers that code names (`task::spawn`, the upstream call,
    /// ...), and where each is defined.
    pub helpers: Vec<Helper>,
    pub params: Value,
    pub elapsed_ms: f64,
    pub expected_ms: f64,
    pub tasks: Vec<TaskRecord>,
    /// When this request's code ran on the instance's thread (its tasks' polls).
    pub busy: Vec<[f64; 2]>,
    /// Requests this run sent out through the host (platforms count them: see
    /// `limits::OUTBOUND_PER_HOUR`).
    pub outbound_requests: u64,
    /// Long polls: blocking code that held the thread (`crate::polls`).
    pub warnings: Vec<String>,
    pub long_poll_ms: f64,
    pub events: Vec<Event>,
    /// Who awaits whom: the handler, its tasks, and what each awaits.
    pub tree: TreeNode,
    /// Every poll in the order it started, the steps a replay plays back: which
    /// task (`null`: the handler) held the thread from when to when, when it was
    /// woken for that step, and the line of the shown code it stopped at.
    pub steps: Vec<PollEntry>,
    /// Steps over [`MAX_STEPS_REPORTED`], not listed.
    pub steps_left_out: usize,
    pub note: String,
    pub instance: InstanceInfo,
    /// The wall-clock time the request's work started (ms since the Unix epoch):
    /// puts the runs of several requests on one axis.
    pub started_unix_ms: f64,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Report {
    /// Closes `trace` into a report: elapsed is read now.
    pub fn new(info: &DemoInfo, params: Value, expected_ms: f64, trace: &Trace) -> Self {
        let tasks = trace.tasks();
        Self {
            demo: info.name,
            python: info.python.text(),
            rust: Cow::Borrowed(info.rust.text()),
            rust_source: vec![info.rust.source()],
            helpers: helpers_named_in(&[info.rust]),
            params,
            elapsed_ms: trace.now_ms(),
            expected_ms,
            tree: trace.tree_of(&tasks),
            tasks,
            busy: trace.busy(),
            outbound_requests: trace.outbound_requests(),
            warnings: trace.warnings(),
            long_poll_ms: crate::polls::LONG_POLL_MS,
            events: trace.events(),
            steps: trace.steps(|_| true),
            steps_left_out: 0,
            note: info.note.to_owned(),
            instance: trace.instance(),
            started_unix_ms: trace.started_unix_ms(),
            extra: Map::new(),
        }
    }

    /// Adds a demo-specific field.
    pub fn with(mut self, key: &str, value: impl Serialize) -> Self {
        self.extra.insert(key.to_owned(), json!(value));
        self
    }

    /// Shows other regions of the source as the code that ran, for a demo whose
    /// code depends on its mode (one after another when several ran).
    pub fn with_rust(mut self, regions: &[Region]) -> Self {
        self.rust = match regions {
            [one] => Cow::Borrowed(one.text()),
            several => Cow::Owned(
                several
                    .iter()
                    .map(Region::text)
                    .collect::<Vec<_>>()
                    .join("\n\n"),
            ),
        };
        self.rust_source = regions.iter().map(Region::source).collect();
        self.helpers = helpers_named_in(regions);
        self
    }

    /// Replaces the note when the lesson depends on what happened.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    /// The report as it is sent: the locations of awaits kept only where they
    /// fall in the code it shows (a line of a library means nothing on the page,
    /// and a path outside the workspace is the build machine's), the steps capped.
    fn finished(mut self) -> Self {
        let sources = self.rust_source.clone();
        let shown = move |at: &At| {
            sources.iter().any(|source| {
                source.file == at.file
                    && (source.first_line..=source.last_line).contains(&(at.line as usize))
            })
        };
        let keep = |awaits: &mut Vec<Await>| {
            for each in awaits {
                each.at = each.at.filter(|at| shown(at));
            }
        };
        for task in &mut self.tasks {
            keep(&mut task.awaits);
        }
        fn walk(node: &mut TreeNode, keep: &impl Fn(&mut Vec<Await>)) {
            keep(&mut node.awaits);
            for child in &mut node.children {
                walk(child, keep);
            }
        }
        walk(&mut self.tree, &keep);
        for step in &mut self.steps {
            step.at = step.at.filter(|at| shown(at));
        }
        if self.steps.len() > MAX_STEPS_REPORTED {
            self.steps_left_out = self.steps.len() - MAX_STEPS_REPORTED;
            self.steps.truncate(MAX_STEPS_REPORTED);
        }
        self
    }

    /// The report as a `200 application/json` response.
    pub fn into_reply(self) -> Reply {
        crate::reply::json(http::StatusCode::OK, &self.finished())
    }

    /// The report as `view` asks: its JSON, or the picture of the run drawn from
    /// that JSON (`crate::text_view`), `text/plain; charset=utf-8`.
    pub fn into_reply_as(self, view: View) -> Reply {
        match view {
            View::Json => self.into_reply(),
            View::Text { color } => crate::reply::text(
                http::StatusCode::OK,
                crate::text_view::render(&json!(self.finished()), color),
            ),
        }
    }

    /// The report as the last line of a stream: marked `"what": "summary"`.
    pub fn into_summary_line(self) -> Value {
        let mut line = json!(self.finished());
        line["what"] = json!("summary");
        line["t_ms"] = line["elapsed_ms"].clone();
        line
    }
}

/// A helper a lesson's code names, and where it is defined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Helper {
    pub name: &'static str,
    #[serde(flatten)]
    pub source: SourceRef,
}

/// The helpers (`crate::task::HELPERS`) whose names appear in `regions`' code.
fn helpers_named_in(regions: &[Region]) -> Vec<Helper> {
    let named = |needle: &str| regions.iter().any(|region| region.code.contains(needle));
    crate::task::HELPERS
        .iter()
        .filter(|(needle, _)| named(needle))
        .map(|(name, source)| Helper {
            name,
            source: source.clone(),
        })
        .collect()
}

/// Checks that a demo request is a `GET` (or `HEAD`), parses its query string and
/// reads how to answer (`view=json|text`, `color=`), which every demo takes.
pub fn get_query(request: &spin_sdk::http::Request) -> Result<(Query, View), ApiError> {
    crate::reply::expect_get(request.method())?;
    let mut query = Query::parse(request.uri().query())?;
    let view = match query.choice(&shared::VIEW)? {
        "text" => View::Text {
            color: query.flag(&shared::COLOR)?,
        },
        _ => {
            // color= is declared for every demo; without view=text it changes nothing.
            query.flag(&shared::COLOR)?;
            View::Json
        }
    };
    Ok((query, view))
}

/// The upstream delays of a demo's tasks: `delays=100,200,300`, or `n=` tasks of
/// `delay_ms=` each (not both), or the route's default `delays` when neither is given.
fn delays(query: &mut Query, declared: &IntList) -> Result<Vec<u64>, ApiError> {
    let default = declared.default.unwrap_or(&[]);
    let given = query.int_list(&IntList {
        default: None,
        ..*declared
    })?;
    let count = query.optional_int(&shared::N)?;
    let each = query.optional_int(&shared::EACH_DELAY_MS)?;
    match (given, count, each) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(ApiError::bad_request(
            Some("delays"),
            "give either 'delays' or 'n' with 'delay_ms', not both",
        )),
        (Some(delays), None, None) => Ok(delays),
        (None, None, None) => Ok(default.to_vec()),
        (None, count, each) => {
            let count = count.map_or(default.len(), |n| n as usize);
            let longest_default = default.iter().copied().max().unwrap_or(0);
            Ok(vec![each.unwrap_or(longest_default); count])
        }
    }
}

/// `fail=1,2`: the ids of the tasks whose upstream call answers 500.
fn failing(query: &mut Query, tasks: usize) -> Result<Vec<usize>, ApiError> {
    let Some(ids) = query.int_list(&shared::FAIL)? else {
        return Ok(Vec::new());
    };
    match ids.iter().find(|&&id| id as usize >= tasks) {
        Some(id) => Err(ApiError::bad_request(
            Some("fail"),
            format!(
                "'fail' names task {id}, but the tasks are numbered 0 to {}",
                tasks - 1
            ),
        )),
        None => Ok(ids.into_iter().map(|id| id as usize).collect()),
    }
}

/// The upstream calls of a fan-out demo: one per delay, some told to fail, all over
/// one transport. Parsed once, it declares the calls and describes itself in the
/// report's `params`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallPlan {
    pub delays: Vec<u64>,
    /// `None` for demos that take no `fail=`.
    pub failing: Option<Vec<usize>>,
    pub transport: Transport,
}

impl CallPlan {
    /// Reads the group a route declares (`basics::route::Calls`): `delays` with the
    /// route's default (or `n` with `delay_ms`), then `fail=` when the route shows
    /// failures, then `transport`.
    pub fn parse(query: &mut Query, declared: &Calls) -> Result<Self, ApiError> {
        let delays = delays(query, &declared.delays)?;
        let failing = if declared.with_failures {
            Some(failing(query, delays.len())?)
        } else {
            None
        };
        Ok(Self {
            delays,
            failing,
            transport: transport(query)?,
        })
    }

    /// One upstream call per delay, not yet sent (futures do nothing until
    /// awaited); call `i` answers 500 when `fail=` names it, and is labelled `i`.
    pub fn calls(&self) -> Vec<Fetch> {
        let failing = self.failing.as_deref().unwrap_or(&[]);
        self.delays
            .iter()
            .enumerate()
            .map(|(i, &delay)| call(delay, failing.contains(&i), i, self.transport))
            .collect()
    }

    /// The longest delay: what calls that all overlap take.
    pub fn longest_ms(&self) -> u64 {
        self.delays.iter().copied().max().unwrap_or(0)
    }

    /// The shortest delay among the failing calls, if any fails.
    pub fn first_failure_ms(&self) -> Option<u64> {
        let failing = self.failing.as_deref()?;
        failing.iter().map(|&id| self.delays[id]).min()
    }

    /// The report's `params`: the plan, then the demo's own `extra` fields.
    pub fn params(&self, extra: Value) -> Value {
        let mut params = json!({ "delays": self.delays });
        if let Some(failing) = &self.failing {
            params["fail"] = json!(failing);
        }
        if let Value::Object(extra) = extra {
            for (key, value) in extra {
                params[key] = value;
            }
        }
        params["transport"] = json!(self.transport.name());
        params
    }
}

/// The call a lesson makes: `/upstream` sleeps `delay_ms` and answers 500 when
/// `fails`; `id` is echoed back.
pub fn call(delay_ms: u64, fails: bool, id: usize, transport: Transport) -> Fetch {
    let mut call = UpstreamCall::sleeping(delay_ms);
    call.status = fails.then_some(FAILING_STATUS);
    call.id = Some(id.to_string());
    call.send(transport)
}

/// How a run's elapsed time compares with its calls' delays, in numbers: whether
/// they overlapped (about the longest) or ran end to end (about the sum). A clause
/// with no full stop, for a note to build on.
pub fn overlap_sentence(elapsed_ms: f64, delays: &[u64]) -> String {
    let longest = delays.iter().copied().max().unwrap_or(0) as f64;
    let sum = delays.iter().sum::<u64>() as f64;
    let shape = if delays.len() < 2 || sum == longest {
        "took"
    } else if elapsed_ms >= 0.9 * sum {
        "ran end to end:"
    } else if elapsed_ms < 0.5 * (longest + sum) {
        "overlapped:"
    } else {
        "partly overlapped:"
    };
    format!(
        "{} call(s) {shape} {elapsed_ms} ms, against a longest delay of {longest} ms and a sum of {sum} ms",
        delays.len()
    )
}

/// Task ids for a note: `[2, 0, 1]`, or the first ten and how many there are.
pub fn ids(ids: &[usize]) -> String {
    const SHOWN: usize = 10;
    if ids.len() <= SHOWN {
        return format!("{ids:?}");
    }
    let first: Vec<String> = ids[..SHOWN].iter().map(usize::to_string).collect();
    format!("[{}, …] ({} in all)", first.join(", "), ids.len())
}

/// What a demo bounded by `timeout_ms` should take: `ms`, or the timeout if sooner.
pub fn within_timeout(ms: u64, timeout_ms: Option<u64>) -> f64 {
    timeout_ms.map_or(ms, |timeout| timeout.min(ms)) as f64
}

/// `transport=chaining|self`: how the upstream is reached (service chaining by default).
pub fn transport(query: &mut Query) -> Result<Transport, ApiError> {
    let name = query.choice(&shared::TRANSPORT)?;
    Ok(Transport::from_name(name).expect("TRANSPORT's options are Transport's names"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Query {
        Query::parse(Some(raw)).unwrap()
    }

    /// `delays` as a route declares it, with this default.
    fn listed(default: &'static [u64]) -> IntList {
        shared::DELAYS.default_to(default)
    }

    fn calls(default: &'static [u64], with_failures: bool) -> Calls {
        Calls {
            delays: listed(default),
            with_failures,
        }
    }

    #[test]
    fn delays_come_from_a_list_or_from_n_and_delay_ms() {
        assert_eq!(
            delays(&mut parse("delays=3,1,2"), &listed(&[9])).unwrap(),
            [3, 1, 2]
        );
        assert_eq!(
            delays(&mut parse("n=3&delay_ms=50"), &listed(&[9])).unwrap(),
            [50, 50, 50]
        );
        assert_eq!(
            delays(&mut parse("n=2"), &listed(&[300, 100])).unwrap(),
            [300, 300]
        );
        assert_eq!(
            delays(&mut parse("delay_ms=7"), &listed(&[1, 2])).unwrap(),
            [7, 7]
        );
        assert_eq!(
            delays(&mut parse(""), &listed(&[300, 100])).unwrap(),
            [300, 100]
        );
    }

    #[test]
    fn delays_reject_mixtures_and_out_of_bounds() {
        let both = delays(&mut parse("delays=1&n=2"), &listed(&[1])).unwrap_err();
        assert_eq!(both.param.as_deref(), Some("delays"));
        assert_eq!(
            delays(&mut parse("n=1001"), &listed(&[1]))
                .unwrap_err()
                .param
                .as_deref(),
            Some("n")
        );
        assert!(delays(&mut parse("n=0"), &listed(&[1])).is_err());
        assert!(delays(&mut parse("delays=30001"), &listed(&[1])).is_err());
        assert!(delays(&mut parse("delays=1,,2"), &listed(&[1])).is_err());
    }

    #[test]
    fn a_call_plan_reads_its_parameters_and_describes_itself() {
        let plan = CallPlan::parse(
            &mut parse("delays=300,100&fail=1&transport=self"),
            &calls(&[9], true),
        )
        .unwrap();
        assert_eq!(plan.longest_ms(), 300);
        assert_eq!(plan.first_failure_ms(), Some(100));
        assert_eq!(
            plan.params(json!({ "timeout_ms": 50 })),
            json!({ "delays": [300, 100], "fail": [1], "timeout_ms": 50, "transport": "self" })
        );
        let plain = CallPlan::parse(&mut parse(""), &calls(&[5, 7], false)).unwrap();
        assert_eq!(
            plain.params(json!({})),
            json!({ "delays": [5, 7], "transport": "chaining" })
        );
        assert_eq!(plain.first_failure_ms(), None);
        assert_eq!(plain.calls().len(), 2);
        assert!(
            CallPlan::parse(&mut parse("fail=1"), &calls(&[5], false)).is_ok(),
            "fail= is left for finish() to reject"
        );
        assert_eq!(within_timeout(300, Some(100)), 100.0);
        assert_eq!(within_timeout(300, None), 300.0);
    }

    #[test]
    fn long_id_lists_are_cut_for_notes() {
        assert_eq!(ids(&[2, 0, 1]), "[2, 0, 1]");
        let many: Vec<usize> = (0..12).collect();
        assert_eq!(ids(&many), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …] (12 in all)");
    }

    #[test]
    fn failing_ids_must_name_tasks() {
        assert_eq!(failing(&mut parse("fail=0,2"), 3).unwrap(), [0, 2]);
        assert!(failing(&mut parse(""), 3).unwrap().is_empty());
        let error = failing(&mut parse("fail=3"), 3).unwrap_err();
        assert!(error.message.contains("0 to 2"), "{}", error.message);
    }

    #[test]
    fn a_summary_line_is_the_report_marked_as_summary() {
        let info = DemoInfo {
            name: "x",
            python: Region::cut("x.rs", "// region: p\np\n// endregion: p\n", "p"),
            rust: Region::cut("x.rs", "// region: r\nr\n// endregion: r\n", "r"),
            note: "n",
        };
        let trace = Trace::start();
        let line = Report::new(&info, json!({}), 0.0, &trace)
            .with("done", [1])
            .into_summary_line();
        assert_eq!(line["what"], "summary");
        assert_eq!(line["done"], json!([1]));
        assert_eq!(line["t_ms"], line["elapsed_ms"]);
    }
}
