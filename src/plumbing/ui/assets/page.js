// The few helpers every module that touches the page shares: find an element, make
// one (HTML or SVG) whose text goes in through textContent and whose values go in as
// attributes, fill a table, link to an idea, read a form as a query, and fetch JSON
// from the app. Nothing runs at import: each reaches for `document` or `fetch` only
// when called.

const SVG_NS = "http://www.w3.org/2000/svg";

export const $ = (selector) => document.querySelector(selector);

export const element = (name, text) => {
  const node = document.createElement(name);
  if (text !== undefined) node.textContent = text;
  return node;
};

export function svgElement(name, attributes) {
  const node = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

// Where an idea's page is (the page lives at /ui/).
export const ideaHref = (idea) => `/ui/?idea=${encodeURIComponent(idea)}`;

// Fills `table`: its caption, a head row of column `headings`, and the body `rows`
// (each a <tr>).
export function fillTable(table, caption, headings, rows) {
  const head = element("tr");
  for (const heading of headings) {
    const th = element("th", heading);
    th.scope = "col";
    head.append(th);
  }
  const thead = element("thead");
  thead.append(head);
  const tbody = element("tbody");
  tbody.append(...rows);
  table.replaceChildren(element("caption", caption), thead, tbody);
}

// A form's filled-in fields as a query (blank ones left out).
export function queryOf(form) {
  const query = new URLSearchParams();
  for (const input of form.querySelectorAll("input, select")) {
    if (input.value.trim() !== "") query.set(input.name, input.value.trim());
  }
  return query;
}

// `no-store`: a browser holds back identical requests while the first is in
// flight (its cache lock); the instance panel sends identical ones at once.
export async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}
