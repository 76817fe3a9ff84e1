"""The Agencies page in Streamlit's AppTest, on the bundled plans the app loads on first start."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
from streamlit.testing.v1 import AppTest

from tests.apptest import APP, XSS_PLAN, choose_tab, dataframe_text, load_plan, markdown_texts, open_page


def matrix_frames(at: AppTest) -> list:
    return [frame.value for frame in at.dataframe if list(frame.value.columns[:3]) == ["agency", "type", "member_of"]]


def matrix_frame(at: AppTest):
    """The matrix as the page shows it (the last row: the units involved in each action)."""
    return matrix_frames(at)[0]


def cell(frame, agency, action):
    rows = frame[frame["agency"] == agency]
    assert len(rows) == 1
    return rows.iloc[0][action]


def test_matrix_of_both_plans_has_exact_cells(app_db):
    at = open_page("agencies")
    assert at.title[0].value == "机构"
    frame = matrix_frame(at)
    assert frame.shape == (69 + 1, 6 + 47)
    assert cell(frame, "鄂州市科技局", "4.") == "L*"
    assert cell(frame, "鄂州市经信局", "4.") == "R"
    assert cell(frame, "鄂州市各区人民政府", "4.") == "R"
    assert cell(frame, "鄂城区人民政府", "4.") == "R↳"
    assert cell(frame, "仙桃市发改委", "（一）") == "L"
    captions = [c.value for c in at.caption]
    assert any("`L*`" in c and "惯例" in c for c in captions), "the first-listed mark is explained"
    legend = [m.value for m in at.markdown if "↳" in m.value and "✎" in m.value]
    assert legend and "`R`" in legend[0] and "`S`" in legend[0], "the legend explains every mark"


def test_rows_are_departments_first_and_each_collective_is_followed_by_its_members(app_db):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["鄂州市"]).run()
    frame = matrix_frame(at)
    assert list(frame["agency"][:4]) == ["鄂州市科技局", "鄂州市经信局", "鄂州市数据局", "鄂州市发改委"]
    assert set(frame["type"][:23]) == {"政府部门", "党委部门"}
    assert frame[["agency", "type", "member_of"]].values.tolist()[23:29] == [
        ["鄂州市各区人民政府", "集体单位", ""], ["临空经济区管委会", "开发区或其管委会", "鄂州市各区人民政府"],
        ["华容区人民政府", "人民政府", "鄂州市各区人民政府"], ["梁子湖区人民政府", "人民政府", "鄂州市各区人民政府"],
        ["葛店经开区管委会", "开发区或其管委会", "鄂州市各区人民政府"],
        ["鄂城区人民政府", "人民政府", "鄂州市各区人民政府"]]


def test_totals_per_unit_and_the_units_involved_in_each_action(app_db):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["鄂州市"]).run()
    frame = matrix_frame(at)
    science = frame[frame["agency"] == "鄂州市科技局"].iloc[0]
    assert (science["led"], science["shared"], science["total"]) == (5, 5, 10)
    last = frame.iloc[-1]
    assert last["agency"] == "参与单位数"
    assert (last["4."], last["8."], last["16."]) == ("9", "3", "13")
    assert last[["led", "shared", "total"]].isna().all()


def test_cells_are_coloured_by_role_and_the_key_above_the_matrix_says_so(app_db):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["鄂州市"]).run()
    styled = next(frame for frame in at.dataframe if "agency" in frame.value.columns)
    css = styled.proto.arrow_data.styler.styles
    assert "background-color: #dbeafe" in css  # 鄂州's leads are first-listed: the lighter lead colour
    assert "background-color: #bbf7d0" in css  # responsible
    key = [h.proto.body for h in at.get("html") if "pk-matrix-key" in h.proto.body]
    assert len(key) == 1
    for words in ("颜色图例", "牵头单位（文件写明）", "牵头单位（列第一位，推定）", "责任单位", "配合单位", "#93c5fd"):
        assert words in key[0], words


def test_city_filter_shows_one_plan(app_db):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["鄂州市"]).run()
    assert not at.exception
    frame = matrix_frame(at)
    assert frame.shape == (29 + 1, 6 + 22)
    assert not any(name.startswith("仙桃") for name in frame["agency"])
    assert any(c.value == "29 个单位 × 22 项行动。" for c in at.caption)
    at.multiselect(key="agencies-cities").set_value(["仙桃市"]).run()
    assert matrix_frame(at).shape == (40 + 1, 6 + 25)


def test_type_filter_and_hiding_derived_members_narrow_rows(app_db):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["鄂州市"]).run()
    at.checkbox(key="agencies-derived").uncheck().run()
    frame = matrix_frame(at)
    assert frame.shape[1] == 6 + 22 and "鄂城区人民政府" not in set(frame["agency"])
    at.multiselect(key="agencies-types").set_value(["collective"]).run()
    assert list(matrix_frame(at)["agency"]) == ["鄂州市各区人民政府", "参与单位数"]


def test_a_link_opens_the_view_it_says_in_a_fresh_session(app_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("explorer/pages/agencies.py")  # the link's page, opened first
    at.query_params.update({"agencies-cities": "鄂州市", "agencies-derived": "0", "agencies-types": "zone",
                            "agencies-view": "profile", "agencies-profile": "鄂州市临空经济区管委会"})
    at.run()
    assert not at.exception
    assert at.multiselect(key="agencies-cities").value == ["鄂州市"]
    assert at.selectbox(key="agencies-profile").value == "鄂州市临空经济区管委会"
    assert at.session_state["agencies-view"] == "profile"
    assert at.session_state["agencies-tab-zh"] == "单位概况"
    # only the open tab is made; the closed matrix tab's choices stay in the link and apply when it opens
    assert not at.get("checkbox") and not matrix_frames(at)
    assert at.query_params["agencies-derived"] == "0" and at.query_params["agencies-types"] == "zone"
    choose_tab(at, "agencies-view", "matrix")
    assert at.checkbox(key="agencies-derived").value is False
    assert list(matrix_frame(at)["agency"]) == ["临空经济区管委会", "参与单位数"]
    assert not at.get("metric")  # the profile tab is closed now


def test_the_view_is_written_to_the_link(app_db):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["仙桃市"]).run()
    at.multiselect(key="agencies-kinds").set_value(["科技局"]).run()
    at.checkbox(key="agencies-corrected").check().run()
    choose_tab(at, "agencies-view", "profile")
    at.selectbox(key="agencies-profile").set_value("仙桃市经信局").run()
    params = {key: at.query_params[key] for key in at.query_params}
    assert {key: params[key] for key in params if key.startswith("agencies-")} == {
        "agencies-cities": "仙桃市", "agencies-kinds": "科技局", "agencies-corrected": "1",
        "agencies-view": "profile", "agencies-profile": "仙桃市经信局"}


def test_only_the_open_tab_is_made_and_a_closed_tabs_defaults_stay_out_of_the_link(app_db):
    at = open_page("agencies")
    assert matrix_frames(at) and not at.get("metric")
    choose_tab(at, "agencies-view", "profile")
    assert not matrix_frames(at) and not at.get("checkbox")
    assert at.selectbox(key="agencies-profile").value == "仙桃市科技局"  # its default: the first unit
    assert len(at.metric) == 5
    choose_tab(at, "agencies-view", "matrix")
    assert matrix_frames(at) and not at.get("metric")
    assert not [key for key in at.query_params if key.startswith("agencies-")]


def test_profile_of_xiantao_science_bureau_shows_seven_explicit_leads(app_db):
    at = choose_tab(open_page("agencies"), "agencies-view", "profile")
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
    at = choose_tab(open_page("agencies"), "agencies-view", "profile")
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
    assert any(c.value == "69 units × 47 actions." for c in at.caption)
    frame = matrix_frame(at)
    choose_tab(at, "agencies-view", "profile")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Explicit leads"] == "7"
    leads = next(f.value for f in at.dataframe if "basis" in f.value.columns)
    assert set(leads["basis"]) == {"explicit"}
    choose_tab(at, "agencies-view", "matrix")
    legend = next(m.value for m in at.markdown if "`L*`" in m.value and "↳" in m.value)
    assert "first-listed" in legend and "牵头" not in legend
    assert frame.iloc[-1]["agency"] == "Units involved"
    assert set(frame["type"][:-1]) == {"Government agency", "Party organ", "Development zone or its management "
                                       "committee", "Company", "College or university", "Town, township, subdistrict "
                                       "or farm", "Association or people's organisation", "Local office of a national "
                                       "regulator", "Collective unit", "People's government"}
    key = next(h.proto.body for h in at.get("html") if "pk-matrix-key" in h.proto.body)
    assert "Colour key" in key and not re.search(r"[\u3400-\u9fff]", key)


def test_the_kind_filter_names_kinds_in_english_only_in_english(app_db):
    at = open_page("agencies")
    kinds = at.multiselect(key="agencies-kinds")
    assert "科技局" in kinds.options and not any(re.search("[A-Za-z]", option) for option in kinds.options)
    at.sidebar.radio[0].set_value("en").run()
    assert "科技局 · Science and Technology Bureau" in at.multiselect(key="agencies-kinds").options


def test_downloads_present_and_excel_is_the_styled_workbook(app_db, downloads):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["鄂州市"]).run()
    labels = [button.label for button in at.get("download_button")]
    assert labels[:3] == ["CSV", "JSON", "Excel"]
    today = date.today().isoformat()
    name = f"责任矩阵-鄂州市-{today}"
    assert {f"{name}.csv", f"{name}.json", f"{name}.xlsx"} <= set(downloads)
    matrix_xlsx = next(b for b in at.get("download_button") if b.proto.id.endswith("agencies-matrix-xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(downloads(matrix_xlsx)))
    assert book.sheetnames == ["责任矩阵", "图例"]
    rows = list(book["责任矩阵"].iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:6] == ["单位", "单位类型", "所属集体单位", "牵头", "参与（未牵头）", "合计"]
    assert header[6 + 3] == "4.\n做强核心创新平台"
    assert len(rows) == 1 + 29 + 1
    science = next(r for r in rows[1:] if r[0] == "鄂州市科技局")
    assert science[:6] == ("鄂州市科技局", "政府部门", None, 5, 5, 10)
    assert science[6 + 3] == "L*"
    assert rows[-1][0] == "参与单位数" and rows[-1][6 + 3] == 9
    assert book["责任矩阵"].freeze_panes == "B2"
    csv_rows = downloads[f"{name}.csv"].decode("utf-8-sig").splitlines()
    assert csv_rows[0].startswith("单位,单位类型,所属集体单位,牵头,参与（未牵头）,合计,1.,2.,")
    assert csv_rows[1].startswith("鄂州市科技局,政府部门,,5,5,10,R,L*,")
    choose_tab(at, "agencies-view", "profile")
    profile_xlsx = next(b for b in at.get("download_button") if b.proto.id.endswith("agencies-profile-actions-xlsx"))
    assert openpyxl.load_workbook(io.BytesIO(downloads(profile_xlsx))).active.max_row > 1
    assert any(b.proto.id.endswith("agencies-partners-csv") for b in at.get("download_button"))


def test_the_english_workbook_is_named_and_worded_in_english(app_db, downloads):
    at = open_page("agencies")
    at.sidebar.radio[0].set_value("en").run()
    at.multiselect(key="agencies-cities").set_value(["仙桃市"]).run()
    name = f"responsibility-matrix-仙桃市-{date.today().isoformat()}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(downloads[name]))
    assert book.sheetnames == ["Matrix", "Key"]
    assert [c.value for c in book["Matrix"][1]][:6] == ["Unit", "Unit type", "Listed under", "Led", "Shared", "Total"]
    words = " ".join(str(c.value) for row in book["Key"].iter_rows() for c in row if c.value is not None
                     and not str(c.value).startswith("仙桃"))
    assert "Roles and colours" in words and "Lead (named by the document)" in words


def test_markup_in_a_document_shows_only_as_inert_text(app_db):
    load_plan(app_db, XSS_PLAN)
    at = open_page("agencies")
    shown = dataframe_text(at)
    assert "鄂州市<script>alert(1)</script>局" in shown
    assert "<imgsrc=xonerror=alert(1)>中心" in shown  # its canonical name: whitespace inside a name dropped
    assert "[l](http://e)局" in shown
    lead = "鄂州市<script>alert(1)</script>局"
    choose_tab(at, "agencies-view", "profile")
    at.selectbox(key="agencies-profile").set_value(lead).run()
    assert not at.exception
    assert lead in dataframe_text(at)
    assert "<script>alert(1)</script>**x** [l]" in dataframe_text(at)  # the action's title, in its table
    for text in markdown_texts(at):
        assert "alert" not in text and "<script" not in text and "<img" not in text, text
        assert "**x**" not in text and "](http://e)" not in text, text
    assert not at.markdown or all("<" not in m.value for m in at.markdown)


def test_choices_survive_a_switch_of_language(app_db):
    at = open_page("agencies")
    at.multiselect(key="agencies-cities").set_value(["仙桃市"]).run()
    at.multiselect(key="agencies-types").set_value(["collective"]).run()
    choose_tab(at, "agencies-view", "profile")
    at.selectbox(key="agencies-profile").set_value("仙桃市各镇街道场区").run()
    at.sidebar.radio[0].set_value("en").run()
    assert not at.exception
    assert at.multiselect(key="agencies-cities").value == ["仙桃市"]
    assert at.selectbox(key="agencies-profile").value == "仙桃市各镇街道场区"
    assert [tab.label for tab in at.tabs] == ["Responsibility matrix", "Agency profile"]
    choose_tab(at, "agencies-view", "matrix")
    assert at.multiselect(key="agencies-types").value == ["collective"]
    assert "Collective unit" in at.multiselect(key="agencies-types").options
    assert list(matrix_frame(at)["agency"][:2]) == ["仙桃市各镇街道场区", "仙桃市各街道办事处"]


def test_a_matrix_wider_than_a_page_shows_one_page_of_actions_says_so_and_downloads_every_action(
        app_db, monkeypatch, downloads):
    from views import matrix as matrix_view

    monkeypatch.setattr(matrix_view, "PAGE_ACTIONS", 20)
    at = open_page("agencies")
    assert matrix_frame(at).shape == (69 + 1, 6 + 20)
    assert [w.value for w in at.warning] == [
        "第 1–20 项行动，共 47 项：矩阵不止一页，可在下方翻页；下载文件包含全部行动。"]
    at.number_input(key="agencies-matrix-page").set_value(3).run()
    assert not at.exception
    assert matrix_frame(at).shape == (69 + 1, 6 + 7)
    assert [w.value for w in at.warning] == [
        "第 41–47 项行动，共 47 项：矩阵不止一页，可在下方翻页；下载文件包含全部行动。"]
    assert at.query_params["agencies-matrix-page"] == "3"
    name = next(name for name in downloads if name.startswith("责任矩阵-") and name.endswith(".csv"))
    header = downloads[name].decode("utf-8-sig").splitlines()[0].split(",")
    assert len(header) == 6 + 47
