// The tour: one page per idea. It reads the ideas' parameters from /openapi.json and
// their explanations and asyncio programs from /ui/lessons.json, runs a demo (or two
// on one axis), reads its JSON report or NDJSON stream, and draws one row per task.
// Nothing here builds HTML from text: every value goes in through textContent or
// attributes.
"use strict";

let DEMOS = {}; // idea -> { summary, params } from /openapi.json, in reading order
let LESSONS = {}; // idea -> { title, text, python, folder, route } from /ui/lessons.json
let HARNESS = ""; // src/common/python/tour.py, which every lesson.py imports
let DIFFERENCES = []; // src/common/python/differences.json: where Python and Rust differ on purpose
let IDEAS = []; // the ideas, in the tour's order
let GLOSSARY = []; // { asyncio, rust, meaning, idea, title }: the lessons' Terms sections, in reading order

const LANGUAGE_KEY = "spin-async-demo.language";
// The page's own words, in both languages; the lessons bring theirs.
const WORDS = {
  en: {
    heading: "asyncio on Spin: the tour",
    intro: "One idea per page, in the order the seed explains them. Run an idea and read its timeline: one row per task, faint while it waits at an await, solid while it holds the thread. The Python is the complete asyncio program; the Rust is the code that ran, cut from the component's own file.",
    idea: "Idea", prev: "Previous", next: "Next", home: "The greeting", api: "API description",
    controls: "Parameters", compare: "Compare with a second demo on the same time axis",
    second: "Second demo", run: "Run", permalink: "Link to this run", status: "Status:",
    timeline: "Timeline", ok: "ok", error: "error", cancelled: "cancelled", timed_out: "timed out",
    pending: "pending", running: "running: a poll holds the thread", waiting: "waiting at an await",
    elapsed: "elapsed", expected: "expected", timeout: "timeout", tasks: "Tasks",
    tree: "Who awaits whom", events: "Events, in order", code: "The code",
    python: "Python: the complete asyncio program", rust: "Rust: the code that ran",
    rust_placeholder: "Run the idea to see the Rust that ran.",
    instances: "Requests on instances",
    instances_intro: "Spin gives a component instance up to 16 requests at once, on one thread, like coroutines on one loop. Fire several requests together, some blocking, and see one lane per instance: each request's row is solid while its code holds the thread. A blocking request stalls every other request on its instance.",
    python_too: "Run the Python too: the lesson's asyncio program, in Pyodide (CPython in WebAssembly, served by this app; about 13 MB the first time)",
    python_loading: (s) => `Loading Python (Pyodide) from this app… ${s} s`,
    python_running: "Running the Python…",
    python_done: (ms, loaded) => `Python done: ${ms} ms on the same axis, drawn under the Rust${loaded ? `; Pyodide loaded in ${loaded} s` : ""}.`,
    python_failed: (why) => `The Python run failed: ${why}`,
    requests: "requests", blocking_requests: "of which blocking", fire: "Fire them together",
    block_ms: "blocking requests block (ms)", sleep_ms: "async requests sleep (ms)",
    requests_hint: "At most 6 requests: a browser opens at most 6 connections to one host.",
    idle: "idle", running_state: "running", done: "done", failed: "error",
    col_task: "task", col_outcome: "outcome", col_start: "start ms", col_end: "end ms",
    col_busy: "running ms", col_waiting: "waiting ms", col_polls: "polls", col_longest: "longest poll ms",
    handler: "request handler", awaits: "awaits",
    instance_line: (i) => `Instance ${i.id}: this was request number ${i.request_number} on it; it was serving ${i.serving ?? "?"} request(s) when this one started.`,
    python_from: (folder) => `${folder}/lesson.py (runs with src/common/python/tour.py)`,
    rust_lines: (at) => `${at.file}, lines ${at.first_line}-${at.last_line}`,
    glossary: "Glossary: asyncio in Rust",
    glossary_show: "Every asyncio name the lessons teach, its Rust / WASI 0.3 counterpart, and the lesson that runs it",
    col_asyncio: "asyncio", col_rust: "Rust / WASI 0.3", col_meaning: "What it is", col_lesson: "Lesson",
    no_counterpart: "none",
    lane_summary: (lane) => `Instance ${lane.id}: ${lane.count} request(s), numbers ${lane.numbers}; its longest poll held the thread ${lane.longest} ms; the async requests took up to ${lane.slowest} ms for a ${lane.delay} ms sleep.`,
  },
  zh: {
    heading: "Spin 上的 asyncio：导览",
    intro: "每页讲一个概念，顺序与原文一致。运行一个概念，看它的时间线：每个任务一行，在 await 处等待时颜色浅，占着线程运行时颜色深。Python 是完整的 asyncio 程序；Rust 是实际运行的代码，直接从组件自己的源文件中截取。",
    idea: "概念", prev: "上一个", next: "下一个", home: "问候页", api: "API 描述",
    controls: "参数", compare: "在同一时间轴上与另一个演示对比",
    second: "第二个演示", run: "运行", permalink: "本次运行的链接", status: "状态：",
    timeline: "时间线", ok: "成功", error: "出错", cancelled: "已取消", timed_out: "超时",
    pending: "未完成", running: "运行中：一次 poll 占着线程", waiting: "在 await 处等待",
    elapsed: "实际耗时", expected: "预期耗时", timeout: "超时时间", tasks: "任务",
    tree: "谁在等待谁", events: "事件（按发生顺序）", code: "代码",
    python: "Python：完整的 asyncio 程序", rust: "Rust：实际运行的代码",
    rust_placeholder: "运行之后，这里显示实际运行的 Rust 代码。",
    instances: "实例上的请求",
    instances_intro: "Spin 让一个组件实例同时处理最多 16 个请求，它们共用一个线程，就像同一个事件循环上的协程。同时发出几个请求（其中一些是阻塞的），每个实例画一条泳道：请求的代码占着线程时，它那一行颜色加深。一个阻塞的请求会卡住同一实例上的所有其他请求。",
    python_too: "同时运行 Python：这一课的 asyncio 程序，在 Pyodide 中运行（编译成 WebAssembly 的 CPython，由本应用提供；首次约 13 MB）",
    python_loading: (s) => `正在从本应用加载 Python（Pyodide）… ${s} 秒`,
    python_running: "正在运行 Python…",
    python_done: (ms, loaded) => `Python 完成：${ms} ms，画在 Rust 下方的同一时间轴上${loaded ? `；Pyodide 加载用了 ${loaded} 秒` : ""}。`,
    python_failed: (why) => `Python 运行失败：${why}`,
    requests: "请求数", blocking_requests: "其中阻塞的", fire: "同时发出",
    block_ms: "阻塞请求阻塞多久（ms）", sleep_ms: "异步请求睡多久（ms）",
    requests_hint: "最多 6 个请求：浏览器对同一主机最多只开 6 个连接。",
    idle: "空闲", running_state: "运行中", done: "完成", failed: "出错",
    col_task: "任务", col_outcome: "结果", col_start: "开始 ms", col_end: "结束 ms",
    col_busy: "运行 ms", col_waiting: "等待 ms", col_polls: "poll 次数", col_longest: "最长一次 poll ms",
    handler: "请求处理函数", awaits: "等待",
    instance_line: (i) => `实例 ${i.id}：这是它处理的第 ${i.request_number} 个请求；本请求开始时，它正在处理 ${i.serving ?? "?"} 个请求。`,
    python_from: (folder) => `${folder}/lesson.py（依赖 src/common/python/tour.py）`,
    rust_lines: (at) => `${at.file}，第 ${at.first_line}-${at.last_line} 行`,
    glossary: "术语表：asyncio 在 Rust 中的对应",
    glossary_show: "各课讲到的每个 asyncio 名称、它在 Rust / WASI 0.3 中的对应，以及演示它的那一课",
    col_asyncio: "asyncio", col_rust: "Rust / WASI 0.3", col_meaning: "含义", col_lesson: "课程",
    no_counterpart: "无",
    lane_summary: (lane) => `实例 ${lane.id}：${lane.count} 个请求，编号 ${lane.numbers}；最长的一次 poll 占用线程 ${lane.longest} ms；异步请求只睡 ${lane.delay} ms，却最多用了 ${lane.slowest} ms。`,
  },
};
let language = "en";
const say = (key) => WORDS[language][key] ?? WORDS.en[key];

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 800;
const LEFT = 8;
const RIGHT = 8;
const TOP = 22;
const ROW = 20;
const BAR = 14;

const $ = (selector) => document.querySelector(selector);
const element = (name, text) => {
  const node = document.createElement(name);
  if (text !== undefined) node.textContent = text;
  return node;
};

// `no-store`: a browser holds back identical requests while the first is in
// flight (its cache lock); the instance panel sends identical ones at once.
async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

// Every demo that can be run from the page: each lesson's route, then any other
// /demo/ route, with the parameters its route declares.
function demosOf(api, lessons) {
  const demos = {};
  const add = (idea, path) => {
    const item = api.paths[path];
    if (!item || !item.get || demos[idea]) return;
    demos[idea] = {
      path,
      summary: item.get.summary,
      summary_zh: item.get["x-summary-zh"] || item.get.summary,
      // view=text and color are for a terminal (curl); the page reads the JSON.
      params: item.get.parameters.filter((param) => param.in === "query" && !["view", "color"].includes(param.name)),
    };
  };
  for (const lesson of lessons) add(lesson.idea, lesson.route);
  for (const path of Object.keys(api.paths)) {
    if (path.startsWith("/demo/")) add(path.slice("/demo/".length), path);
  }
  return demos;
}

// ---- language ----------------------------------------------------------------

function chooseLanguage(chosen) {
  language = chosen === "zh" ? "zh" : "en";
  try { localStorage.setItem(LANGUAGE_KEY, language); } catch (_) { /* private mode */ }
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  for (const button of document.querySelectorAll(".lang button")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === language));
  }
  for (const node of document.querySelectorAll("[data-text]")) {
    const words = say(node.dataset.text);
    if (typeof words === "string" && !(node.id === "rust" && node.dataset.filled)) node.textContent = words;
  }
  for (const text of document.querySelectorAll("small.hint[data-en], p.summary[data-en]")) {
    text.textContent = language === "zh" ? text.dataset.zh : text.dataset.en;
  }
  fillSelect($("#demo"), currentIdea());
  showLesson(currentIdea());
  showGlossary();
  if (lastRuns) showDetails(lastRuns);
}

// The glossary: one row per term of the lessons' Terms sections, each linking to its lesson.
function showGlossary() {
  const table = $("#glossary-table");
  const caption = element("caption", say("glossary"));
  const head = element("tr");
  for (const key of ["col_asyncio", "col_rust", "col_meaning", "col_lesson"]) {
    const th = element("th", say(key));
    th.scope = "col";
    head.append(th);
  }
  const body = element("tbody");
  for (const term of GLOSSARY) {
    const row = element("tr");
    const asyncio = element("th");
    asyncio.scope = "row";
    asyncio.append(element("code", term.asyncio));
    const rust = element("td");
    rust.append(term.rust ? element("code", term.rust) : document.createTextNode(say("no_counterpart")));
    const lesson = element("td");
    const link = element("a", term.title[language] || term.title.en);
    link.href = `/ui/?idea=${encodeURIComponent(term.idea)}`;
    lesson.append(link);
    row.append(asyncio, rust, inline(element("td"), term.meaning[language] || term.meaning.en), lesson);
    body.append(row);
  }
  const thead = element("thead");
  thead.append(head);
  table.replaceChildren(caption, thead, body);
}

function savedLanguage() {
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    if (saved) return saved;
  } catch (_) { /* private mode */ }
  return (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

// ---- the lesson: explanation and program -----------------------------------------

// The lessons' Markdown is a small subset: "# " title, "## " headings, "- " lists,
// paragraphs, `code` and **bold**. Each piece becomes a DOM node with textContent.
function renderMarkdown(text) {
  const nodes = [];
  let paragraph = [];
  let list = null;
  const flush = () => {
    if (paragraph.length) nodes.push(inline(element("p"), paragraph.join(" ")));
    paragraph = [];
  };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("- ")) {
      flush();
      if (!list) { list = element("ul"); nodes.push(list); }
      list.append(inline(element("li"), line.slice(2)));
      continue;
    }
    if (list && line !== "" && !line.startsWith("#") && raw.startsWith("  ")) {
      inline(list.lastChild, " " + line);
      continue;
    }
    list = null;
    if (line === "") { flush(); continue; }
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      flush();
      const node = inline(element(heading[1].length === 1 ? "h2" : "h3"), heading[2]);
      if (heading[1].length === 1) node.id = "lesson-title";
      nodes.push(node);
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return nodes;
}

function inline(node, text) {
  for (const piece of text.split(/(`[^`]+`|\*\*[^*]+\*\*)/)) {
    if (piece.startsWith("`") && piece.endsWith("`") && piece.length > 1) {
      node.append(element("code", piece.slice(1, -1)));
    } else if (piece.startsWith("**") && piece.endsWith("**") && piece.length > 3) {
      node.append(element("strong", piece.slice(2, -2)));
    } else if (piece) {
      node.append(document.createTextNode(piece));
    }
  }
  return node;
}

// The program, with the lines that are the idea (between `# region:` markers) marked.
function showProgram(lesson) {
  const pre = $("#python");
  pre.replaceChildren();
  if (!lesson) { pre.textContent = ""; $("#python-source").textContent = ""; return; }
  let inRegion = false;
  let chunk = [];
  const put = (marked) => {
    if (!chunk.length) return;
    const text = chunk.join("\n") + "\n";
    pre.append(marked ? element("mark", text) : document.createTextNode(text));
    chunk = [];
  };
  for (const line of lesson.python.replace(/\n$/, "").split("\n")) {
    const marker = /^\s*# (end)?region: /.exec(line);
    if (marker && !marker[1]) { chunk.push(line); put(false); inRegion = true; continue; }
    if (marker && marker[1]) { put(true); inRegion = false; chunk.push(line); continue; }
    chunk.push(line);
  }
  put(inRegion);
  $("#python-source").textContent = say("python_from")(lesson.folder);
}

function showLesson(idea) {
  const lesson = LESSONS[idea];
  const article = $("#lesson");
  if (lesson) {
    article.replaceChildren(...renderMarkdown(lesson.text[language] || lesson.text.en));
    article.setAttribute("aria-labelledby", "lesson-title");
  } else {
    const summary = (language === "zh" ? DEMOS[idea]?.summary_zh : DEMOS[idea]?.summary) || "";
    article.replaceChildren(element("h2", idea), element("p", summary));
  }
  showProgram(lesson);
  const at = IDEAS.indexOf(idea);
  for (const [id, step] of [["#prev", -1], ["#next", 1]]) {
    const target = IDEAS[at + step];
    const link = $(id);
    link.hidden = !target;
    if (target) {
      link.href = `/ui/?idea=${encodeURIComponent(target)}`;
      link.textContent = `${say(id.slice(1))}: ${titleOf(target)}`;
    }
  }
  const title = titleOf(idea);
  document.title = `${title} · ${say("heading")}`;
}

function titleOf(idea) {
  const lesson = LESSONS[idea];
  return lesson ? lesson.title[language] || lesson.title.en : idea;
}

// ---- the form --------------------------------------------------------------------

function fillSelect(select, chosen) {
  select.replaceChildren();
  for (const name of IDEAS) {
    const option = element("option", LESSONS[name] ? `${titleOf(name)} (${name})` : name);
    option.value = name;
    option.selected = name === chosen;
    select.append(option);
  }
}

// One field per declared parameter: a list for a fixed set of words, else a text
// box, prefilled with the declared default (or the value a link gives); the
// one-line doc shown under it.
function buildForm(form, demo, given = new URLSearchParams()) {
  const summary = element("p", language === "zh" ? DEMOS[demo].summary_zh : DEMOS[demo].summary);
  summary.dataset.en = DEMOS[demo].summary;
  summary.dataset.zh = DEMOS[demo].summary_zh;
  summary.className = "summary";
  form.replaceChildren(summary);
  for (const param of DEMOS[demo].params) {
    const label = element("label");
    const schema = param.schema || {};
    const fallback = given.has(param.name) ? given.get(param.name)
      : schema.default === undefined ? "" : String(schema.default);
    let field;
    if (Array.isArray(schema.enum)) {
      field = element("select");
      // Flags accept 1/0 too; true/false are enough to choose from.
      const options = schema.enum.filter((option) => option !== "1" && option !== "0");
      for (const value of options) {
        const option = element("option", value);
        option.value = value;
        option.selected = value === fallback;
        field.append(option);
      }
    } else {
      field = element("input");
      field.value = fallback;
      field.autocomplete = "off";
      if (schema.type === "integer") field.inputMode = "numeric";
    }
    field.name = param.name;
    // The parameter's doc in both languages (openapi.json's description and
    // x-description-zh), shown in the page's: chooseLanguage swaps them.
    const hint = element("small");
    hint.className = "hint";
    hint.dataset.en = param.description || "";
    hint.dataset.zh = param["x-description-zh"] || hint.dataset.en;
    hint.textContent = language === "zh" ? hint.dataset.zh : hint.dataset.en;
    label.append(element("span", param.name), field, hint);
    form.append(label);
  }
}

function queryOf(form) {
  const query = new URLSearchParams();
  for (const input of form.querySelectorAll("input, select")) {
    if (input.value.trim() !== "") query.set(input.name, input.value.trim());
  }
  return query;
}

function currentIdea() {
  const idea = new URLSearchParams(location.search).get("idea");
  return DEMOS[idea] ? idea : IDEAS[0];
}

// Opens an idea: its lesson, its form (filled from the link), and a run when the
// link carries parameters (a shared run is reproduced).
function openIdea(idea, given) {
  $("#demo").value = idea;
  showLesson(idea);
  buildForm($("#params"), idea, given);
  clearRun();
  const hasParams = [...given.keys()].some((key) => key !== "idea");
  if (hasParams) runDemos();
}

// ---- a run -------------------------------------------------------------------------

// One run: its demo, its tasks as they are known so far, and its report once done.
class Run {
  constructor(slot, demo, query) {
    this.slot = slot;
    this.demo = demo;
    this.query = query;
    this.tasks = new Map();
    this.report = null;
    this.started = performance.now();
  }

  // Milliseconds since the run began, for bars still running.
  now() {
    return performance.now() - this.started;
  }

  elapsed() {
    return this.report ? this.report.elapsed_ms : this.now();
  }

  noteTask(record) {
    const known = this.tasks.get(record.id) || {};
    this.tasks.set(record.id, { ...known, ...record });
  }

  async execute(redraw) {
    const url = `${DEMOS[this.demo].path}?${this.query}`;
    const response = await fetch(url, { headers: { accept: "application/json" } });
    const type = response.headers.get("content-type") || "";
    if (!response.ok) {
      let message = `${response.status} ${response.statusText}`;
      try {
        const body = await response.json();
        message = `${this.demo}: ${body.message || message}`;
      } catch (_) {
        // not JSON: keep the status line
      }
      throw new Error(message);
    }
    if (type.startsWith("application/x-ndjson")) {
      await this.readStream(response, redraw);
    } else {
      this.takeReport(await response.json());
    }
    redraw();
  }

  async readStream(response, redraw) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let end;
      while ((end = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, end).trim();
        pending = pending.slice(end + 1);
        if (line) this.takeLine(JSON.parse(line));
      }
      redraw();
    }
  }

  takeLine(line) {
    if (line.what === "summary") {
      this.takeReport(line);
    } else if (line.task !== null && line.task !== undefined && line.label !== undefined) {
      this.noteTask({
        id: line.task,
        label: line.label,
        started_ms: line.started_ms,
        finished_ms: line.finished_ms,
        outcome: line.outcome,
        busy: line.busy,
      });
    }
  }

  takeReport(report) {
    this.report = report;
    for (const task of report.tasks) this.noteTask(task);
  }

  // Where the time axis must reach for this run.
  span() {
    let span = this.elapsed();
    if (this.report) span = Math.max(span, this.report.expected_ms || 0);
    const timeout = Number(this.query.get("timeout_ms"));
    if (timeout) span = Math.max(span, timeout);
    return Math.max(span, 1);
  }
}

function svgElement(name, attributes) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

function draw(run, msPerPx) {
  const tasks = [...run.tasks.values()].sort((a, b) => a.id - b.id);
  const height = TOP + Math.max(tasks.length, 1) * ROW + 24;
  const svg = svgElement("svg", {
    class: "timeline",
    "data-slot": run.slot,
    "data-demo": run.demo,
    "data-ms-per-px": msPerPx.toFixed(6),
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: "img",
  });
  const finished = tasks.filter((t) => t.finished_ms !== null && t.finished_ms !== undefined).length;
  svg.setAttribute("aria-label",
    `${run.demo}: ${tasks.length} tasks, ${finished} finished, elapsed ${run.elapsed().toFixed(0)} ms`);
  const caption = svgElement("text", { x: LEFT, y: 15, class: "caption" });
  const expected = run.report ? `, ${say("expected")} ${run.report.expected_ms} ms` : "";
  caption.textContent = `${run.demo}: ${run.elapsed().toFixed(1)} ms${expected}`;
  svg.append(caption);

  const x = (ms) => LEFT + ms / msPerPx;
  tasks.forEach((task, row) => {
    const start = task.started_ms ?? 0;
    // Still pending: to now while the run goes on, to its end once reported.
    const end = task.finished_ms ?? (run.report ? run.report.elapsed_ms : run.now());
    const outcome = task.outcome || "pending";
    const busy = Array.isArray(task.busy) ? task.busy : [];
    // Measured tasks are drawn faint (waiting) with their polls solid (running).
    const span = (kind, from, to) => svgElement("rect", {
      class: `${kind} outcome-${outcome}`,
      "data-task": task.id,
      "data-start": from,
      "data-end": to,
      x: x(from).toFixed(2),
      y: TOP + row * ROW,
      width: Math.max((to - from) / msPerPx, 1).toFixed(2),
      height: BAR,
      rx: 2,
    });
    const bar = span(busy.length ? "bar waiting" : "bar", start, end);
    const title = svgElement("title", {});
    const polls = task.polls === undefined ? ""
      : `; ${task.polls} polls, running ${task.busy_ms} ms, waiting ${task.waiting_ms ?? 0} ms, longest poll ${task.longest_poll_ms} ms`;
    title.textContent = `task ${task.id}: ${task.label} — ${say(outcome)}, ${start.toFixed(1)} to ${end.toFixed(1)} ms${polls}`;
    bar.append(title);
    svg.append(bar);
    for (const [from, to] of busy) svg.append(span("busy", from, to));
    // The label goes after the bar, or before it when the bar reaches the edge.
    const after = x(end) + 4 < WIDTH - 170;
    const label = svgElement("text", {
      x: after ? x(end) + 4 : Math.max(x(start) - 4, LEFT),
      y: TOP + row * ROW + 11,
      "text-anchor": after || x(start) < 170 ? "start" : "end",
    });
    label.textContent = `${task.id}: ${task.label}`;
    svg.append(label);
  });

  const bottom = TOP + Math.max(tasks.length, 1) * ROW;
  svg.append(svgElement("line", { class: "axis", x1: LEFT, x2: WIDTH - RIGHT, y1: bottom + 2, y2: bottom + 2 }));
  const marker = (kind, ms) => {
    const line = svgElement("line", { class: `marker-${kind}`, "data-ms": ms, x1: x(ms), x2: x(ms), y1: TOP - 4, y2: bottom + 6 });
    const title = svgElement("title", {});
    title.textContent = `${say(kind)}: ${ms} ms`;
    line.append(title);
    svg.append(line);
  };
  if (run.report) {
    marker("elapsed", run.report.elapsed_ms);
    marker("expected", run.report.expected_ms);
  }
  const timeout = Number(run.query.get("timeout_ms"));
  if (timeout) marker("timeout", timeout);
  const scale = svgElement("text", { x: WIDTH - RIGHT, y: bottom + 18, "text-anchor": "end" });
  scale.textContent = `${((WIDTH - LEFT - RIGHT) * msPerPx).toFixed(0)} ms across`;
  svg.append(scale);
  return svg;
}

function render(runs) {
  // One time axis for every run on the page, so bars compare directly.
  const span = Math.max(...runs.map((run) => run.span()));
  const msPerPx = (span * 1.15) / (WIDTH - LEFT - RIGHT);
  $("#result").replaceChildren(...runs.map((run) => draw(run, msPerPx)));
}

function clearRun() {
  lastRuns = null;
  for (const id of ["#result", "#warnings", "#tasks", "#tree", "#events", "#python-differences"]) $(id).replaceChildren();
  for (const id of ["#note", "#instance", "#rust-source", "#error", "#python-status"]) $(id).textContent = "";
  const rust = $("#rust");
  delete rust.dataset.filled;
  rust.textContent = say("rust_placeholder");
  $("#status").textContent = say("idle");
  $("#permalink").hidden = true;
}

// The details of the first finished run: tasks, tree, events, instance, code.
let lastRuns = null;
function showDetails(runs) {
  lastRuns = runs;
  // The Rust runs: a Python run is drawn on the timeline, its code is on the page.
  const done = runs.filter((run) => run.report && run.slot !== "python");
  if (!done.length) return;
  const rust = $("#rust");
  rust.dataset.filled = "yes";
  rust.textContent = done.map((run) => (runs.length > 1 ? `// ${run.demo}\n` : "") + run.report.rust).join("\n\n");
  // Where that code lives, so a run leads straight to its file and lines.
  $("#rust-source").textContent = done
    .flatMap((run) => run.report.rust_source || [])
    .map(say("rust_lines"))
    .join("; ");
  $("#note").textContent = done.map((run) => `${run.demo}: ${run.report.note}`).join(" ");
  const warnings = done.flatMap((run) => (run.report.warnings || []).map((warning) => `${run.demo}: ${warning}`));
  $("#warnings").replaceChildren(...warnings.map((warning) => element("li", warning)));
  const report = done[0].report;
  showTasks(report);
  $("#tree").replaceChildren(treeItem(report.tree));
  $("#events").replaceChildren(...report.events.map((event) => {
    const who = event.task === null ? say("handler") : `${say("col_task")} ${event.task}`;
    return element("li", `${event.t_ms.toFixed(1)} ms · ${who} · ${event.what}`);
  }));
  $("#instance").textContent = report.instance ? say("instance_line")(report.instance) : "";
}

function showTasks(report) {
  const table = $("#tasks");
  const caption = element("caption", `${report.demo}: ${report.tasks.length}`);
  const head = element("tr");
  for (const key of ["col_task", "col_outcome", "col_start", "col_end", "col_busy", "col_waiting", "col_polls", "col_longest"]) {
    const th = element("th", say(key));
    th.scope = "col";
    head.append(th);
  }
  const rows = report.tasks.map((task) => {
    const row = element("tr");
    const name = element("th", `${task.id}: ${task.label}`);
    name.scope = "row";
    row.append(name);
    for (const value of [say(task.outcome), task.started_ms, task.finished_ms, task.busy_ms, task.waiting_ms, task.polls, task.longest_poll_ms]) {
      row.append(element("td", value === null || value === undefined ? "–" : String(value)));
    }
    return row;
  });
  const thead = element("thead");
  thead.append(head);
  const tbody = element("tbody");
  tbody.append(...rows);
  table.replaceChildren(caption, thead, tbody);
}

function describeAwait(awaited) {
  switch (awaited.kind) {
    case "http": return `HTTP ${awaited.request}`;
    case "timer": return `sleep ${awaited.ms} ms`;
    case "yield": return "yield (sleep(0))";
    case "task": return `${say("col_task")} ${awaited.task}`;
    case "shield": return `shield(${say("col_task")} ${awaited.task})`;
    case "future": return awaited.set_by === null ? `${awaited.name} (not set)` : `${awaited.name} (set by ${say("col_task")} ${awaited.set_by})`;
    case "race": {
      const raced = awaited.work.map(describeAwait).join(", ");
      return `timeout ${awaited.timer_ms} ms, racing ${raced || "nothing yet"}`;
    }
    case "nothing": return `— ${awaited.why}`;
    default: return awaited.kind;
  }
}

function treeItem(node) {
  const item = element("li");
  const name = node.task === null ? say("handler") : `${say("col_task")} ${node.task}: ${node.label}`;
  const awaits = node.awaits.map(describeAwait).join("; ");
  item.append(element("span", awaits ? `${name} — ${say("awaits")}: ${awaits}` : name));
  if (node.children.length) {
    const list = element("ul");
    list.append(...node.children.map(treeItem));
    item.append(list);
  }
  item.dataset.task = node.task === null ? "handler" : String(node.task);
  return item;
}

async function runDemos() {
  const idea = $("#demo").value;
  const query = queryOf($("#params"));
  const runs = [new Run("a", idea, query)];
  if ($("#compare").checked) runs.push(new Run("b", $("#demo-b").value, queryOf($("#params-b"))));
  // The link that reproduces this run: the idea and its parameters.
  const link = new URLSearchParams([["idea", idea], ...query]);
  history.replaceState(null, "", `/ui/?${link}`);
  const permalink = $("#permalink");
  permalink.href = `/ui/?${link}`;
  permalink.hidden = false;
  $("#run").disabled = true;
  $("#error").textContent = "";
  $("#status").textContent = say("running_state");
  let frame = 0;
  const redraw = () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(runs); });
  };
  // Bars still running keep growing while we wait.
  const ticker = setInterval(redraw, 100);
  try {
    await Promise.all(runs.map((run) => run.execute(redraw)));
    render(runs);
    showDetails(runs);
    if ($("#python-too").checked && LESSONS[idea]) {
      try {
        runs.push(await runPython(runs[0]));
        render(runs);
      } catch (error) {
        $("#python-status").textContent = say("python_failed")(error.message);
      }
    }
    $("#status").textContent = say("done");
  } catch (error) {
    $("#error").textContent = error.message;
    $("#status").textContent = say("failed");
  } finally {
    clearInterval(ticker);
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    $("#run").disabled = false;
  }
}

// ---- the Python beside the Rust: the lesson's program in Pyodide --------------------

let pyodideLoading = null; // one load per page; later runs reuse it

async function loadPython() {
  if (!pyodideLoading) {
    pyodideLoading = (async () => {
      const started = performance.now();
      const ticker = setInterval(() => {
        $("#python-status").textContent = say("python_loading")(((performance.now() - started) / 1000).toFixed(1));
      }, 200);
      try {
        const { loadPyodide } = await import("/pyodide/pyodide.mjs");
        const pyodide = await loadPyodide({ indexURL: "/pyodide/" });
        pyodide.FS.writeFile("/home/pyodide/tour.py", HARNESS);
        await pyodide.runPythonAsync("import sys; sys.path.insert(0, '/home/pyodide'); import tour");
        return { pyodide, seconds: ((performance.now() - started) / 1000).toFixed(1) };
      } finally {
        clearInterval(ticker);
      }
    })();
    pyodideLoading.catch(() => { pyodideLoading = null; });
  }
  return pyodideLoading;
}

// Runs the idea's lesson.py with the parameters the Rust run reported, against this
// app, and returns a Run drawn like the Rust one.
async function runPython(rust) {
  const lesson = LESSONS[rust.demo];
  const first = !pyodideLoading;
  const { pyodide, seconds } = await loadPython();
  $("#python-status").textContent = say("python_running");
  const module = `lesson_${rust.demo.replace(/[^a-z0-9]/gi, "_")}`;
  pyodide.FS.writeFile(`/home/pyodide/${module}.py`, lesson.python);
  pyodide.globals.set("lesson_module", module);
  pyodide.globals.set("params_json", JSON.stringify(rust.report.params));
  pyodide.globals.set("base_url", location.origin);
  const json = await pyodide.runPythonAsync(`
import importlib, json, tour
lesson = importlib.import_module(lesson_module)
json.dumps(await tour.run(lesson.main, base_url, json.loads(params_json)))
`);
  const run = new Run("python", `${rust.demo} (Python)`, rust.query);
  run.takeReport(JSON.parse(json));
  $("#python-status").textContent = say("python_done")(run.report.elapsed_ms, first ? seconds : null);
  // Where this run differs from the Rust on purpose, and why.
  const applying = DIFFERENCES.filter((difference) => difference.idea === rust.demo
    && Object.entries(difference.when || {}).every(([field, values]) => values.includes(
      field.startsWith("params.") ? rust.report.params[field.slice(7)] : rust.report[field])));
  $("#python-differences").replaceChildren(...applying.map((difference) => element("li", difference.why)));
  return run;
}

// ---- the instance panel: several requests at once, one lane per instance -----------

async function fireTogether() {
  const form = queryOf($("#fire-form"));
  // A browser opens at most 6 connections to one host: more would queue here.
  const count = Math.min(Math.max(Number(form.get("requests")) || 5, 1), 6);
  const blocking = Math.min(Math.max(Number(form.get("blocking")) || 0, 0), count);
  const blockMs = Math.min(Math.max(Number(form.get("block_ms")) || 300, 1), 2000);
  const sleepMs = Math.min(Math.max(Number(form.get("sleep_ms")) || 50, 1), 2000);
  $("#fire").disabled = true;
  $("#fire-status").textContent = say("running_state");
  try {
    // The async ones leave first; the blocking ones 20 ms later, when the async
    // ones are all waiting at an await, so the instance takes them in too.
    const kinds = Array.from({ length: count }, (_, i) => (i < count - blocking ? "async" : "blocking"));
    const reports = await Promise.all(kinds.map(async (kind) => {
      const delay = kind === "blocking" ? blockMs : sleepMs;
      if (kind === "blocking") await new Promise((resolve) => setTimeout(resolve, 20));
      const report = await getJson(`/demo/blocking?n=1&delay_ms=${delay}&mode=${kind}`);
      return { kind, report };
    }));
    drawLanes(reports, sleepMs);
    $("#fire-status").textContent = say("done");
  } catch (error) {
    $("#fire-status").textContent = `${say("failed")}: ${error.message}`;
  } finally {
    $("#fire").disabled = false;
  }
}

function drawLanes(reports, sleepMs) {
  const origin = Math.min(...reports.map(({ report }) => report.started_unix_ms));
  const end = Math.max(...reports.map(({ report }) => report.started_unix_ms + report.elapsed_ms));
  // Room on the right for each row's label.
  const msPerPx = (end - origin || 1) / (WIDTH - LEFT - RIGHT - 170);
  const x = (ms) => LEFT + ms / msPerPx;
  const lanes = new Map();
  for (const entry of reports) {
    const id = entry.report.instance.id;
    if (!lanes.has(id)) lanes.set(id, []);
    lanes.get(id).push(entry);
  }
  let rows = 0;
  for (const entries of lanes.values()) rows += entries.length + 1;
  const height = TOP + rows * ROW + 24;
  const svg = svgElement("svg", { class: "timeline lanes", viewBox: `0 0 ${WIDTH} ${height}`, role: "img",
    "aria-label": `${reports.length} requests on ${lanes.size} instance(s)` });
  let row = 0;
  const summaries = [];
  for (const [id, entries] of lanes) {
    entries.sort((a, b) => a.report.instance.request_number - b.report.instance.request_number);
    const lane = svgElement("g", { class: "lane", "data-instance": id });
    const title = svgElement("text", { x: LEFT, y: TOP + row * ROW + 11, class: "caption" });
    title.textContent = `instance ${id}`;
    lane.append(title);
    row += 1;
    for (const { kind, report } of entries) {
      const start = report.started_unix_ms - origin;
      const y = TOP + row * ROW;
      const rect = (cls, from, to) => svgElement("rect", { class: cls, "data-kind": kind,
        "data-start": from.toFixed(1), "data-end": to.toFixed(1), x: x(from).toFixed(2), y,
        width: Math.max((to - from) / msPerPx, 1).toFixed(2), height: BAR, rx: 2 });
      const whole = rect(`request waiting kind-${kind}`, start, start + report.elapsed_ms);
      const tip = svgElement("title", {});
      tip.textContent = `#${report.instance.request_number} ${kind}: ${report.elapsed_ms} ms, serving ${report.instance.serving}`;
      whole.append(tip);
      lane.append(whole);
      for (const [from, to] of report.busy) lane.append(rect(`busy kind-${kind}`, start + from, start + to));
      const label = svgElement("text", { x: x(start + report.elapsed_ms) + 4, y: y + 11 });
      label.textContent = `#${report.instance.request_number} ${kind} ${report.elapsed_ms.toFixed(0)} ms`;
      lane.append(label);
      row += 1;
    }
    svg.append(lane);
    const longest = Math.max(...entries.flatMap(({ report }) => report.tasks.map((task) => task.longest_poll_ms)));
    const asyncs = entries.filter(({ kind }) => kind === "async").map(({ report }) => report.elapsed_ms);
    summaries.push(say("lane_summary")({
      id, count: entries.length, delay: sleepMs,
      numbers: entries.map(({ report }) => report.instance.request_number).join(", "),
      longest: longest.toFixed(0),
      slowest: asyncs.length ? Math.max(...asyncs).toFixed(0) : "–",
    }));
  }
  $("#lanes").replaceChildren(svg);
  $("#lanes-summary").replaceChildren(...summaries.map((text) => element("li", text)));
}

// ---- start -------------------------------------------------------------------------

async function start() {
  try {
    const [api, lessons] = await Promise.all([getJson("/openapi.json"), getJson("/ui/lessons.json")]);
    DEMOS = demosOf(api, lessons.lessons);
    for (const lesson of lessons.lessons) LESSONS[lesson.idea] = lesson;
    HARNESS = lessons.harness;
    DIFFERENCES = lessons.differences;
    GLOSSARY = lessons.glossary;
  } catch (error) {
    $("#error").textContent = `The ideas could not be listed: ${error.message}`;
    return;
  }
  // The tour's order: the lessons first (the seed's order), then any other demo.
  IDEAS = Object.keys(DEMOS);
  language = savedLanguage();
  const given = new URLSearchParams(location.search);
  fillSelect($("#demo-b"), "gather");
  chooseLanguage(language);
  buildForm($("#params-b"), $("#demo-b").value);
  openIdea(currentIdea(), given);
  if (location.hash === "#glossary") {
    $("#glossary-details").open = true;
    $("#glossary").scrollIntoView();
  }
  for (const button of document.querySelectorAll(".lang button")) {
    button.addEventListener("click", () => chooseLanguage(button.dataset.lang));
  }
  $("#demo").addEventListener("change", () => {
    const idea = $("#demo").value;
    history.pushState(null, "", `/ui/?idea=${encodeURIComponent(idea)}`);
    openIdea(idea, new URLSearchParams());
  });
  window.addEventListener("popstate", () => openIdea(currentIdea(), new URLSearchParams(location.search)));
  $("#demo-b").addEventListener("change", () => buildForm($("#params-b"), $("#demo-b").value));
  $("#compare").addEventListener("change", () => { $("#slot-b").hidden = !$("#compare").checked; });
  $("#run").addEventListener("click", runDemos);
  for (const form of [$("#params"), $("#params-b")]) {
    form.addEventListener("submit", (event) => { event.preventDefault(); runDemos(); });
  }
  $("#fire").addEventListener("click", fireTogether);
  $("#fire-form").addEventListener("submit", (event) => { event.preventDefault(); fireTogether(); });
}

start();
