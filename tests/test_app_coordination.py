"""The Coordination diagram page in Streamlit's AppTest: counts, ranking, exports, languages, safety.

Each test starts the app on a fresh embedded store (the app loads the two bundled plans on first start),
with Streamlit's caches cleared so no store or diagram from another test is reused.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import APP, BOLD, IMG, LINK, SCRIPT, open_page, store_holding

PAGE = "explorer/pages/coordination.py"
INTERACTIVE_KEY = "coord-interactive"  # the page's INTERACTIVE_KEY (importing a page would run it)

EVIL_PLAN = f"""{SCRIPT}人工智能{IMG}行动方案
一、重点任务
1.建设{SCRIPT}产业园。（牵头单位：市{SCRIPT}局；责任单位：市科技局、{LINK}办公室、{BOLD}中心）
2.推进{BOLD}应用。（责任单位：市{IMG}局、市经信局、市{SCRIPT}局）
"""


def open_coordination() -> AppTest:
    """The page with its interactive view's section open (closed, the view is not drawn at all)."""
    at = open_page(PAGE)
    at.session_state[INTERACTIVE_KEY] = True
    return at.run()


@pytest.fixture
def coordination(store_path) -> AppTest:
    return open_coordination()


def metrics(at: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def ranking(at: AppTest):
    (frame,) = at.dataframe
    return frame.value


def test_all_cities_show_59_agencies_191_links_in_4_communities(coordination):
    # 7 Louvain communities, 3 of them a single agency alone on its actions: 4 groups that work together
    assert metrics(coordination) == {"机构": "59", "协作关系": "191", "协作社群（≥2 个机构）": "4"}
    assert coordination.title[0].value == "机构协作图"
    assert coordination.selectbox(key="coord-city").value == ""
    assert coordination.selectbox(key="coord-city").options == ["全部城市", "仙桃市", "鄂州市"]
    table = ranking(coordination)
    assert len(table) == 59 and table.iloc[0]["机构"] == "仙桃市经信局"
    (frame,) = coordination.get("iframe")  # the interactive view, below the picture
    page = frame.proto.srcdoc
    # 仙桃市教育局, 仙桃市文旅局 and 仙桃职业学院 are alone on their actions: ranked, not drawn
    assert "节点 56 · 关系 191" in page and '<span class="zh">共同行动</span>' in page
    assert "仙桃市教育局" not in page and "仙桃市教育局" in set(table["机构"])
    coordination.checkbox(key="coord-hide").uncheck().run()
    assert "节点 59 · 关系 191" in coordination.get("iframe")[0].proto.srcdoc


def test_the_interactive_view_is_drawn_only_while_its_section_is_open(store_path):
    at = open_page(PAGE)
    assert at.get("iframe") == [] and at.expander[-1].label == "交互视图（可拖动、缩放、悬停查看）"
    at.session_state[INTERACTIVE_KEY] = True
    assert len(at.run().get("iframe")) == 1


def test_ranking_for_xiantao_starts_with_the_economy_and_information_bureau(coordination):
    coordination.selectbox(key="coord-city").set_value("仙桃市").run()
    assert not coordination.exception
    assert metrics(coordination) == {"机构": "34", "协作关系": "103", "协作社群（≥2 个机构）": "3"}
    table = ranking(coordination)
    assert list(table.columns) == ["机构", "城市", "牵头", "明确牵头", "负责", "配合", "协作机构数", "共同行动数",
                                   "度中心性", "中介中心性", "社群"]
    first = table.iloc[0]
    assert (first["机构"], first["牵头"], first["明确牵头"], first["负责"]) == ("仙桃市经信局", 6, 6, 11)
    assert table.iloc[1]["机构"] == "仙桃市科技局"
    assert set(table["城市"]) == {"仙桃市"}


def test_document_filter_matches_its_city_and_minimum_weight_drops_weak_links(coordination):
    coordination.multiselect(key="coord-docs").set_value(["5ebd749b5b99f815"]).run()  # the 鄂州 plan
    assert metrics(coordination)["机构"] == "25" and metrics(coordination)["协作关系"] == "88"
    assert set(ranking(coordination)["城市"]) == {"鄂州市"}
    coordination.slider(key="coord-min").set_value(3).run()
    assert metrics(coordination) == {"机构": "25", "协作关系": "12", "协作社群（≥2 个机构）": "2"}
    coordination.slider(key="coord-min").set_value(5).run()
    assert not coordination.exception
    assert metrics(coordination)["协作关系"] == "7"
    assert metrics(coordination)["机构"] == "25"  # the ranking still lists every agency
    assert "节点 5 · 关系 7" in coordination.get("iframe")[0].proto.srcdoc  # the 20 without links are not drawn


def test_png_svg_pptx_html_and_csv_downloads(coordination, downloads):
    coordination.selectbox(key="coord-city").set_value("仙桃市").run()
    labels = [button.label for button in coordination.get("download_button")]
    assert labels == ["PNG 图片", "SVG 矢量图", "PowerPoint 幻灯片", "HTML 交互图", "CSV", "JSON"]
    assert downloads["policykg-coordination.png"][:8] == b"\x89PNG\r\n\x1a\n"
    svg = downloads["policykg-coordination.svg"].decode("utf-8")
    assert "<svg" in svg and ">仙桃市 · 机构协作网络</text>" in svg and ">经信局</text>" in svg
    assert downloads["policykg-coordination.pptx"][:2] == b"PK"
    page = downloads["policykg-coordination.html"].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "仙桃市经信局" in page and "鄂州市" not in page
    assert "机构协作网络 · 仙桃市" in page
    rows = list(csv.reader(io.StringIO(downloads["policykg-coordination-ranking.csv"].decode("utf-8-sig"))))
    assert rows[0][0] == "机构" and rows[1][:2] == ["仙桃市经信局", "仙桃市"] and len(rows) == 35
    assert json.loads(downloads["policykg-coordination-ranking.json"])["rows"][0][0] == "仙桃市经信局"


def test_english_switch_changes_the_words(coordination):
    coordination.sidebar.radio[0].set_value("en").run()
    assert not coordination.exception
    assert coordination.title[0].value == "Coordination diagram"
    assert metrics(coordination) == {"Agencies": "59", "Links": "191", "Communities (2+ agencies)": "4"}
    assert list(ranking(coordination).columns)[:3] == ["Agency", "City", "Leads"]
    assert coordination.selectbox(key="coord-city").options[0] == "All cities"
    assert [b.label for b in coordination.get("download_button")][:4] == ["PNG image", "SVG vector", "PowerPoint slide",
                                                                            "HTML interactive"]


def test_switching_language_keeps_the_chosen_city(coordination):
    coordination.selectbox(key="coord-city").set_value("仙桃市").run()
    for language in ("en", "zh", "en"):
        coordination.sidebar.radio[0].set_value(language).run()
        assert not coordination.exception
        assert coordination.selectbox(key="coord-city").value == "仙桃市"
        assert list(metrics(coordination).values())[:2] == ["34", "103"]
    coordination.selectbox(key="coord-city").set_value("").run()
    assert coordination.selectbox(key="coord-city").value == ""
    assert list(metrics(coordination).values())[:2] == ["59", "191"]


@pytest.fixture
def evil_store(store_path) -> Path:
    return store_holding(store_path, EVIL_PLAN, f"{IMG}.txt")


def test_malicious_agency_names_stay_inert_on_the_coordination_page(evil_store, downloads):
    at = open_coordination()
    assert not at.exception
    names = set(ranking(at)["机构"])
    assert f"市{SCRIPT}局" in names and f"{LINK}办公室" in names  # shown, as plain text in the table
    markdown_like = [*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.info, *at.warning,
                     *at.error, *at.success, *at.toast]
    for element in markdown_like:
        for payload in (SCRIPT, IMG, BOLD, LINK, "alert(1)"):
            assert payload not in element.value, (element.type, element.value)
    bodies = [element.proto.body for element in at.get("html")]
    assert bodies and all("<script" not in body and "<img" not in body for body in bodies)
    assert any("市&lt;script&gt;alert(1)&lt;/script&gt;局" in body for body in bodies)
    for page in [*(frame.proto.srcdoc for frame in at.get("iframe")),
                 downloads["policykg-coordination.html"].decode("utf-8")]:
        assert SCRIPT not in page and IMG not in page
        assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert downloads["policykg-coordination.png"][:4] == b"\x89PNG"
    assert "<script" not in downloads["policykg-coordination.svg"].decode("utf-8")


@pytest.fixture
def corrected_lead(store_path) -> str:
    """The app's store with one correction: 仙桃 （一） led by 市科技局 (the note names 市发改委). Its id."""
    from graph.corrections import record
    from graph.embedded import EmbeddedStore
    from queries.corrections import make_correction

    store = EmbeddedStore(store_path)
    try:
        correction = make_correction(store, "lead", why="the annex", who="ann", agencies=["仙桃市科技局"],
                                     document="xiantao-ai-action-plan-2025-2027.txt", action="（一）")
        record(store, correction)
    finally:
        store.close()
    return correction.id


def test_a_link_built_from_a_corrected_lead_is_drawn_orange_and_explained(corrected_lead, downloads):
    from views.draw import CORRECTED_STYLE

    at = open_coordination()
    assert not at.exception
    # 市发改委 no longer on （一）: 科技局 and 经信局 share it, through the corrected lead; no other link is
    assert [caption.value for caption in at.caption if "橙色" in caption.value] == [
        "橙色的 1 条连线含有人工更正的分工（在网络图或分工矩阵中更正）。"]
    (frame,) = at.get("iframe")
    page = frame.proto.srcdoc
    edges = json.loads(page.split('id="policykg-data">', 1)[1].split("</script>", 1)[0])["edges"]
    corrected = [(edge["from"], edge["to"]) for edge in edges if edge["color"]["color"] == CORRECTED_STYLE["color"]]
    assert corrected == [("仙桃市科技局", "仙桃市经信局")]
    assert '<li data-type="SHARES" data-variant="corrected">' in page and "共同行动（人工更正）" in page
    assert next(edge["title"] for edge in edges if (edge["from"], edge["to"]) == corrected[0]) == \
        "共同行动（人工更正）\n仙桃市科技局 → 仙桃市经信局"
    # the SVG for reports draws it in the same colour, and says so under the diagram
    assert f"stroke: {CORRECTED_STYLE['color']}" in downloads["policykg-coordination.svg"].decode("utf-8")


def test_without_corrections_no_link_is_orange(downloads, coordination):
    from views.draw import CORRECTED_STYLE

    assert not [caption.value for caption in coordination.caption if "橙色" in caption.value]
    assert 'data-variant="corrected"' not in coordination.get("iframe")[0].proto.srcdoc
    assert CORRECTED_STYLE["color"] not in downloads["policykg-coordination.svg"].decode("utf-8")



def test_only_corrected_links_leaves_the_one_link_a_corrected_lead_built(corrected_lead):
    at = open_coordination()
    at.checkbox(key="coord-corrected-only").check().run()
    assert not at.exception
    (frame,) = at.get("iframe")
    data = json.loads(frame.proto.srcdoc.split('id="policykg-data">', 1)[1].split("</script>", 1)[0])
    assert [(edge["from"], edge["to"]) for edge in data["edges"]] == [("仙桃市科技局", "仙桃市经信局")]
    assert sorted(node["id"] for node in data["nodes"]) == ["仙桃市科技局", "仙桃市经信局"]


# --------------------------------------------------------------------------------------------- the diagram for meetings

def shown_image(at: AppTest, downloads) -> bytes:
    """The bytes of the picture the page shows (st.image), read back from the app's media storage."""
    (image,) = at.get("image")
    file_id = image.proto.imgs[0].url.rsplit("/", 1)[-1].split(".", 1)[0]
    return next(iter(downloads.storages.values())).get_file(file_id).content


def test_the_page_shows_the_picture_it_offers_for_download(coordination, downloads):
    coordination.selectbox(key="coord-city").set_value("仙桃市").run()
    assert not coordination.exception
    assert shown_image(coordination, downloads) == downloads["policykg-coordination.png"]
    assert [caption.value for caption in coordination.caption if "下载" in caption.value] == [
        "下载的 PNG、SVG 与幻灯片就是这张图。"]


def test_mode_centre_grouping_and_size_change_the_diagram(coordination, downloads):
    from io import BytesIO

    from pptx import Presentation

    coordination.selectbox(key="coord-city").set_value("仙桃市").run()
    assert coordination.radio(key="coord-mode").options == ["整体网络", "以一个机构为中心", "按类型或职能分组"]
    coordination.radio(key="coord-mode").set_value("centred").run()
    centre = coordination.selectbox(key="coord-centre")
    assert centre.options[:3] == ["共同行动最多的机构", "仙桃市经信局", "仙桃市科技局"]
    centre.set_value("仙桃市科技局").run()
    assert not coordination.exception
    slide = Presentation(BytesIO(downloads["policykg-coordination.pptx"])).slides[0]
    caption = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame][1]
    assert "视图：以科技局为中心" in caption and "城市：仙桃市" in caption
    coordination.radio(key="coord-mode").set_value("grouped").run()
    assert coordination.radio(key="coord-group").options == ["单位类型", "机构职能"]
    coordination.radio(key="coord-group").set_value("kind").run()
    coordination.radio(key="coord-size").set_value("a4").run()
    assert not coordination.exception
    png = downloads["policykg-coordination.png"]
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (2338, 1654)
    assert "视图：按机构职能分组" in downloads["policykg-coordination.svg"].decode("utf-8")


def test_every_widget_that_defines_the_view_is_in_the_link(coordination):
    coordination.selectbox(key="coord-city").set_value("仙桃市").run()
    coordination.slider(key="coord-min").set_value(2).run()
    coordination.checkbox(key="coord-hide").uncheck().run()
    coordination.radio(key="coord-mode").set_value("centred").run()
    coordination.selectbox(key="coord-centre").set_value("仙桃市科技局").run()
    coordination.radio(key="coord-size").set_value("a4").run()
    assert not coordination.exception
    link = {"coord-city": "仙桃市", "coord-min": "2", "coord-hide": "0", "coord-mode": "centred",
            "coord-centre": "仙桃市科技局", "coord-size": "a4"}
    assert dict(coordination.query_params) == link
    fresh = AppTest.from_file(APP, default_timeout=120)  # a fresh browser opening the link
    for key, value in link.items():
        fresh.query_params[key] = value
    fresh.switch_page(PAGE).run()  # the link opens on this page
    assert not fresh.exception
    assert fresh.selectbox(key="coord-centre").value == "仙桃市科技局"
    assert fresh.radio(key="coord-size").value == "a4" and fresh.slider(key="coord-min").value == 2


def test_english_diagram_words(coordination, downloads):
    coordination.sidebar.radio[0].set_value("en").run()
    coordination.radio(key="coord-mode").set_value("grouped").run()
    assert not coordination.exception
    assert coordination.radio(key="coord-mode").options == ["Whole network", "Centred on one agency",
                                                            "Grouped by type or kind"]
    svg = downloads["policykg-coordination.svg"].decode("utf-8")
    assert ">Coordination network · All cities</text>" in svg and ">Agency types</text>" in svg
