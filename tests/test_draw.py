"""views.draw: one offline HTML page per graph, names shown as text, styles per type, layout by size."""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from views.coordination import coordination_view
from views.draw import (
    EDGE_STYLES,
    NODE_STYLES,
    edge_details,
    edge_legend_items,
    layout_positions,
    legend_items,
    node_details,
    render_network_html,
)

NODE_TYPES = ["Document", "Section", "Action", "Agency", "AgencyKind", "District", "Park", "Platform",
              "Organization", "Person", "Target"]
EDGE_TYPES = ["HAS_SECTION", "HAS_ACTION", "LEADS", "RESPONSIBLE_FOR", "SUPPORTS", "OF_KIND", "INCLUDES",
              "MENTIONS", "SETS_TARGET", "LOCATED_IN"]

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
CLOSE = "</script><script>alert(2)</script>"
MARKDOWN = "**粗体** [点我](javascript:alert(3))"


def data_of(page: str) -> dict:
    """The JSON the page hands to vis-network."""
    match = re.search(r'<script type="application/json" id="policykg-data">(.*?)</script>', page, re.S)
    assert match, "no data element"
    return json.loads(match.group(1))


def nodes_by_id(page: str) -> dict[str, dict]:
    return {node["id"]: node for node in data_of(page)["nodes"]}


def plan_graph() -> nx.MultiDiGraph:
    """A small plan with every node type and relationship type, Chinese names as in the seed plans."""
    g = nx.MultiDiGraph()
    g.add_node("doc", label="Document", name="仙桃市人工智能产业发展三年行动方案(2025—2027年)", city="仙桃市",
               published="2025-08-09")
    g.add_node("sec1", label="Section", name="一、实施基础夯实行动", number="一、", level=1)
    g.add_node("act1", label="Action", name="强化规划引领", number="（一）", kind="action",
               section=["一、实施基础夯实行动"])
    g.add_node("act2", label="Action", name="建设专业园区", number="（二）", kind="action")
    g.add_node("kj", label="Agency", name="仙桃市科技局", kind="科技局", kind_en="Science and Technology Bureau",
               government="仙桃市", collective=False)
    g.add_node("fgw", label="Agency", name="仙桃市发改委", kind="发改委", government="仙桃市")
    g.add_node("jxj", label="Agency", name="仙桃市经信局", kind="经信局", government="仙桃市")
    g.add_node("kind:科技局", label="AgencyKind", name="科技局", en="Science and Technology Bureau")
    g.add_node("gov", label="Agency", name="仙桃市各镇人民政府", collective=True)
    g.add_node("town", label="Agency", name="长埫口镇人民政府", derived_from="仙桃市各镇人民政府")
    g.add_node("dist", label="District", name="仙桃高新区")
    g.add_node("park", label="Park", name="光电产业园", located_in="仙桃高新区")
    g.add_node("plat", label="Platform", name="算力中心")
    g.add_node("org", label="Organization", name="华为技术有限公司")
    g.add_node("person", label="Person", name="张三", post="市长")
    g.add_node("tgt", label="Target", name="人工智能产业规模突破80亿元", value=80, unit="亿元", year=2027,
               qualifier="exceed", value_max=None)
    g.add_edge("doc", "sec1", type="HAS_SECTION")
    g.add_edge("sec1", "act1", type="HAS_ACTION")
    g.add_edge("sec1", "act2", type="HAS_ACTION")
    g.add_edge("kj", "act1", type="LEADS", basis="explicit", rank=1)
    g.add_edge("fgw", "act2", type="LEADS", basis="first-listed", rank=1)
    g.add_edge("fgw", "act1", type="RESPONSIBLE_FOR", rank=2)
    g.add_edge("jxj", "act1", type="SUPPORTS", rank=3)
    g.add_edge("kj", "kind:科技局", type="OF_KIND")
    g.add_edge("gov", "town", type="INCLUDES")
    g.add_edge("act2", "park", type="MENTIONS")
    g.add_edge("act2", "plat", type="MENTIONS")
    g.add_edge("act2", "org", type="MENTIONS")
    g.add_edge("act1", "person", type="MENTIONS")
    g.add_edge("act1", "tgt", type="SETS_TARGET")
    g.add_edge("park", "dist", type="LOCATED_IN")
    return g


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("evil", label="Agency", name=SCRIPT + "市科技局", note=IMG, kind=MARKDOWN,
               city="推进 & 落实", post="a\u2028b\u2029c")
    g.add_node("act", label="Action", name=IMG + "优化布局", text="<b>重点</b>", section=["<b>重点</b>"])
    g.add_node("odd", label="<b>Weird</b>", name='"><svg onload=alert(4)>')
    g.add_edge("evil", "act", type="LEADS", basis="explicit", rank=1, note=SCRIPT, quote=CLOSE)
    g.add_edge("odd", "act", type="</script>", rank=2)
    return g


def big_plan_graph(documents: int = 20, seed: int = 7) -> nx.MultiDiGraph:
    """About 100 nodes and 300 edges per document, like the seed plans."""
    rnd = random.Random(seed)
    g = nx.MultiDiGraph()
    kinds = [f"kind{i}" for i in range(40)]
    for kind in kinds:
        g.add_node(kind, label="AgencyKind", name=f"类别{kind}")
    for d in range(documents):
        doc = f"d{d}"
        g.add_node(doc, label="Document", name=f"某市人工智能行动方案{d}")
        sections = [f"{doc}-s{i}" for i in range(6)]
        agencies = [f"{doc}-g{i}" for i in range(30)]
        entities = [f"{doc}-e{i}" for i in range(15)]
        for s in sections:
            g.add_node(s, label="Section", name=f"章节{s}")
            g.add_edge(doc, s, type="HAS_SECTION")
        for a in agencies:
            g.add_node(a, label="Agency", name=f"市{a}局")
            g.add_edge(a, rnd.choice(kinds), type="OF_KIND")
        for i, e in enumerate(entities):
            g.add_node(e, label=["District", "Park", "Platform", "Organization", "Person"][i % 5], name=f"实体{e}")
        for i in range(40):
            act = f"{doc}-a{i}"
            g.add_node(act, label="Action", name=f"行动{i}：推进人工智能产业发展", number=f"{i + 1}.")
            g.add_edge(rnd.choice(sections), act, type="HAS_ACTION")
            lead, *others = rnd.sample(agencies, 5)
            g.add_edge(lead, act, type="LEADS", basis=rnd.choice(["explicit", "first-listed"]), rank=1)
            for rank, agency in enumerate(others, start=2):
                g.add_edge(agency, act, type="RESPONSIBLE_FOR" if rank < 4 else "SUPPORTS", rank=rank)
            g.add_edge(act, rnd.choice(entities), type="MENTIONS")
        for t in range(10):
            target = f"{doc}-t{t}"
            g.add_node(target, label="Target", name=f"目标{t}：突破80亿元", value=80, unit="亿元")
            g.add_edge(f"{doc}-a{t * 4}", target, type="SETS_TARGET")
    return g


@pytest.fixture(scope="module")
def plan_page() -> str:
    return render_network_html(plan_graph(), title="仙桃市人工智能行动方案")


@pytest.fixture(scope="module")
def hostile_page() -> str:
    return render_network_html(hostile_graph(), title="<script>alert('title')</script>标题")


# ------------------------------------------------------------------------------------------ offline


EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import""",
    re.IGNORECASE,
)


def test_page_loads_nothing_from_the_network(plan_page):
    assert EXTERNAL.search(plan_page) is None, EXTERNAL.search(plan_page).group(0)
    assert "<link" not in plan_page.lower()
    assert re.search(r"<script[^>]*\bsrc\s*=", plan_page, re.IGNORECASE) is None
    assert "sourceMappingURL" not in plan_page


def test_vis_network_js_and_css_are_inlined(plan_page):
    assert "@version 9.1.2" in plan_page  # vis-network's own header
    assert ".vis-tooltip{" in plan_page
    assert "new vis.Network(container" in plan_page


# ------------------------------------------------------------------------------------------ safety


def test_hostile_names_appear_in_the_page_only_as_escaped_json(hostile_page):
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>Weird", "<b>重点", "\u2028", "\u2029"):
        assert raw not in hostile_page, raw
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e市科技局" in hostile_page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e优化布局" in hostile_page
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(2)\\u003c/script\\u003e" in hostile_page
    assert "a\\u2028b\\u2029c" not in hostile_page  # separators become spaces in the text, see below
    assert "推进 \\u0026 落实" in hostile_page


class Elements(HTMLParser):
    """Start tags as a browser's tokenizer sees them (script and style contents are raw text)."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_hostile_names_cannot_close_the_data_script_or_add_elements(hostile_page):
    tags = Elements(hostile_page).tags
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "policykg-data"}, {}, {}]  # data, vis-network, ours
    assert not [tag for tag, _ in tags if tag in ("img", "iframe", "object", "embed", "link", "b")]
    assert not [(tag, name) for tag, attrs in tags for name in attrs if name.startswith("on")]
    assert {node["id"] for node in data_of(hostile_page)["nodes"]} == {"evil", "act", "odd"}


def test_hostile_strings_round_trip_as_plain_text_tooltips(hostile_page):
    nodes = nodes_by_id(hostile_page)
    graph = hostile_graph()
    evil = nodes["evil"]["title"]
    assert evil == node_details(graph, "evil")
    assert evil.split("\n") == ["机构", SCRIPT + "市科技局", f"类别：{MARKDOWN}", "城市：推进 & 落实", "牵头 1"]
    assert nodes["act"]["label"].startswith("<img src=x")  # drawn on the canvas as text
    assert nodes["act"]["title"].split("\n") == [
        "行动", f"{IMG}优化布局", "章节：<b>重点</b>", f"牵头：{SCRIPT}市科技局"]
    edge = next(e for e in data_of(hostile_page)["edges"] if e["from"] == "evil")
    assert edge["title"].split("\n") == ["牵头", f"{SCRIPT}市科技局 → {IMG}优化布局", f"原文：{CLOSE}"]


def test_title_and_unknown_type_names_are_html_escaped(hostile_page):
    assert "<title>&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;标题</title>" in hostile_page
    assert "<h1>&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;标题</h1>" in hostile_page
    assert 'data-type="&lt;b&gt;Weird&lt;/b&gt;"' in hostile_page
    assert '<span class="en">&lt;b&gt;Weird&lt;/b&gt;</span>' in hostile_page
    assert 'data-type="&lt;/script&gt;"' in hostile_page


def test_bundled_vis_network_puts_string_tooltips_into_inner_text():
    """The tooltip safety rests on this: vis-network 9.1.2 sets a string title with innerText, not innerHTML."""
    import pyvis

    js = (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(encoding="utf-8")
    assert 'this.frame.className="vis-tooltip"' in js
    assert "this.frame.appendChild(t)}else this.frame.innerText=t" in js


def test_info_panel_is_filled_with_text_content(plan_page):
    script = plan_page.rsplit("<script>", 1)[1]
    assert "info.textContent = item ? item.title : hint" in script
    assert "innerHTML" not in script


def test_height_must_be_a_css_length():
    with pytest.raises(ValueError, match="CSS length"):
        render_network_html(plan_graph(), height="1px}</style><script>alert(1)</script>")
    assert "height:80vh" in render_network_html(plan_graph(), height="80vh")


# ------------------------------------------------------------------------------------------ text


def test_tooltips_are_short_human_lines_in_chinese():
    graph = plan_graph()
    assert node_details(graph, "kj").split("\n") == ["机构", "仙桃市科技局", "类别：科技局", "牵头 1"]
    assert node_details(graph, "fgw").split("\n") == ["机构", "仙桃市发改委", "类别：发改委", "牵头 1 · 负责 1"]
    assert node_details(graph, "tgt").split("\n") == ["目标", "人工智能产业规模突破80亿元", "年份：2027"]
    assert node_details(graph, "act1").split("\n") == [
        "行动", "强化规划引领", "章节：一、实施基础夯实行动", "牵头：仙桃市科技局", "负责：仙桃市发改委",
        "配合：仙桃市经信局"]
    assert node_details(graph, "park").split("\n") == ["园区", "光电产业园", "被提及 1 次"]
    assert node_details(graph, "person").split("\n") == ["人员", "张三", "职务：市长", "被提及 1 次"]
    assert node_details(graph, "kind:科技局").split("\n") == ["机构类别", "科技局", "本图中 1 个机构"]
    assert node_details(graph, "doc").split("\n") == [
        "文件", "仙桃市人工智能产业发展三年行动方案(2025—2027年)", "城市：仙桃市", "发布日期：2025-08-09"]
    key = next(iter(graph["fgw"]["act2"]))
    assert edge_details(graph, "fgw", "act2", key).split("\n") == ["牵头（列第一位）", "仙桃市发改委 → 建设专业园区"]


def test_tooltips_in_english_say_the_same_in_english_words():
    graph = plan_graph()
    assert node_details(graph, "fgw", "en").split("\n") == [
        "Agency", "仙桃市发改委", "Kind: 发改委", "leads 1 · responsible for 1"]
    assert node_details(graph, "act1", "en").split("\n") == [
        "Action", "强化规划引领", "Section: 一、实施基础夯实行动", "leads: 仙桃市科技局",
        "responsible for: 仙桃市发改委", "supports: 仙桃市经信局"]
    graph.nodes["kind:科技局"]["name_en"] = "Science and Technology Bureau"
    assert node_details(graph, "kind:科技局", "en").split("\n") == [
        "Agency kind", "科技局", "In English: Science and Technology Bureau", "1 agencies in this view"]
    assert "Science" not in node_details(graph, "kind:科技局", "zh")  # the English name only in English
    key = next(iter(graph["fgw"]["act2"]))
    assert edge_details(graph, "fgw", "act2", key, "en").split("\n") == [
        "leads (first-listed)", "仙桃市发改委 → 建设专业园区"]
    with pytest.raises(ValueError, match="language"):
        node_details(graph, "kj", "fr")


HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def test_no_tooltip_shows_a_property_key_or_a_word_of_the_other_language():
    """Every tooltip of the plan in Chinese has no Latin letter and in English no Chinese character, once
    the data's own values (names, kinds, quotes) are taken out."""
    graph = plan_graph()
    graph.nodes["act1"]["quote"] = "（牵头单位：市科技局）"
    values = sorted({str(value) for _, data in graph.nodes(data=True) for value in data.values()}
                    | {"一、实施基础夯实行动", "（一）"}, key=len, reverse=True)
    for lang, other in (("zh", LATIN), ("en", HAN)):
        texts = [node_details(graph, node, lang) for node in graph]
        texts += [edge_details(graph, u, v, k, lang) for u, v, k in graph.edges(keys=True)]
        for text in texts:
            for key in ("kind:", "quote:", "number:", "label:", "basis:", "rank:", "title:"):
                assert key not in text, text
            stripped = text
            for value in values:
                stripped = stripped.replace(value, "")
            assert not other.search(stripped), (lang, text)


def test_types_without_a_name_property_are_named_by_title_text_or_source():
    """As the stores write them: Action and Section have ``title``, Target ``text``, Document ``title`` or none."""
    g = nx.MultiDiGraph()
    g.add_node("5ebd-a001", label="Action", id="5ebd-a001", doc_id="5ebd", number="1.", title="优化空间发展布局",
               text="优化空间发展布局。精准落地“一核四区”产业空间布局。", span=[369, 694], seq=1)
    g.add_node("5ebd-t01", label="Target", id="5ebd-t01", text="人工智能产业规模突破80亿元", metric="人工智能产业规模",
               value=80.0)
    g.add_node("5ebd", label="Document", id="5ebd", title=None, source="ezhou-ai-action-plan.txt",
               text="全文" * 5000, city="鄂州市")
    g.add_node("bare", label="Section")
    g.add_edge("5ebd-a001", "5ebd-t01", key="SETS_TARGET", type="SETS_TARGET", doc_id="5ebd", span=[1, 2])
    assert node_details(g, "5ebd-a001").split("\n") == ["行动", "优化空间发展布局"]
    assert node_details(g, "5ebd-t01").split("\n") == ["目标", "人工智能产业规模突破80亿元", "指标：人工智能产业规模"]
    assert node_details(g, "5ebd").split("\n") == ["文件", "ezhou-ai-action-plan.txt", "城市：鄂州市"]
    assert node_details(g, "bare").split("\n") == ["章节", "bare"]
    assert edge_details(g, "5ebd-a001", "5ebd-t01", "SETS_TARGET").split("\n") == [
        "设定目标", "优化空间发展布局 → 人工智能产业规模突破80亿元"]
    labels = {node["id"]: node["label"] for node in data_of(render_network_html(g))["nodes"]}
    assert labels == {"5ebd-a001": "优化空间发展布局", "5ebd-t01": "人工智能产业规模突破80亿元",
                      "5ebd": "ezhou-ai-action-pla…", "bare": "bare"}  # cut at label_max, 20


def test_long_values_and_long_lists_of_units_are_cut():
    g = nx.MultiDiGraph()
    g.add_node("a", label="Action", name="行" * 500, section=["章" * 300], text="字" * 1000)
    for i in range(8):
        g.add_node(f"u{i}", label="Agency", name=f"市第{i}局")
        g.add_edge(f"u{i}", "a", type="RESPONSIBLE_FOR", rank=i + 2)
    lines = node_details(g, "a").split("\n")
    assert len(lines[1]) == 120 and lines[1].endswith("…")  # the name: twice max_value_chars
    assert len(lines[2]) == 60 and lines[2].startswith("章节：章") and lines[2].endswith("…")
    assert lines[3] == "负责：市第0局、市第1局、市第2局等 5 个"
    assert node_details(g, "a", "en").split("\n")[3] == "responsible for: 市第0局, 市第1局, 市第2局 and 5 more"
    quote = "（责任单位：" + "、".join(f"市第{i}局" for i in range(40)) + "）"
    k = g.add_edge("u0", "a", type="LEADS", rank=1, quote=quote)
    said = edge_details(g, "u0", "a", k).split("\n")[2]
    assert len(said) == 80 and said.startswith("原文：（责任单位：市第0局") and said.endswith("…")
    label = nodes_by_id(render_network_html(g))["a"]["label"]
    assert len(label) == NODE_STYLES["Action"]["label_max"] and label.endswith("…")


def test_a_unit_from_a_collective_says_where_it_came_from():
    graph = plan_graph()
    k = graph.add_edge("town", "act2", type="SUPPORTS", derived_from="gov", quote="（配合单位：各镇人民政府）")
    assert edge_details(graph, "town", "act2", k).split("\n") == [
        "配合", "长埫口镇人民政府 → 建设专业园区", "来自集体单位：仙桃市各镇人民政府",
        "原文：（配合单位：各镇人民政府）"]
    assert "配合：" not in node_details(graph, "act2")  # an action's units are those of its note


def test_the_most_connected_nodes_are_hubs_whose_labels_stay_readable():
    from views.draw import HUB_COUNT, hubs

    graph = big_plan_graph(documents=2)
    top = hubs(graph)
    assert len(top) == HUB_COUNT == 15
    degrees = sorted((graph.degree(n) for n in graph), reverse=True)
    assert sorted((graph.degree(n) for n in top), reverse=True) == degrees[:15]
    page = render_network_html(graph)
    drawn = {node["id"] for node in data_of(page)["nodes"] if node["hub"]}
    assert drawn == {str(n) for n in top}
    assert data_of(page)["hub_px"] == 12
    assert 'network.on("zoom", hubLabels);' in page and "hubLabels();" in page.rsplit("<script>", 1)[1]
    assert hubs(plan_graph(), 3) == ["act1", "act2", "sec1"]  # 6, 5 and 3 relationships


def test_the_page_draws_the_data_the_explorer_draws():
    from views.draw import network_data

    graph = plan_graph()
    data = network_data(graph, lang="en", highlight="kj")
    page = data_of(render_network_html(graph, lang="en", highlight="kj"))
    assert page == {**{k: v for k, v in data.items() if k != "legend"}, "hub_px": 12}
    assert '<li data-type="Agency">' in data["legend"] and data["counts"] == {"nodes": 16, "edges": 15}
    edge = next(e for e in data["edges"] if (e["from"], e["to"]) == ("fgw", "act2"))
    assert (edge["type"], edge["variant"], edge["ends"]) == ("LEADS", "basis=first-listed", ["fgw", "act2", 0])
    assert {node["id"]: node["type"] for node in data["nodes"]}["kind:科技局"] == "AgencyKind"
    assert data["nodes"][0]["title"].split("\n")[0] in {"Agency", "Action", "Agency kind", "District", "Document",
                                                        "Organization", "Park", "Person", "Platform", "Section",
                                                        "Target"}


# ------------------------------------------------------------------------------------------ styles


def test_every_node_and_relationship_type_has_a_style_with_chinese_and_english_names():
    assert list(NODE_STYLES) == NODE_TYPES
    assert set(EDGE_STYLES) == set(EDGE_TYPES)
    zh = {item["type"]: item["zh"] for item in legend_items()}
    assert zh == {"Document": "文件", "Section": "章节", "Action": "行动", "Agency": "机构", "AgencyKind": "机构类别",
                  "District": "区域", "Park": "园区", "Platform": "平台", "Organization": "组织", "Person": "人员",
                  "Target": "目标"}
    assert all(item["en"] and re.fullmatch(r"#[0-9a-f]{6}", item["color"]) for item in legend_items())
    shapes = {item["type"]: item["shape"] for item in legend_items()}
    assert (shapes["Agency"], shapes["Action"], shapes["Target"]) == ("dot", "box", "diamond")
    assert len({shapes["District"], shapes["Park"], shapes["Platform"]}) == 3


def test_legend_lists_every_node_type_present_and_no_other(plan_page):
    graph = plan_graph()
    assert [item["type"] for item in legend_items(graph)] == NODE_TYPES
    for node_type in NODE_TYPES:
        style = NODE_STYLES[node_type]
        assert f'data-type="{node_type}"' in plan_page
        assert f'<span class="zh">{style["zh"]}</span>' in plan_page
    graph.remove_nodes_from(["person", "tgt", "org"])
    page = render_network_html(graph)
    assert [item["type"] for item in legend_items(graph)] == [t for t in NODE_TYPES
                                                              if t not in ("Person", "Target", "Organization")]
    assert 'data-type="Person"' not in page and 'data-type="Agency"' in page
    assert [item["type"] for item in edge_legend_items(graph)] == [
        t for t in EDGE_STYLES for _ in range(2 if t == "LEADS" else 1) if t not in ("SETS_TARGET",)]


def test_leads_is_thick_and_solid_supports_dashed_structural_edges_light_grey(plan_page):
    edges = {(e["from"], e["to"]): e for e in data_of(plan_page)["edges"]}
    leads, responsible, supports = edges["kj", "act1"], edges["fgw", "act1"], edges["jxj", "act1"]
    assert leads["dashes"] is False and responsible["dashes"] is False
    assert leads["width"] > responsible["width"] >= 1
    assert isinstance(supports["dashes"], list) and supports["dashes"]
    for pair in (("doc", "sec1"), ("sec1", "act1"), ("kj", "kind:科技局"), ("gov", "town"), ("park", "dist")):
        assert edges[pair]["color"]["color"] == "#d1d5db", pair
        assert edges[pair]["width"] == 1
    assert leads["type"] == "LEADS" and leads["title"].startswith("牵头\n")


def test_first_listed_lead_is_drawn_apart_from_an_explicit_lead(plan_page):
    edges = {(e["from"], e["to"]): e for e in data_of(plan_page)["edges"]}
    explicit, first_listed = edges["kj", "act1"], edges["fgw", "act2"]
    assert explicit["color"]["color"] != first_listed["color"]["color"]
    assert explicit["width"] == first_listed["width"] and first_listed["dashes"] is False
    variants = [item for item in edge_legend_items(plan_graph()) if item["type"] == "LEADS"]
    assert [item["variant"] for item in variants] == [None, "basis=first-listed"]
    assert 'data-variant="basis=first-listed"' in plan_page


def corrected_plan_graph() -> nx.MultiDiGraph:
    """The small plan after a person's corrections: 发改委 set as the lead of act1 (graph.corrections gives
    the relationship basis "corrected" and the correction's id), and 仙桃高新区 kept by a merge."""
    g = plan_graph()
    g.add_edge("fgw", "act1", type="LEADS", basis="corrected", rank=1, correction="c-lead")
    g.remove_edge("fgw", "act1", key=0)  # it was responsible
    g.nodes["dist"]["correction"] = "c-merge"
    return g


def test_a_corrected_relationship_is_drawn_in_the_corrected_colour_with_its_types_width():
    from views.draw import CORRECTED_STYLE

    page = render_network_html(corrected_plan_graph())
    edges = {(e["from"], e["to"]): e for e in data_of(page)["edges"]}
    corrected, explicit = edges["fgw", "act1"], edges["kj", "act1"]
    assert corrected["color"]["color"] == CORRECTED_STYLE["color"] == "#ea580c"
    assert explicit["color"]["color"] == EDGE_STYLES["LEADS"]["color"]
    assert corrected["width"] == explicit["width"] == EDGE_STYLES["LEADS"]["width"]
    assert corrected["title"].splitlines()[0] == "牵头（人工更正）" and corrected["variant"] == "corrected"
    others = [e for pair, e in edges.items() if pair != ("fgw", "act1")]
    assert CORRECTED_STYLE["color"] not in {e["color"]["color"] for e in others}


def test_the_legend_names_corrected_relationships_and_nodes_only_when_the_graph_has_them(plan_page):
    graph = corrected_plan_graph()
    leads = [(item["variant"], item["zh"], item["en"], item["color"]) for item in edge_legend_items(graph)
             if item["type"] == "LEADS"]
    assert leads == [(None, "牵头", "leads", "#1d4ed8"),
                     ("basis=first-listed", "牵头（列第一位）", "leads (first-listed)", "#93b4f0"),
                     ("corrected", "牵头（人工更正）", "leads (corrected)", "#ea580c")]
    page = render_network_html(graph)
    assert '<li data-type="LEADS" data-variant="corrected">' in page
    assert '<li data-type="corrected">' in page and '<span class="zh">人工更正</span>' in page
    assert 'data-variant="corrected"' not in plan_page and '<li data-type="corrected">' not in plan_page
    shares = [item for item in edge_legend_items(coordination_view(
        nx.Graph([("a", "b", {"weight": 2, "correction": "c-1"})]))) if item["variant"] == "corrected"]
    assert [(item["type"], item["zh"]) for item in shares] == [("SHARES", "共同行动（人工更正）")]


def test_a_corrected_node_gets_a_border_of_the_corrected_colour():
    from views.draw import CORRECTED_STYLE

    nodes = nodes_by_id(render_network_html(corrected_plan_graph()))
    assert nodes["dist"]["color"]["border"] == "#ea580c" and nodes["dist"]["borderWidth"] == CORRECTED_STYLE[
        "border_width"]
    assert nodes["park"]["color"]["border"] != "#ea580c" and "borderWidth" not in nodes["park"]


def test_only_corrected_facts_keeps_the_corrected_relationships_their_ends_and_corrected_nodes():
    from views.network import corrected_facts

    view = corrected_facts(corrected_plan_graph())
    assert sorted(view) == ["act1", "dist", "fgw"]
    assert [(u, v, d["type"], d["correction"]) for u, v, d in view.edges(data=True)] == [
        ("fgw", "act1", "LEADS", "c-lead")]
    assert sorted(corrected_facts(corrected_plan_graph(), keep=["kj", "nowhere"])) == ["act1", "dist", "fgw", "kj"]
    assert list(corrected_facts(plan_graph()).nodes) == []


def test_a_coordination_link_is_corrected_when_one_of_its_shared_roles_was():
    from queries.analytics import coordination_network

    marked = coordination_network(corrected_plan_graph())
    assert {tuple(sorted(pair)): marked.edges[pair].get("correction") for pair in marked.edges} == {
        ("fgw", "kj"): "c-lead", ("fgw", "jxj"): "c-lead", ("jxj", "kj"): None}
    assert all("correction" not in data for *_, data in coordination_network(plan_graph()).edges(data=True))
    view = coordination_view(marked)
    assert {tuple(sorted((u, v))): d.get("correction") for u, v, d in view.edges(data=True)} == {
        ("fgw", "kj"): "c-lead", ("fgw", "jxj"): "c-lead", ("jxj", "kj"): None}


def test_nodes_are_styled_by_type(plan_page):
    nodes = nodes_by_id(plan_page)
    assert (nodes["kj"]["shape"], nodes["kj"]["color"]["background"]) == ("dot", NODE_STYLES["Agency"]["color"])
    assert nodes["act1"]["shape"] == "box" and nodes["tgt"]["shape"] == "diamond"
    assert nodes["kj"]["label"] == "仙桃市科技局"
    assert nodes["kj"]["size"] > NODE_STYLES["Agency"]["size"]  # agencies with roles grow
    unknown = nodes_by_id(render_network_html(hostile_graph()))["odd"]
    assert unknown["shape"] == "dot" and unknown["color"]["background"] == "#9ca3af"


def test_parallel_edges_are_all_drawn_and_the_second_curves():
    g = plan_graph()
    g.add_edge("kj", "act1", type="RESPONSIBLE_FOR", rank=4)
    edges = [e for e in data_of(render_network_html(g))["edges"] if (e["from"], e["to"]) == ("kj", "act1")]
    assert len(edges) == 2 and len({e["id"] for e in edges}) == 2
    assert sum("smooth" in e for e in edges) == 1


# ------------------------------------------------------------------------------------------ layout


def test_small_graph_uses_physics_with_a_bounded_stabilization(plan_page):
    data = data_of(plan_page)
    physics = data["options"]["physics"]
    assert data["physics"] is True and physics["enabled"] is True
    assert physics["stabilization"]["enabled"] is True and physics["stabilization"]["iterations"] <= 300
    assert all(isinstance(node["x"], float | int) for node in data["nodes"])  # seeded start, not random
    assert "network.setOptions({physics: {enabled: false}})" in plan_page  # frozen once stabilized


def test_large_graph_gets_fixed_positions_and_no_physics():
    graph = big_plan_graph()
    assert graph.number_of_nodes() > 2000
    data = data_of(render_network_html(graph))
    assert data["physics"] is False
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"] is False
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["edges"]) == graph.number_of_edges()
    xs = [node["x"] for node in data["nodes"]]
    ys = [node["y"] for node in data["nodes"]]
    assert len(set(zip(xs, ys, strict=True))) == len(xs)  # spread out, none on top of another
    assert max(xs) - min(xs) > 1000 and max(ys) - min(ys) > 1000


def test_physics_argument_overrides_the_threshold():
    small = data_of(render_network_html(plan_graph(), physics=False))
    assert small["physics"] is False and small["options"]["physics"]["enabled"] is False
    large = data_of(render_network_html(plan_graph(), layout_threshold=5, physics=True))
    assert large["physics"] is True and large["options"]["physics"]["enabled"] is True
    assert large["options"]["edges"]["smooth"] is False  # still drawn as a large graph
    auto = data_of(render_network_html(plan_graph(), layout_threshold=5))
    assert auto["physics"] is False


def test_layout_is_seeded_and_keeps_isolated_nodes_in_rows_below():
    g = nx.MultiDiGraph()
    nx.add_path(g, ["a", "b", "c", "d"])
    g.add_nodes_from(["x", "y", "z"])
    first = layout_positions(g)
    assert first == layout_positions(g)
    assert list(first) == ["a", "b", "c", "d", "x", "y", "z"]
    lowest_linked = max(first[n][1] for n in "abcd")
    assert all(first[n][1] > lowest_linked for n in "xyz")
    assert len({first[n] for n in "xyz"}) == 3
    assert layout_positions(nx.MultiDiGraph()) == {}


def test_same_graph_renders_identical_html_whatever_the_insertion_order():
    graph = plan_graph()
    shuffled = nx.MultiDiGraph()
    nodes = list(graph.nodes(data=True))
    edges = list(graph.edges(data=True))
    random.Random(3).shuffle(nodes)
    random.Random(3).shuffle(edges)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(edges)
    assert render_network_html(graph, title="t") == render_network_html(shuffled, title="t")


# ------------------------------------------------------------------------------------------ highlight


def test_highlight_selects_and_focuses_the_node_on_load():
    page = render_network_html(plan_graph(), highlight="kj")
    assert data_of(page)["highlight"] == "kj"
    script = page.rsplit("<script>", 1)[1]
    assert "network.selectNodes([data.highlight]);" in script
    assert "network.focus(data.highlight," in script
    assert "show(nodes.get(data.highlight));" in script
    assert data_of(render_network_html(plan_graph()))["highlight"] is None


def test_highlight_of_a_missing_node_is_an_error():
    with pytest.raises(ValueError, match="not in the graph"):
        render_network_html(plan_graph(), highlight="no-such-node")


def test_empty_graph_renders_a_page_without_physics():
    page = render_network_html(nx.MultiDiGraph(), title="空")
    data = data_of(page)
    assert data["nodes"] == [] and data["edges"] == [] and data["physics"] is False
    assert "节点 0 · 关系 0" in page


def test_a_page_for_one_language_shows_only_its_words():
    """Inside the explorer a page is read in the session's language: the other's words are hidden by the page's
    style sheet (body.lang-…), the tooltips are in that language."""
    page = render_network_html(plan_graph(), lang="en", one_language=True)
    assert '<body class="lang-en">' in page and "body.lang-zh .en,body.lang-en .zh{display:none}" in page
    assert '<span class="en">nodes 16 · relationships 15</span>' in page
    assert '<pre id="policykg-info">Click a node or a relationship for its details</pre>' in page
    assert '<h2><span class="zh">详情</span><span class="en">Details</span></h2>' in page
    assert nodes_by_id(page)["kj"]["title"].split("\n")[0] == "Agency"
    both = render_network_html(plan_graph())  # a file passed around: both languages, shown side by side
    assert "<body>\n" in both and "节点 16 · 关系 15" in both and "Click a node or edge for details" in both
