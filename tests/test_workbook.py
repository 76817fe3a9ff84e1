"""views.workbook: the responsibility matrix as a styled workbook, opened back with openpyxl.

A small hand-built graph (a department leading, one sharing, a collective with a member, a unit named like a
formula) and the bundled 鄂州 plan: fills per role, frozen panes, widths, totals, the key sheet, the file name.
"""

from __future__ import annotations

import io
from datetime import date

import networkx as nx
import openpyxl
import pytest

from views import matrix, workbook

FORMULA_UNIT = "=cmd|'/Ccalc'!A0"
MADE = date(2026, 12, 1)


def words(language: str = "zh") -> workbook.WorkbookWords:
    """The page's words, read as the page reads them (data/ui/agencies.toml)."""
    from explorer.i18n import translate

    def t(key: str) -> str:
        return translate(key, language)

    return workbook.WorkbookWords(
        matrix_sheet=t("agencies.wb_matrix_sheet"), key_sheet=t("agencies.wb_key_sheet"), title=t("agencies.wb_title"),
        about=t("agencies.wb_about"), government=t("agencies.wb_government"), plans=t("agencies.wb_plans"),
        made=t("agencies.wb_made"), order=t("agencies.wb_order"), order_text=t("agencies.matrix_order"),
        key_heading=t("agencies.wb_key"), mark=t("agencies.wb_mark"), role=t("agencies.wb_role"),
        colour=t("agencies.wb_colour"), meaning=t("agencies.wb_meaning"), units_involved=t("agencies.units_involved"),
        actions_heading=t("agencies.wb_actions"), column_label=t("agencies.col_column"),
        columns={"agency": t("agencies.col_agency"), "type": t("agencies.col_type"),
                 "member_of": t("agencies.col_member_of"), "led": t("agencies.col_led"),
                 "shared": t("agencies.col_took_part"), "total": t("agencies.col_total")},
        action_columns={"city": t("agencies.col_city"), "document": t("agencies.col_document"),
                        "number": t("agencies.col_number"), "title": t("agencies.col_title")},
        types={"agency": t("agencies.type.agency"), "collective": t("agencies.type.collective"),
               "government": t("agencies.type.government")},
        roles={fill: (t(f"agencies.fill.{fill}"), t(f"agencies.fill_meaning.{fill}")) for fill in matrix.ROLE_FILLS},
        marks=[("↳", t("agencies.mark_derived")), ("✎", t("agencies.mark_corrected"))])


def small_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("doc", label="Document", source="plan.txt", title="甲市行动方案", city="甲市")
    titles = [("1.", "建设人工智能创新平台"), ("2.", "培育企业"), ("3.", "=1+1")]
    for seq, (number, title) in enumerate(titles, start=1):
        g.add_node(f"a{seq}", label="Action", doc_id="doc", seq=seq, number=number, title=title, city="甲市")
    for name, kind, collective in [("甲市科技局", "agency", False), ("甲市自然资源和城乡建设局", "agency", False),
                                   (FORMULA_UNIT, "agency", False), ("甲市各区人民政府", "collective", True),
                                   ("甲区人民政府", "government", False)]:
        g.add_node(name, label="Agency", name=name, type=kind, collective=collective, city="甲市")
    g.add_edge("甲市各区人民政府", "甲区人民政府", type="INCLUDES")
    for agency, action, rel_type, basis, derived in [
            ("甲市科技局", "a1", "LEADS", "explicit", None), ("甲市科技局", "a2", "RESPONSIBLE_FOR", None, None),
            ("甲市自然资源和城乡建设局", "a2", "LEADS", "first-listed", None),
            ("甲市自然资源和城乡建设局", "a3", "SUPPORTS", None, None), (FORMULA_UNIT, "a3", "LEADS", "explicit", None),
            ("甲市各区人民政府", "a1", "RESPONSIBLE_FOR", None, None),
            ("甲区人民政府", "a1", "RESPONSIBLE_FOR", None, "甲市各区人民政府")]:
        g.add_edge(agency, action, type=rel_type, basis=basis, derived_from=derived, rank=1)
    return g


@pytest.fixture(scope="module")
def book():
    frame = matrix.responsibility_matrix(small_graph())
    data = workbook.matrix_workbook(frame, words(), governments=["甲市"], plans=["甲市行动方案"], made=MADE)
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_workbook_has_the_matrix_sheet_then_the_key(book):
    assert book.sheetnames == ["责任矩阵", "图例"]


def test_matrix_sheet_rows_headers_and_totals(book):
    sheet = book["责任矩阵"]
    assert rows(sheet) == [
        ["单位", "单位类型", "所属集体单位", "牵头", "参与（未牵头）", "合计", "1.\n建设人工智能创新平台",
         "2.\n培育企业", "3.\n=1+1"],
        ["甲市科技局", "政府部门", None, 1, 1, 2, "L", "R", None],  # led 1, shared 1: by name, 科 before 自
        ["甲市自然资源和城乡建设局", "政府部门", None, 1, 1, 2, None, "L*", "S"],
        [FORMULA_UNIT, "政府部门", None, 1, 0, 1, None, None, "L"],
        ["甲市各区人民政府", "集体单位", None, 0, 1, 1, "R", None, None],
        ["甲区人民政府", "人民政府", "甲市各区人民政府", 0, 1, 1, "R↳", None, None],
        ["参与单位数", None, None, None, None, None, 3, 2, 2],
    ]


def test_cells_are_filled_with_the_colour_of_their_role(book):
    sheet = book["责任矩阵"]
    assert sheet["G2"].value == "L" and sheet["G2"].fill.fill_type == "solid"
    assert sheet["G2"].fill.fgColor.rgb == "FF93C5FD"  # lead, from [matrix] of styles.toml
    assert sheet["H3"].value == "L*" and sheet["H3"].fill.fgColor.rgb == "FFDBEAFE"
    assert sheet["H2"].value == "R" and sheet["H2"].fill.fgColor.rgb == "FFBBF7D0"
    assert sheet["I3"].value == "S" and sheet["I3"].fill.fgColor.rgb == "FFFDE68A"
    assert sheet["G6"].value == "R↳" and sheet["G6"].fill.fgColor.rgb == "FFBBF7D0"
    assert sheet["I2"].fill.fill_type is None  # no role, no fill
    assert sheet["A1"].fill.fgColor.rgb == "FFE5E7EB" and sheet["A1"].font.bold
    assert sheet["G7"].fill.fgColor.rgb == "FFF3F4F6"  # the totals


def test_header_row_and_name_column_are_frozen(book):
    assert book["责任矩阵"].freeze_panes == "B2"


def test_column_widths_fit_cjk_text_counted_twice(book):
    widths = book["责任矩阵"].column_dimensions
    assert widths["A"].width == 2 * len("甲市自然资源和城乡建设局") + 2  # the longest name: 12 CJK characters
    assert widths["B"].width == workbook.MIN_WIDTH + 4  # 单位类型 / 政府部门: four CJK characters
    assert widths["G"].width == workbook.ACTION_WIDTH
    assert book["责任矩阵"]["G1"].alignment.wrap_text
    assert book["责任矩阵"].row_dimensions[1].height > workbook.LINE_HEIGHT  # the titles wrap under the numbers


def test_text_is_text_never_a_formula_and_counts_are_numbers(book):
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    formula_like = [cell for cell in cells if cell.value in (FORMULA_UNIT, "=1+1", "3.\n=1+1")]
    assert len(formula_like) >= 3 and {cell.data_type for cell in formula_like} == {"s"}
    assert book["责任矩阵"]["D2"].data_type == "n" and book["责任矩阵"]["G7"].data_type == "n"


def test_key_sheet_says_what_the_sheet_is_and_each_roles_colour(book):
    key = rows(book["图例"])
    text = [[value for value in row if value is not None] for row in key]
    assert text[0] == ["责任矩阵：图例与说明"]
    assert text[1][0].startswith("本工作簿列出各单位在行动方案中的分工")
    assert text[2:5] == [["政府", "甲市"], ["文件", "甲市行动方案"], ["制表日期", "2026-12-01"]]
    assert text[5][0] == "行的顺序" and text[5][1].startswith("政府部门（含党委部门）在前")
    roles = text[text.index(["角色与颜色"]) + 1:][:7]
    assert roles == [
        ["标记", "角色", "颜色", "含义"],
        ["L", "牵头单位（文件写明）", "#93c5fd", "文件明确写明由该单位牵头。"],
        ["L*", "牵头单位（列第一位，推定）", "#dbeafe",
         "分工说明未标明牵头单位，按“列第一位的为牵头单位”的工作惯例推定；文件本身并未这样写。"],
        ["R", "责任单位", "#bbf7d0", "与其他单位共同承担该行动。"],
        ["S", "配合单位", "#fde68a", "配合（协办、参与）该行动。"],
        ["↳", "由集体单位展开的成员（如 R↳：该集体单位负有责任，成员随之承担）"],
        ["✎", "人工更正（如 L✎）"],
    ]
    sheet = book["图例"]
    lead_row = next(row for row in sheet.iter_rows() if row[0].value == "L")
    assert lead_row[0].fill.fgColor.rgb == lead_row[2].fill.fgColor.rgb == "FF93C5FD"
    actions = text[text.index(["各列对应的行动"]) + 1:]
    assert actions == [["列", "城市", "文件", "序号", "行动", "参与单位数"],
                       ["1.", "甲市", "甲市行动方案", "1.", "建设人工智能创新平台", 3],
                       ["2.", "甲市", "甲市行动方案", "2.", "培育企业", 2],
                       ["3.", "甲市", "甲市行动方案", "3.", "=1+1", 2]]


def test_english_words_make_an_english_workbook():
    frame = matrix.responsibility_matrix(small_graph())
    data = workbook.matrix_workbook(frame, words("en"), governments=["甲市"], plans=["甲市行动方案"], made=MADE)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Matrix", "Key"]
    assert [c.value for c in book["Matrix"][1]][:6] == ["Unit", "Unit type", "Listed under", "Led", "Shared", "Total"]
    assert book["Matrix"]["A7"].value == "Units involved"
    assert book["Key"]["A3"].value == "Government" and book["Key"]["A5"].value == "Date made"


def test_file_names_say_the_government_and_the_date():
    assert workbook.file_name("责任矩阵", ["鄂州市"], MADE) == "责任矩阵-鄂州市-2026-12-01.xlsx"
    assert workbook.file_name("responsibility-matrix", ["鄂州市"], MADE) == \
        "responsibility-matrix-鄂州市-2026-12-01.xlsx"
    assert workbook.file_name("责任矩阵", ["鄂州市", "仙桃市"], MADE, "csv") == \
        "责任矩阵-鄂州市-仙桃市-2026-12-01.csv"
    assert workbook.file_name("责任矩阵", ["甲", "乙", "丙", "丁"], MADE, many="多地") == \
        "责任矩阵-多地-2026-12-01.xlsx"
    assert workbook.file_name("m", ["a/b:c"], MADE) == "m-a_b_c-2026-12-01.xlsx"


def test_the_bundled_ezhou_plan_as_a_workbook(bundled_store, tmp_path):
    store = bundled_store.open_copy(tmp_path / "g.lbdb")
    try:
        frame = matrix.responsibility_matrix(store.to_networkx(), cities=["鄂州市"])
    finally:
        store.close()
    data = workbook.matrix_workbook(frame, words(), governments=["鄂州市"], plans=["ezhou-ai-action-plan.txt"],
                                    made=MADE)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["责任矩阵"]
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names[:3] == ["鄂州市科技局", "鄂州市经信局", "鄂州市数据局"]
    assert names[23:25] == ["鄂州市各区人民政府", "临空经济区管委会"] and names[-1] == "参与单位数"
    header = [cell.value for cell in sheet[1]]
    column = header.index("4.\n做强核心创新平台") + 1
    science = sheet.cell(row=2, column=column)
    assert science.value == "L*" and science.fill.fgColor.rgb == "FFDBEAFE"
    assert sheet.cell(row=len(names) + 1, column=column).value == 9
