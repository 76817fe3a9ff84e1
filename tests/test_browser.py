"""The explorer end to end, in a real browser: `streamlit run app.py` on 127.0.0.1 driven by Chromium.

One app server and one browser context for the module (tests/browser.py); the tests run in file
order against the same graph: the two bundled plans (a copy of the session's store of them, what
the app loads on first use), then an uploaded plan, then a hostile one. Interface words come from
data/ui/*.toml (Chinese, the default language), so a change of wording does not break the tests.

``POLICYKG_SCREENSHOTS=1 python -m pytest tests/test_browser.py`` also writes
docs/screenshots/<page>.png (1400×900).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path

import pytest

from explorer.i18n import translate
from tests.browser import (  # noqa: F401 - the *_fixture functions are pytest fixtures, used by name
    PAGES,
    all_frames_text,
    app_server_fixture,
    browser_context_fixture,
    canvas_ink,
    choose,
    chromium_fixture,
    exceptions_shown,
    grid_headers,
    grid_rows,
    network_frame,
    network_value,
    open_page,
    page_fixture,
    screenshot,
    settle,
    type_cypher,
    type_into,
    visible_network_frames,
    wait_network_ready,
    widget,
)
from views.draw import CORRECTED_STYLE, NODE_STYLES

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
MARKDOWN = "**x** [l](http://evil.example)"
HOSTILE_TITLE = f"测试市{SCRIPT}{IMG}方案"
HOSTILE_LEAD = f"测试市{IMG}局"
HOSTILE_LEAD_NAME = HOSTILE_LEAD.replace(" ", "")  # its canonical name: whitespace inside a name is a line wrap
HOSTILE_UNIT = f"测试市{SCRIPT}办"
HOSTILE_PLAN = f"""{HOSTILE_TITLE}
为加快发展人工智能产业，制定本方案。
一、重点任务
1. 建设{MARKDOWN}算力平台。推进{SCRIPT}项目建设，到2026年建成机架100个。\
（牵头单位：{HOSTILE_LEAD}；责任单位：测试市科技局、{HOSTILE_UNIT}）
2. 培育**x**企业。引进[l](http://evil.example)企业10家。（牵头单位：测试市经信局；责任单位：测试市**x**中心）
二、保障措施
1. 加强组织领导。（责任单位：测试市发改委）
"""
SMALL_TITLE = "黄石市人工智能产业发展行动方案"
SMALL_PLAN = f"""{SMALL_TITLE}
为推进人工智能产业发展，制定本方案。
一、重点任务
1. 建设智能算力中心。到2026年建成算力规模500P。（牵头单位：市科技局；责任单位：市经信局、市发改委）
2. 培育人工智能企业。引进人工智能企业20家。（牵头单位：市经信局；责任单位：市商务局）
二、保障措施
1. 加强组织领导。（责任单位：市发改委）
"""
AGENCY = NODE_STYLES["Agency"]["zh"]  # how the Network page names the type in its node lists
LEADS_QUERY = ("MATCH (a:Agency)-[:LEADS]->(x:Action) RETURN a.name AS agency, count(x) AS leads "
               "ORDER BY leads DESC, agency LIMIT 5")


def t(key: str, **values: object) -> str:
    """Interface words in Chinese, the app's default language."""
    return translate(key, "zh", **values)


def url_of(name: str) -> str:
    """The path a page is served at: the default page (Network) is the app's root.

    Streamlit serves the default page at / only: /network shows its "Page not found" dialog.
    """
    return "" if name == "network" else name


def main_area(page):
    return page.locator('[data-testid="stMain"]')


@pytest.fixture(scope="module")
def reference(tmp_path_factory, bundled_store):
    """The two bundled plans in a store of our own, to know what the app should show."""
    store = bundled_store.open_copy(tmp_path_factory.mktemp("reference") / "graph.lbdb")
    yield store
    store.close()


@pytest.fixture(scope="module")
def plans(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("plans")
    files = {"small": folder / "huangshi-ai-plan.txt", "hostile": folder / "hostile-plan.txt"}
    files["small"].write_text(SMALL_PLAN, encoding="utf-8")
    files["hostile"].write_text(HOSTILE_PLAN, encoding="utf-8")
    return files


def visit(page, server, name: str) -> None:
    """Open a page; it must run without an exception box and without Streamlit's 'Page not found'."""
    open_page(page, server, url_of(name))
    assert exceptions_shown(page) == [], f"{name}: the page script failed"
    assert page.get_by_text("Page not found").count() == 0, f"{name}: Streamlit does not know /{url_of(name)}"


def upload(page, server, path: Path) -> None:
    """Upload a plan on the Documents page and add it to the graph."""
    visit(page, server, "documents")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    add = page.get_by_role("button", name=t("documents.add"), exact=True)
    add.wait_for(timeout=30_000)
    settle(page)
    add.click()
    settle(page)


# --------------------------------------------------------------------------------------------- tests

def test_network_canvas_draws(page, app_server):
    visit(page, app_server, "network")
    frame = network_frame(page)
    wait_network_ready(frame)
    ink = canvas_ink(frame)
    assert ink is not None, "no canvas in the network frame"
    assert ink["width"] > 300 and ink["height"] > 300, ink
    assert ink["painted"] > 2000 and ink["colors"] >= 5, f"the canvas is (nearly) blank: {ink}"
    drawn = frame.evaluate("() => window.policykg.nodes.length")
    shown = main_area(page).get_by_test_id("stMetric").filter(has_text=t("network.nodes")).first
    assert shown.get_by_test_id("stMetricValue").inner_text().strip() == str(drawn)
    assert drawn > 50


def test_search_centres_an_agency(page, app_server):
    visit(page, app_server, "network")
    type_into(page, t("network.search"), "鄂州市科技局")
    choose(page, t("network.matches"), f"鄂州市科技局 · {AGENCY}")
    centred = t("network.centred_on", name="鄂州市科技局", hops=1)
    main_area(page).get_by_text(centred, exact=True).wait_for()
    state = network_value(page, """(id) => {
      const n = window.policykg.network;
      if (n.getSelectedNodes()[0] !== id) { return null; }
      const at = n.getPosition(id), view = n.getViewPosition();
      return {selected: n.getSelectedNodes(), info: document.getElementById("policykg-info").textContent,
              off: Math.hypot(at.x - view.x, at.y - view.y) * n.getScale()};
    }""", "鄂州市科技局")
    assert state["selected"] == ["鄂州市科技局"]
    assert "鄂州市科技局" in state["info"].splitlines()[1], state["info"]
    assert state["off"] < 5, f"the view is {state['off']:.0f} px from the agency"
    details = re.compile(re.escape(t("network.relations", count=0)).replace("0", r"\d+"))
    main_area(page).get_by_text(details).wait_for()  # the details of the chosen node


def test_every_page_renders(page, app_server):
    for name in PAGES:
        visit(page, app_server, name)
        assert main_area(page).locator("h1").count() >= 1, f"{name}: no title"
        page.wait_for_timeout(1000)  # drawings are frames that fill themselves after the script ran
        for index, frame in enumerate(visible_network_frames(page)):
            wait_network_ready(frame)
            ink = canvas_ink(frame)
            assert ink and ink["painted"] > 500, f"{name}: network {index} not drawn: {ink}"
        page.wait_for_timeout(500)  # charts and images finish drawing
        screenshot(page, name)


def test_cypher_query_shows_rows(page, app_server, reference):
    expected = [[str(value) for value in row] for row in reference.run_read(LEADS_QUERY).rows]
    visit(page, app_server, "console")
    type_cypher(page, LEADS_QUERY)
    page.get_by_role("button", name=t("console.run"), exact=True).click()
    main_area(page).get_by_text(t("app.rows_all", count=len(expected)), exact=True).wait_for()
    settle(page)
    table = main_area(page).get_by_test_id("stDataFrame").first
    assert grid_headers(table) == ["agency", "leads"]
    assert grid_rows(table) == expected
    assert expected[0][0] in ("仙桃市科技局", "鄂州市科技局")
    screenshot(page, "console")  # with results, in place of the empty console of test_every_page_renders


def test_csv_download(page, app_server, reference):
    expected = reference.run_read(LEADS_QUERY)
    visit(page, app_server, "console")
    type_cypher(page, LEADS_QUERY)
    page.get_by_role("button", name=t("console.run"), exact=True).click()
    button = main_area(page).get_by_test_id("stDownloadButton").filter(has_text="CSV").first
    button.wait_for()
    settle(page)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without a BOM opens garbled in Excel"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == expected.columns
    assert rows[1:] == [[str(value) for value in row] for row in expected.rows]


def test_upload_adds_a_document(page, app_server, plans):
    upload(page, app_server, plans["small"])
    success = main_area(page).get_by_test_id("stAlertContentSuccess")
    success.wait_for()
    assert "huangshi-ai-plan.txt" in success.inner_text().replace("\\", "")
    visit(page, app_server, "documents")  # a fresh session sees it too
    main_area(page).get_by_text(t("documents.count_loaded", count=3), exact=True).wait_for()
    table = main_area(page).get_by_test_id("stDataFrame").first
    rows = grid_rows(table)
    assert len(rows) == 3
    assert any(SMALL_TITLE in row for row in rows), rows
    with page.expect_download() as info:
        main_area(page).get_by_test_id("stDownloadButton").filter(has_text="CSV").first.click()
    listed = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(listed) == 3
    documents = {row[t("documents.column.document")] for row in listed}
    assert documents >= {"huangshi-ai-plan.txt", "ezhou-ai-action-plan.txt", "xiantao-ai-action-plan-2025-2027.txt"}


INERT_JS = """() => ({
  images: document.querySelectorAll('img[src="x"], img[onerror]').length,
  links: document.querySelectorAll('a[href*="evil.example"]').length,
  scripts: Array.from(document.scripts).filter((s) => (!s.type || /javascript|module/.test(s.type))
                                                && s.textContent.includes("alert(1)")).length,
  bold: Array.from(document.querySelectorAll("strong, b, em")).filter((e) => e.textContent.trim() === "x").length,
})"""


def test_hostile_document_stays_inert(page, app_server, plans, browser_context):
    watch = browser_context.watch
    upload(page, app_server, plans["hostile"])
    main_area(page).get_by_test_id("stAlertContentSuccess").wait_for()
    seen = []
    for name in PAGES:
        visit(page, app_server, name)
        if name == "network":  # centre on the hostile unit: its name goes into the frame's details panel
            type_into(page, t("network.search"), "测试市")
            choose(page, t("network.matches"), f"{HOSTILE_LEAD_NAME} · {AGENCY}")
            info = network_value(page, """(name) => {
              const text = document.getElementById("policykg-info").textContent;
              return text.includes(name) ? text : null;
            }""", HOSTILE_LEAD_NAME)
            assert HOSTILE_LEAD_NAME in info.splitlines()[1]  # the name, as text, in the details panel
        if name == "documents":  # read the hostile plan: its text, escaped, with its spans marked
            choose(page, t("documents.which"), HOSTILE_TITLE)
        page.wait_for_timeout(300)  # an injected image would fail to load and fire onerror by now
        for frame in page.frames:
            found = frame.evaluate(INERT_JS)
            assert found == {"images": 0, "links": 0, "scripts": 0, "bold": 0}, f"{name} ({frame.url[:40]}): {found}"
        seen.append(all_frames_text(page))
    shown = "\n".join(seen)
    for text in (SCRIPT, IMG, HOSTILE_TITLE, HOSTILE_LEAD, MARKDOWN):
        assert text in shown, f"{text!r} is not shown as text anywhere"
    assert watch.dialogs == [], f"a dialog fired: {watch.dialogs}"
    assert not [url for url in watch.requests if url.rstrip("/").endswith("/x")], "an injected <img src=x> loaded"


def test_correcting_a_lead_on_the_network_page_changes_the_network_and_the_matrix(page, app_server, tmp_path):
    """仙桃 （一）'s note names 市发改委 as its lead; a person sets 市科技局 instead, from the action's details."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    visit(page, app_server, "network")
    choose(page, t("network.node"), f"（一） 强化规划引领 · {NODE_STYLES['Action']['zh']}")
    main_area(page).get_by_text(t("edit.title"), exact=True).click()  # open the edit
    leads = widget(page, "stMultiSelect", t("edit.leads"))
    leads.wait_for()
    leads.get_by_role("button", name="Clear all").click()
    chosen = leads.locator("[data-tag] span[title]")
    for _ in range(5):  # the list re-renders as it filters and fades in: pick the option once it holds still
        leads.locator("input").click()
        leads.locator("input").fill("仙桃市科技局")
        option = page.get_by_role("option", name="仙桃市科技局", exact=True)
        option.wait_for()
        page.wait_for_timeout(400)
        with contextlib.suppress(PlaywrightTimeout):
            option.click(timeout=3_000)
        page.keyboard.press("Escape")
        if set(chosen.all_inner_texts()) == {"仙桃市科技局"}:
            break
    assert set(chosen.all_inner_texts()) == {"仙桃市科技局"}
    widget(page, "stTextInput", t("edit.why")).locator("input").fill("the annex names 市科技局 as the lead")
    widget(page, "stTextInput", t("edit.who")).locator("input").fill("browser")
    main_area(page).get_by_role("button", name=t("edit.submit"), exact=True).click()
    settle(page)
    success = main_area(page).get_by_test_id("stAlertContentSuccess")
    success.wait_for()
    assert "牵头: 仙桃市科技局" in success.inner_text().replace("\\", "")
    assert exceptions_shown(page) == []
    # the network is drawn again: the lead from 市科技局 in the corrected colour, 市发改委's lead gone
    drawn = network_value(page, """(colour) => {
      const all = window.policykg.edges.get();
      const marked = all.filter((e) => e.color.color === colour).map((e) => [e.from, e.to]);
      return marked.length ? {marked: marked, leads: all.filter((e) => e.to === "d33d9538d1cc5e95-a001"
                                 && e.type === "LEADS").map((e) => e.from)} : null;
    }""", CORRECTED_STYLE["color"])
    assert drawn == {"marked": [["仙桃市科技局", "d33d9538d1cc5e95-a001"]], "leads": ["仙桃市科技局"]}
    legend = network_value(page, """() => Array.from(document.querySelectorAll('li[data-variant="corrected"]'))
      .map((li) => li.textContent.trim())""")
    assert legend == ["牵头（人工更正） leads (corrected)"]
    network_value(page, """() => { window.policykg.network.focus("d33d9538d1cc5e95-a001", {scale: 1.6});
                                   return true; }""")  # for the screenshot: the corrected lead in the middle
    main_area(page).locator("iframe").first.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "network-corrected.png"))
    # the matrix, with only corrected roles: one unit, one action, marked; then the units involved in it
    visit(page, app_server, "agencies")
    main_area(page).get_by_text(t("agencies.only_corrected"), exact=True).click()
    settle(page)
    table = main_area(page).get_by_test_id("stDataFrame").first
    assert grid_headers(table)[-1] == "（一）"
    assert grid_rows(table) == [["仙桃市科技局", "政府部门", "", "1", "0", "1", "L✎"],
                                [t("agencies.units_involved"), "", "", "", "", "", "1"]]
    page.screenshot(path=str(tmp_path / "matrix-corrected.png"))


def test_no_request_leaves_the_machine(page, app_server, browser_context):
    watch = browser_context.watch
    if watch.pages < 5:  # run alone: visit every page first
        for name in PAGES:
            visit(page, app_server, name)
    assert len(watch.requests) > 50, watch.requests
    problems = {"requests that left 127.0.0.1": watch.foreign(), "dialogs": watch.dialogs,
                "uncaught errors in the pages": watch.page_errors}
    problems = {what: found for what, found in problems.items() if found}
    assert problems == {}
