"""views.matrix on the two bundled plans: exact cells, shapes, column order, profiles and targets."""

from __future__ import annotations

import pytest

from views import matrix

EZHOU, XIANTAO = "鄂州市", "仙桃市"


@pytest.fixture(scope="module")
def graph(tmp_path_factory, bundled_store):
    """The two bundled plans as networkx, from a copy of the session's store."""
    store = bundled_store.open_copy(tmp_path_factory.mktemp("matrix") / "g.lbdb")
    yield store.to_networkx()
    store.close()


def row(frame, number):
    found = frame[frame["number"] == number]
    assert len(found) == 1, f"one row numbered {number}, found {len(found)}"
    return found.iloc[0]


def test_role_marks_say_lead_basis_role_and_derivation():
    assert matrix.role_mark("LEADS", "explicit") == "L"
    assert matrix.role_mark("LEADS", "first-listed") == "L*"
    assert matrix.role_mark("RESPONSIBLE_FOR") == "R"
    assert matrix.role_mark("SUPPORTS") == "S"
    assert matrix.role_mark("RESPONSIBLE_FOR", None, "鄂州市各区人民政府") == "R↳"
    assert matrix.role_mark("LEADS", "first-listed", "鄂州市各区人民政府") == "L*↳"


def test_ezhou_action_4_row_first_listed_lead_responsible_and_collective(graph):
    frame = matrix.responsibility_matrix(graph, cities=[EZHOU])
    cells = row(frame, "4.")
    assert cells["title"] == "做强核心创新平台"
    assert cells["city"] == EZHOU
    assert cells["document"] == "ezhou-ai-action-plan.txt"
    assert cells["鄂州市科技局"] == "L*"
    assert cells["鄂州市经信局"] == "R"
    assert cells["鄂州市发改委"] == "R"
    assert cells["鄂州市各区人民政府"] == "R"
    assert "鄂州市各区人民政府" in frame.attrs["collective"]
    for member in ("鄂城区人民政府", "华容区人民政府", "梁子湖区人民政府", "葛店经开区管委会", "临空经济区管委会"):
        assert cells[member] == "R↳", member
    named = {"鄂州市科技局", "鄂州市经信局", "鄂州市发改委", "鄂州市各区人民政府", "鄂城区人民政府", "华容区人民政府",
             "梁子湖区人民政府", "葛店经开区管委会", "临空经济区管委会"}
    assert {a for a in frame.attrs["agencies"] if cells[a]} == named


def test_xiantao_action_1_explicit_lead_and_responsible(graph):
    frame = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    cells = row(frame, "（一）")
    assert cells["title"] == "强化规划引领"
    assert cells["仙桃市发改委"] == "L"
    assert cells["仙桃市科技局"] == "R"
    assert cells["仙桃市经信局"] == "R"
    assert sum(bool(cells[a]) for a in frame.attrs["agencies"]) == 3


def test_matrix_has_one_row_per_action_of_each_city_in_document_order(graph):
    ezhou = matrix.responsibility_matrix(graph, cities=[EZHOU])
    xiantao = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    both = matrix.responsibility_matrix(graph)
    assert ezhou.shape == (22, 4 + 29)
    assert xiantao.shape == (25, 4 + 40)
    assert both.shape == (47, 4 + 69)
    assert list(ezhou["number"][:3]) == ["1.", "2.", "3."]
    assert list(xiantao["number"][:3]) == ["（一）", "（二）", "（三）"]
    assert set(ezhou["city"]) == {EZHOU} and set(xiantao["city"]) == {XIANTAO}


def test_filter_by_document_equals_filter_by_its_city(graph):
    doc = next(k for k, d in graph.nodes(data=True) if d["label"] == "Document" and d["city"] == XIANTAO)
    by_document = matrix.responsibility_matrix(graph, documents=[doc])
    by_city = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    assert by_document.equals(by_city)
    assert matrix.responsibility_matrix(graph, documents=[doc], cities=[EZHOU]).empty


def test_columns_are_ordered_by_load_then_leads(graph):
    frame = matrix.responsibility_matrix(graph, cities=[EZHOU])
    agencies = frame.attrs["agencies"]
    assert list(frame.columns) == ["city", "document", "number", "title", *agencies]
    loads = [int((frame[a] != "").sum()) for a in agencies]
    assert loads == [frame.attrs["load"][a] for a in agencies]
    assert loads == sorted(loads, reverse=True)
    # 临空经济区管委会 is in every action (20 through 各区人民政府, 2 in its own name); then the
    # collective itself (20, named in its own name) ahead of its members (20, all derived).
    assert agencies[:2] == ["临空经济区管委会", "鄂州市各区人民政府"]
    assert loads[:2] == [22, 20]
    assert agencies.index("鄂州市经信局") < agencies.index("鄂州市科技局") < agencies.index("鄂州市数据局")
    assert frame.attrs["load"]["鄂州市经信局"] == 12 and frame.attrs["load"]["鄂州市科技局"] == 10


def test_without_derived_members_only_named_units_remain(graph):
    frame = matrix.responsibility_matrix(graph, cities=[EZHOU], derived=False)
    assert "鄂城区人民政府" not in frame.columns
    assert not frame.isin(["R↳", "L↳", "L*↳", "S↳"]).any().any()
    assert row(frame, "4.")["鄂州市各区人民政府"] == "R"
    assert frame.attrs["agencies"][0] == "鄂州市各区人民政府"


def test_filter_by_agency_type_and_kind_narrows_columns_not_rows(graph):
    zones = matrix.responsibility_matrix(graph, cities=[EZHOU], types=["zone"])
    assert zones.shape[0] == 22
    assert zones.attrs["agencies"] == ["临空经济区管委会", "葛店经开区管委会"]
    science = matrix.responsibility_matrix(graph, kinds=["科技局"])
    assert science.attrs["agencies"] == ["仙桃市科技局", "鄂州市科技局"]
    assert row(science, "4.")["鄂州市科技局"] == "L*"


def test_collective_columns_marked_for_downloads(graph):
    frame = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    marked = matrix.mark_collective_columns(frame)
    assert "仙桃市各镇街道场区 ◎" in marked.columns and "仙桃市各镇街道场区" not in marked.columns
    assert "仙桃市科技局" in marked.columns
    assert set(frame.attrs["collective"]) == {"仙桃市各镇街道场区", "仙桃市各街道办事处", "仙桃市各镇人民政府",
                                              "仙桃市各有关地方和部门"}


def test_profile_of_xiantao_science_bureau_seven_explicit_leads(graph):
    profile = matrix.agency_profile(graph, "仙桃市科技局")
    assert profile["name"] == "仙桃市科技局"
    assert profile["kind"] == "科技局" and profile["kind_en"] == "Science and Technology Bureau"
    assert profile["type"] == "agency" and profile["city"] == XIANTAO
    assert profile["aliases"] == ["市科技局"]
    assert (profile["leads"], profile["explicit_leads"], profile["first_listed_leads"]) == (7, 7, 0)
    assert (profile["responsible"], profile["supports"]) == (7, 0)
    leads = matrix.agency_actions(graph, "仙桃市科技局", "LEADS")
    assert list(leads["number"]) == ["（二）", "（七）", "（十八）", "（十九）", "（二十）", "（二十三）", "（二十五）"]
    assert set(leads["mark"]) == {"L"} and set(leads["basis"]) == {"explicit"}


def test_profile_of_collective_names_its_members(graph):
    profile = matrix.agency_profile(graph, "鄂州市各区人民政府")
    assert profile["collective"] and profile["type"] == "collective"
    assert set(profile["members"]) == {"鄂城区人民政府", "华容区人民政府", "梁子湖区人民政府", "葛店经开区管委会",
                                       "临空经济区管委会"}
    member = matrix.agency_profile(graph, "鄂州市鄂城区人民政府")
    assert member["member_of"] == ["鄂州市各区人民政府"]
    shared = matrix.agency_actions(graph, "鄂州市鄂城区人民政府")
    assert len(shared) == 20 and set(shared["via_collective"]) == {"鄂州市各区人民政府"}


def test_agencies_listed_in_workload_order(graph):
    ordered = matrix.agencies(graph)
    assert ordered[:2] == ["仙桃市科技局", "仙桃市经信局"]
    assert len(ordered) == 69
    assert all(graph.nodes[a]["city"] == EZHOU for a in matrix.agencies(graph, cities=[EZHOU]))


def test_targets_table_has_every_target_with_action_and_year(graph):
    table = matrix.targets_table(graph)
    assert len(table) == 45
    assert list(table.columns) == list(matrix.TARGET_COLUMNS)
    ezhou_2027 = table[(table["city"] == EZHOU) & (table["year"] == 2027)]
    assert len(ezhou_2027) == 4
    platform = ezhou_2027[ezhou_2027["number"] == "4."].iloc[0]
    assert (platform["metric"], platform["value"], platform["unit"], platform["qualifier"]) == (
        "省级人工智能创新平台", 3.0, "家", "at_least")
    assert platform["action"] == "做强核心创新平台"
    assert table["year"].isna().sum() == 14
    assert table["year"].isna().tolist()[-14:] == [True] * 14  # targets without a year come last


def test_targets_per_year_counts_by_city_with_no_year_group(graph):
    counts = matrix.targets_per_year(matrix.targets_table(graph), "未注明年份").set_index("year")
    assert list(counts.index) == ["2025", "2026", "2027", "未注明年份"]
    assert counts.at["2027", EZHOU] == 4 and counts.at["2027", XIANTAO] == 25
    assert counts.at["未注明年份", EZHOU] == 2 and counts.at["未注明年份", XIANTAO] == 12
    assert counts["total"].sum() == 45


def test_filter_targets_by_city_year_range_and_no_year(graph):
    table = matrix.targets_table(graph)
    assert len(matrix.filter_targets(table, cities=[EZHOU])) == 6
    assert len(matrix.filter_targets(table, years=(2025, 2026))) == 2 + 14
    assert len(matrix.filter_targets(table, years=(2025, 2026), include_no_year=False)) == 2
    assert len(matrix.filter_targets(table, cities=[XIANTAO], years=(2027, 2027), include_no_year=False)) == 25


# --------------------------------------------------------------------------------------------- corrections

XIANTAO_1 = "d33d9538d1cc5e95-a001"  # 仙桃 （一） 强化规划引领: 市发改委 leads, 市科技局 and 市经信局 responsible


@pytest.fixture(scope="module")
def corrected(tmp_path_factory, bundled_store):
    """The bundled plans after two corrections of 仙桃 （一）: 市科技局 set as its lead, 市财政局 added as a
    support unit. The graph and the two correction ids."""
    from graph.corrections import record
    from queries.corrections import make_correction

    store = bundled_store.open_copy(tmp_path_factory.mktemp("matrix-corrected") / "g.lbdb")
    ids = []
    for kind, extra in (("lead", {"agencies": ["仙桃市科技局"]}),
                        ("add-unit", {"agencies": ["仙桃市财政局"], "role": "support"})):
        correction = make_correction(store, kind, why="test", who="ann", action="（一）",
                                     document="xiantao-ai-action-plan-2025-2027.txt", **extra)
        record(store, correction)
        ids.append(correction.id)
    yield store.to_networkx(), ids
    store.close()


def test_corrected_roles_are_marked_and_counted(corrected):
    graph, _ = corrected
    frame = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    cells = row(frame, "（一）")
    assert {a: cells[a] for a in frame.attrs["agencies"] if cells[a]} == {
        "仙桃市科技局": "L✎", "仙桃市经信局": "R", "仙桃市财政局": "S✎"}
    assert frame.attrs["corrected"] == 2
    assert frame.attrs["actions"][0] == XIANTAO_1 and len(frame.attrs["actions"]) == 25
    assert row(frame, "（二）")["仙桃市科技局"] == "L"  # what nobody corrected is as the loaders read it


def test_only_corrected_roles_leave_one_row_and_the_two_units_a_person_set(corrected):
    graph, _ = corrected
    frame = matrix.responsibility_matrix(graph, corrected_only=True)
    assert frame[["city", "number", "title"]].values.tolist() == [["仙桃市", "（一）", "强化规划引领"]]
    assert frame.attrs["agencies"] == ["仙桃市科技局", "仙桃市财政局"]
    assert frame[["仙桃市科技局", "仙桃市财政局"]].values.tolist() == [["L✎", "S✎"]]
    assert frame.attrs["actions"] == [XIANTAO_1]
    assert matrix.responsibility_matrix(graph, cities=[EZHOU], corrected_only=True).empty


def test_an_agencys_actions_carry_the_corrected_mark(corrected):
    graph, (lead, _) = corrected
    actions = matrix.agency_actions(graph, "仙桃市科技局", "LEADS")
    first = actions[actions["number"] == "（一）"].iloc[0]
    assert (first["mark"], first["role"], first["basis"]) == ("L✎", "lead", "corrected")
    assert [d.get("correction") for d in graph.get_edge_data("仙桃市科技局", XIANTAO_1).values()] == [lead]


def test_no_cell_of_the_bundled_plans_is_marked_corrected(graph):
    frame = matrix.responsibility_matrix(graph)
    assert frame.attrs["corrected"] == 0
    assert not frame[frame.attrs["agencies"]].apply(lambda column: column.str.contains("✎")).any().any()


def test_targets_filtered_to_corrected_ones_keep_only_targets_with_a_correction(graph):
    table = matrix.targets_table(graph)
    assert (table["correction"] == "").all()
    table.loc[3, "correction"] = "c-1"
    assert matrix.filter_targets(table, corrected_only=True)["correction"].tolist() == ["c-1"]
    assert len(matrix.filter_targets(table)) == 45
