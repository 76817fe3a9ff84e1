"""The console's Cypher editor in a real browser (tests/browser.py): typing, completion from the schema,
Ctrl+Enter, an error's place and the suggestion that fixes it, the schema panel, the history.

The editor is a custom component (explorer/components/cypher_editor): CodeMirror 6 in its own frame,
served by the app itself; the test checks that nothing is fetched from outside the machine.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from explorer.i18n import translate
from tests.browser import (  # noqa: F401 - the *_fixture functions are pytest fixtures, used by name
    app_server_fixture,
    browser_context_fixture,
    chromium_fixture,
    exceptions_shown,
    open_page,
    page_fixture,
    settle,
)

EDITOR_FRAME = 'iframe[title="explorer.components.cypher_editor.cypher_editor"]'


def t(key: str, **values) -> str:
    return translate(key, "zh", **values)


def main_area(page):
    return page.get_by_test_id("stMain")


def editor_frame(page):
    """The editor's frame, once CodeMirror is up in it."""
    page.wait_for_selector(EDITOR_FRAME, timeout=30_000)
    frame = page.frame_locator(EDITOR_FRAME)
    frame.locator(".cm-content").wait_for()
    return frame


def editor_text(page) -> str:
    frame = page.locator(EDITOR_FRAME).element_handle().content_frame()
    return frame.evaluate("() => window.policykgView.state.doc.toString()")


def clear_editor(page) -> None:
    frame = editor_frame(page)
    frame.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")


def offered(page, timeout: float = 10.0) -> list[str]:
    """The labels the completion offers, once it offers some."""
    options = editor_frame(page).locator(".cm-tooltip-autocomplete li .cm-completionLabel")
    options.first.wait_for(timeout=timeout * 1000)
    page.wait_for_timeout(200)  # the list settles as the typed word filters it
    return options.all_inner_texts()


def wait_for_text(page, wanted: str, timeout: float = 20.0) -> None:
    deadline = page.evaluate("() => Date.now()") + timeout * 1000
    while page.evaluate("() => Date.now()") < deadline:
        if editor_text(page) == wanted:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the editor holds {editor_text(page)!r}, not {wanted!r}")


@pytest.fixture
def console(page, app_server):
    open_page(page, app_server, "console")
    assert exceptions_shown(page) == []
    return page


def test_typing_a_label_is_completed_from_the_schema(console):
    clear_editor(console)
    console.keyboard.type("MATCH (a:Agen")
    assert offered(console) == ["Agency", "AgencyKind"]
    console.keyboard.press("Enter")  # takes the first
    assert editor_text(console) == "MATCH (a:Agency)"  # the bracket closed as it was opened
    console.keyboard.press("End")
    console.keyboard.type("-[r:LE")
    types = offered(console)
    assert types[0] == "LEADS" and "Agency" not in types  # relationship types inside [ ], the closest first
    console.keyboard.press("Escape")
    console.keyboard.press("End")
    console.keyboard.type("->(x) RETURN a.na")
    assert "name" in offered(console)  # Agency's properties after a.
    console.keyboard.press("Escape")
    console.keyboard.type("me, x.")
    every = offered(console)  # x has no label: every property of the schema
    assert "title" in every and "basis" in every


def test_ctrl_enter_runs_the_query(console):
    clear_editor(console)
    console.keyboard.insert_text("MATCH (a:Agency) WHERE a.city = '鄂州市' RETURN a.name AS name ORDER BY name LIMIT 4")
    console.keyboard.press("Control+Enter")
    main_area(console).get_by_text(t("app.rows_all", count=4), exact=True).wait_for()
    settle(console)
    assert "console-text=MATCH" in console.url  # the text is in the link


def test_the_run_button_runs_what_was_just_typed(console):
    clear_editor(console)
    console.keyboard.insert_text("MATCH (x:Action) WHERE x.city = '仙桃市' RETURN x.number AS n LIMIT 2")
    main_area(console).get_by_role("button", name=t("console.run"), exact=True).click()  # at once: no wait
    main_area(console).get_by_text(t("app.rows_all", count=2), exact=True).wait_for()


def test_an_error_shows_its_place_and_a_suggestion_that_fixes_it(console):
    clear_editor(console)
    query = "MATCH (a:Agncy)\nRETURN a.name AS name ORDER BY name LIMIT 3"
    console.keyboard.insert_text(query)
    console.keyboard.press("Control+Enter")
    alert = main_area(console).get_by_test_id("stAlert").filter(has_text="Agncy")
    alert.wait_for()
    settle(console)
    assert alert.inner_text().strip() == t("console.problem.unknown-label", name="Agncy")
    main_area(console).get_by_text(t("console.at", line=1, column=10), exact=True).wait_for()
    assert "MATCH (a:Agncy)\n         ^^^^^" in main_area(console).get_by_test_id("stCode").first.inner_text()
    underline = editor_frame(console).locator(".cm-lintRange-error")
    underline.wait_for()
    assert underline.inner_text() == "Agncy"  # the editor marks the place too
    main_area(console).get_by_role("button", name="Agency", exact=True).click()
    wait_for_text(console, query.replace("Agncy", "Agency"))
    main_area(console).get_by_text(t("app.rows_all", count=3), exact=True).wait_for()
    settle(console)
    assert main_area(console).get_by_test_id("stAlert").filter(has_text="Agncy").count() == 0


def test_a_name_clicked_in_the_schema_panel_is_inserted_at_the_cursor(console):
    clear_editor(console)
    console.keyboard.insert_text("MATCH ()-[:]->() RETURN count(*)")
    for _ in range(len("]->() RETURN count(*)")):
        console.keyboard.press("ArrowLeft")
    frame = editor_frame(console)
    frame.locator("#schema .chip", has_text="LEADS").first.click()
    assert editor_text(console) == "MATCH ()-[:LEADS]->() RETURN count(*)"
    for _ in range(len(")-[:LEADS")):  # the cursor stays after what was inserted: back into the ( )
        console.keyboard.press("ArrowLeft")
    frame.locator("#schema summary .chip", has_text="Agency").first.click()  # a label's name: inserted, not opened
    assert editor_text(console) == "MATCH (Agency)-[:LEADS]->() RETURN count(*)"
    assert frame.locator("#schema details[open]").count() == 0
    assert "alias_forms" in opened_properties(console, "Agency")


def opened_properties(page, label: str, timeout: float = 20.0) -> str:
    """The properties a label's entry of the schema panel lists once opened. The insertions above reach the
    app, whose rerun can redraw the panel closed (CI saw it), so it is opened again until it stays open."""
    settle(page)
    deadline = time.monotonic() + timeout
    while True:
        frame = editor_frame(page)
        try:
            frame.locator("#schema summary", has_text=label).first.locator("xpath=..").evaluate("d => d.open = true")
            return frame.locator("#schema details[open] .props").first.inner_text(timeout=2_000)
        except PlaywrightError:
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(200)


def test_a_query_of_the_history_loads_into_the_editor(console):
    clear_editor(console)
    first = "MATCH (x:Action) RETURN count(x) AS actions"
    console.keyboard.insert_text(first)
    console.keyboard.press("Control+Enter")
    main_area(console).get_by_text(t("app.rows_all", count=1), exact=True).wait_for()
    settle(console)
    clear_editor(console)
    console.keyboard.insert_text("RETURN 1 AS one")
    console.keyboard.press("Control+Enter")
    history = main_area(console).get_by_text(t("console.history", count=2))
    history.wait_for()  # the run the editor asked for has been made (settle alone may look before it starts)
    settle(console)
    history.click()
    main_area(console).get_by_role("button", name=f"{first} · {t('console.history_rows', count=1)}").click()
    wait_for_text(console, first)


def test_the_editor_fetches_nothing_from_outside(console, browser_context):
    editor_frame(console)
    assert browser_context.watch.foreign() == []
