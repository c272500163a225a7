// The lessons' Markdown, a small subset: "# " title, "## " and "### " headings,
// "- " lists (a line indented two spaces goes on with the item above), paragraphs,
// ``` code fences, and inline `code`, **bold** and [links](/ui/...). Two steps:
// `parseMarkdown` turns text into blocks of inline tokens (pure, so node tests it),
// and `renderBlocks` turns those into DOM nodes. Every piece of text goes in through
// textContent and every link through an attribute: no HTML is ever made from text, so
// `<b>` in a lesson reads `<b>`.

import { element } from "./page.js";

// Block kinds: { kind: "heading", level: 1-3, inline }, { kind: "paragraph", inline },
// { kind: "list", items: [inline] }, { kind: "code", language, text }.
// Inline tokens: { kind: "text" | "code" | "strong", text }, { kind: "link", text, href }.
export function parseMarkdown(text) {
  const blocks = [];
  let paragraph = [];
  let list = null; // the list being filled: its items' text so far
  let fence = null; // the code fence being filled: { language, lines }
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: "paragraph", inline: parseInline(paragraph.join(" ")) });
    paragraph = [];
  };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (fence) {
      if (line.startsWith("```")) {
        blocks.push({ kind: "code", language: fence.language, text: fence.lines.join("\n") });
        fence = null;
      } else {
        fence.lines.push(raw.replace(/\r$/, ""));
      }
      continue;
    }
    if (line.startsWith("```")) {
      flush();
      list = null;
      fence = { language: line.slice(3).trim(), lines: [] };
      continue;
    }
    if (line.startsWith("- ")) {
      flush();
      if (!list) { list = { kind: "list", items: [] }; blocks.push(list); }
      list.items.push(line.slice(2));
      continue;
    }
    if (list && line !== "" && !line.startsWith("#") && raw.startsWith("  ")) {
      list.items[list.items.length - 1] += " " + line;
      continue;
    }
    list = null;
    if (line === "") { flush(); continue; }
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: "heading", level: heading[1].length, inline: parseInline(heading[2]) });
      continue;
    }
    paragraph.push(line);
  }
  flush();
  // A fence never closed holds the rest of the text.
  if (fence) blocks.push({ kind: "code", language: fence.language, text: fence.lines.join("\n") });
  return blocks.map((block) => (block.kind === "list" ? { ...block, items: block.items.map(parseInline) } : block));
}

const LINK = /^\[([^\]]+)\]\(([^()\s]+)\)$/;
// Where a lesson may link: this app (a path, a query, a fragment) or the web. Any
// other scheme (javascript:, data:) leaves the link as the text it was written as.
const SAFE_HREF = /^(https?:\/\/|\/|\.{1,2}\/|#|\?)/i;

export function parseInline(text) {
  const tokens = [];
  const put = (kind, fields) => {
    const last = tokens[tokens.length - 1];
    if (kind === "text" && last?.kind === "text") last.text += fields.text;
    else tokens.push({ kind, ...fields });
  };
  for (const piece of text.split(/(`[^`]+`|\*\*[^*]+\*\*|\[[^\]]+\]\([^()\s]+\))/)) {
    const link = LINK.exec(piece);
    if (piece.startsWith("`") && piece.endsWith("`") && piece.length > 1) {
      put("code", { text: piece.slice(1, -1) });
    } else if (piece.startsWith("**") && piece.endsWith("**") && piece.length > 3) {
      put("strong", { text: piece.slice(2, -2) });
    } else if (link && SAFE_HREF.test(link[2])) {
      put("link", { text: link[1], href: link[2] });
    } else if (piece) {
      put("text", { text: piece });
    }
  }
  return tokens;
}

// Appends `tokens` to `node` and returns it.
export function renderInline(node, tokens) {
  for (const token of tokens) {
    if (token.kind === "text") {
      node.append(document.createTextNode(token.text));
    } else {
      const piece = element(token.kind === "link" ? "a" : token.kind, token.text);
      if (token.kind === "link") piece.setAttribute("href", token.href);
      node.append(piece);
    }
  }
  return node;
}

// The blocks as DOM nodes: the title (level 1) an h2 with id `titleId` when given,
// the other headings h3; a code fence a <pre><code> (its language in data-language).
export function renderBlocks(blocks, { titleId } = {}) {
  return blocks.map((block) => {
    switch (block.kind) {
      case "heading": {
        const node = renderInline(element(block.level === 1 ? "h2" : "h3"), block.inline);
        if (block.level === 1 && titleId) node.id = titleId;
        return node;
      }
      case "list": {
        const list = element("ul");
        for (const item of block.items) list.append(renderInline(element("li"), item));
        return list;
      }
      case "code": {
        const pre = element("pre");
        const code = element("code", block.text);
        if (block.language) code.dataset.language = block.language;
        pre.append(code);
        return pre;
      }
      default:
        return renderInline(element("p"), block.inline);
    }
  });
}
