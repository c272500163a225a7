// The replay of one run: from the steps its report lists (every poll: which task
// held the thread from when to when, when it was woken for that step, the line it
// stopped at), what the page shows at any moment: the task that holds the thread,
// the tasks ready and waiting for it (the ready queue), the tasks waiting at an
// await and on what, and the line each task is at. Pure: no DOM, so node tests it.

// The handler's steps have no task id; the page calls it by this key.
export const HANDLER = "handler";

const keyOf = (task) => (task === null || task === undefined ? HANDLER : task);

// Every task of the run (the handler first), each with its steps in time order.
export function tracksOf(report) {
  const tracks = new Map();
  tracks.set(HANDLER, { key: HANDLER, record: null, steps: [] });
  for (const record of report.tasks || []) tracks.set(record.id, { key: record.id, record, steps: [] });
  for (const step of report.steps || []) {
    const key = keyOf(step.task);
    if (!tracks.has(key)) tracks.set(key, { key, record: null, steps: [] });
    tracks.get(key).steps.push(step);
  }
  for (const track of tracks.values()) track.steps.sort((a, b) => a.from_ms - b.from_ms);
  return [...tracks.values()].filter((track) => track.key !== HANDLER || track.steps.length);
}

// The moments worth stopping at, in order: a step starts or ends, a task becomes
// ready, a task ends. Stepping goes from one to the next.
export function momentsOf(report) {
  const moments = new Set([0]);
  for (const step of report.steps || []) {
    moments.add(step.from_ms);
    moments.add(step.to_ms);
    if (step.ready_ms !== undefined && step.ready_ms !== null) moments.add(Math.max(0, step.ready_ms));
  }
  for (const task of report.tasks || []) if (task.finished_ms !== null && task.finished_ms !== undefined) moments.add(task.finished_ms);
  if (Number.isFinite(report.elapsed_ms)) moments.add(report.elapsed_ms);
  return [...moments].filter(Number.isFinite).sort((a, b) => a - b);
}

// The moment after (`direction` 1) or before (-1) `t`; `t` itself at either end.
export function nextMoment(moments, t, direction) {
  if (direction > 0) return moments.find((moment) => moment > t + 1e-9) ?? t;
  for (let i = moments.length - 1; i >= 0; i--) if (moments[i] < t - 1e-9) return moments[i];
  return t;
}

const finishedBy = (record, t) => record && record.finished_ms !== null && record.finished_ms !== undefined && record.finished_ms <= t;
// A step holds the thread over [from, to); one too short to measure, at its instant.
const covers = (step, t) => step.from_ms <= t && (t < step.to_ms || (step.to_ms === step.from_ms && t === step.from_ms));

// What the run looks like at `t` ms: each task's state and line, and who holds the
// thread. A step that started inside another (a call the handler polls itself) is
// "inside" it: the outer one holds the thread.
export function stateAt(report, t) {
  const tracks = tracksOf(report);
  const tasks = [];
  let holder = null;
  for (const track of tracks) {
    const { steps, record } = track;
    let last = -1;
    while (last + 1 < steps.length && steps[last + 1].from_ms <= t) last++;
    const current = last >= 0 ? steps[last] : null;
    const next = steps[last + 1] ?? null;
    const stopped = steps.slice(0, last + (current && covers(current, t) ? 0 : 1)).filter((step) => step.at).pop();
    let state;
    let since = null;
    let line = stopped?.at ?? null;
    if (current && covers(current, t)) {
      state = "running";
      since = current.from_ms;
      line = current.at ?? line;
      if (!holder || current.from_ms < holder.since) holder = { key: track.key, since };
    } else if (finishedBy(record, t) || (!record && !next && current)) {
      state = "done";
    } else if (next && next.ready_ms !== undefined && next.ready_ms !== null && next.ready_ms <= t) {
      state = "ready";
      since = next.ready_ms;
    } else if (current) {
      state = "waiting";
      since = current.to_ms;
    } else {
      state = "not_started";
    }
    tasks.push({ key: track.key, record, state, since, line, awaits: waitsOn(record, line) });
  }
  for (const task of tasks) if (task.state === "running" && holder && task.key !== holder.key) task.inside = holder.key;
  const ready = tasks.filter((task) => task.state === "ready").sort((a, b) => a.since - b.since);
  return { t, holder: holder?.key ?? null, tasks, ready };
}

// What a task waits on at `line`: the awaits entries recorded there, else all.
function waitsOn(record, line) {
  const awaits = record?.awaits || [];
  if (!line) return awaits;
  const here = awaits.filter((entry) => entry.at && entry.at.line === line.line && entry.at.file === line.file);
  return here.length ? here : awaits;
}

// The line of `code`'s region (0-based) that `at` is, or -1: `source` says where
// the region sits in its file (`{file, first_line, last_line}`). Several regions
// shown one after another are separated by a blank line.
export function lineInShown(sources, at) {
  if (!at) return -1;
  let offset = 0;
  for (const source of sources) {
    if (source.file === at.file && at.line >= source.first_line && at.line <= source.last_line) return offset + at.line - source.first_line;
    offset += source.last_line - source.first_line + 1 + 1;
  }
  return -1;
}
