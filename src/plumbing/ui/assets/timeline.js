// The timeline: each run drawn as an SVG, one row per task, from its start to its end,
// faint while it waits at an await and solid for each poll that held the thread,
// with the elapsed, expected and timeout markers; every run on the page on one time
// axis. The scale and layout math comes first and is pure (node tests it); the
// drawing reaches for `document` only when called. The instance panel (lanes.js)
// draws on the same geometry.

import { svgElement } from "./page.js";

// The drawing's geometry, in SVG units: its width, the margins, the rows.
export const WIDTH = 800;
export const LEFT = 8;
export const RIGHT = 8;
export const TOP = 22;
export const ROW = 20;
export const BAR = 14;
// Room a row's label needs (a label goes before a bar that would push it past).
export const LABEL_ROOM = 170;
// The axis reaches this much past the longest run, so its end is not the edge.
const HEADROOM = 1.15;

// One time axis for runs that must reach `spans` ms: milliseconds per SVG unit.
export const msPerPxFor = (spans) => (Math.max(...spans) * HEADROOM) / (WIDTH - LEFT - RIGHT);
// Where `ms` falls on the axis.
export const xAt = (ms, msPerPx) => LEFT + ms / msPerPx;
// A bar from `from` to `to` ms: never thinner than one unit, so an instant shows.
export const barWidth = (from, to, msPerPx) => Math.max((to - from) / msPerPx, 1);
// A drawing of `rows` rows (at least one), with room under them for the axis.
export const heightFor = (rows) => TOP + Math.max(rows, 1) * ROW + 24;
// How many ms the whole axis spans.
export const axisMs = (msPerPx) => (WIDTH - LEFT - RIGHT) * msPerPx;

// A row's label: after its bar, or before it when the bar reaches the right edge
// (anchored at its end, unless the bar starts too near the left edge for that).
export function labelAt(startX, endX) {
  const after = endX + 4 < WIDTH - LABEL_ROOM;
  return {
    x: after ? endX + 4 : Math.max(startX - 4, LEFT),
    anchor: after || startX < LABEL_ROOM ? "start" : "end",
  };
}

// ---- drawing -------------------------------------------------------------------------

// One run's SVG on the axis `msPerPx`; `say` gives the page's words.
export function draw(run, msPerPx, say) {
  const tasks = [...run.tasks.values()].sort((a, b) => a.id - b.id);
  const svg = svgElement("svg", {
    class: "timeline",
    "data-slot": run.slot,
    "data-demo": run.demo,
    "data-ms-per-px": msPerPx.toFixed(6),
    viewBox: `0 0 ${WIDTH} ${heightFor(tasks.length)}`,
    role: "img",
  });
  const finished = tasks.filter((t) => t.finished_ms !== null && t.finished_ms !== undefined).length;
  svg.setAttribute("aria-label",
    `${run.demo}: ${tasks.length} tasks, ${finished} finished, elapsed ${run.elapsed().toFixed(0)} ms`);
  const caption = svgElement("text", { x: LEFT, y: 15, class: "caption" });
  const expected = run.report ? `, ${say("expected")} ${run.report.expected_ms} ms` : "";
  caption.textContent = `${run.demo}: ${run.elapsed().toFixed(1)} ms${expected}`;
  svg.append(caption);

  const x = (ms) => xAt(ms, msPerPx);
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
      width: barWidth(from, to, msPerPx).toFixed(2),
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
    const place = labelAt(x(start), x(end));
    const label = svgElement("text", { x: place.x, y: TOP + row * ROW + 11, "text-anchor": place.anchor });
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
  scale.textContent = `${axisMs(msPerPx).toFixed(0)} ms across`;
  svg.append(scale);
  return svg;
}

// Every run into `container`, on one time axis, so bars compare directly.
export function render(container, runs, say) {
  const msPerPx = msPerPxFor(runs.map((run) => run.span()));
  container.replaceChildren(...runs.map((run) => draw(run, msPerPx, say)));
}
