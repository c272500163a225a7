// The details of a finished run, under its timeline: the Rust that ran and where it
// lives, the report's note and warnings, and for the first run its tasks (a table),
// who awaits whom (a tree) and its events in order, and the instance that served it.
// `describeAwait` says in words what a task waits on (pure); the rest fills the page.

import { $, element, fillTable } from "./page.js";

// What one entry of a task's `awaits` is waiting for.
export function describeAwait(awaited, say) {
  switch (awaited.kind) {
    case "http": return `HTTP ${awaited.request}`;
    case "timer": return `sleep ${awaited.ms} ms`;
    case "yield": return "yield (sleep(0))";
    case "task": return `${say("col_task")} ${awaited.task}`;
    case "shield": return `shield(${say("col_task")} ${awaited.task})`;
    case "future": return awaited.set_by === null ? `${awaited.name} (not set)` : `${awaited.name} (set by ${say("col_task")} ${awaited.set_by})`;
    case "race": {
      const raced = awaited.work.map((work) => describeAwait(work, say)).join(", ");
      return `timeout ${awaited.timer_ms} ms, racing ${raced || "nothing yet"}`;
    }
    case "nothing": return `— ${awaited.why}`;
    default: return awaited.kind;
  }
}

// The Rust runs of `runs` that are done (a Python run is drawn on the timeline; its
// code is on the page already) and the first one's tasks, tree and events.
export function showDetails(runs, say) {
  const done = runs.filter((run) => run.report && run.slot !== "python");
  if (!done.length) return;
  const rust = $("#rust");
  rust.dataset.filled = "yes";
  // One span per line, so the replay can mark the line a task is at (data-slot,
  // data-line: the line of that run's code, from 0).
  rust.replaceChildren();
  done.forEach((run, n) => {
    if (n) rust.append(document.createTextNode("\n"));
    if (runs.length > 1) rust.append(document.createTextNode(`// ${run.demo}\n`));
    run.report.rust.split("\n").forEach((text, line) => {
      const span = element("span", `${text}\n`);
      span.className = "line";
      span.dataset.slot = run.slot;
      span.dataset.line = String(line);
      rust.append(span);
    });
  });
  // Where that code lives, so a run leads straight to its file and lines.
  $("#rust-source").textContent = done
    .flatMap((run) => run.report.rust_source || [])
    .map(say("rust_lines"))
    .join("; ");
  $("#note").textContent = done.map((run) => `${run.demo}: ${run.report.note}`).join(" ");
  const warnings = done.flatMap((run) => (run.report.warnings || []).map((warning) => `${run.demo}: ${warning}`));
  $("#warnings").replaceChildren(...warnings.map((warning) => element("li", warning)));
  const report = done[0].report;
  showTasks(report, say);
  $("#tree").replaceChildren(treeItem(report.tree, say));
  $("#events").replaceChildren(...report.events.map((event) => {
    const who = event.task === null ? say("handler") : `${say("col_task")} ${event.task}`;
    return element("li", `${event.t_ms.toFixed(1)} ms · ${who} · ${event.what}`);
  }));
  $("#instance").textContent = report.instance ? say("instance_line")(report.instance) : "";
}

const TASK_COLUMNS = ["col_task", "col_outcome", "col_start", "col_end", "col_busy", "col_waiting", "col_polls", "col_longest"];

function showTasks(report, say) {
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
  fillTable($("#tasks"), `${report.demo}: ${report.tasks.length}`, TASK_COLUMNS.map((key) => say(key)), rows);
}

function treeItem(node, say) {
  const item = element("li");
  const name = node.task === null ? say("handler") : `${say("col_task")} ${node.task}: ${node.label}`;
  const awaits = node.awaits.map((awaited) => describeAwait(awaited, say)).join("; ");
  item.append(element("span", awaits ? `${name} — ${say("awaits")}: ${awaits}` : name));
  if (node.children.length) {
    const list = element("ul");
    list.append(...node.children.map((child) => treeItem(child, say)));
    item.append(list);
  }
  item.dataset.task = node.task === null ? "handler" : String(node.task);
  return item;
}
