"""views.diagram on the bundled plans: labels clear of each other, of circles and of lines; rings by shared
actions; the legend, title and caption; the PNG, SVG (text as text) and PowerPoint exports.

The label boxes come from the placement (``Diagram.boxes``, display pixels) and are checked here with a
geometry of their own, and against the text the renderer actually drew.
"""

from __future__ import annotations

import io
import re
import struct
import warnings

import networkx as nx
import pytest

from queries.analytics import community_of, coordination_network
from views.coordination import diagram_label, partner_rings
from views.diagram import SIZES, DiagramSpec, Filters, build_diagram, cjk_font, colour_of, diagram_bytes

XIANTAO_PLAN = "仙桃市人工智能产业发展三年行动方案(2025—2027年)"


@pytest.fixture(scope="module")
def graph(bundled_store, tmp_path_factory):
    store = bundled_store.open_copy(tmp_path_factory.mktemp("diagram") / "graph.lbdb")
    try:
        return store.to_networkx()
    finally:
        store.close()


def linked(graph, city=None) -> nx.Graph:
    """The coordination network as the page draws it by default: agencies without links left out."""
    network = coordination_network(graph, city)
    network.remove_nodes_from([n for n in list(network) if network.degree(n) == 0])
    return network


# --------------------------------------------------------------------------------------------- geometry of our own

def boxes_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def segment_crosses_box(segment, box) -> bool:
    """Liang–Barsky: does the segment enter the open box?"""
    x0, y0, x1, y1 = segment
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q <= 0:
                return False
        else:
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low >= high:
                return False
    return True


def circle_meets_box(x, y, r, box) -> bool:
    nearest_x, nearest_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < r * r


def test_our_geometry_sees_a_crossing_and_an_overlap():  # the checks below can fail
    assert segment_crosses_box((0, 5, 20, 5), (5, 0, 10, 10))
    assert not segment_crosses_box((0, 20, 20, 20), (5, 0, 10, 10))
    assert boxes_overlap((0, 0, 10, 10), (9, 9, 12, 12)) and not boxes_overlap((0, 0, 10, 10), (10, 0, 12, 10))
    assert circle_meets_box(0, 0, 5, (3, -1, 9, 1)) and not circle_meets_box(0, 0, 2, (3, -1, 9, 1))


VIEWS = [("whole", "type"), ("centred", "type"), ("grouped", "type"), ("grouped", "kind")]


@pytest.mark.parametrize("city,size", [(None, "slide"), ("仙桃市", "slide"), ("鄂州市", "a4"), (None, "a4")])
@pytest.mark.parametrize("mode,group_by", VIEWS)
def test_no_label_overlaps_another_label_a_circle_or_a_line(graph, city, size, mode, group_by):
    network = linked(graph, city)
    diagram = build_diagram(network, DiagramSpec(mode=mode, group_by=group_by, size=size))
    assert diagram.conflicts == 0
    boxes = diagram.boxes
    drawn = set(network) if mode != "centred" else {diagram.centre, *diagram.rings}
    assert set(boxes) == drawn and len(diagram.segments) >= len(diagram.edges) > 0
    names = sorted(boxes, key=str)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not boxes_overlap(boxes[a], boxes[b]), (a, b)
    for node, box in boxes.items():
        crossing = [tuple(s) for s in diagram.segments if segment_crosses_box(tuple(s), box)]
        assert crossing == [], node
        for other, (x, y, r) in diagram.nodes.items():
            if r:
                assert not circle_meets_box(x, y, r, box), (node, other)
        for other, leader in diagram.leaders.items():
            if other != node:
                assert not segment_crosses_box(leader, box), (node, other)
    # the boxes are where the renderer drew the labels
    diagram.figure.canvas.draw()
    renderer = diagram.figure.canvas.get_renderer()
    for node, text in diagram.labels.items():
        extent, box = text.get_window_extent(renderer), boxes[node]
        assert box[0] - 1 <= extent.x0 and extent.x1 <= box[2] + 1, node
        assert box[1] - 1 <= extent.y0 and extent.y1 <= box[3] + 1, node


def test_ring_of_each_partner_is_its_shared_action_rank(graph):
    network = linked(graph, "仙桃市")
    diagram = build_diagram(network, DiagramSpec(mode="centred", centre="仙桃市经信局"))
    weights = {partner: network["仙桃市经信局"][partner]["weight"] for partner in network["仙桃市经信局"]}
    assert sorted(set(weights.values()), reverse=True) == [11, 9, 3, 2, 1]
    rank = {11: 1, 9: 2, 3: 3, 2: 4, 1: 5}
    assert diagram.rings == {partner: rank[weight] for partner, weight in weights.items()}
    assert diagram.rings["仙桃市科技局"] == 1 and diagram.rings["仙桃市各镇街道场区"] == 2
    # drawn so: each partner on its ring's ellipse round the centre, the rings growing outward
    cx, cy, _ = diagram.nodes["仙桃市经信局"]
    for partner, ring in diagram.rings.items():
        x, y, _ = diagram.nodes[partner]
        half_x, half_y = diagram.ring_axes[ring]
        assert ((x - cx) / half_x) ** 2 + ((y - cy) / half_y) ** 2 == pytest.approx(1.0, abs=1e-6), partner
    sizes = [diagram.ring_axes[ring] for ring in range(1, 6)]
    assert all(sizes[k][0] < sizes[k + 1][0] and sizes[k][1] < sizes[k + 1][1] for k in range(4))
    assert sorted(diagram.edges) == sorted(("仙桃市经信局", p) for p in weights)  # spokes only
    assert "圆环由内向外 = 与中心机构共同行动 11、9、3、2、1 项" in diagram.statements[1]


def test_partner_rings_are_dense_ranks():
    network = nx.Graph([("c", "a", {"weight": 7}), ("c", "b", {"weight": 7}), ("c", "d", {"weight": 2})])
    assert partner_rings(network, "c") == {"a": 1, "b": 1, "d": 2}


def test_the_legend_has_one_entry_per_community_in_its_colour(graph):
    network = linked(graph, "仙桃市")
    communities = community_of(network)
    diagram = build_diagram(network, DiagramSpec(), communities)
    texts = [text.get_text() for text in diagram.legend.get_texts()]
    assert texts == ["经信局·科技局 等 11 个单位", "数据局·公安局 等 10 个单位", "高新投公司·发改委 等 10 个单位"]
    assert diagram.legend.get_title().get_text() == "协作社群"
    colours = [handle.get_markerfacecolor() for handle in diagram.legend.legend_handles]
    assert colours == [colour_of(0), colour_of(1), colour_of(2)] == ["#4e79a7", "#f28e2b", "#59a14f"]
    assert sorted(set(communities.values())) == [0, 1, 2]
    # each circle is drawn in its community's legend colour
    from matplotlib.colors import to_hex
    from matplotlib.patches import Circle

    axes = diagram.labels["仙桃市经信局"].axes
    fills = {tuple(round(v) for v in axes.transData.transform(patch.center)): to_hex(patch.get_facecolor())
             for patch in axes.patches if isinstance(patch, Circle)}
    for node, (x, y, _) in diagram.nodes.items():
        assert fills[(round(x), round(y))] == colour_of(communities[node]), node


def test_grouped_views_name_their_types_and_kinds(graph):
    ezhou = linked(graph, "鄂州市")
    by_type = build_diagram(ezhou, DiagramSpec(mode="grouped", group_by="type", language="en"))
    assert by_type.legend_entries == [("Government departments (21)", "#4e79a7"), ("Party organs (2)", "#f28e2b"),
                                      ("Collective units (1)", "#59a14f"), ("Development zones (1)", "#e15759")]
    by_kind = build_diagram(ezhou, DiagramSpec(mode="grouped", group_by="kind"))
    names = [name for name, _ in by_kind.legend_entries]
    assert len(names) == 24 and names[-1] == "未归入职能（2）" and names[:2] == ["交通运输局（1）", "人社局（1）"]
    assert len({colour for _, colour in by_kind.legend_entries}) == 24  # one colour each
    assert by_kind.legend.get_title().get_text() == "机构职能"


def test_the_government_is_in_the_title_and_not_in_every_label(graph):
    xiantao = build_diagram(linked(graph, "仙桃市"), DiagramSpec())
    assert xiantao.title == "仙桃市 · 机构协作网络"
    labels = {text.get_text() for text in xiantao.labels.values()}
    assert not [label for label in labels if label.startswith("仙桃市")]
    assert {"经信局", "市委组织部", "各镇街道场区", "仙桃高新区"} <= labels
    both = build_diagram(linked(graph), DiagramSpec(language="en"))
    assert both.title == "Coordination network · All cities"
    assert {"仙桃市经信局", "鄂州市经信局"} <= {text.get_text() for text in both.labels.values()}
    assert diagram_label(linked(graph, "鄂州市"), "鄂州市委网信办", "鄂州市") == "市委网信办"


def test_the_caption_states_the_filters(graph):
    filters = Filters(city="仙桃市", documents=(XIANTAO_PLAN,), min_weight=3, hide_unlinked=True, corrected_only=True)
    network = coordination_network(graph, "仙桃市", 3)
    network.remove_nodes_from([n for n in list(network) if network.degree(n) == 0])
    diagram = build_diagram(network, DiagramSpec(mode="grouped", filters=filters))
    assert diagram.statements[0] == (f"文件：{XIANTAO_PLAN} · 城市：仙桃市 · 视图：按单位类型分组 · "
                                     f"最少共同行动数：3 · 不含无连线的机构 · 只含人工更正的协作关系 · "
                                     f"{network.number_of_nodes()} 个机构，"
                                     f"{network.number_of_edges()} 条协作关系")
    assert diagram.statements[1] == "圆大小 = 牵头行动数 · 线粗细 = 共同行动数 · 黑边 = 明确牵头 · 颜色 = 单位类型"
    shown = " ".join(diagram.caption)  # the caption lines drawn, broken to fit the width
    assert shown.replace(" ", "") == " ".join(diagram.statements).replace(" ", "")
    english = build_diagram(linked(graph), DiagramSpec(language="en", filters=Filters(document_count=2)))
    assert english.statements[0] == ("Documents: all 2 · City: All cities · View: Whole network · "
                                     "Minimum shared actions: 1 · 56 agencies, 191 links")
    assert not re.search(r"[\u4e00-\u9fff]", " ".join(english.statements) + english.title)


@pytest.mark.parametrize("size", SIZES)
def test_png_has_the_size_chosen(graph, size):
    png = diagram_bytes(linked(graph, "鄂州市"), DiagramSpec(size=size), "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == {"slide": (2666, 1500), "a4": (2338, 1654)}[size]


def test_svg_keeps_the_words_as_text_in_the_cjk_font(graph):
    network = linked(graph, "仙桃市")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "Glyph … missing" warning
        svg = diagram_bytes(network, DiagramSpec(), "svg").decode("utf-8")
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert "仙桃市 · 机构协作网络" in texts and "经信局" in texts and "经信局·科技局 等 11 个单位" in texts
    assert {diagram_label(network, n, "仙桃市") for n in network} <= set(texts)
    styles = re.findall(r"<text style=\"([^\"]*)\"", svg)
    assert styles and all(f"font-family: '{cjk_font()}', " in style for style in styles)
    assert all("'Microsoft YaHei', 'PingFang SC', 'SimHei', sans-serif" in style for style in styles)  # elsewhere
    assert not re.search(r'<path id="[^"]*-[0-9a-f]{4}"', svg)  # no glyph outlines (NotoSansCJKsc-Regular-7bfa)


def test_the_slide_has_one_picture_the_title_and_the_caption(graph):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    network = linked(graph, "仙桃市")
    filters = Filters(city="仙桃市", min_weight=1, hide_unlinked=True)
    deck = Presentation(io.BytesIO(diagram_bytes(network, DiagramSpec(mode="centred", filters=filters), "pptx")))
    assert (deck.slide_width, deck.slide_height) == (12191695, 6858000)  # 13.333 × 7.5 in: 16:9
    (slide,) = deck.slides
    pictures = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert texts == ["仙桃市 · 机构协作网络",
                     "城市：仙桃市 · 视图：以经信局为中心 · 最少共同行动数：1 · 不含无连线的机构 · "
                     "22 个机构，21 条协作关系\n"
                     "圆大小 = 牵头行动数 · 线粗细 = 共同行动数 · 黑边 = 明确牵头 · 颜色 = 协作社群 · "
                     "圆环由内向外 = 与中心机构共同行动 11、9、3、2、1 项"]


def test_an_empty_network_draws_its_title_and_says_it_is_empty():
    diagram = build_diagram(nx.Graph(), DiagramSpec(language="en"))
    assert diagram.title == "Coordination network · All cities" and diagram.boxes == {}
    assert "No agencies with these filters." in [text.get_text() for axes in diagram.figure.axes for text in axes.texts]
