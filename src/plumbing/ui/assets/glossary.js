// The glossary: every asyncio name the lessons teach (each lesson's Terms section,
// gathered by the build script into lessons.json), its Rust / WASI 0.3 counterpart,
// what it is, and a link to the lesson that runs it, in the lessons' reading order.
// `glossaryRows` picks each row's words in a language (pure, so node tests it);
// `showGlossary` draws them as a table.

import { element, fillTable, ideaHref } from "./page.js";
import { parseInline, renderInline } from "./markdown.js";

// One row per term, in `language` (English where a text lacks it): `rust` is null
// where asyncio's name has no counterpart; `meaning` is the lesson's inline Markdown.
export const glossaryRows = (glossary, language) => glossary.map((term) => ({
  asyncio: term.asyncio,
  rust: term.rust ?? null,
  meaning: parseInline(term.meaning[language] || term.meaning.en),
  lesson: term.title[language] || term.title.en,
  href: ideaHref(term.idea),
}));

// The table of `glossary` in `language`, into `table`; `say` gives the page's words.
export function showGlossary(table, glossary, language, say) {
  const rows = glossaryRows(glossary, language).map((term) => {
    const row = element("tr");
    const asyncio = element("th");
    asyncio.scope = "row";
    asyncio.append(element("code", term.asyncio));
    const rust = element("td");
    rust.append(term.rust ? element("code", term.rust) : document.createTextNode(say("no_counterpart")));
    const lesson = element("td");
    const link = element("a", term.lesson);
    link.href = term.href;
    lesson.append(link);
    row.append(asyncio, rust, renderInline(element("td"), term.meaning), lesson);
    return row;
  });
  fillTable(table, say("glossary"), ["col_asyncio", "col_rust", "col_meaning", "col_lesson"].map((key) => say(key)), rows);
}
