"""Responsibility tables as real plans write them: column variants in any order, merged cells,
section rows, leader and deadline columns, several units per cell, ruled tables in PDFs.

All content is invented. The .docx tables are written here with python-docx; the PDFs are
committed under tests/fixtures/tables_real/ (written by make_pdf.py there, with fpdf2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import extract_path
from loaders.readers import Cell, Table, read_document
from loaders.tables import header_kind, read_table_rows

HERE = Path(__file__).resolve().parent / "fixtures" / "tables_real"


def units(action):
    return [(g.name, g.role, g.lead_basis) for g in action.agencies if not g.derived_from]


def rows_of(doc):
    return [(a.number, a.title, a.section[-1:], units(a)) for a in doc.actions]


def write_docx(path, header, rows, merges=(), before=("某县2025年重点工作任务分解表",)):
    """A .docx with a table; ``merges`` are ((row, column), (row, column)) pairs to merge (body rows from 1)."""
    import docx

    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows) + 1, cols=len(header))
    for column, label in enumerate(header):
        table.cell(0, column).text = label
    for r, values in enumerate(rows, start=1):
        for column, value in enumerate(values):
            cell = table.cell(r, column)
            paragraphs = value.split("\n")
            cell.text = paragraphs[0]
            for extra in paragraphs[1:]:
                cell.add_paragraph(extra)
    for (r0, c0), (r1, c1) in merges:
        keep = table.cell(r0, c0).text
        merged = table.cell(r0, c0).merge(table.cell(r1, c1))
        for paragraph in merged.paragraphs[1:]:  # python-docx appends the merged cells' paragraphs
            paragraph._element.getparent().remove(paragraph._element)
        merged.paragraphs[0].text = keep
    document.save(path)
    return path


@pytest.mark.parametrize("label, kind", [
    ("序号", "number"), ("主 要 工 作 任 务", "task"), ("主要工作举措", "task"), ("事项名称", "task"),
    ("牵头单位", "lead"), ("牵头 单位", "lead"), ("牵头责任单位", "lead"), ("主要责任单位", "lead"),
    ("责任单位", "responsible"), ("责任主体与协同单位", "responsible"),
    ("配合单位", "support"), ("协同单位", "support"), ("协同配合单位", "support"),
    ("责任领导", "leader"), ("分管 领导", "leader"), ("完成时限", "deadline"),
    ("落实情况", "other"), ("2025年建设内容", "other"), ("年度投资金额(万元)", "other"), ("备注", "other"),
    ("项目名称", "task"),
])
def test_column_headers_are_read_from_the_vocabulary_longest_label_first(label, kind):
    assert header_kind(label) == kind


def test_columns_in_any_order_with_a_leader_and_a_deadline_column(tmp_path):
    path = write_docx(tmp_path / "t.docx",
                      ["完成时限", "协同配合单位", "牵头责任单位", "责任领导", "重点任务", "序号"],
                      [["2025年底", "县财政局\n县人社局", "县发展改革局", "王某某", "建设产业园区。", "1"],
                       ["2025年6月", "", "县数据局", "李某", "建成政务云平台。", "2"]])
    doc = extract_path(path)
    assert rows_of(doc) == [
        ("1", "建设产业园区", [], [("县发展改革局", "lead", "explicit"), ("县财政局", "support", None),
                                  ("县人社局", "support", None)]),
        ("2", "建成政务云平台", [], [("县数据局", "lead", "explicit")]),
    ]
    assert sorted(e.name for e in doc.entities if e.type == "Person") == ["李某", "王某某"]
    assert sorted(t.deadline for t in doc.targets if t.deadline) == ["2025年6月", "2025年底"]


def test_vertically_merged_cells_and_a_section_row_across_the_table(tmp_path):
    path = write_docx(tmp_path / "t.docx", ["序号", "主要工作举措", "牵头单位", "配合单位", "责任领导"],
                      [["一、做强主导产业"] * 5,
                       ["1", "推进农产品精深加工。", "县农业农村局", "县发展改革局、县工业和信息化局", ""],
                       ["2", "加快在建项目建设进度。", "县经济开发区管委会", "县自然资源分局、县生态环境分局", "张某"],
                       ["3", "推动签约项目开工建设。", "", "", ""]],
                      merges=[((1, 0), (1, 4)), ((3, 2), (4, 2)), ((3, 3), (4, 3)), ((3, 4), (4, 4))])
    doc = extract_path(path)
    assert rows_of(doc) == [
        ("1", "推进农产品精深加工", ["一、做强主导产业"],
         [("县农业农村局", "lead", "explicit"), ("县发展改革局", "support", None),
          ("县工业和信息化局", "support", None)]),
        ("2", "加快在建项目建设进度", ["一、做强主导产业"],
         [("县经济开发区管委会", "lead", "explicit"), ("县自然资源分局", "support", None),
          ("县生态环境分局", "support", None)]),
        ("3", "推动签约项目开工建设", ["一、做强主导产业"],
         [("县经济开发区管委会", "lead", "explicit"), ("县自然资源分局", "support", None),
          ("县生态环境分局", "support", None)]),
    ]


def test_a_responsible_column_beside_a_support_column_is_the_lead(tmp_path):
    path = write_docx(tmp_path / "t.docx", ["工作任务", "责任单位", "配合单位", "完成时间"],
                      [["负责全县扬尘污染防治的宣传报道。", "县委宣传部", "", "持续开展"],
                       ["负责建筑工地扬尘整治。", "县住建局", "县城管局", "6月底前"]])
    doc = extract_path(path)
    assert [(a.title, units(a)) for a in doc.actions] == [
        ("负责全县扬尘污染防治的宣传报道", [("县委宣传部", "lead", "explicit")]),
        ("负责建筑工地扬尘整治", [("县住建局", "lead", "explicit"), ("县城管局", "support", None)]),
    ]


def test_a_responsible_column_alone_marks_no_lead_and_plain_row_numbers_are_numbers(tmp_path):
    path = write_docx(tmp_path / "t.docx", ["", "项目名称", "建设地点", "2025年建设内容", "年度投资(万元)", "责任单位"],
                      [["1", "中小学运动场改造项目", "相关镇(街道)", "改造运动场地6处。", "300", "教体局"],
                       ["2", "城区道路建设项目", "城关镇", "建成道路1.2公里。", "1360", "住建局\n交通局"]])
    doc = extract_path(path)
    assert rows_of(doc) == [
        ("1", "中小学运动场改造项目", [], [("教体局", "lead", "first-listed")]),
        ("2", "城区道路建设项目", [], [("住建局", "lead", "first-listed"), ("交通局", "responsible", None)]),
    ]


def test_columns_that_cannot_be_told_apart_are_warned_about_and_their_units_left_out():
    text = "序号\t任务\t责任单位\t责任单位\n1\t建平台。\t市科技局\t市财政局\n"
    cells = []
    offset = 0
    for line in text.splitlines():
        row = []
        for value in line.split("\t"):
            row.append(Cell(value, (offset, offset + len(value))))
            offset += len(value) + 1
        cells.append(row)
    rows = read_table_rows(Table(rows=cells, span=(0, len(text))), text)
    assert rows.warnings and "left out rather than guessed" in rows.warnings[0].message
    assert [(r.number, r.task.text, sorted(r.columns)) for r in rows] == [("1", "建平台。", ["number", "task"])]


def test_a_ruled_pdf_table_is_read_as_a_table_with_one_unit_per_line():
    path = HERE / "pdf_ruled_table_units_one_per_line.pdf"
    document = read_document(path)
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0]] == ["序号", "事项名称", "责任单位", "事项内容"]
    unit_cell = table.rows[1][2]
    assert [document.text[a:b] for a, b in unit_cell.lines] == ["城南街道", "城北街道", "河东镇"]
    assert table.rows[1][1].text == "实施中心城区社区服务圈提质扩面建设工程"  # wrapped in its cell, joined back
    assert "现将目标任务印发给你们" in document.text and "区政府办公室" in document.text
    doc = extract_path(path)
    assert rows_of(doc) == [
        ("1", "实施中心城区社区服务圈提质扩面建设工程", [],
         [("城南街道", "lead", "first-listed"), ("城北街道", "responsible", None), ("河东镇", "responsible", None)]),
        ("2", "实施老旧小区居住品质提升工程", [], [("住房城乡建设局", "lead", "first-listed")]),
        ("3", "开展校园食品安全提升行动", [],
         [("市场监管局", "lead", "first-listed"), ("教育局", "responsible", None)]),
    ]


def test_a_pdf_table_s_merged_lead_cell_holds_for_every_row_it_spans_and_a_section_row_heads_them():
    doc = extract_path(HERE / "pdf_ruled_table_merged_lead.pdf")
    assert rows_of(doc) == [
        ("1", "推进农产品加工园区建设", ["一、产业发展"],
         [("县农业农村局", "lead", "explicit"), ("县财政局", "support", None)]),
        ("2", "培育规模以上农业企业5家", ["一、产业发展"],
         [("县农业农村局", "lead", "explicit"), ("县商务局", "support", None)]),
        ("3", "建成县级物流分拨中心", ["一、产业发展"],
         [("县交通运输局", "lead", "explicit"), ("县邮政管理局", "support", None)]),
    ]


def test_a_pdf_without_ruled_tables_reads_as_before():
    path = Path(__file__).resolve().parent / "fixtures" / "pdf_text_plan_reading_order.pdf"
    document = read_document(path)
    assert document.tables == [] and not document.text.endswith("\n")


# -- tables a web page flattened into text (a .txt copy of the page) ------------------------------
def extract_txt(tmp_path, text, name="plan.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return extract_path(path)


ONE_CELL_PER_LINE = """当前位置: 首页 > 政务公开 > 市政府文件

某市2025年市政府工作报告重点工作责任分工

序号

重点工作

市政府

分管领导

责任单位

备注

推进科技创新。





(一)

加强创新平台建设。





1

建设省级技术创新中心,引进研发机构10家。

赵 刚

市科技局*、市工业和信息化局,甲区、乙区政府


2

全力做好实验室筹建保障工作。

赵 刚

市科技局


"""


def test_a_table_flattened_one_cell_per_line_with_a_split_header_and_category_rows(tmp_path):
    doc = extract_txt(tmp_path, ONE_CELL_PER_LINE)
    assert rows_of(doc) == [
        ("1", "建设省级技术创新中心,引进研发机构10家", ["(一)\n\n加强创新平台建设。"],
         [("市科技局", "lead", "explicit"), ("市工业和信息化局", "responsible", None),
          ("甲区", "responsible", None), ("乙区政府", "responsible", None)]),
        ("2", "全力做好实验室筹建保障工作", ["(一)\n\n加强创新平台建设。"], [("市科技局", "lead", "first-listed")]),
    ]
    assert [e.name for e in doc.entities if e.type == "Person"] == ["赵 刚"]


UNITS_ON_LINES = """柳城县2025年民生实事目标任务分解表

序号

民生实事

责任单位

完成时限

1

启动建设城南湿地公园。

县水务局

县住建局

县城投公司

12月底前

2

新建2座人行天桥。

县住建局

9月投入使用

3

启动县图书馆新馆建设。

县文旅局

县代建中心

12月底前
"""


def test_units_of_one_cell_written_one_per_line_are_all_that_cells_units(tmp_path):
    # Not the task swallowing 县水务局 and 县住建局 with 县城投公司 left as the lead.
    doc = extract_txt(tmp_path, UNITS_ON_LINES)
    assert [(a.number, a.title, units(a)) for a in doc.actions] == [
        ("1", "启动建设城南湿地公园", [("县水务局", "lead", "first-listed"), ("县住建局", "responsible", None),
                                   ("县城投公司", "responsible", None)]),
        ("2", "新建2座人行天桥", [("县住建局", "lead", "first-listed")]),
        ("3", "启动县图书馆新馆建设", [("县文旅局", "lead", "first-listed"), ("县代建中心", "responsible", None)]),
    ]
    assert doc.actions[0].text == "启动建设城南湿地公园。"


PIPE_CELLS = """附件:
|
某縣2025年十件民生實事項目清單 |
||||||
|
序號 |
項目名稱 |
建設地點 |
2025年建設內容 |
年度投資(萬元) |
責任單位 |
|
1 |
中小學運動場改造項目 |
城關鎮 |
改造運動場地6處。 |
300 |
教體局 |
|
2 |
農村公路安全防護工程 |
東河鎮西河鎮 |
實施安全防護工程30公里。 |
1200 |
交通局 |
|
3 |
職教中心分校建設項目 |
"""


def test_a_table_flattened_one_cell_per_line_ending_in_pipes_in_traditional_characters(tmp_path):
    doc = extract_txt(tmp_path, PIPE_CELLS)
    assert [(a.number, a.title, units(a)) for a in doc.actions] == [
        ("1", "中小學運動場改造項目", [("教體局", "lead", "first-listed")]),
        ("2", "農村公路安全防護工程", [("交通局", "lead", "first-listed")]),
        ("3", "職教中心分校建設項目", []),
    ]
    assert not {"城關鎮", "東河鎮西河鎮"} & {g.name for a in doc.actions for g in a.agencies}


SHIFTED = """2025年区政府民生实事推进情况
序号 |
主要任务 |
全年目标 |
分管 领导 |
牵头 单位 |
责任主体与协同单位 |
推进情况 |
说明 |
7 |
新建口袋公园10个。 |
钱某 |
园林局 |
城建局、相关街道 |
已完成6个。 |
||
8 |
改造农贸市场3个。 |
孙某 |
商务局 |
市场监管局、各街道 |
已开工。 |
|
"""


def test_rows_that_skip_a_column_are_placed_by_what_their_cells_hold(tmp_path):
    doc = extract_txt(tmp_path, SHIFTED)
    assert rows_of(doc) == [
        ("7", "新建口袋公园10个", [], [("园林局", "lead", "explicit"), ("城建局", "responsible", None),
                                     ("相关街道", "responsible", None)]),
        ("8", "改造农贸市场3个", [], [("商务局", "lead", "explicit"), ("市场监管局", "responsible", None),
                                    ("各街道", "responsible", None)]),
    ]
    assert sorted(e.name for e in doc.entities if e.type == "Person") == ["孙某", "钱某"]


PIPE_ROWS = """某县2025年重点任务分工
序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限 |
1 | 建设数字乡村示范点5个。 | 县农业农村局 | 县数据局、各乡镇 | 2025年底 |
2 | 开展电商人才培训1000人次。 | 县商务局 | 县人社局 | 2025年10月 |
县人民政府办公室
"""


def test_a_table_flattened_one_row_per_line_between_pipes(tmp_path):
    doc = extract_txt(tmp_path, PIPE_ROWS)
    assert rows_of(doc) == [
        ("1", "建设数字乡村示范点5个", [], [("县农业农村局", "lead", "explicit"), ("县数据局", "responsible", None),
                                          ("各乡镇", "responsible", None)]),
        ("2", "开展电商人才培训1000人次", [], [("县商务局", "lead", "explicit"), ("县人社局", "responsible", None)]),
    ]


WRAPPED_UNITS = """打印整页 打印内容 分享

序号

主要任务

进展情况

责任单位


1

打造金融特色楼宇。

区投促局:已完成楼宇信息摸底。

区投促局、

东风街道办事处


东风街道办事处:已有3家企业入驻。


2

打造科创特色楼宇。

区科技局:已对接入驻企业5家。

区科技局、

西湖街道办事处


西湖街道办事处:正在装修。
"""


def test_a_unit_cell_written_over_lines_ending_in_a_separator_is_one_cell(tmp_path):
    doc = extract_txt(tmp_path, WRAPPED_UNITS)
    assert rows_of(doc) == [
        ("1", "打造金融特色楼宇", [], [("区投促局", "lead", "first-listed"), ("东风街道办事处", "responsible", None)]),
        ("2", "打造科创特色楼宇", [], [("区科技局", "lead", "first-listed"), ("西湖街道办事处", "responsible", None)]),
    ]


def test_a_flattened_row_whose_cells_cannot_be_placed_is_warned_about_and_its_units_left_out(tmp_path):
    from loaders.readers import read_document as read

    text = ("序号\n\n主要任务\n\n牵头单位\n\n配合单位\n\n完成时限\n\n"
            "1\n\n建设智慧停车场。\n\n市城管局\n\n2025年底\n\n"  # lead or support missing: which one?
            "2\n\n建设公共充电桩。\n\n市发展改革委\n\n市住建局\n\n2025年6月\n")
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    table = read(path).tables[0]
    assert [w.message for w in table.warnings] == [
        "table row 1: its cells fit the header's columns in more than one way; "
        "its units are left out rather than guessed"]
    doc = extract_path(path)
    assert [(a.number, units(a)) for a in doc.actions] == [
        ("1", []),
        ("2", [("市发展改革委", "lead", "explicit"), ("市住建局", "support", None)]),
    ]
    assert table.warnings[0] in doc.warnings  # the reader's warning reaches the plan (and the upload preview)


def test_numbered_text_after_a_flattened_table_is_read_as_items_again(tmp_path):
    text = PIPE_ROWS.replace("县人民政府办公室\n", "二、保障措施\n(一)加强组织领导。(责任单位:县政府办公室)\n")
    doc = extract_txt(tmp_path, text)
    assert [(a.number, units(a)) for a in doc.actions][-1] == ("（一）", [("县政府办公室", "lead", "first-listed")])
    assert len(doc.actions) == 3


SPACE_ROWS = """某市全面推行湖长制主要任务分解表

序号 类别 主要任务 细化措施 牵头单位 参与单位 责任单位
1 加强湖泊保 护 严守湖泊水域 岸线 开展岸线确权。 市水利局 市自然资源局、生态环境局等 各县(市、区)人民政府
2  推进湖泊清 淤 实施重点湖泊清淤工程3处。 市水利局 市财政局 各县(市、区)人民政府
3 开展联合执法 依法打击非法采砂。 市水利局 县公安局 城东街道 西关街道
二、保障措施
(一)加强组织领导。(责任单位:市河湖长制办公室)
"""


def test_a_table_flattened_one_row_per_line_between_spaces_reads_what_can_be_told_surely(tmp_path):
    from loaders.readers import read_document as read

    path = tmp_path / "plan.txt"
    path.write_text(SPACE_ROWS, encoding="utf-8")
    table = read(path).tables[0]
    assert [w.message for w in table.warnings] == [
        "table row 3: its last cells do not look like the header's 牵头单位、参与单位、责任单位; "
        "its units are left out rather than guessed"]
    doc = extract_path(path)
    assert [(a.number, a.text.split(" ")[0], units(a)) for a in doc.actions] == [
        ("1", "加强湖泊保", [("市水利局", "lead", "explicit"), ("各县(市、区)人民政府", "responsible", None),
                          ("市自然资源局", "support", None), ("生态环境局", "support", None)]),
        ("2", "推进湖泊清", [("市水利局", "lead", "explicit"), ("各县(市、区)人民政府", "responsible", None),
                          ("市财政局", "support", None)]),
        ("3", "开展联合执法", []),  # 城东街道 西关街道: one cell or two? its units are not guessed
        ("（一）", "加强组织领导。", [("市河湖长制办公室", "lead", "first-listed")]),
    ]


def test_note_lines_under_a_short_heading_are_not_a_flattened_table(tmp_path):
    text = "一、重点任务\n(一)重点任务\n牵头单位:县教育局\n责任单位:县财政局\n完成时限:2025年底\n1\n2\n"
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    assert read_document(path).tables == []


def test_a_pdf_table_over_two_pages_is_one_table_and_its_repeated_header_is_not_a_row():
    path = HERE / "pdf_ruled_table_across_pages.pdf"
    document = read_document(path)
    assert len(document.tables) == 1 and len(document.tables[0].rows) == 46
    doc = extract_path(path)
    assert [a.number for a in doc.actions] == [str(n) for n in range(1, 46)]
    lead = {"1": "市发展改革委", "0": "市科技局"}
    assert [units(a) for a in doc.actions] == [
        [(lead[str(n % 2)], "lead", "explicit"), ("市财政局", "support", None)] for n in range(1, 46)]


STREAM = ("附件 某县2025年水污染防治职责清单 工作任务 责任单位 配合单位 完成时间 "
          "负责全县水污染防治工作的宣传报道,开展专题宣传. 县融媒体中心 持续开展 "
          "负责防治工作任务的督导和考核. 县委县政府 督查室 持续开展 "
          "负责抓好河道采砂场的污染防治,督导落实治理措施. 县水利 水产局 6月底前完成 采砂场整治 "
          "负责城区管网的排查和改造,确保雨污分流. 县住建局 12月底前完成 "
          "负责抓好工业园区污水处理")


def test_a_table_run_into_one_stream_of_words_is_read_where_its_cells_can_be_told(tmp_path):
    from loaders.readers import read_document as read

    path = tmp_path / "plan.txt"
    path.write_text("编辑: 某某 2025-03-01\n" + STREAM + "\n", encoding="utf-8")
    table = read(path).tables[0]
    assert table.warnings == []  # 督查室 starts no unit of its own: 县委县政府 督查室 is one unit wrapped
    assert [c.text for c in table.rows[3]] == ["负责抓好河道采砂场的污染防治,督导落实治理措施.", "县水利 水产局", "",
                                              "6月底前完成 采砂场整治"]
    doc = extract_path(path)
    assert [(a.title, units(a)) for a in doc.actions] == [
        ("负责全县水污染防治工作的宣传报道,开展专题宣传.", [("县融媒体中心", "lead", "explicit")]),
        ("负责防治工作任务的督导和考核.", [("县委县政府 督查室", "lead", "explicit")]),
        ("负责抓好河道采砂场的污染防治,督导落实治理措施.", [("县水利 水产局", "lead", "explicit")]),
        ("负责城区管网的排查和改造,确保雨污分流.", [("县住建局", "lead", "explicit")]),
    ]


def test_rows_copied_from_a_spreadsheet_with_tabs_between_cells(tmp_path):
    text = ("某区2025年重点任务分工\n序号\t重点任务\t牵头单位\t配合单位\n"
            "1\t建设 15分钟 便民生活圈。\t区商务局\t区住建局、各街道\n2\t新增托位300个。\t区卫健局\t\n")
    doc = extract_txt(tmp_path, text)
    assert rows_of(doc) == [
        ("1", "建设 15分钟 便民生活圈", [], [("区商务局", "lead", "explicit"), ("区住建局", "support", None),
                                          ("各街道", "support", None)]),
        ("2", "新增托位300个", [], [("区卫健局", "lead", "explicit")]),
    ]
