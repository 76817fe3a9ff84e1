"""One language at a time: every page, in Chinese and in English, shows no word of the other language
outside data values (issue 13).

The explorer runs as a user runs it (tests/browser.py) and Chromium opens each page by its link with
``?language=zh`` or ``?language=en``. What the page says is gathered from the page and every frame in
it (the drawings and components are frames): the visible text, and the words people meet on hover or
(``placeholder``, ``title``), and the grids' column headers; not Material icons, whose names are text in the
page but are seen as pictures.
Data values are then taken out: every text the graph holds (names, titles, quotes, the documents'
lines, numbers). What is left is the interface. In Chinese mode it may hold no English word but
the names in ``NAMES`` (formats and products, said the same in both languages, in any case), what
Cypher is written with (the schema's names, the named queries, keywords), and code, which people
copy as it is (a query, a command line, the link); in English mode no Chinese character at all.

Streamlit's own words that it does not let an app set are named in ``STREAMLIT_FIXED``, each with
why; the app hides or replaces those it can (app.py, ``LANGUAGE_CSS``).
"""

from __future__ import annotations

import re

import pytest

from tests.browser import (  # noqa: F401 - the *_fixture functions are pytest fixtures, used by name
    PAGES,
    app_server_fixture,
    browser_context_fixture,
    chromium_fixture,
    open_expanders,
    page_fixture,
    settle,
)

#: said the same in both languages: file formats, products, query languages, units of paper and screen
NAMES = {"policykg", "Cypher", "CSV", "JSON", "JSONL", "Excel", "PNG", "SVG", "HTML", "PDF", "PowerPoint", "PPTX",
         "DOCX", "TXT", "Neo4j", "LadybugDB", "LIMIT", "MATCH", "RETURN", "WHERE", "ORDER", "BY", "A4", "ID", "MB",
         "MiB", "KB", "UTC", "zh", "en", "English", "vis", "Streamlit", "Chromium", "Markdown", "id", "MD", "HTM"}
#: keys of the keyboard, named as printed on them
KEYS = {"Ctrl", "Cmd", "Enter", "Shift", "Tab", "Esc"}
#: Streamlit's words an app cannot set, and why they may stay (none at the moment of writing: app.py's
#: LANGUAGE_CSS says the rest in Chinese)
STREAMLIT_FIXED: dict[str, str] = {}
#: the language switch names each language in its own words, as every site does
LANGUAGE_NAMES = ("中文", "English")
ENGLISH_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")

GATHER_JS = """() => {
  // a frame not shown (inside a closed expander) has no layout: its innerText would be its source
  if (!document.body || window.innerWidth === 0 || window.innerHeight === 0) return '';
  // icons are ligatures of Material Symbols: their names are in the DOM as text, but shown as pictures
  // and code (a Cypher query, a command line, a link) is what people copy, as it is in either language
  const icons = Array.from(document.querySelectorAll(
    '[data-testid="stIconMaterial"], .material-symbols-rounded, [data-testid="stCode"], pre, code'));
  const hidden = icons.map((el) => [el, el.style.display]);
  for (const [el] of hidden) el.style.display = 'none';
  const parts = [document.body.innerText];
  for (const [el, display] of hidden) el.style.display = display;
  for (const el of document.querySelectorAll('[placeholder],[title]:not(iframe)')) {
    for (const name of ['placeholder', 'title']) {
      const value = el.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  for (const el of document.querySelectorAll('[role="columnheader"]')) parts.push(el.innerText);
  return parts.join('\\n');
}"""


@pytest.fixture(scope="module")
def data_values(bundled_store, tmp_path_factory) -> list[str]:
    """Every text the graph of the two bundled plans holds, longest first (so a name is taken out before
    a shorter name inside it)."""
    store = bundled_store.open_copy(tmp_path_factory.mktemp("language") / "g.lbdb")
    try:
        graph = store.to_networkx()
    finally:
        store.close()
    values: set[str] = set()

    def add(value: object) -> None:
        if isinstance(value, str):
            values.update(line.strip() for line in value.splitlines() if line.strip())
        elif isinstance(value, list | tuple):
            for item in value:
                add(item)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            values.add(str(value))

    for _, attributes in graph.nodes(data=True):
        for name, value in attributes.items():
            if name != "label":
                add(value)
    for _, _, attributes in graph.edges(data=True):
        for value in attributes.values():
            add(value)
    return sorted((v for v in values if len(v) > 1), key=len, reverse=True)


def cypher_names() -> set[str]:
    """What a researcher types in Cypher and the console and library show as such: the schema's labels,
    relationship types and properties, the named queries and their parameters, Cypher's keywords."""
    from graph import schema
    from queries.library import load_library

    names = set(CYPHER_KEYWORDS) | set(schema.NODES) | set(schema.RELATIONSHIPS)
    names |= {model.label for model in schema.BOOKKEEPING_MODELS}
    for model in (*schema.stored_models(), *schema.RELATIONSHIP_MODELS):
        names.update(model.model_fields)
    for query in load_library().values():
        names.update(re.split(r"[-_]", query.name))
        names.update(param.name for param in query.params)
    words = {part for name in names for part in re.split(r"[_\W]+", str(name)) if part}
    return {*names, *words}


CYPHER_KEYWORDS = ("MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "ORDER", "BY", "LIMIT", "SKIP", "AS", "DESC",
                   "ASC", "DISTINCT", "AND", "OR", "NOT", "IN", "IS", "NULL", "UNWIND", "CALL", "YIELD", "CASE",
                   "WHEN", "THEN", "ELSE", "END", "count", "collect", "size", "toLower", "coalesce", "exists")


def interface_text(page) -> str:
    texts = []
    for frame in page.frames:
        try:
            texts.append(frame.evaluate(GATHER_JS))
        except Exception:  # a frame that went away while we read: its words are read on the next page
            continue
    return "\n".join(texts)


def without_data(text: str, values: list[str]) -> str:
    """``text`` with every data value taken out (replaced by a space, so words on each side stay apart)."""
    present = [value for value in values if value in text]
    if not present:
        return text
    pattern = re.compile("|".join(re.escape(value) for value in present))
    return pattern.sub(" ", text)


def other_language_words(text: str, language: str) -> list[str]:
    """The words of the other language in ``text`` (data values already out)."""
    for name in LANGUAGE_NAMES:
        text = text.replace(name, " ")
    if language == "zh":
        allowed = {name.lower() for name in NAMES | KEYS | set(STREAMLIT_FIXED) | cypher_names()}
        found = [w for w in ENGLISH_WORD.findall(text) if w.lower() not in allowed]
    else:
        found = CHINESE.findall(text)
    return sorted(set(found))


def test_other_language_words_are_found_outside_data_values():
    values = ["鄂州市发展和改革委员会", "AI"]
    assert other_language_words(without_data("牵头 鄂州市发展和改革委员会 Lead units", values), "en") == ["牵头"]
    assert other_language_words(without_data("牵头单位 AI Choose an option CSV", values), "zh") == ["Choose", "an",
                                                                                                "option"]


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_a_page_shows_only_its_language_outside_data_values(page, app_server, data_values, name, language):
    path = "" if name == "network" else name  # the default page is served at / only (tests/test_browser.py)
    page.goto(app_server.url(f"/{path}?language={language}"), wait_until="domcontentloaded")
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    open_expanders(page)  # what a person opens is in their language too
    page.wait_for_timeout(1500)  # frames (drawings, components) fill themselves after the script ran
    values = [str(app_server.database), *data_values]  # the sidebar's store line names the database's path
    leaks = other_language_words(without_data(interface_text(page), values), language)
    assert leaks == [], f"{name} in {language}: {leaks}"
