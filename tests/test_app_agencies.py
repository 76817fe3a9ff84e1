"""The Agencies page in Streamlit's AppTest, on the bundled plans the app loads on first start."""

from __future__ import annotations

import io

import openpyxl
from streamlit.testing.v1 import AppTest

from tests.apptest import XSS_PLAN, dataframe_text, load_plan, markdown_texts, open_page


def matrix_frame(at: AppTest):
    return next(frame.value for frame in at.dataframe if list(frame.value.columns[:4]) ==
                ["city", "document", "number", "title"])


def cell(frame, number, agency):
    rows = frame[frame["number"] == number]
    assert len(rows) == 1
    return rows.iloc[0][agency]


def test_matrix_of_both_plans_has_exact_cells(app_db):
    at = open_page("agencies")
    assert at.title[0].value == "机构"
    frame = matrix_frame(at)
    assert frame.shape == (47, 4 + 69)
    ezhou = frame[frame["city"] == "鄂州市"]
    assert cell(ezhou, "4.", "鄂州市科技局") == "L*"
    assert cell(ezhou, "4.", "鄂州市经信局") == "R"
    assert cell(ezhou, "4.", "鄂州市各区人民政府") == "R"
    assert cell(ezhou, "4.", "鄂城区人民政府") == "R↳"
    assert cell(frame, "（一）", "仙桃市发改委") == "L"
    captions = [c.value for c in at.caption]
    assert any("`L*`" in c and "惯例" in c for c in captions), "the first-listed mark is explained"
    legend = [m.value for m in at.markdown if "↳" in m.value and "◎" in m.value]
    assert legend and "`R`" in legend[0] and "`S`" in legend[0], "the legend explains every mark"


def test_city_filter_shows_one_plan(app_db):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["鄂州市"]).run()
    assert not at.exception
    frame = matrix_frame(at)
    assert frame.shape == (22, 4 + 29)
    assert set(frame["city"]) == {"鄂州市"}
    assert not any(column.startswith("仙桃") for column in frame.columns)
    assert any(c.value.startswith("22 项行动 × 29 个单位") for c in at.caption)
    at.multiselect(key="agencies-cities").set_value(["仙桃市"]).run()
    assert matrix_frame(at).shape == (25, 4 + 40)


def test_type_filter_and_hiding_derived_members_narrow_columns(app_db):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["鄂州市"]).run()
    at.checkbox(key="agencies-derived").uncheck().run()
    frame = matrix_frame(at)
    assert frame.shape[0] == 22 and "鄂城区人民政府" not in frame.columns
    at.multiselect(key="agencies-types").set_value(["collective"]).run()
    assert list(matrix_frame(at).columns[4:]) == ["鄂州市各区人民政府"]


def test_profile_of_xiantao_science_bureau_shows_seven_explicit_leads(app_db):
    at = open_page("agencies")
    assert at.selectbox(key="agencies-profile").value == "仙桃市科技局"  # most leads first
    at.selectbox(key="agencies-profile").set_value("仙桃市科技局").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["牵头"] == "7" and metrics["明确牵头"] == "7" and metrics["列第一位（推定牵头）"] == "0"
    assert metrics["责任"] == "7" and metrics["配合"] == "0"
    facts = next(f.value for f in at.dataframe if list(f.value.columns) == ["项目", "内容"])
    assert dict(facts.values.tolist()) == {"规范名称": "仙桃市科技局", "部门职能": "科技局",
                                           "职能（英文）": "Science and Technology Bureau", "单位类型": "政府部门",
                                           "所属政府": "仙桃市", "文件中的写法": "市科技局"}
    leads = next(f.value for f in at.dataframe if "basis" in f.value.columns)
    assert len(leads) == 7 and set(leads["mark"]) == {"L"} and set(leads["basis"]) == {"文件明确"}
    assert leads["number"].tolist()[:2] == ["（二）", "（七）"]
    partners = next(f.value for f in at.dataframe if "partner" in f.value.columns).set_index("partner")
    assert partners.at["仙桃市经信局", "shared"] == 11
    assert partners.at["仙桃市经信局", "agency_leads"] == 5


def test_profile_of_first_listed_lead_in_ezhou(app_db):
    at = open_page("agencies")
    at.selectbox(key="agencies-profile").set_value("鄂州市科技局").run()
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["牵头"], metrics["明确牵头"], metrics["列第一位（推定牵头）"]) == ("5", "0", "5")
    leads = next(f.value for f in at.dataframe if "basis" in f.value.columns)
    assert leads["number"].tolist() == ["2.", "4.", "5.", "6.", "7."]
    assert set(leads["mark"]) == {"L*"} and set(leads["basis"]) == {"列第一位（推定）"}


def test_english_switch_changes_the_words(app_db):
    at = open_page("agencies")
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Agencies"
    assert [tab.label for tab in at.tabs] == ["Responsibility matrix", "Agency profile"]
    assert at.multiselect(key="agencies-cities").label == "City"
    assert any(c.value.startswith("47 actions × 69 units") for c in at.caption)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Explicit leads"] == "7"
    leads = next(f.value for f in at.dataframe if "basis" in f.value.columns)
    assert set(leads["basis"]) == {"explicit"}
    legend = next(m.value for m in at.markdown if "`L*`" in m.value and "↳" in m.value)
    assert "first-listed" in legend and "牵头" not in legend


def test_downloads_present_and_excel_opens(app_db, downloads):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["鄂州市"]).run()
    labels = [button.label for button in at.get("download_button")]
    assert labels[:3] == ["CSV", "JSON", "Excel"]
    matrix_xlsx = next(b for b in at.get("download_button") if b.proto.id.endswith("agencies-matrix-xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(downloads(matrix_xlsx)))
    rows = list(book.active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:4] == ["城市", "文件", "序号", "行动"]
    assert "鄂州市各区人民政府 ◎" in header
    assert len(rows) == 1 + 22
    row4 = next(r for r in rows[1:] if r[2] == "4.")
    assert row4[header.index("鄂州市科技局")] == "L*"
    assert row4[header.index("鄂州市各区人民政府 ◎")] == "R"
    matrix_csv = next(b for b in at.get("download_button") if b.proto.id.endswith("agencies-matrix-csv"))
    assert downloads(matrix_csv).decode("utf-8-sig").splitlines()[0].startswith("城市,文件,序号,行动,")
    profile_xlsx = next(b for b in at.get("download_button") if b.proto.id.endswith("agencies-profile-actions-xlsx"))
    assert openpyxl.load_workbook(io.BytesIO(downloads(profile_xlsx))).active.max_row > 1
    assert any(b.proto.id.endswith("agencies-partners-csv") for b in at.get("download_button"))


def test_markup_in_a_document_shows_only_as_inert_text(app_db):
    load_plan(app_db, XSS_PLAN)
    at = open_page("agencies")
    shown = dataframe_text(at)
    assert "鄂州市<script>alert(1)</script>局" in shown
    assert "<imgsrc=xonerror=alert(1)>中心" in shown  # its canonical name: whitespace inside a name dropped
    assert "[l](http://e)局" in shown
    assert "<script>alert(1)</script>**x** [l]" in shown  # the action title
    lead = "鄂州市<script>alert(1)</script>局"
    at.selectbox(key="agencies-profile").set_value(lead).run()
    assert not at.exception
    assert lead in dataframe_text(at)
    for text in markdown_texts(at):
        assert "alert" not in text and "<script" not in text and "<img" not in text, text
        assert "**x**" not in text and "](http://e)" not in text, text
    assert not at.markdown or all("<" not in m.value for m in at.markdown)
