"""The Network page's drawing in a real browser: clicks and double clicks tell the page, the fit control,
tooltips in both languages, labels at overview zoom, a rerun that keeps the drawing, nothing fetched.

One app server and one Chromium context for the module (tests/browser.py), on a copy of the store of the
two bundled plans. The drawing is the explorer.components.network_view component: its frame holds
``#policykg-network`` (``data-state="ready"`` once laid out) and ``window.policykg``.
"""

from __future__ import annotations

import re

import pytest

from explorer.i18n import translate
from tests.browser import (  # noqa: F401 - the *_fixture functions are pytest fixtures, used by name
    app_server_fixture,
    browser_context_fixture,
    chromium_fixture,
    exceptions_shown,
    network_frame,
    network_value,
    open_page,
    page_fixture,
    settle,
    wait_network_ready,
    widget,
)
from views.draw import NODE_STYLES

EZHOU_KJ = "鄂州市科技局"
EZHOU_A002 = "5ebd749b5b99f815-a002"  # 2. 发挥核心区引领带动, led by 鄂州市科技局
COMPONENT = 'iframe[title="explorer.components.network_view.network_view"]'

#: where a node is on the screen (page coordinates), given the frame's offset in the page
NODE_AT = """(id) => { const n = window.policykg.network; const p = n.canvasToDOM(n.getPosition(id));
  const r = document.getElementById("policykg-network").getBoundingClientRect();
  return {x: p.x + r.left, y: p.y + r.top}; }"""
#: every node's box inside the canvas (DOM px), and how far the view's centre is from a node
FITS = """(id) => { const n = window.policykg.network, c = document.getElementById("policykg-network");
  const out = window.policykg.nodes.getIds().filter((other) => { const b = n.getBoundingBox(other);
    const a = n.canvasToDOM({x: b.left, y: b.top}), z = n.canvasToDOM({x: b.right, y: b.bottom});
    return a.x < -1 || a.y < -1 || z.x > c.clientWidth + 1 || z.y > c.clientHeight + 1; });
  const off = id === null ? null : (() => { const at = n.getPosition(id), v = n.getViewPosition();
    return Math.hypot(at.x - v.x, at.y - v.y) * n.getScale(); })();
  return {outside: out, off: off, nodes: window.policykg.nodes.length, scale: n.getScale(),
          selected: n.getSelectedNodes()}; }"""


def t(key: str, **values: object) -> str:
    return translate(key, "zh", **values)


def main_area(page):
    return page.locator('[data-testid="stMain"]')


def open_network(page, server, query: str = "") -> object:
    """The Network page (the app's root), laid out; returns the drawing's frame."""
    open_page(page, server, "" + (f"?{query}" if query else ""))
    assert exceptions_shown(page) == []
    frame = network_frame(page)
    wait_network_ready(frame)
    page.locator(COMPONENT).scroll_into_view_if_needed()
    return frame


def on_screen(page, frame, node: str) -> tuple[float, float]:
    box = page.locator(COMPONENT).bounding_box()
    at = frame.evaluate(NODE_AT, node)
    return box["x"] + at["x"], box["y"] + at["y"]


def detail_shown(page) -> str:
    """The option shown in the details section's node selectbox."""
    return widget(page, "stSelectbox", t("network.node")).locator("input").input_value()


def test_clicking_a_node_shows_it_in_the_details_with_its_source_sentences(page, app_server, tmp_path):
    frame = open_network(page, app_server)
    x, y = on_screen(page, frame, EZHOU_KJ)
    page.mouse.click(x, y)
    main_area(page).get_by_text(t("network.relations", count=11), exact=True).wait_for()
    settle(page)
    assert detail_shown(page) == f"{EZHOU_KJ} · {NODE_STYLES['Agency']['zh']}"
    sources = main_area(page).locator(".pk-sources")
    assert "（责任单位：市科技局，各区人民政府）" in sources.inner_text()
    assert sources.locator("mark").first.inner_text() == "市科技局"
    assert "net-detail=" in page.url and "net-centre" not in page.url  # a click shows, it does not re-centre
    info = network_value(page, """() => document.getElementById("policykg-info").textContent""")
    assert info.splitlines()[:2] == [NODE_STYLES["Agency"]["zh"], EZHOU_KJ]
    page.screenshot(path=str(tmp_path / "network-clicked.png"), full_page=True)


def test_a_rerun_with_the_same_data_keeps_the_drawing_as_it_was(page, app_server):
    frame = open_network(page, app_server)
    frame.evaluate("() => { window.__kept = window.policykg.network; }")
    before = frame.evaluate("() => window.policykg.network.getPositions()")
    x, y = on_screen(page, frame, EZHOU_KJ)
    page.mouse.click(x, y)  # the page reruns with the same view
    main_area(page).get_by_text(t("network.relations", count=11), exact=True).wait_for()
    settle(page)
    same = network_frame(page)
    assert same.evaluate("() => window.__kept === window.policykg.network")  # the same frame, the same vis instance
    assert same.evaluate("() => window.policykg.network.getPositions()") == before  # not laid out again
    assert same.evaluate("() => window.policykg.network.getSelectedNodes()") == [EZHOU_KJ]


def test_clicking_a_relationship_shows_its_ends_type_basis_and_sentence(page, app_server):
    frame = open_network(page, app_server, f"net-centre={EZHOU_KJ}")
    point = frame.evaluate("""([from, to]) => { const n = window.policykg.network;
      const id = window.policykg.edges.getIds({filter: (e) => e.from === from && e.to === to})[0];
      const mid = n.canvasToDOM(n.body.edges[id].edgeType.getPoint(0.5));  // the middle of the drawn curve
      const r = document.getElementById("policykg-network").getBoundingClientRect();
      const edge = window.policykg.edges.get(n.getEdgeAt(mid));
      return {x: mid.x + r.left, y: mid.y + r.top, ends: edge && edge.ends, node: n.getNodeAt(mid) || null}; }""",
                           [EZHOU_KJ, EZHOU_A002])
    assert point["ends"] == [EZHOU_KJ, EZHOU_A002, "LEADS"] and point["node"] is None
    box = page.locator(COMPONENT).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    ends = f"{EZHOU_KJ}（机构）→ 2. 发挥核心区引领带动（行动）"
    main_area(page).get_by_text(ends, exact=True).wait_for()
    settle(page)
    quote = main_area(page).locator(".pk-sources").first  # the relationship's, above the node's details
    assert quote.inner_text().strip().splitlines() == [
        "2. 发挥核心区引领带动 · 牵头", "（责任单位：市科技局，各区人民政府）"]
    assert quote.locator("mark").all_inner_texts() == ["市科技局"]


def test_double_clicking_a_node_centres_the_view_on_it_and_fits_the_frame(page, app_server, tmp_path):
    frame = open_network(page, app_server)
    x, y = on_screen(page, frame, EZHOU_KJ)
    page.mouse.dblclick(x, y)
    main_area(page).get_by_text(t("network.centred_on", name=EZHOU_KJ, hops=1), exact=True).wait_for()
    settle(page)
    assert "net-centre=" in page.url  # the link says the new centre
    state = network_value(page, f"(id) => {{ const s = ({FITS})(id); return s.nodes === 11 ? s : null; }}", EZHOU_KJ)
    assert state["selected"] == [EZHOU_KJ]
    assert state["off"] < 5, f"the view is {state['off']:.0f} px from the node"
    assert state["outside"] == [], f"nodes outside the frame: {state['outside']}"
    assert detail_shown(page) == f"{EZHOU_KJ} · {NODE_STYLES['Agency']['zh']}"
    page.locator(COMPONENT).scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "network-centred.png"))


def test_the_fit_control_brings_every_node_back_into_view(page, app_server):
    frame = open_network(page, app_server)
    frame.evaluate("() => window.policykg.network.moveTo({scale: 4, animation: false})")
    assert frame.evaluate(FITS, None)["outside"], "zoomed in, some nodes should be outside"
    frame.get_by_role("button", name=t("network.view.fit"), exact=True).click()
    state = frame.evaluate(FITS, None)
    assert state["outside"] == [] and state["nodes"] == 160


def test_the_most_connected_nodes_keep_a_readable_label_at_overview_zoom(page, app_server):
    frame = open_network(page, app_server)
    sizes = frame.evaluate("""() => { const n = window.policykg.network, scale = n.getScale();
      const hubs = window.policykg.nodes.get({filter: (x) => x.hub});
      const others = window.policykg.nodes.get({filter: (x) => !x.hub});
      return {scale: scale, hubs: hubs.map((x) => x.font.size * scale), count: hubs.length,
              others: others.map((x) => (x.font.size || 14) * scale)}; }""")
    assert sizes["count"] == 15 and sizes["scale"] < 0.7  # the whole network: zoomed out
    assert min(sizes["hubs"]) >= 11.9, sizes["hubs"]  # drawn at 12 px or more on the screen
    assert max(sizes["others"]) < 12  # the rest as vis-network scales them


@pytest.mark.parametrize("language", ["zh", "en"])
def test_tooltips_are_short_and_in_the_chosen_language(page, app_server, tmp_path, language):
    open_network(page, app_server, f"language={language}&net-centre={EZHOU_KJ}")
    network_value(page, "() => window.policykg.nodes.length === 11")
    x, y = on_screen(page, network_frame(page), EZHOU_KJ)
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y)
    tooltip = network_frame(page).locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    lines = tooltip.inner_text().strip().splitlines()
    expected = {"zh": ["机构", EZHOU_KJ, "类别：科技局", "城市：鄂州市", "牵头 5 · 负责 5"],
                "en": ["Agency", EZHOU_KJ, "Kind: 科技局", "City: 鄂州市", "leads 5 · responsible for 5"]}
    assert lines == expected[language]
    legend = network_frame(page).locator(".legend").inner_text()
    if language == "en":
        assert "Legend" in legend and not re.search(r"[\u4e00-\u9fff]", legend)
        assert network_frame(page).get_by_role("button").inner_text().strip() == "Fit to view"
    else:
        assert "图例" in legend and not re.search(r"[A-Za-z]", legend)
    page.screenshot(path=str(tmp_path / f"network-tooltip-{language}.png"))


def test_an_action_opens_in_the_document_reader(page, app_server):
    open_network(page, app_server, f"net-detail={EZHOU_A002}")
    button = main_area(page).get_by_role("button", name=t("network.open_reader"))
    button.click()
    # the Documents page, opened at the action: its link says the document and the action
    page.wait_for_url(re.compile(rf"/documents\?.*doc-action={EZHOU_A002}"), timeout=30_000)
    settle(page)
    assert "doc-open=5ebd749b5b99f815" in page.url
    assert exceptions_shown(page) == []


def test_the_drawing_fetches_nothing_from_outside_the_machine(page, app_server, browser_context):
    """Across this module's pages (and one more visit, so that it holds on its own too)."""
    open_network(page, app_server)
    watch = browser_context.watch
    assert any("/component/explorer.components.network_view.network_view/vis-network.min.js" in url
               for url in watch.requests)
    assert watch.foreign() == []
    assert watch.page_errors == []
