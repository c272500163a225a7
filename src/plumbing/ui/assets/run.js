// One run of a demo: it asks the app for the demo's JSON report or NDJSON stream and
// keeps what is known so far: each task as its lines arrive, the report once done,
// and how far the time axis must reach for it. It draws nothing (timeline.js does).

export class Run {
  // `slot`: "a", "b" or "python" (the svg's data-slot); `path`: the demo's route,
  // for a run the page asks the app for (a Python run is given its report instead).
  constructor(slot, demo, query, path = null) {
    this.slot = slot;
    this.demo = demo;
    this.query = query;
    this.path = path;
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
    const url = `${this.path}?${this.query}`;
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
