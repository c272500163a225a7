// The replay on the page: play, pause, step to the next or previous moment, and a
// scrubber over the runs' one time axis. At each moment it marks the time on every
// timeline, says which task holds the thread, which wait in the ready queue and
// which wait at an await and on what (replay.js works that out from the report's
// steps), marks the line each task is at in the Rust and the Python shown, and
// tells a screen reader the step it stopped at. Space plays and pauses, the arrow
// keys step; with prefers-reduced-motion, play moves from moment to moment instead
// of sweeping.

import { $, element, svgElement } from "./page.js";
import { HANDLER, lineInShown, momentsOf, nextMoment, stateAt } from "./replay.js";
import { describeAwait } from "./details.js";
import { xAt, TOP } from "./timeline.js";

// A smooth play lasts about this long per run, whatever the run's length (ms).
const PLAY_MS = 6000;
// With reduced motion, each moment stays this long (ms).
const STEP_MS = 900;

export class Replayer {
  constructor(say) {
    this.say = say;
    this.runs = [];
    this.moments = [0];
    this.t = 0;
    this.end = 0;
    this.timer = null;
    this.panel = $("#replay");
    this.range = $("#replay-time");
    $("#replay-play").addEventListener("click", () => (this.timer ? this.pause() : this.play()));
    $("#replay-prev").addEventListener("click", () => this.step(-1));
    $("#replay-next").addEventListener("click", () => this.step(1));
    this.range.addEventListener("input", () => { this.pause(); this.show(Number(this.range.value), true); });
    this.panel.addEventListener("keydown", (event) => this.key(event));
  }

  // The finished runs to replay (Rust and, once it ran, the Python): on one axis.
  load(runs) {
    this.pause();
    this.runs = runs.filter((run) => run.report && Array.isArray(run.report.steps));
    this.panel.hidden = !this.runs.length;
    if (!this.runs.length) return;
    const moments = new Set();
    for (const run of this.runs) for (const moment of momentsOf(run.report)) moments.add(moment);
    this.moments = [...moments].sort((a, b) => a - b);
    this.end = Math.max(...this.runs.map((run) => run.report.elapsed_ms));
    this.range.max = String(this.end);
    this.show(0, false);
  }

  clear() {
    this.pause();
    this.runs = [];
    this.panel.hidden = true;
  }

  reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  play() {
    if (!this.runs.length) return;
    if (this.t >= this.end) this.show(0, false);
    const button = $("#replay-play");
    button.setAttribute("aria-pressed", "true");
    button.textContent = this.say("replay_pause");
    // While playing, the live region stays quiet; pausing says where it stopped.
    $("#replay-say").setAttribute("aria-live", "off");
    if (this.reducedMotion()) {
      this.timer = setInterval(() => {
        const next = nextMoment(this.moments, this.t, 1);
        this.show(next, false);
        if (next >= this.end) this.pause();
      }, STEP_MS);
      return;
    }
    let last = performance.now();
    const speed = this.end / PLAY_MS; // run ms per real ms
    const tick = (now) => {
      if (!this.timer) return;
      const t = Math.min(this.end, this.t + (now - last) * speed);
      last = now;
      this.show(t, false);
      if (t >= this.end) this.pause();
      else this.timer = requestAnimationFrame(tick);
    };
    this.timer = requestAnimationFrame(tick);
  }

  pause() {
    if (!this.timer) return;
    clearInterval(this.timer);
    cancelAnimationFrame(this.timer);
    this.timer = null;
    const button = $("#replay-play");
    button.setAttribute("aria-pressed", "false");
    button.textContent = this.say("replay_play");
    $("#replay-say").setAttribute("aria-live", "polite");
    this.show(this.t, true);
  }

  step(direction) {
    this.pause();
    this.show(nextMoment(this.moments, this.t, direction), true);
  }

  key(event) {
    if (event.target.tagName === "BUTTON" && (event.key === " " || event.key === "Enter")) return;
    if (event.key === " ") {
      event.preventDefault();
      if (this.timer) this.pause(); else this.play();
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      this.step(event.key === "ArrowRight" ? 1 : -1);
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      this.pause();
      this.show(event.key === "Home" ? 0 : this.end, true);
    }
  }

  // Shows moment `t`; `announce`: also say it in the live region.
  show(t, announce) {
    this.t = t;
    this.range.value = String(t);
    $("#replay-at").textContent = `${t.toFixed(1)} ms`;
    for (const line of document.querySelectorAll("pre .line.at")) {
      line.classList.remove("at", "running");
      delete line.dataset.tasks;
    }
    const blocks = [];
    const sentences = [];
    for (const run of this.runs) {
      const state = stateAt(run.report, t);
      this.cursor(run, t);
      this.markLines(run, state);
      blocks.push(this.block(run, state));
      sentences.push(this.sentence(run, state));
    }
    $("#replay-state").replaceChildren(...blocks);
    const said = `${t.toFixed(1)} ms${this.say("colon")}${sentences.join(" ")}`;
    $("#replay-say").textContent = said;
    if (announce) $("#replay-say").setAttribute("aria-live", "polite");
  }

  who(key) {
    return key === HANDLER ? this.say("handler") : `${this.say("col_task")} ${key}`;
  }

  name(run) {
    return run.slot === "python" ? "Python" : `Rust (${run.demo})`;
  }

  // The vertical line at `t` on the run's timeline.
  cursor(run, t) {
    const svg = document.querySelector(`#result svg.timeline[data-slot="${run.slot}"]`);
    if (!svg) return;
    const msPerPx = Number(svg.dataset.msPerPx);
    let line = svg.querySelector("line.cursor");
    if (!line) {
      const height = svg.viewBox.baseVal.height;
      line = svgElement("line", { class: "cursor", y1: TOP - 6, y2: height - 20 });
      svg.append(line);
    }
    const x = xAt(t, msPerPx).toFixed(2);
    line.setAttribute("x1", x);
    line.setAttribute("x2", x);
  }

  // Marks, in the code shown, the line each task of `run` is at.
  markLines(run, state) {
    const sources = run.report.rust_source || [];
    for (const task of state.tasks) {
      if (!task.line || task.state === "done" || task.state === "not_started") continue;
      const index = run.slot === "python" ? task.line.line : lineInShown(sources, task.line);
      if (index < 0) continue;
      const span = document.querySelector(`pre .line[data-slot="${run.slot}"][data-line="${index}"]`);
      if (!span) continue;
      span.classList.add("at");
      if (task.state === "running") span.classList.add("running");
      const tasks = span.dataset.tasks ? span.dataset.tasks.split(", ") : [];
      tasks.push(task.key === HANDLER ? "h" : String(task.key));
      span.dataset.tasks = tasks.join(", ");
    }
  }

  lineWords(task) {
    return task.line ? this.say("replay_line")(task.line.line) : "";
  }

  // What one run looks like now, as a block of text beside the timeline.
  block(run, state) {
    const box = element("div");
    box.className = "run-state";
    box.dataset.slot = run.slot;
    box.append(element("h4", this.name(run)));
    const holder = state.tasks.find((task) => task.key === state.holder);
    const thread = element("p", holder
      ? `${this.say("replay_thread")}${this.say("colon")}${this.who(holder.key)}${this.lineWords(holder)}`
      : `${this.say("replay_thread")}${this.say("colon")}${this.say("replay_idle")}`);
    thread.className = "thread";
    thread.dataset.holder = state.holder === null ? "" : String(state.holder);
    const ready = element("p", `${this.say("replay_ready")}${this.say("colon")}${state.ready.length
      ? state.ready.map((task) => `${this.who(task.key)} (${this.say("replay_since")} ${task.since.toFixed(1)} ms)`).join(this.say("comma"))
      : this.say("replay_empty")}`);
    ready.className = "ready";
    ready.dataset.ready = state.ready.map((task) => String(task.key)).join(",");
    const waiting = element("ul");
    waiting.className = "waiting";
    for (const task of state.tasks.filter((each) => each.state === "waiting")) {
      const on = task.awaits.map((awaited) => describeAwait(awaited, this.say)).join("; ");
      const item = element("li", `${this.who(task.key)}${this.lineWords(task)}${on ? ` ${this.say("awaits")}${this.say("colon")}${on}` : ""}`);
      item.dataset.task = String(task.key);
      waiting.append(item);
    }
    box.append(thread, ready, element("p", `${this.say("replay_waiting")}${this.say("colon")}`), waiting);
    return box;
  }

  sentence(run, state) {
    const holder = state.tasks.find((task) => task.key === state.holder);
    const [colon, stop, comma] = ["colon", "stop", "comma"].map((key) => this.say(key));
    const parts = [holder ? `${this.name(run)}${colon}${this.who(holder.key)} ${this.say("replay_holds")}${this.lineWords(holder)}${stop}`
      : `${this.name(run)}${colon}${this.say("replay_nothing")}${stop}`];
    if (state.ready.length) parts.push(`${this.say("replay_ready")}${colon}${state.ready.map((task) => this.who(task.key)).join(comma)}${stop}`);
    const waiting = state.tasks.filter((task) => task.state === "waiting");
    if (waiting.length) parts.push(`${this.say("replay_waiting")}${colon}${waiting.map((task) => this.who(task.key)).join(comma)}${stop}`);
    return parts.join(" ");
  }
}
