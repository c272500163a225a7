// The lesson of the idea on show: its explanation (the lesson's Markdown, in the
// page's language), its complete asyncio program with the lines that are the idea
// marked, the links to the previous and next idea, and the document's title.
// `programChunks` and `titleOf` are pure; `showLesson` fills the page.

import { $, element, ideaHref } from "./page.js";
import { parseMarkdown, renderBlocks } from "./markdown.js";

// The idea's title in `language`: its lesson's, else its name.
export function titleOf(state, idea) {
  const lesson = state.lessons[idea];
  return lesson ? lesson.title[state.language] || lesson.title.en : idea;
}

// The program cut into runs of lines, each { text, marked }: the lines between a
// `# region: ` and an `# endregion: ` marker are the idea (the markers themselves
// are not). Each run of lines ends with a newline.
export function programChunks(python) {
  const chunks = [];
  let inRegion = false;
  let lines = [];
  const put = (marked) => {
    if (!lines.length) return;
    chunks.push({ text: lines.join("\n") + "\n", marked });
    lines = [];
  };
  for (const line of python.replace(/\n$/, "").split("\n")) {
    const marker = /^\s*# (end)?region: /.exec(line);
    if (marker && !marker[1]) { lines.push(line); put(false); inRegion = true; continue; }
    if (marker && marker[1]) { put(true); inRegion = false; lines.push(line); continue; }
    lines.push(line);
  }
  put(inRegion);
  return chunks;
}

function showProgram(lesson, say) {
  const pre = $("#python");
  pre.replaceChildren();
  if (!lesson) { pre.textContent = ""; $("#python-source").textContent = ""; return; }
  // One span per line (data-line: its line in lesson.py, from 1), so the replay
  // can mark the line a task is at; the idea's lines inside a <mark>.
  let number = 1;
  for (const { text, marked } of programChunks(lesson.python)) {
    const holder = marked ? element("mark") : pre;
    for (const line of text.replace(/\n$/, "").split("\n")) {
      const span = element("span", `${line}\n`);
      span.className = "line";
      span.dataset.slot = "python";
      span.dataset.line = String(number++);
      holder.append(span);
    }
    if (marked) pre.append(holder);
  }
  $("#python-source").textContent = say("python_from")(lesson.folder);
}

// Shows `idea`: its lesson (or, for a demo without one, its route's summary), its
// program, the previous and next links in the tour's order, the document's title.
export function showLesson(state, idea, say) {
  const lesson = state.lessons[idea];
  const article = $("#lesson");
  if (lesson) {
    article.replaceChildren(...renderBlocks(parseMarkdown(lesson.text[state.language] || lesson.text.en), { titleId: "lesson-title" }));
    article.setAttribute("aria-labelledby", "lesson-title");
  } else {
    const summary = (state.language === "zh" ? state.demos[idea]?.summary_zh : state.demos[idea]?.summary) || "";
    article.replaceChildren(element("h2", idea), element("p", summary));
  }
  showProgram(lesson, say);
  const at = state.ideas.indexOf(idea);
  for (const [id, step] of [["#prev", -1], ["#next", 1]]) {
    const target = state.ideas[at + step];
    const link = $(id);
    link.hidden = !target;
    if (target) {
      link.href = ideaHref(target);
      link.textContent = `${say(id.slice(1))}: ${titleOf(state, target)}`;
    }
  }
  document.title = `${titleOf(state, idea)} · ${say("heading")}`;
}
