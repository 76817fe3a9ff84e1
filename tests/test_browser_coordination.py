"""The Coordination page's diagram for meetings in a real browser: the picture shown is the PNG offered, a
link opens the view it says, choosing the view writes it to the link, nothing is fetched from outside.

One app server and one Chromium context for the module (tests/browser.py), on a copy of the store of the
two bundled plans.
"""

from __future__ import annotations

import struct
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

from explorer.i18n import translate
from tests.browser import (  # noqa: F401 - the *_fixture functions are pytest fixtures, used by name
    app_server_fixture,
    browser_context_fixture,
    chromium_fixture,
    exceptions_shown,
    open_page,
    page_fixture,
    settle,
    widget,
)

TIMEOUT = 120.0  # the first diagram of a store is drawn while the page waits


def t(key: str, **values: object) -> str:
    return translate(key, "zh", **values)


def picture(page) -> tuple[bytes, dict]:
    """The PNG the page shows, as its bytes, and its box on the screen."""
    image = page.locator('[data-testid="stMain"] [data-testid="stImage"] img').first
    source = image.get_attribute("src")
    return page.request.get(urljoin(page.url, source)).body(), image.bounding_box()


def test_a_link_opens_the_centred_view_and_the_picture_is_the_download(page, app_server):
    open_page(page, app_server, "coordination?coord-city=仙桃市&coord-mode=centred&coord-size=a4", timeout=TIMEOUT)
    assert exceptions_shown(page) == []
    shown, box = picture(page)
    assert shown[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", shown[16:24]) == (2338, 1654)  # A4
    main = page.locator('[data-testid="stMain"] [data-testid="stMainBlockContainer"]').bounding_box()
    assert box["width"] <= main["width"] and abs(box["width"] / box["height"] - 2338 / 1654) < 0.01  # fits, unstretched
    with page.expect_download() as download:
        page.get_by_role("button", name=t("coordination.download_png")).click()
    assert download.value.suggested_filename == "policykg-coordination.png"
    assert Path(download.value.path()).read_bytes() == shown


def test_choosing_the_view_writes_it_to_the_link(page, app_server):
    open_page(page, app_server, "coordination?coord-city=鄂州市", timeout=TIMEOUT)
    widget(page, "stRadio", t("coordination.mode")).get_by_text(t("coordination.diagram.mode.grouped")).click()
    settle(page, TIMEOUT)
    widget(page, "stRadio", t("coordination.group_by")).get_by_text(t("coordination.diagram.group_by.kind")).click()
    settle(page, TIMEOUT)
    assert exceptions_shown(page) == []
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"coord-city": ["鄂州市"], "coord-mode": ["grouped"], "coord-group": ["kind"]}


def test_nothing_is_fetched_from_outside(page, app_server, browser_context):
    open_page(page, app_server, "coordination", timeout=TIMEOUT)
    assert browser_context.watch.foreign() == []
    assert browser_context.watch.page_errors == []
