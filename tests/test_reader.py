"""views.reader: a document's text split into marked runs (the innermost mark wins, the tooltip names all),
the stretch shown of a long document, the HTML (everything from the document escaped), the colours as data."""

from __future__ import annotations

import networkx as nx
import pytest

from loaders import extract_text
from views import reader
from views.reader import Mark, Segment, segments

PLAN = ("某县人工智能行动方案\n一、重点任务\n"
        "（一）建设算力中心。到2026年底建成县算力平台1个。（牵头单位：县科技局；责任单位：县财政局）\n"
        "（二）培育企业。在县高新区新培育企业不少于10家。（牵头单位：县经信局）\n")


def kinds(runs: list[Segment], text: str) -> list[tuple[str, str | None]]:
    return [(text[run.start : run.end], run.kind) for run in runs]


def test_runs_cover_the_stretch_exactly_once_in_order():
    text = "甲乙丙丁戊己庚"
    runs = segments(text, [Mark(1, 3, "agency", "乙丙"), Mark(5, 9, "target", "己庚")], 0, len(text))
    assert [(run.start, run.end) for run in runs] == [(0, 1), (1, 3), (3, 5), (5, 7)]
    assert kinds(runs, text) == [("甲", None), ("乙丙", "agency"), ("丁戊", None), ("己庚", "target")]


def test_a_mark_inside_another_shows_as_the_inner_one_and_the_run_lists_both_innermost_first():
    text = "到2027年鄂州市科技局建成平台3个"
    outer, inner = Mark(0, len(text), "target", "平台"), Mark(6, 12, "agency", "鄂州市科技局")
    runs = segments(text, [outer, inner])
    assert kinds(runs, text) == [("到2027年", "target"), ("鄂州市科技局", "agency"), ("建成平台3个", "target")]
    assert runs[1].marks == (inner, outer) and runs[0].marks == (outer,)


def test_of_two_overlapping_marks_as_long_the_later_wins_and_of_one_span_the_kind_listed_first():
    text = "甲乙丙丁戊己"
    runs = segments(text, [Mark(0, 4, "district", "甲"), Mark(2, 6, "park", "丙")])
    assert kinds(runs, text) == [("甲乙", "district"), ("丙丁", "park"), ("戊己", "park")]
    same = segments("临空经济区", [Mark(0, 5, "district", "临空经济区"), Mark(0, 5, "agency", "临空经济区")])
    assert [(run.kind, [m.kind for m in run.marks]) for run in same] == [("agency", ["agency", "district"])]


def test_marks_beyond_the_stretch_are_cut_at_its_edges():
    text = "零一二三四五六七八九"
    runs = segments(text, [Mark(0, 4, "agency", "零"), Mark(6, 10, "target", "六")], 2, 8)
    assert [(run.start, run.end, run.kind) for run in runs] == [(2, 4, "agency"), (4, 6, None), (6, 8, "target")]


def test_the_focus_breaks_runs_at_its_edges_and_marks_those_inside():
    text = "零一二三四五"
    runs = segments(text, [Mark(0, 6, "target", "零")], focus=(2, 4))
    assert [(run.start, run.end, run.kind, run.focus) for run in runs] == [
        (0, 2, "target", False), (2, 4, "target", True), (4, 6, "target", False)]


def test_the_window_starts_at_the_line_of_the_action_and_ends_at_a_line_end():
    text = "".join(f"第{n:03d}行。\n" for n in range(100))  # 7 characters a line
    assert reader.window(text, 10_000, at=300) == (0, len(text))  # short: whole
    start, end = reader.window(text, 70, at=303)
    assert (start, text[start : start + 4], text[end - 1], end - start) == (301, "第043", "\n", 70)
    assert reader.window(text, 70, at=303, fit=(301, 500))[1] == 504  # long enough for the action, to its line end
    assert reader.earlier(text, 70, 301) == 231 and reader.earlier(text, 70, 50) == 0


def test_document_marks_gather_units_entities_and_targets_of_that_document_only():
    graph = nx.MultiDiGraph()
    graph.add_node("d", label="Document")
    graph.add_node("x", label="Action", doc_id="d", span=[0, 30], seq=1)
    graph.add_node("a", label="Agency", name="某县科技局")
    graph.add_node("m", label="Agency", name="某镇人民政府")
    graph.add_node("o", label="Organization", name="某公司", doc_id="d", span=[3, 6])
    graph.add_node("t", label="Target", metric="平台", doc_id="d", span=[8, 14])
    graph.add_node("u", label="Target", metric="别处", doc_id="other", span=[8, 14])
    graph.add_edge("a", "x", type="LEADS", doc_id="d", span=[20, 24])
    graph.add_edge("m", "x", type="RESPONSIBLE_FOR", doc_id="d", span=None, derived_from="c")  # a member: no span
    graph.add_edge("x", "o", type="MENTIONS", doc_id="d", span=[3, 6])
    graph.add_edge("x", "t", type="SETS_TARGET", doc_id="d", span=[8, 14])
    assert reader.document_marks(graph, "d") == [
        Mark(3, 6, "organisation", "某公司"), Mark(8, 14, "target", "平台"), Mark(20, 24, "agency", "某县科技局")]
    assert reader.document_actions(graph, "d") == ["x"] and reader.action_span(graph, "x") == (0, 30)
    assert reader.action_span(graph, None) is None and reader.action_span(graph, "gone") is None


def test_a_plans_marks_before_it_is_loaded_are_those_the_graph_would_hold():
    from graph.records import document_records

    doc = extract_text(PLAN, "t.txt")
    graph = nx.MultiDiGraph()
    records = document_records(doc)
    for label, rows in records.nodes.items():
        for row in rows:
            graph.add_node(row["id"], label=label, **{k: v for k, v in row.items() if k != "id"})
    for rel_type, rels in records.relationships.items():
        for rel in rels:
            graph.add_edge(rel.start, rel.end, type=rel_type, **rel.properties)
    from_plan = {(m.start, m.end, m.kind) for m in reader.plan_marks(doc)}
    assert from_plan == {(m.start, m.end, m.kind) for m in reader.document_marks(graph, doc.id)}
    assert {(doc.text[s:e], k) for s, e, k in from_plan} >= {
        ("县科技局", "agency"), ("县财政局", "agency"), ("县经信局", "agency"),
        ("到2026年底建成县算力平台1个", "target")}


def test_the_html_escapes_the_text_and_the_names_in_tooltips():
    text = '<b>"市局"</b>&'
    marks = [Mark(3, 7, "agency", '<img src=x onerror="1">')]
    page = reader.reader_html(text, segments(text, marks, focus=(0, len(text))), {"agency": "机构"}, "{kind}：{name}")
    assert page == ('<div class="pk-reader"><span class="pk-focus">&lt;b&gt;<span class="pk-m pk-k-agency" '
                    'title="机构：&lt;img src=x onerror=&quot;1&quot;&gt;">&quot;市局&quot;</span>&lt;/b&gt;&amp;'
                    '</span></div>')
    assert reader.legend_html({"agency": "<i>机构</i>"}, ["agency", "nonsense"], "<所在>") == (
        '<div class="pk-legend"><span><span class="pk-chip pk-k-agency"></span>&lt;i&gt;机构&lt;/i&gt;</span>'
        '<span><span class="pk-chip pk-focus-chip"></span>&lt;所在&gt;</span></div>')


def test_colours_are_data_from_the_reader_table_of_styles_toml():
    style = reader.reader_style()
    assert list(style.colors) == list(reader.KINDS) == [
        "agency", "district", "park", "platform", "organisation", "person", "target"]
    assert len(set(style.colors.values())) == len(reader.KINDS)  # one colour per kind
    css = reader.reader_css(style)
    assert f".pk-reader .pk-k-agency,.pk-legend .pk-k-agency{{background:{style.colors['agency']}}}" in css
    assert f"outline:2px solid {style.focus}" in css


@pytest.mark.parametrize("table, problem", [
    ('focus = "#2563eb"\nwindow = 4000\n[reader.kinds]\nagency = "red;}</style><script>"', "reader.kinds.agency"),
    ('focus = "blue"\nwindow = 4000\n[reader.kinds]\nagency = "#fde68a"', "reader.kinds.district|reader.focus"),
    ('focus = "#2563eb"\nwindow = 10\n[reader.kinds]\n', "reader"),
])
def test_a_colour_that_is_not_rrggbb_is_refused(tmp_path, table, problem):
    kinds = "".join(f'{kind} = "#aaaaaa"\n' for kind in reader.KINDS if f"\n{kind} =" not in table)
    path = tmp_path / "styles.toml"
    path.write_text(f"[reader]\n{table}\n{kinds}" if "[reader.kinds]" in table else f"[reader]\n{table}\n",
                    encoding="utf-8")
    with pytest.raises((ValueError, KeyError)):
        reader.reader_style(path)
