// The "Requests on instances" panel: several /demo/blocking requests fired together,
// some blocking, some sleeping at an await, drawn as one lane per Spin instance
// (each request a row, solid while its code held the thread) with a line per lane
// saying what it shows. The settings, the lanes and their scale are worked out by
// pure functions first; the drawing reaches for `document` only when called.

import { $, element, getJson, queryOf, svgElement } from "./page.js";
import { BAR, LABEL_ROOM, LEFT, RIGHT, ROW, TOP, WIDTH, barWidth, heightFor, xAt } from "./timeline.js";

const clamp = (value, low, high) => Math.min(Math.max(value, low), high);

// The panel's form (`query`, its fields) as numbers in range. A browser opens at most
// 6 connections to one host: more requests would queue in the browser, not the app.
export function settingsOf(query) {
  const count = clamp(Number(query.get("requests")) || 5, 1, 6);
  return {
    count,
    blocking: clamp(Number(query.get("blocking")) || 0, 0, count),
    blockMs: clamp(Number(query.get("block_ms")) || 300, 1, 2000),
    sleepMs: clamp(Number(query.get("sleep_ms")) || 50, 1, 2000),
  };
}

// The requests grouped by the instance that served them ({ kind, report } each),
// in the order the instances first answered, each lane in its request numbers' order.
export function lanesOf(reports) {
  const lanes = new Map();
  for (const entry of reports) {
    const id = entry.report.instance.id;
    if (!lanes.has(id)) lanes.set(id, []);
    lanes.get(id).push(entry);
  }
  for (const entries of lanes.values()) {
    entries.sort((a, b) => a.report.instance.request_number - b.report.instance.request_number);
  }
  return lanes;
}

// The lanes' time axis: from the first request's start to the last one's end, with
// room on the right for each row's label. Returns the origin (unix ms) and ms per unit.
export function lanesScale(reports) {
  const origin = Math.min(...reports.map(({ report }) => report.started_unix_ms));
  const end = Math.max(...reports.map(({ report }) => report.started_unix_ms + report.elapsed_ms));
  return { origin, msPerPx: (end - origin || 1) / (WIDTH - LEFT - RIGHT - LABEL_ROOM) };
}

// What one lane's line says: its requests, its longest poll, its slowest async one.
export function laneFacts(id, entries, sleepMs) {
  const longest = Math.max(...entries.flatMap(({ report }) => report.tasks.map((task) => task.longest_poll_ms)));
  const asyncs = entries.filter(({ kind }) => kind === "async").map(({ report }) => report.elapsed_ms);
  return {
    id, count: entries.length, delay: sleepMs,
    numbers: entries.map(({ report }) => report.instance.request_number).join(", "),
    longest: longest.toFixed(0),
    slowest: asyncs.length ? Math.max(...asyncs).toFixed(0) : "–",
  };
}

// Fires the requests the form asks for and draws them; `say` gives the page's words.
export async function fireTogether(say) {
  const { count, blocking, blockMs, sleepMs } = settingsOf(queryOf($("#fire-form")));
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
    drawLanes(reports, sleepMs, say);
    $("#fire-status").textContent = say("done");
  } catch (error) {
    $("#fire-status").textContent = `${say("failed")}: ${error.message}`;
  } finally {
    $("#fire").disabled = false;
  }
}

function drawLanes(reports, sleepMs, say) {
  const { origin, msPerPx } = lanesScale(reports);
  const x = (ms) => xAt(ms, msPerPx);
  const lanes = lanesOf(reports);
  let rows = 0;
  for (const entries of lanes.values()) rows += entries.length + 1;
  const svg = svgElement("svg", { class: "timeline lanes", viewBox: `0 0 ${WIDTH} ${heightFor(rows)}`, role: "img",
    "aria-label": `${reports.length} requests on ${lanes.size} instance(s)` });
  let row = 0;
  const summaries = [];
  for (const [id, entries] of lanes) {
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
        width: barWidth(from, to, msPerPx).toFixed(2), height: BAR, rx: 2 });
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
    summaries.push(say("lane_summary")(laneFacts(id, entries, sleepMs)));
  }
  $("#lanes").replaceChildren(svg);
  $("#lanes-summary").replaceChildren(...summaries.map((text) => element("li", text)));
}
