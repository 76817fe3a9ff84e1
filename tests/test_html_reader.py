"""Plans saved from government web sites (.html / .htm): body without chrome, tables as tables, charsets.

Every page here is invented; the page layouts are those of the genre (a site header with the
site name and a menu, a 当前位置 breadcrumb, the article, a footer with 版权所有 and a site map).
"""

from __future__ import annotations

import pytest

from loaders import LoaderError, extract_path
from loaders.readers import read_document


def units(action):
    return [(g.name, g.role, g.lead_basis) for g in action.agencies if not g.derived_from]


def page(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head>{head}<title>某市人民政府 门户网站 首页 牵头单位:市网站办</title>
<style>.nav {{ color: red }} /* 责任单位:市样式局 */</style>
<script>var notice = "一、脚本里的标题(责任单位:市脚本局)";</script></head>
<body>
<div id="top-bar"><a href="/">首页</a> | 无障碍 | 关怀版</div>
<div class="header"><div class="logo">某市人民政府</div>
<ul class="nav"><li><a href="/zwgk/">政务公开</a></li><li>政务服务</li></ul></div>
<nav><a href="/">首页</a><a href="/hd/">互动交流(牵头单位:市导航局)</a></nav>
<div class="breadcrumb">当前位置:首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="article-content">
{body}
</div>
<div class="share">分享到:微信 微博</div>
<footer><p>网站地图 | 联系我们</p><p>某市人民政府办公室 版权所有 主办单位:市政府办公室</p></footer>
<script>document.write("1.写出来的条目(责任单位:市文档局)")</script>
</body></html>"""


TABLE_BODY = """
<p>关于印发2025年民生实事责任分工的通知</p>
<p>各区人民政府,市政府各部门:</p>
<p>现将责任分工印发给你们,请认真贯彻执行。</p>
<table border="1">
<thead><tr><th>序号</th><th>实事项目</th><th>责任领导</th><th>牵头单位</th><th>协同单位</th><th>完成时限</th></tr></thead>
<tbody>
<tr><td colspan="6">一、教育卫生</td></tr>
<tr><td>1</td><td>新建公办幼儿园6所。新增学位1800个。</td><td rowspan="2">张三</td>
    <td rowspan="2">市教育局</td><td><p>市财政局</p><p>市自然资源局</p></td><td>2025年底</td></tr>
<tr><td>2</td><td>改造中小学食堂20所。</td><td>市市场监管局</td><td>2025年9月</td></tr>
<tr><td colspan="6">二、城市建设</td></tr>
<tr><td>3</td><td>改造老旧小区30个。</td><td>李四</td><td>市住房城乡建设局</td><td>各区人民政府</td>
    <td>2025年底</td></tr>
</tbody></table>
"""


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_saved_page_s_chrome_script_and_style_are_not_read(tmp_path):
    document = read_document(write(tmp_path, "plan.html", page(TABLE_BODY)))
    for chrome in ("门户网站", "政务公开", "当前位置", "无障碍", "分享到", "版权所有", "网站地图", "脚本", "样式",
                   "导航", "文档局", "color"):
        assert chrome not in document.text, chrome
    assert document.text.startswith("关于印发2025年民生实事责任分工的通知\n各区人民政府,市政府各部门:\n")


def test_a_table_on_a_page_is_read_row_by_row_with_merged_cells_in_every_row_they_span(tmp_path):
    doc = extract_path(write(tmp_path, "plan.html", page(TABLE_BODY)))
    rows = [(a.number, a.title, a.section[-1:], units(a)) for a in doc.actions]
    assert rows == [
        ("1", "新建公办幼儿园6所", ["一、教育卫生"],
         [("市教育局", "lead", "explicit"), ("市财政局", "support", None), ("市自然资源局", "support", None)]),
        ("2", "改造中小学食堂20所", ["一、教育卫生"],
         [("市教育局", "lead", "explicit"), ("市市场监管局", "support", None)]),
        ("3", "改造老旧小区30个", ["二、城市建设"],
         [("市住房城乡建设局", "lead", "explicit"), ("各区人民政府", "support", None)]),
    ]
    people = sorted({e.name for e in doc.entities if e.type == "Person"})
    assert people == ["张三", "李四"]
    assert not {"张三", "李四"} & {g.name for a in doc.actions for g in a.agencies}


PARAGRAPH_BODY = """
<p>一、 扩大教育资源。新增学位2000个。</p>
<p>牵头单位:县教育局</p>
<p>责任单位:县财政局、各乡镇人民政府</p>
<p>二、 提升供水保障水平。</p>
<p>牵头单位:县水利局</p><p>责任单位:县发展改革局</p>
<p>县人民政府办公室</p>
"""

PARAGRAPH_ACTIONS = [
    ("一、", "扩大教育资源", [("县教育局", "lead", "explicit"), ("县财政局", "responsible", None),
                             ("各乡镇人民政府", "responsible", None)]),
    ("二、", "提升供水保障水平", [("县水利局", "lead", "explicit"), ("县发展改革局", "responsible", None)]),
]


@pytest.mark.parametrize("head, encoding", [
    ('<meta charset="utf-8">', "utf-8"),
    ('<meta charset="gbk">', "gbk"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb2312"),
    ("", "gbk"),                                   # no declaration: detected
    ('<meta charset="gb2312">', "utf-8"),          # saved again as UTF-8, the old declaration kept
    ('<meta charset="no-such-charset">', "gb18030"),
])
def test_a_page_s_charset_is_read_from_its_meta_or_detected(tmp_path, head, encoding):
    path = write(tmp_path, "plan.htm", page(PARAGRAPH_BODY, head=head), encoding)
    doc = extract_path(path)
    assert [(a.number, a.title, units(a)) for a in doc.actions] == PARAGRAPH_ACTIONS


def test_a_deadline_line_after_the_note_lines_is_not_a_unit(tmp_path):
    body = PARAGRAPH_BODY.replace("</p>\n<p>二、", "</p>\n<p>完成时限:2025年12月31日前</p>\n<p>二、", 1)
    assert "完成时限" in body
    doc = extract_path(write(tmp_path, "plan.html", page(body)))
    assert [(a.number, a.title, units(a)) for a in doc.actions] == PARAGRAPH_ACTIONS


def test_a_layout_table_holding_the_article_is_read_as_blocks_and_its_inner_table_as_a_table(tmp_path):
    body = f"""<table class="layout"><tr><td>左栏</td><td>{TABLE_BODY}</td></tr></table>"""
    document = read_document(write(tmp_path, "plan.html", page(body)))
    assert len(document.tables) == 1
    assert [c.text for c in document.tables[0].rows[0]] == ["序号", "实事项目", "责任领导", "牵头单位", "协同单位",
                                                          "完成时限"]


def test_unclosed_paragraphs_and_cells_are_closed_where_the_next_one_starts(tmp_path):
    body = ("<p>一、 扩大教育资源。<p>牵头单位:县教育局<p>责任单位:县财政局"
            "<table><tr><th>序号<th>任务<th>牵头单位<tr><td>1<td>建设图书馆。<td>县文旅局</table>")
    doc = extract_path(write(tmp_path, "plan.html", page(body)))
    assert [(a.number, units(a)) for a in doc.actions] == [
        ("一、", [("县教育局", "lead", "explicit"), ("县财政局", "responsible", None)]),
        ("1", [("县文旅局", "lead", "explicit")]),
    ]


def test_deep_nesting_and_huge_spans_cost_no_more_than_the_page(tmp_path):
    body = "<div>" * 50_000 + "<p>一、 建设平台。(责任单位:市科技局)</p>" + "</div>" * 50_000
    body += '<table><tr><td colspan="100000000">序号</td><td rowspan="100000000">任务</td></tr></table>'
    doc = extract_path(write(tmp_path, "plan.html", page(body)))
    assert [(a.number, units(a)) for a in doc.actions] == [("一、", [("市科技局", "lead", "first-listed")])]


@pytest.mark.parametrize("name, data, says", [
    ("empty.html", b"", "file is empty"),
    ("binary.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary file"),
    ("chrome_only.html", page("").encode(), "no text in its body"),
    ("undecodable.htm", b"<html><body>" + b"\xff\xfe\xfd\x80" * 50 + b"</body></html>", "undecodable"),
])
def test_a_bad_page_is_one_loader_error_line(tmp_path, name, data, says):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoaderError) as caught:
        extract_path(path)
    message = str(caught.value)
    assert "\n" not in message and name in message and says in message


def test_a_page_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYKG_MAX_FILE_MB", "0.001")
    path = write(tmp_path, "plan.html", page(TABLE_BODY * 3))
    with pytest.raises(LoaderError, match="the limit is"):
        extract_path(path)


def test_a_table_the_page_flattened_into_a_paragraph_per_cell_is_read_as_a_table(tmp_path):
    cells = ["序号", "重点工作", "牵头单位", "配合单位",
             "1", "建设社区食堂20个。", "市民政局", "市财政局、各区人民政府",
             "2", "新增停车位5000个。", "市住房城乡建设局", "市公安局"]
    body = "<p>某市2025年民生实事责任分工</p>" + "".join(f"<p>{cell}</p>" for cell in cells)
    body += "<p>市政府办公室</p>"
    doc = extract_path(write(tmp_path, "plan.html", page(body)))
    assert [(a.number, a.title, units(a)) for a in doc.actions] == [
        ("1", "建设社区食堂20个", [("市民政局", "lead", "explicit"), ("市财政局", "support", None),
                                  ("各区人民政府", "support", None)]),
        ("2", "新增停车位5000个", [("市住房城乡建设局", "lead", "explicit"), ("市公安局", "support", None)]),
    ]
