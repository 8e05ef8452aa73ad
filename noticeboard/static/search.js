// Search with the Pagefind index built with the site: no request leaves the site.
// Without JavaScript, or opened from disk, the page keeps its links to the complete lists.
//
// The address holds the search (?q=IEP&data=special_education&grade=3), in keys that are the same
// in every language: a search can be shared, the back button returns to the one before, and the
// language switch carries it to the same search on the twin page.
const form = document.querySelector(".search-form");
const query = document.getElementById("search-query");
const statusBox = document.querySelector(".search-status");
const prompt = statusBox.querySelector(".search-prompt");
const heading = document.getElementById("results-heading");
const resultList = document.querySelector(".search-results");
const filterBox = form.querySelector(".search-filters");
const selects = [...form.querySelectorAll("select[data-filter]")];
const languageLinks = [...document.querySelectorAll("nav.language-switch a[hreflang]")];
// The page's words, from its language's catalog: this script holds none of its own.
const words = form.dataset;
const SHOWN = Number(words.shown);
const WIDE = window.matchMedia("(min-width: 48em)");
let latest = 0; // the number of the newest search: an older one that ends later is not shown

function resultCount(count) {
  // Two forms, for one and for other counts (English, Spanish, Portuguese, Albanian…).
  const text = new Intl.PluralRules(document.documentElement.lang).select(count) === "one" ? words.one : words.other;
  return text.replace(/\d+/, String(count));
}

function excerptNodes(excerpt) {
  // Pagefind marks the words found with <mark>. The excerpt is parsed once, as a template's content
  // (inert: nothing in it loads or runs, and no space is dropped), then copied node by node: text as
  // text, each <mark> as a mark holding its text; nothing else is ever shown as HTML.
  const template = document.createElement("template");
  template.innerHTML = excerpt;
  return [...template.content.childNodes].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent);
    const mark = document.createElement("mark");
    mark.textContent = node.textContent;
    return mark;
  });
}

function chosenFilters() {
  const filters = {};
  for (const select of selects) {
    if (select.value) filters[select.dataset.filter] = select.value;
  }
  return filters;
}

function addressOfForm() {
  const params = new URLSearchParams();
  if (query.value.trim()) params.set("q", query.value.trim());
  for (const [name, value] of Object.entries(chosenFilters())) params.set(name, value);
  const search = params.toString();
  return search ? `?${search}` : "";
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  query.value = params.get("q") || "";
  for (const select of selects) {
    const wanted = params.get(select.dataset.filter) || "";
    select.value = [...select.options].some((option) => option.value === wanted) ? wanted : "";
  }
}

function carryToTwins() {
  // The language switch leads to the same search on the twin page (its links are the header's).
  for (const link of languageLinks) {
    link.dataset.page ??= link.getAttribute("href");
    link.setAttribute("href", link.dataset.page + location.search);
  }
}

function keepInAddress(first) {
  const search = addressOfForm();
  if (first) {
    history.replaceState(null, "", search || location.pathname);
  } else if (search !== location.search) {
    history.pushState(null, "", search || location.pathname);
  }
  carryToTwins();
}

function showStatus(text) {
  prompt.textContent = text;
  prompt.hidden = false;
  heading.hidden = true;
  heading.textContent = "";
}

function resultItem(page) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.href = page.url;
  link.textContent = page.meta.title || page.url;
  const kind = document.createElement("span");
  kind.className = "search-kind";
  kind.textContent = `${page.meta.kind || words.page}: `;
  const title = document.createElement("h3");
  title.append(kind, link);
  const excerpt = document.createElement("p");
  excerpt.append(...excerptNodes(page.excerpt || ""));
  item.append(title, excerpt);
  return item;
}

// ``bringIntoView``: the parent asked (Enter, the button), so the results' heading takes the focus,
// which says the count; otherwise (a filter, the back button) the status region says it.
async function showResults(pagefind, bringIntoView) {
  const number = ++latest;
  const text = query.value.trim();
  const filters = chosenFilters();
  if (!text && Object.keys(filters).length === 0) {
    resultList.replaceChildren();
    showStatus(words.prompt);
    return;
  }
  const search = await pagefind.search(text || null, { filters });
  const found = await Promise.all(search.results.slice(0, SHOWN).map((result) => result.data()));
  if (number !== latest) return;
  resultList.replaceChildren(...found.map(resultItem));
  const count = search.results.length;
  const shown = count > SHOWN ? ` ${words.first}` : "";
  statusBox.setAttribute("aria-live", bringIntoView ? "off" : "polite");
  prompt.hidden = true;
  prompt.textContent = "";
  heading.textContent = count === 0 ? words.none : `${resultCount(count)}${shown}`;
  heading.hidden = false;
  if (bringIntoView) {
    heading.scrollIntoView({ block: "start" });
    heading.focus({ preventScroll: true });
  }
}

async function start() {
  let pagefind;
  try {
    pagefind = await import(new URL(form.dataset.index, location.href).href);
    const root = new URL(form.dataset.root, location.href).pathname.replace(/index\.html$/, "");
    await pagefind.options({ baseUrl: root });
  } catch (error) {
    showStatus(words.unavailable);
    return;
  }
  form.hidden = false;
  document.querySelector(".search-without-script").hidden = true;
  readAddress();
  // On a wide screen the filters are open; on a phone they wait behind their button, unless in use.
  filterBox.open = WIDE.matches || Object.keys(chosenFilters()).length > 0;
  keepInAddress(true);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    keepInAddress(false);
    showResults(pagefind, true);
  });
  for (const select of selects) {
    select.addEventListener("change", () => {
      keepInAddress(false);
      showResults(pagefind, false);
    });
  }
  window.addEventListener("popstate", () => {
    readAddress();
    carryToTwins();
    showResults(pagefind, false);
  });
  await showResults(pagefind, false);
}

start();
