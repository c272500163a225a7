//! What a route says about itself, declared once.
//!
//! Every component folder has a `src/route.rs` whose `ROUTES` lists its spin.toml
//! routes with these types: each parameter's name, type, bounds, default and one
//! line of doc (in English, and in Chinese for the page's forms), the body it
//! takes and what it answers. From that one declaration:
//! - the component parses its query ([`crate::Query`]'s getters take a declared
//!   parameter, so the bounds and the default are the declared ones);
//! - `src/catalogue` gathers every folder's `ROUTES`, and `/openapi.json`, the hello
//!   page's links and (through `/openapi.json`) the playground's forms come from it.
//!
//! Parameters the tour shares (`delays`, `n`, `fail`, `transport`, ...) are declared
//! in [`shared`], so the same idea has the same name everywhere; a route narrows one
//! with [`Int::default_to`] or [`Int::at_most`] instead of declaring a look-alike.

/// One spin.toml route of a component.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// As spin.toml writes it: `/demo/wait`, `/hello/:name`, `/ui/...`.
    pub route: &'static str,
    pub method: Method,
    /// One line: what the route shows. Also the hello page's link text.
    pub summary: &'static str,
    /// The same line in Chinese, for the page's forms (`x-summary-zh`); every
    /// route the page runs has one.
    pub summary_zh: &'static str,
    /// A fan-out demo's upstream calls: parameters it shares with the others.
    pub calls: Option<Calls>,
    /// Its own parameters.
    pub params: &'static [Param],
    pub body: Option<Body>,
    pub answer: Answer,
    /// Failures besides 400 (bad parameters) and 405 (wrong method), which every
    /// route may answer: (status, when).
    pub errors: &'static [(u16, &'static str)],
    /// A link for the hello page to offer (path and query), if the route is one a
    /// visitor can try in a browser.
    pub example: Option<&'static str>,
}

impl Route {
    /// A `GET` route answering `answer`, with no parameters, body, extra errors or link.
    pub const fn get(route: &'static str, summary: &'static str, answer: Answer) -> Self {
        Self {
            route,
            method: Method::Get,
            summary,
            summary_zh: "",
            calls: None,
            params: &[],
            body: None,
            answer,
            errors: &[],
            example: None,
        }
    }

    pub const fn summary_zh(mut self, summary_zh: &'static str) -> Self {
        self.summary_zh = summary_zh;
        self
    }

    pub const fn params(mut self, params: &'static [Param]) -> Self {
        self.params = params;
        self
    }

    pub const fn calls(mut self, calls: Calls) -> Self {
        self.calls = Some(calls);
        self
    }

    pub const fn example(mut self, href: &'static str) -> Self {
        self.example = Some(href);
        self
    }

    pub const fn errors(mut self, errors: &'static [(u16, &'static str)]) -> Self {
        self.errors = errors;
        self
    }

    /// Every parameter: the calls' (spelled out), then the route's own, then, for
    /// a route that answers a demo's report, how to answer it ([`shared::VIEW`],
    /// [`shared::COLOR`]).
    pub fn each_param(&self) -> Vec<Param> {
        let mut each = self.calls.map(|calls| calls.params()).unwrap_or_default();
        each.extend_from_slice(self.params);
        if self.answer.is_report() {
            each.extend_from_slice(&[Param::Choice(shared::VIEW), Param::Flag(shared::COLOR)]);
        }
        each
    }

    /// The names of the query parameters, in declared order.
    pub fn query_names(&self) -> Vec<&'static str> {
        self.each_param()
            .iter()
            .filter(|param| !matches!(param, Param::Path(_)))
            .map(Param::name)
            .collect()
    }
}

impl Answer {
    /// A demo's report, whole or as the last line of a stream of its events.
    pub fn is_report(&self) -> bool {
        matches!(self, Self::Report) || *self == Self::Stream(REPORT_STREAM)
    }
}

/// The content type of a demo's stream of events, its report last.
pub const REPORT_STREAM: &str = "application/x-ndjson";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `GET`, and `HEAD` with it.
    Get,
    Post,
}

/// What a successful request answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A demo's report (JSON): tasks, events, timings, the code that ran.
    Report,
    /// Lines sent as they happen, of this content type; a demo's last line is its report.
    Stream(&'static str),
    /// Hello's greeting: HTML, or JSON when asked for.
    Greeting,
    /// `/upstream`'s reply, with whatever status it was asked for.
    Upstream,
    /// The answer of a chat model.
    ModelReply,
    /// Some other JSON object.
    Object,
    /// A page or a file of the playground.
    Page,
    /// The OpenAPI document itself.
    OpenApi,
    /// A JSON error with this status, always: a feature Spin does not have.
    Unsupported(u16),
    /// The JSON 404 every unknown path gets.
    NotFound,
}

/// A request body a `POST` route takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// Plain text of at most `max_bytes`.
    Text { max_bytes: usize },
    /// One text field, as a form or JSON; the field is required and not empty.
    Field {
        name: &'static str,
        max_chars: usize,
        max_bytes: usize,
    },
}

/// A parameter of a route.
#[derive(Clone, Copy, Debug)]
pub enum Param {
    Int(Int),
    IntList(IntList),
    Flag(Flag),
    Choice(Choice),
    /// Free text in the query.
    Text(Text),
    /// A segment of the path (`:name` in the route).
    Path(Text),
}

impl Param {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Int(param) => param.name,
            Self::IntList(param) => param.name,
            Self::Flag(param) => param.name,
            Self::Choice(param) => param.name,
            Self::Text(param) | Self::Path(param) => param.name,
        }
    }

    pub fn doc(&self) -> &'static str {
        match self {
            Self::Int(param) => param.doc,
            Self::IntList(param) => param.doc,
            Self::Flag(param) => param.doc,
            Self::Choice(param) => param.doc,
            Self::Text(param) | Self::Path(param) => param.doc,
        }
    }

    /// The doc in Chinese: what the page's forms show to a Chinese reader.
    pub fn doc_zh(&self) -> &'static str {
        match self {
            Self::Int(param) => param.zh,
            Self::IntList(param) => param.zh,
            Self::Flag(param) => param.zh,
            Self::Choice(param) => param.zh,
            Self::Text(param) | Self::Path(param) => param.zh,
        }
    }
}

/// An integer from `min` to `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Int {
    pub name: &'static str,
    pub min: u64,
    pub max: u64,
    /// Used when the parameter is absent; `None`: absent means "not given".
    pub default: Option<u64>,
    pub doc: &'static str,
    /// The same doc in Chinese, for the page's forms (`x-description-zh`).
    pub zh: &'static str,
}

impl Int {
    pub const fn new(name: &'static str, min: u64, max: u64, doc: &'static str) -> Self {
        Self {
            name,
            min,
            max,
            default: None,
            doc,
            zh: "",
        }
    }

    pub const fn default_to(mut self, default: u64) -> Self {
        self.default = Some(default);
        self
    }

    pub const fn at_most(mut self, max: u64) -> Self {
        self.max = max;
        self
    }

    pub const fn at_least(mut self, min: u64) -> Self {
        self.min = min;
        self
    }

    /// Another doc (English); its Chinese must follow with [`Int::zh`].
    pub const fn doc(mut self, doc: &'static str) -> Self {
        self.doc = doc;
        self.zh = "";
        self
    }

    pub const fn zh(mut self, zh: &'static str) -> Self {
        self.zh = zh;
        self
    }
}

/// A comma-separated list of 1 to `max_items` integers from `min` to `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntList {
    pub name: &'static str,
    pub min: u64,
    pub max: u64,
    pub max_items: usize,
    pub default: Option<&'static [u64]>,
    pub doc: &'static str,
    pub zh: &'static str,
}

impl IntList {
    pub const fn default_to(mut self, default: &'static [u64]) -> Self {
        self.default = Some(default);
        self
    }
}

/// `true`/`false` (or `1`/`0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: &'static str,
    pub default: bool,
    pub doc: &'static str,
    pub zh: &'static str,
}

/// One of a fixed set of words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub name: &'static str,
    pub options: &'static [&'static str],
    pub default: &'static str,
    pub doc: &'static str,
    pub zh: &'static str,
}

/// Free text of at most `max_chars` characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub name: &'static str,
    pub max_chars: usize,
    pub doc: &'static str,
    pub zh: &'static str,
}

/// A fan-out demo's upstream calls, one task each: `delays` with this route's
/// default (or `n` with `delay_ms`), `fail` when the demo shows failures, and
/// `transport`. `common::CallPlan` parses them; declared as one group so that the
/// demos that share them list them once.
#[derive(Clone, Copy, Debug)]
pub struct Calls {
    pub delays: IntList,
    pub with_failures: bool,
}

impl Calls {
    /// The group spelled out, in the order `CallPlan` reads it.
    pub fn params(&self) -> Vec<Param> {
        let mut params = vec![
            Param::IntList(self.delays),
            Param::Int(shared::N),
            Param::Int(shared::EACH_DELAY_MS),
        ];
        if self.with_failures {
            params.push(Param::IntList(shared::FAIL));
        }
        params.push(Param::Choice(shared::TRANSPORT));
        params
    }
}

/// The parameters several routes share: one name, one meaning, one set of bounds.
pub mod shared {
    use super::{Choice, Int, IntList};

    /// Most tasks a fan-out demo starts.
    pub const MAX_TASKS: u64 = 1000;
    /// Longest upstream delay, in ms: as long as a run may last (`crate::limits`).
    pub const MAX_DELAY_MS: u64 = crate::limits::RUN_MS;
    /// Longest timeout, in ms: a longer one could never fire within a run.
    pub const MAX_TIMEOUT_MS: u64 = crate::limits::RUN_MS;

    /// One task per delay: the fan-out demos' tasks.
    pub const DELAYS: IntList = IntList {
        name: "delays",
        min: 0,
        max: MAX_DELAY_MS,
        max_items: MAX_TASKS as usize,
        default: None,
        doc: "Upstream delays in ms, one task each (not with n or delay_ms).",
        zh: "上游调用的延迟（ms），每个延迟一个任务（不可与 n 或 delay_ms 同用）。",
    };
    /// How many tasks, with `delay_ms` each, instead of `delays`.
    pub const N: Int = Int::new(
        "n",
        1,
        MAX_TASKS,
        "Number of tasks, with delay_ms each (default: as many as the default delays).",
    )
    .zh("任务数，每个任务的延迟为 delay_ms（默认与默认 delays 的个数相同）。");
    /// A delay: of the one call, of each task, or of a sleep.
    pub const DELAY_MS: Int =
        Int::new("delay_ms", 0, MAX_DELAY_MS, "Delay in ms.").zh("延迟（ms）。");
    /// `delay_ms` beside `n`: every task the same delay.
    pub const EACH_DELAY_MS: Int = DELAY_MS
        .doc(
            "Delay of each of the n tasks, in ms (not with delays; default: the longest default delay).",
        )
        .zh("n 个任务各自的延迟（ms；不可与 delays 同用；默认取默认延迟中最长的一个）。");
    /// The tasks whose upstream answers 500.
    pub const FAIL: IntList = IntList {
        name: "fail",
        min: 0,
        max: MAX_TASKS,
        max_items: MAX_TASKS as usize,
        default: None,
        doc: "Ids of the tasks whose upstream call answers 500.",
        zh: "上游调用返回 500 的那些任务的 id。",
    };
    pub const TIMEOUT_MS: Int =
        Int::new("timeout_ms", 0, MAX_TIMEOUT_MS, "Timeout in ms.").zh("超时时间（ms）。");
    /// How a component reaches `/upstream`.
    pub const TRANSPORT: Choice = Choice {
        name: "transport",
        options: &["chaining", "self"],
        default: "chaining",
        doc: "How to reach /upstream: Spin's service chaining (in-process) or the app's own URL (out through the front door and back). Each call is an outbound request either way (outbound_requests).",
        zh: "如何访问 /upstream：Spin 的服务链接（在进程内）或应用自己的 URL（从前门出去再绕回来）。两种方式下每次调用都是一次出站请求（outbound_requests）。",
    };
    /// How a demo answers: its JSON report, or a picture of the run for a terminal.
    pub const VIEW: Choice = Choice {
        name: "view",
        options: &["json", "text"],
        default: "json",
        doc: "json: the report; text: the run drawn for a terminal (curl), 100 columns.",
        zh: "json：报告；text：为终端（curl）绘制的运行图，宽 100 列。",
    };
    /// ANSI colour in the text view.
    pub const COLOR: super::Flag = super::Flag {
        name: "color",
        default: false,
        doc: "With view=text: colour the picture with ANSI escapes.",
        zh: "view=text 时：用 ANSI 转义序列为图着色。",
    };
    /// CPU time a task burns, in ms.
    pub const WORK_MS: Int =
        Int::new("work_ms", 0, 10_000, "CPU time, in ms.").zh("CPU 时间（ms）。");
}
