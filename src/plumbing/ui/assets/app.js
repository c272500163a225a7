// The tour's page, wired together: one page per idea. It reads the ideas' parameters
// from /openapi.json and their explanations and asyncio programs from
// /ui/lessons.json, builds the form, runs a demo (or two on one axis, and the Python
// too when asked), and hands each piece to the module that does it. It owns the
// page's one state object; the other modules are given what they need.
//
//   words.js       the page's words in English and Chinese
//   markdown.js    the lessons' Markdown: parsed, then drawn
//   lesson.js      the idea on show: explanation, program, prev and next
//   glossary.js    every asyncio name and its Rust counterpart
//   run.js         one demo run: its report or stream
//   timeline.js    the runs drawn on one time axis
//   details.js     a finished run's tasks, tree, events and code
//   python.js      the lesson's program in Pyodide
//   differences.js where the Python differs on purpose (shared with the oracle)
//   replay.js      what a run looks like at any moment, from its steps
//   replayer.js    the replay: play, pause, step, the marked lines
//   lanes.js       the "Requests on instances" panel
//   page.js        the DOM and fetch helpers they share
//
// Nothing here builds HTML from text: every value goes in through textContent or
// attributes.

import { applying } from "./differences.js";
import { showDetails } from "./details.js";
import { showGlossary } from "./glossary.js";
import { fireTogether } from "./lanes.js";
import { showLesson, titleOf } from "./lesson.js";
import { $, element, getJson, ideaHref, queryOf } from "./page.js";
import { Python } from "./python.js";
import { Run } from "./run.js";
import { render } from "./timeline.js";
import { parseMarkdown, renderInline } from "./markdown.js";
import { Replayer } from "./replayer.js";
import { languageOf, saveLanguage, savedLanguage, say as sayIn } from "./words.js";

// Everything the page knows; only this module changes it.
const state = {
  language: "en",
  demos: {}, // idea -> { path, summary, summary_zh, params } from /openapi.json, in reading order
  lessons: {}, // idea -> { title, text, python, folder, route } from /ui/lessons.json
  differences: [], // src/common/python/differences.json: where Python and Rust differ on purpose
  ideas: [], // the ideas, in the tour's order
  glossary: [], // { asyncio, rust, meaning, idea, title }: the lessons' Terms sections, in reading order
  python: null, // the Python runner (Pyodide, loaded on the first run that asks for it)
  lastRuns: null, // the runs whose details are on show, redrawn when the language changes
  replayer: null, // the replay of the last run (replayer.js)
  generation: 0, // counts the runs started: a run superseded by a newer one leaves the page alone
};

// The page's words for `key`, in the page's language.
const say = (key) => sayIn(state.language, key);

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
  state.language = languageOf(chosen);
  saveLanguage(state.language);
  document.documentElement.lang = state.language === "zh" ? "zh-CN" : "en";
  for (const button of document.querySelectorAll(".lang button")) {
    button.setAttribute("aria-pressed", String(button.dataset.lang === state.language));
  }
  for (const node of document.querySelectorAll("[data-text]")) {
    const words = say(node.dataset.text);
    if (typeof words === "string" && !(node.id === "rust" && node.dataset.filled)) node.textContent = words;
  }
  for (const text of document.querySelectorAll("small.hint[data-en], p.summary[data-en]")) {
    text.textContent = state.language === "zh" ? text.dataset.zh : text.dataset.en;
  }
  fillSelect($("#demo"), currentIdea());
  showLesson(state, currentIdea(), say);
  showIntro(currentIdea());
  showGlossary($("#glossary-table"), state.glossary, state.language, say);
  if (state.lastRuns) {
    showDetails(state.lastRuns, say);
    state.replayer.load(state.lastRuns);
  }
}

// The short introduction above the timeline: the lesson's title and its first
// paragraph (the rest of the lesson follows the run).
function showIntro(idea) {
  const intro = $("#lesson-intro");
  const lesson = state.lessons[idea];
  if (!lesson) { intro.replaceChildren(); return; }
  const blocks = parseMarkdown(lesson.text[state.language] || lesson.text.en);
  const first = blocks.find((block) => block.kind === "paragraph");
  intro.replaceChildren(element("strong", `${titleOf(state, idea)}. `));
  if (first) renderInline(intro, first.inline);
}

// ---- the form --------------------------------------------------------------------

function fillSelect(select, chosen) {
  select.replaceChildren();
  for (const name of state.ideas) {
    const option = element("option", state.lessons[name] ? `${titleOf(state, name)} (${name})` : name);
    option.value = name;
    option.selected = name === chosen;
    select.append(option);
  }
}

// One field per declared parameter: a list for a fixed set of words, else a text
// box, prefilled with the declared default (or the value a link gives); the
// one-line doc shown under it.
function buildForm(form, demo, given = new URLSearchParams()) {
  const route = state.demos[demo];
  const summary = element("p", state.language === "zh" ? route.summary_zh : route.summary);
  summary.dataset.en = route.summary;
  summary.dataset.zh = route.summary_zh;
  summary.className = "summary";
  form.replaceChildren(summary);
  for (const param of route.params) {
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
    hint.textContent = state.language === "zh" ? hint.dataset.zh : hint.dataset.en;
    label.append(element("span", param.name), field, hint);
    form.append(label);
  }
}

function currentIdea() {
  const idea = new URLSearchParams(location.search).get("idea");
  return state.demos[idea] ? idea : state.ideas[0];
}

// Opens an idea: its lesson, its form (filled from the link), and a run when the
// link carries parameters (a shared run is reproduced).
function openIdea(idea, given) {
  $("#demo").value = idea;
  showLesson(state, idea, say);
  showIntro(idea);
  buildForm($("#params"), idea, given);
  clearRun();
  // The idea runs as it opens (with its defaults, or a link's parameters), and
  // its replay plays.
  runDemos();
}

// ---- a run -------------------------------------------------------------------------

function clearRun() {
  state.lastRuns = null;
  for (const id of ["#result", "#warnings", "#tasks", "#tree", "#events", "#python-differences"]) $(id).replaceChildren();
  for (const id of ["#note", "#instance", "#rust-source", "#error", "#python-status"]) $(id).textContent = "";
  const rust = $("#rust");
  delete rust.dataset.filled;
  rust.textContent = say("rust_placeholder");
  $("#status").textContent = say("idle");
  $("#permalink").hidden = true;
  state.replayer?.clear();
}

// Runs the idea (and the second demo when comparing), draws them as they go, then
// their details, then the Python when asked for.
async function runDemos() {
  const idea = $("#demo").value;
  const query = queryOf($("#params"));
  const runs = [new Run("a", idea, query, state.demos[idea].path)];
  if ($("#compare").checked) {
    const second = $("#demo-b").value;
    runs.push(new Run("b", second, queryOf($("#params-b")), state.demos[second].path));
  }
  // The link that reproduces this run: the idea and its parameters.
  const link = new URLSearchParams([["idea", idea], ...query]);
  history.replaceState(null, "", `/ui/?${link}${location.hash}`);
  const generation = ++state.generation;
  const current = () => generation === state.generation;
  const permalink = $("#permalink");
  permalink.href = `/ui/?${link}`;
  permalink.hidden = false;
  $("#run").disabled = true;
  $("#error").textContent = "";
  $("#status").textContent = say("running_state");
  $("#loading").textContent = say("loading");
  state.replayer.clear();
  const draw = () => { if (current()) render($("#result"), runs, say); };
  let frame = 0;
  const redraw = () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); });
  };
  // Bars still running keep growing while we wait.
  const ticker = setInterval(redraw, 100);
  try {
    await Promise.all(runs.map((run) => run.execute(redraw)));
    if (!current()) return;
    draw();
    state.lastRuns = runs;
    showDetails(runs, say);
    $("#loading").textContent = "";
    state.replayer.load(runs);
    state.replayer.play();
    if ($("#python-too").checked && state.lessons[idea]) {
      try {
        const show = (text) => { $("#python-status").textContent = text; };
        const python = await state.python.run(runs[0], state.lessons[idea], show, say);
        if (!current()) return;
        // Where this run differs from the Rust on purpose, and why.
        const differences = applying(state.differences, idea, runs[0].report);
        $("#python-differences").replaceChildren(...differences.map((difference) => element("li", difference.why)));
        runs.push(python);
        draw();
        state.replayer.load(runs);
        state.replayer.play();
      } catch (error) {
        $("#python-status").textContent = say("python_failed")(error.message);
      }
    }
    $("#status").textContent = say("done");
  } catch (error) {
    if (!current()) return;
    $("#error").textContent = error.message;
    $("#status").textContent = say("failed");
    $("#loading").textContent = "";
  } finally {
    clearInterval(ticker);
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    if (current()) $("#run").disabled = false;
  }
}

// ---- start -------------------------------------------------------------------------

async function start() {
  try {
    const [api, lessons] = await Promise.all([getJson("/openapi.json"), getJson("/ui/lessons.json")]);
    state.demos = demosOf(api, lessons.lessons);
    for (const lesson of lessons.lessons) state.lessons[lesson.idea] = lesson;
    state.python = new Python(lessons.harness);
    state.differences = lessons.differences;
    state.glossary = lessons.glossary;
  } catch (error) {
    $("#error").textContent = `The ideas could not be listed: ${error.message}`;
    return;
  }
  // The tour's order: the lessons first (the seed's order), then any other demo.
  state.ideas = Object.keys(state.demos);
  state.language = languageOf(savedLanguage(navigator.language));
  const given = new URLSearchParams(location.search);
  state.replayer = new Replayer(say);
  fillSelect($("#demo-b"), "gather");
  chooseLanguage(state.language);
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
    history.pushState(null, "", ideaHref(idea));
    openIdea(idea, new URLSearchParams());
  });
  window.addEventListener("popstate", () => openIdea(currentIdea(), new URLSearchParams(location.search)));
  $("#demo-b").addEventListener("change", () => buildForm($("#params-b"), $("#demo-b").value));
  $("#compare").addEventListener("change", () => { $("#slot-b").hidden = !$("#compare").checked; });
  $("#run").addEventListener("click", runDemos);
  for (const form of [$("#params"), $("#params-b")]) {
    form.addEventListener("submit", (event) => { event.preventDefault(); runDemos(); });
  }
  const fire = () => fireTogether(say);
  $("#fire").addEventListener("click", fire);
  $("#fire-form").addEventListener("submit", (event) => { event.preventDefault(); fire(); });
}

start();
