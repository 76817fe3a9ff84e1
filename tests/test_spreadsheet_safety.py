"""Units a plan names like formulas reach spreadsheets as text: CLI CSV, export CSV, the app's CSV and Excel.

The plan below names `=cmd|' /C calc'!A0` and `+1-2办` as leads (the loaders keep the first whole — a space
inside a unit is a line wrap, not a separator — and its canonical name drops the spaces), and two responsible units
starting with - and @. CSV cells holding text that starts with = + - @ (or a tab or
a carriage return) carry a leading ' (OWASP); Excel cells are typed as text (data_type "s") with the
text unchanged; numbers stay numbers. Embedded store only.
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from graph.cells import csv_cell, xlsx_bytes
from tests.apptest import choose_tab, open_page

PLAN = ("某市测试行动方案\n一、任务\n"
        "（一）建平台。（牵头单位：=cmd|' /C calc'!A0、+1-2办；责任单位：-2+3+cmd|'/Ccalc'!A0、@SUM(1+1)局）\n")
PAYLOAD = "=cmd|' /C calc'!A0"
CANONICAL_PAYLOAD = "=cmd|'/Ccalc'!A0"  # the unit's canonical name: whitespace inside a name is dropped
FORMULA_UNITS = [CANONICAL_PAYLOAD, "+1-2办", "-2+3+cmd|'/Ccalc'!A0", "@SUM(1+1)局"]
STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def plan_store(tmp_path, monkeypatch):
    """An embedded store at POLICYKG_DB holding only the plan above, loaded from a .txt file."""
    from graph.embedded import EmbeddedStore
    from graph.loading import load_files

    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    plan = tmp_path / "formula-plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    path = tmp_path / "graph.lbdb"
    monkeypatch.setenv("POLICYKG_DB", str(path))
    store = EmbeddedStore(path)
    try:
        report = load_files(store, [plan])
        assert report.loaded == 1 and not report.errors
    finally:
        store.close()
    return path


def cli_csv(capsys, *args: str) -> list[list[str]]:
    from policykg.cli import main

    assert main([*args, "--csv", "--store", "embedded"]) == 0
    return list(csv.reader(io.StringIO(capsys.readouterr().out)))


def no_cell_starts_like_a_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(STARTS), (cell, row)


# ------------------------------------------------------------------------------------------ the one function

def test_csv_cell_prefixes_text_that_starts_like_a_formula_and_leaves_numbers_alone():
    assert [csv_cell(v) for v in (PAYLOAD, "+1-2办", "-3", "@x", "\tx", "\rx")] == [
        "'" + PAYLOAD, "'+1-2办", "'-3", "'@x", "'\tx", "'\rx"]
    assert [csv_cell(v) for v in (-3, -2.5, 0, None, True, "市科技局", "3-2", "'=x")] == [
        -3, -2.5, 0, None, True, "市科技局", "3-2", "'=x"]


def test_xlsx_cells_keep_formula_like_text_unchanged_typed_as_text_and_numbers_as_numbers():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([PAYLOAD, "n"], [[PAYLOAD, -3], ["#N/A", 2.5], [None, True]])))
    cells = [[(c.value, c.data_type) for c in row] for row in book.active.iter_rows()]
    assert cells == [[(PAYLOAD, "s"), ("n", "s")], [(PAYLOAD, "s"), (-3, "n")], [("#N/A", "s"), (2.5, "n")],
                     [(None, "n"), (True, "b")]]


# ------------------------------------------------------------------------------------------ command line

def test_cypher_csv_writes_formula_like_text_with_a_quote_and_negative_numbers_as_numbers(plan_store, capsys):
    rows = cli_csv(capsys, "cypher", "RETURN $unit AS unit, $office AS office, -3 AS n, -2.5 AS x, '-3' AS text",
                   "--param", f"unit={PAYLOAD}", "--param", "office=+1-2办")
    assert rows == [["unit", "office", "n", "x", "text"], ["'" + PAYLOAD, "'+1-2办", "-3", "-2.5", "'-3"]]


def test_cypher_csv_of_the_plans_units_keeps_them_as_text(plan_store, capsys):
    rows = cli_csv(capsys, "cypher", "MATCH (a:Agency) RETURN a.name AS agency ORDER BY agency")
    assert {"'" + unit for unit in FORMULA_UNITS} <= {row[0] for row in rows[1:]}
    no_cell_starts_like_a_formula(rows)


def test_a_formula_like_column_name_is_written_as_text_too(plan_store, capsys):
    rows = cli_csv(capsys, "cypher", "RETURN 1 AS `=1+1`")
    assert rows == [["'=1+1"], ["1"]]


def test_named_query_csv_keeps_the_plans_units_as_text_and_counts_as_numbers(plan_store, capsys):
    rows = cli_csv(capsys, "query", "agency-workload")
    header, body = rows[0], rows[1:]
    by_agency = {row[header.index("agency")]: row for row in body}
    assert {"'" + unit for unit in FORMULA_UNITS} <= set(by_agency)
    assert by_agency["'" + CANONICAL_PAYLOAD][header.index("leads")] == "1"
    assert by_agency["'-2+3+cmd|'/Ccalc'!A0"][header.index("responsible")] == "1"
    no_cell_starts_like_a_formula(rows)


def test_export_csv_writes_the_plans_units_as_text_in_nodes_and_relationships(plan_store, tmp_path, capsys):
    from policykg.cli import main

    out = tmp_path / "export"
    assert main(["export", "--format", "csv", "--out", str(out), "--store", "embedded"]) == 0
    capsys.readouterr()
    every = {}
    for path in sorted(out.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            every[path.name] = list(csv.reader(handle))
    agencies = every["nodes_Agency.csv"]
    header = agencies[0]
    names = {row[header.index("name:string")] for row in agencies[1:]}
    ids = {row[header.index("id:ID(Agency)")] for row in agencies[1:]}
    assert {"'" + unit for unit in FORMULA_UNITS} <= names
    leads = every["relationships_LEADS_Agency_Action.csv"]
    lead_header = leads[0]
    assert {row[0] for row in leads[1:]} <= ids  # ids are written alike in nodes and relationships
    written = {row[lead_header.index("as_written:string")] for row in leads[1:]}
    assert {"'" + PAYLOAD, "'+1-2办"} <= written  # as written: with its spaces
    assert {row[lead_header.index("rank:long")] for row in leads[1:]} >= {"1", "2"}  # numbers stay numbers
    for rows in every.values():
        no_cell_starts_like_a_formula(rows)


# ------------------------------------------------------------------------------------------ the app's downloads

@pytest.fixture
def app_store(store_path):
    from tests.apptest import store_holding

    return store_holding(store_path, PLAN, "formula-plan.txt")


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_cells(data: bytes) -> list[list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[(c.value, c.data_type) for c in row] for row in book.active.iter_rows()]


def assert_text_cells(cells: list[list[tuple]], texts: list[str]) -> None:
    """Each of ``texts`` is in the sheet unchanged and typed as text; no cell is a formula."""
    found = {value: kind for row in cells for value, kind in row if value is not None}
    for text in texts:
        assert found.get(text) == "s", (text, found.get(text))
    assert all(kind != "f" for row in cells for _, kind in row)


def test_the_agencies_matrix_downloads_keep_unit_names_as_text_in_csv_and_excel(app_store, downloads):
    at = open_page("explorer/pages/agencies.py")
    assert not at.exception and not at.error
    (stem,) = [name.removesuffix(".csv") for name in downloads
               if name.startswith("责任矩阵-") and name.endswith(".csv")]  # 责任矩阵-<government>-<date>
    rows = csv_rows(downloads[f"{stem}.csv"])
    assert {"'" + unit for unit in FORMULA_UNITS} <= {row[0] for row in rows[1:]}  # agency names are the matrix's rows
    no_cell_starts_like_a_formula(rows)
    assert_text_cells(xlsx_cells(downloads[f"{stem}.xlsx"]), FORMULA_UNITS)  # the workbook's first sheet: the matrix


def test_an_agency_profile_download_keeps_the_name_as_written_as_text(app_store, downloads):
    at = choose_tab(open_page("explorer/pages/agencies.py"), "agencies-view", "profile")
    profile = at.selectbox(key="agencies-profile")
    profile.select_index(profile.options.index(CANONICAL_PAYLOAD)).run()
    assert not at.exception
    name = "agency-cmd_Ccalc_A0"  # file names keep letters, digits and CJK only
    assert_text_cells(xlsx_cells(downloads[f"{name}.xlsx"]), [PAYLOAD])  # its actions, with the unit as written
    rows = csv_rows(downloads[f"{name}.csv"])
    assert "'" + PAYLOAD in {cell for row in rows for cell in row}
    no_cell_starts_like_a_formula(rows)


def test_the_library_downloads_keep_units_as_text_and_counts_as_numbers(app_store, downloads):
    at = open_page("explorer/pages/library.py")
    at.selectbox(key="library-query").set_value("agency-workload").run()
    at.selectbox(key="library-agency-workload-city").set_value(None)
    at.button(key="library-run").click().run()
    assert not at.exception and not at.error
    rows = csv_rows(downloads["policykg-agency-workload.csv"])
    assert {"'" + unit for unit in FORMULA_UNITS} <= {row[rows[0].index("agency")] for row in rows[1:]}
    no_cell_starts_like_a_formula(rows)
    cells = xlsx_cells(downloads["policykg-agency-workload.xlsx"])
    assert_text_cells(cells, FORMULA_UNITS)
    leads = cells[0].index(("leads", "s"))
    assert {row[leads] for row in cells[1:]} >= {(1, "n")}


def test_the_console_csv_keeps_a_formula_parameter_as_text_and_negative_numbers_as_numbers(app_store, downloads):
    at = open_page("explorer/pages/console.py")
    at.session_state["console-text:kept"] = "RETURN $unit AS unit, -3 AS n, '-3' AS text"
    at.text_area(key="console-params").set_value(f"unit={PAYLOAD}")
    at.button(key="console-run").click().run()
    assert not at.exception and not at.error
    assert csv_rows(downloads["policykg-cypher.csv"]) == [["unit", "n", "text"], ["'" + PAYLOAD, "-3", "'-3"]]
    assert json.loads(downloads["policykg-cypher.json"])["rows"] == [[PAYLOAD, -3, "-3"]]  # JSON is not a sheet
