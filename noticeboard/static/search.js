// Search with the Pagefind index built with the site: no request leaves the site.
// Without JavaScript, or opened from disk, the page keeps its links to the complete lists.
const form = document.querySelector(".search-form");
const query = document.getElementById("search-query");
const statusLine = document.querySelector(".search-status");
const resultList = document.querySelector(".search-results");
const selects = [...document.querySelectorAll("select[data-filter]")];
// The page's words, from its language's catalog: this script holds none of its own.
const words = form.dataset;
const SHOWN = Number(words.shown);

function resultCount(count) {
  // Two forms, for one and for other counts (English, Spanish, Portuguese, Albanian…).
  const text = new Intl.PluralRules(document.documentElement.lang).select(count) === "one" ? words.one : words.other;
  return text.replace(/\d+/, String(count));
}

function excerptNodes(excerpt) {
  // Pagefind marks the words found with <mark>; everything else is shown as text, never as HTML.
  const parts = excerpt.split(/<\/?mark>/);
  return parts.map((part, index) => {
    const text = new DOMParser().parseFromString(part, "text/html").body.textContent;
    if (index % 2 === 0) return document.createTextNode(text);
    const mark = document.createElement("mark");
    mark.textContent = text;
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

function fillFilters(available) {
  for (const select of selects) {
    const values = Object.keys(available[select.dataset.filter] || {}).sort((a, b) => a.localeCompare(b));
    for (const value of values) {
      select.append(new Option(value, value));
    }
  }
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  query.value = params.get("q") || "";
  for (const select of selects) {
    const wanted = params.get(select.dataset.filter);
    if (wanted && [...select.options].some((option) => option.value === wanted)) select.value = wanted;
  }
}

function writeAddress() {
  const params = new URLSearchParams();
  if (query.value.trim()) params.set("q", query.value.trim());
  for (const [name, value] of Object.entries(chosenFilters())) params.set(name, value);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

async function showResults(pagefind) {
  const text = query.value.trim();
  const filters = chosenFilters();
  resultList.replaceChildren();
  if (!text && Object.keys(filters).length === 0) {
    statusLine.textContent = words.prompt;
    return;
  }
  const search = await pagefind.search(text || null, { filters });
  const found = await Promise.all(search.results.slice(0, SHOWN).map((result) => result.data()));
  for (const page of found) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = page.url;
    link.textContent = page.meta.title || page.url;
    const kind = document.createElement("span");
    kind.className = "search-kind";
    kind.textContent = `${page.meta.kind || words.page}: `;
    const heading = document.createElement("h2");
    heading.append(kind, link);
    const excerpt = document.createElement("p");
    excerpt.append(...excerptNodes(page.excerpt || ""));
    item.append(heading, excerpt);
    resultList.append(item);
  }
  const count = search.results.length;
  const shown = count > SHOWN ? ` ${words.first}` : "";
  statusLine.textContent = count === 0 ? words.none : `${resultCount(count)}${shown}`;
}

async function start() {
  let pagefind;
  try {
    pagefind = await import(new URL(form.dataset.index, location.href).href);
    const root = new URL(form.dataset.root, location.href).pathname.replace(/index\.html$/, "");
    await pagefind.options({ baseUrl: root });
    fillFilters(await pagefind.filters());
  } catch (error) {
    statusLine.textContent = words.unavailable;
    return;
  }
  form.hidden = false;
  document.querySelector(".search-without-script").hidden = true;
  readAddress();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    writeAddress();
    showResults(pagefind);
  });
  for (const select of selects) {
    select.addEventListener("change", () => {
      writeAddress();
      showResults(pagefind);
    });
  }
  await showResults(pagefind);
}

start();
