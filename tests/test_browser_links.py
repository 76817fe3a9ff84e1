"""A link reproduces the view: every page opened from a link in a fresh browser shows what it says (issue 13).

For each page a link names a view that differs from the page's first view (a city, a mode, a query, a
document …). It is opened in two fresh browser contexts (no cookies, no session: as a colleague opens
it): both show the same page, which is not the page without the link, and the page's own URL still
says the view after it ran. The sidebar's copy-link control holds that URL. How a choice made on a page
reaches its URL is tests/test_links.py (AppTest); here the whole round trip runs in Chromium.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests.browser import (  # noqa: F401 - the *_fixture functions are pytest fixtures, used by name
    VIEWPORT,
    app_server_fixture,
    browser_context_fixture,
    chromium_fixture,
    settle,
)

XIANTAO = "仙桃市"


@pytest.fixture(scope="module")
def xiantao_document(bundled_store, tmp_path_factory) -> str:
    """The id of 仙桃's plan, as a link to it on the Documents page names it."""
    store = bundled_store.open_copy(tmp_path_factory.mktemp("links") / "g.lbdb")
    try:
        [[doc_id]] = store.read_all("MATCH (d:Document) WHERE d.city = $city RETURN d.id", {"city": XIANTAO})
    finally:
        store.close()
    return doc_id


def views(xiantao_document: str) -> dict[str, dict[str, list[str]]]:
    """A view per page, as its link's parameters."""
    return {
        "network": {"net-cities": [XIANTAO], "net-depth": ["2"], "language": ["en"]},
        "agencies": {"agencies-cities": [XIANTAO]},
        "coordination": {"coord-city": [XIANTAO], "coord-mode": ["grouped"]},
        "console": {"console-text": ["MATCH (d:Document) RETURN d.title AS title"]},
        "library": {"library-query": ["targets-by-year"], "library-ran": ["1"]},
        "documents": {"doc-open": [xiantao_document]},
        "targets": {"targets-cities": [XIANTAO]},
        "review": {"review-kind": ["duplicate"]},  # the bundled plans have none: the page says so
    }


def page_path(name: str) -> str:
    return "/" if name == "network" else f"/{name}"  # the default page is served at / only


def open_view(browser, url: str) -> tuple[str, dict[str, list[str]], str]:
    """What a fresh browser shows at ``url``: the page's words (main area and every frame), the query
    parameters its URL has after the page ran, and the copy-link control's text."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector('[data-testid="stApp"]')
        settle(page)
        page.wait_for_timeout(1500)  # frames (drawings, the editor) fill themselves after the script ran
        settle(page)
        texts = [page.locator('[data-testid="stMain"]').inner_text()]
        for frame in page.frames[1:]:
            try:
                texts.append(frame.evaluate("() => document.body ? document.body.innerText : ''"))
            except Exception:  # a frame that went away while we read
                continue
        params = parse_qs(urlsplit(page.url).query)
        page.locator('[data-testid="stSidebar"] [data-testid="stPopover"] button').first.click()
        link = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').first.inner_text()
        return "\n".join(texts), params, link.strip()
    finally:
        context.close()


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright, chromium)
        try:
            yield launched
        finally:
            launched.close()


@pytest.mark.parametrize("name", ["network", "agencies", "coordination", "console", "library", "documents",
                                  "targets", "review"])
def test_a_link_opened_in_a_fresh_browser_shows_the_view_it_names(browser, app_server, xiantao_document, name):
    params = views(xiantao_document)[name]
    url = app_server.url(page_path(name)) + "?" + urlencode(params, doseq=True)
    first, kept, link = open_view(browser, url)
    second, _, _ = open_view(browser, url)
    plain, _, _ = open_view(browser, app_server.url(page_path(name)))
    assert kept == params  # the page says the view in its URL after running, nothing lost or added
    assert parse_qs(urlsplit(link).query) == params and link.startswith(app_server.url(page_path(name)))
    assert first == second
    assert first != plain
