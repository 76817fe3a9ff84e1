"""The Agencies page's responsibility matrix in a real browser, opened from a link, in both languages:
departments first, the colour key above the matrix, the totals row, the workbook's file name.

One app server and one Chromium context for the module (tests/browser.py), on a copy of the store of the
two bundled plans. Screenshots go to the test's folder (and docs/screenshots with POLICYKG_SCREENSHOTS=1).
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl

from explorer.i18n import translate
from tests.browser import (  # noqa: F401 - the *_fixture functions are pytest fixtures, used by name
    app_server_fixture,
    browser_context_fixture,
    chromium_fixture,
    exceptions_shown,
    grid_headers,
    grid_rows,
    open_page,
    page_fixture,
    screenshot,
    settle,
)

CJK = re.compile(r"[\u3400-\u9fff]")


def main_area(page):
    return page.locator('[data-testid="stMain"]')


def matrix_grid(page):
    return main_area(page).get_by_test_id("stDataFrame").first


def test_a_link_opens_the_ezhou_matrix_with_departments_first_and_the_colour_key(page, app_server, tmp_path):
    open_page(page, app_server, "agencies?agencies-cities=鄂州市")
    assert exceptions_shown(page) == []
    key = main_area(page).locator(".pk-matrix-key")
    assert key.inner_text().split() == ["颜色图例", "L", "牵头单位（文件写明）", "L*", "牵头单位（列第一位，推定）",
                                        "R", "责任单位", "S", "配合单位"]
    chip = key.locator("span span").first
    assert chip.evaluate("(e) => getComputedStyle(e).backgroundColor") == "rgb(147, 197, 253)"  # #93c5fd
    grid = matrix_grid(page)
    headers = grid_headers(grid)
    assert headers[:9] == ["单位", "单位类型", "所属集体单位", "牵头", "参与（未牵头）", "合计", "1.", "2.", "3."]
    rows = grid_rows(grid)
    assert rows[0][:9] == ["鄂州市科技局", "政府部门", "", "5", "5", "10", "R", "L*", "R"]
    assert [row[0] for row in rows[1:4]] == ["鄂州市经信局", "鄂州市数据局", "鄂州市发改委"]
    page.screenshot(path=str(tmp_path / "agencies-zh.png"))
    screenshot(page, "agencies-matrix")


def test_the_collective_and_its_members_and_the_totals_row_end_the_matrix(page, app_server):
    open_page(page, app_server, "agencies?agencies-cities=鄂州市&agencies-types=collective&agencies-types=zone")
    rows = grid_rows(matrix_grid(page))
    assert [row[:6] for row in rows] == [
        ["鄂州市各区人民政府", "集体单位", "", "0", "20", "20"],
        ["临空经济区管委会", "开发区或其管委会", "鄂州市各区人民政府", "1", "21", "22"],
        ["葛店经开区管委会", "开发区或其管委会", "鄂州市各区人民政府", "0", "20", "20"],
        ["参与单位数", "", "", "", "", ""]]
    assert rows[-1][6:9] == ["3", "3", "3"]


def test_in_english_no_chinese_word_outside_the_data_and_the_workbook_is_named_in_english(page, app_server,
                                                                                          tmp_path):
    open_page(page, app_server, "agencies?agencies-cities=鄂州市&language=en")
    assert exceptions_shown(page) == []
    key = main_area(page).locator(".pk-matrix-key").inner_text()
    assert key.split()[:2] == ["Colour", "key"] and not CJK.search(key)
    headers = grid_headers(matrix_grid(page))
    assert headers[:6] == ["Unit", "Unit type", "Listed under", "Led", "Shared", "Total"]
    assert grid_rows(matrix_grid(page))[0][:2] == ["鄂州市科技局", "Government agency"]
    page.screenshot(path=str(tmp_path / "agencies-en.png"))
    screenshot(page, "agencies-matrix-en")
    with page.expect_download() as caught:
        main_area(page).get_by_role("button", name="Excel").first.click()
    download = caught.value
    assert download.suggested_filename == f"responsibility-matrix-鄂州市-{date.today().isoformat()}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))  # the path has no .xlsx
    assert book.sheetnames == ["Matrix", "Key"]
    assert book["Matrix"].freeze_panes == "B2"
    assert translate("agencies.wb_title", "en") == book["Key"]["A1"].value


def test_choosing_the_profile_tab_and_a_unit_puts_them_in_the_link(page, app_server):
    open_page(page, app_server, "agencies?agencies-cities=仙桃市")
    main_area(page).get_by_role("tab", name="单位概况").click()
    settle(page)
    assert "agencies-view=profile" in page.url
    page.goto(page.url)  # the link, opened again: the profile tab is the one shown
    page.wait_for_selector('[data-testid="stApp"]')
    settle(page)
    selected = main_area(page).get_by_role("tab", selected=True)
    assert selected.inner_text().strip() == "单位概况"
