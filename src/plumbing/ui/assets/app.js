// The playground: runs a demo (or two, side by side), reads its JSON report or its
// NDJSON stream, and draws one bar per task on an SVG time axis. Nothing here
// builds HTML from text: every value goes in through textContent or attributes.
"use strict";

// The demos and their parameters, in reading order, from /openapi.json: the app
// writes that document from each route's own declaration (src/*/*/src/route.rs),
// so nothing here repeats a parameter, a bound or a default.
let DEMOS = {};

async function loadDemos() {
  const response = await fetch("/openapi.json");
  if (!response.ok) throw new Error(`/openapi.json answered ${response.status}`);
  const api = await response.json();
  const demos = {};
  for (const [path, item] of Object.entries(api.paths)) {
    if (!path.startsWith("/demo/") || !item.get) continue;
    demos[path.slice("/demo/".length)] = {
      summary: item.get.summary,
      params: item.get.parameters.filter((param) => param.in === "query"),
    };
  }
  return demos;
}

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 800;
const LEFT = 8;
const RIGHT = 8;
const TOP = 22;
const ROW = 20;
const BAR = 14;

const $ = (selector) => document.querySelector(selector);

function fillSelect(select, chosen) {
  for (const name of Object.keys(DEMOS)) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = name;
    option.selected = name === chosen;
    select.append(option);
  }
}

// One field per declared parameter: a list for a fixed set of words, else a text
// box, prefilled with the declared default; the one-line doc shown under it.
function buildForm(form, demo) {
  const summary = document.createElement("p");
  summary.className = "summary";
  summary.textContent = DEMOS[demo].summary;
  form.replaceChildren(summary);
  for (const param of DEMOS[demo].params) {
    const label = document.createElement("label");
    const name = document.createElement("span");
    name.textContent = param.name;
    const schema = param.schema || {};
    const fallback = schema.default === undefined ? "" : String(schema.default);
    let field;
    if (Array.isArray(schema.enum)) {
      field = document.createElement("select");
      // Flags accept 1/0 too; true/false are enough to choose from.
      const options = schema.enum.filter((option) => option !== "1" && option !== "0");
      for (const value of options) {
        const option = document.createElement("option");
        option.value = option.textContent = value;
        option.selected = value === fallback;
        field.append(option);
      }
    } else {
      field = document.createElement("input");
      field.value = fallback;
      field.autocomplete = "off";
      if (schema.type === "integer") field.inputMode = "numeric";
    }
    field.name = param.name;
    const hint = document.createElement("small");
    hint.className = "hint";
    hint.textContent = param.description || "";
    label.append(name, field, hint);
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
    const url = `/demo/${this.demo}?${this.query}`;
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
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
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
  const expected = run.report ? `, expected ${run.report.expected_ms} ms` : "";
  caption.textContent = `${run.demo}: ${run.elapsed().toFixed(1)} ms${expected}`;
  svg.append(caption);

  const x = (ms) => LEFT + ms / msPerPx;
  tasks.forEach((task, row) => {
    const start = task.started_ms ?? 0;
    const end = task.finished_ms ?? run.now();
    const outcome = task.outcome || "pending";
    const busy = Array.isArray(task.busy) ? task.busy : [];
    // Measured tasks are drawn faint (waiting) with their polls solid (running).
    // A span of the task's row, from `from` to `to` ms.
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
    title.textContent = `task ${task.id}: ${task.label} — ${outcome}, ${start.toFixed(1)} to ${end.toFixed(1)} ms${polls}`;
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
    title.textContent = `${kind}: ${ms} ms`;
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

function showCode(runs) {
  const done = runs.filter((run) => run.report);
  const join = (field) => done.map((run) => (runs.length > 1 ? `# ${run.demo}\n` : "") + run.report[field]).join("\n\n");
  if (!done.length) return;
  $("#python").textContent = join("python");
  $("#rust").textContent = join("rust");
  // Where that code lives, so a run leads straight to its file and lines.
  $("#rust-source").textContent = done
    .flatMap((run) => run.report.rust_source || [])
    .map((at) => `${at.file}, lines ${at.first_line}-${at.last_line}`)
    .join("; ");
  $("#note").textContent = done.map((run) => `${run.demo}: ${run.report.note}`).join(" ");
  const warnings = done.flatMap((run) => (run.report.warnings || []).map((warning) => `${run.demo}: ${warning}`));
  $("#warnings").replaceChildren(...warnings.map((warning) => {
    const item = document.createElement("li");
    item.textContent = warning;
    return item;
  }));
}

async function runDemos() {
  const runs = [new Run("a", $("#demo").value, queryOf($("#params")))];
  if ($("#compare").checked) runs.push(new Run("b", $("#demo-b").value, queryOf($("#params-b"))));
  $("#run").disabled = true;
  $("#error").textContent = "";
  $("#status").textContent = "running";
  let frame = 0;
  const redraw = () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; render(runs); });
  };
  // Bars still running keep growing while we wait.
  const ticker = setInterval(redraw, 100);
  try {
    await Promise.all(runs.map((run) => run.execute(redraw)));
    render(runs);
    showCode(runs);
    $("#status").textContent = "done";
  } catch (error) {
    $("#error").textContent = error.message;
    $("#status").textContent = "error";
  } finally {
    clearInterval(ticker);
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    $("#run").disabled = false;
  }
}

async function start() {
  try {
    DEMOS = await loadDemos();
  } catch (error) {
    $("#error").textContent = `The demos could not be listed: ${error.message}`;
    return;
  }
  fillSelect($("#demo"), "sequential");
  fillSelect($("#demo-b"), "gather");
  buildForm($("#params"), $("#demo").value);
  buildForm($("#params-b"), $("#demo-b").value);
  $("#demo").addEventListener("change", () => buildForm($("#params"), $("#demo").value));
  $("#demo-b").addEventListener("change", () => buildForm($("#params-b"), $("#demo-b").value));
  $("#compare").addEventListener("change", () => { $("#slot-b").hidden = !$("#compare").checked; });
  $("#run").addEventListener("click", runDemos);
  for (const form of [$("#params"), $("#params-b")]) {
    form.addEventListener("submit", (event) => { event.preventDefault(); runDemos(); });
  }
}

start();
