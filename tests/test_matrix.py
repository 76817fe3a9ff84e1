"""views.matrix on the two bundled plans and a small hand-built graph: exact cells, row order, totals, fills,
profiles and targets."""

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


def test_role_marks_say_lead_basis_role_and_derivation():
    assert matrix.role_mark("LEADS", "explicit") == "L"
    assert matrix.role_mark("LEADS", "first-listed") == "L*"
    assert matrix.role_mark("RESPONSIBLE_FOR") == "R"
    assert matrix.role_mark("SUPPORTS") == "S"
    assert matrix.role_mark("RESPONSIBLE_FOR", None, "鄂州市各区人民政府") == "R↳"
    assert matrix.role_mark("LEADS", "first-listed", "鄂州市各区人民政府") == "L*↳"


def cell(frame, agency, action):
    found = frame[frame["agency"] == agency]
    assert len(found) == 1, f"one row for {agency}, found {len(found)}"
    return found.iloc[0][action]


def test_ezhou_action_4_column_first_listed_lead_responsible_and_collective(graph):
    frame = matrix.responsibility_matrix(graph, cities=[EZHOU])
    assert frame.attrs["action_info"]["4."] == {"city": EZHOU, "document": "ezhou-ai-action-plan.txt",
                                                "number": "4.", "title": "做强核心创新平台"}
    column = frame.set_index("agency")["4."]
    assert column["鄂州市科技局"] == "L*"
    assert column["鄂州市经信局"] == "R"
    assert column["鄂州市发改委"] == "R"
    assert column["鄂州市各区人民政府"] == "R"
    assert "鄂州市各区人民政府" in frame.attrs["collective"]
    for member in ("鄂城区人民政府", "华容区人民政府", "梁子湖区人民政府", "葛店经开区管委会", "临空经济区管委会"):
        assert column[member] == "R↳", member
    assert set(column[column != ""].index) == {
        "鄂州市科技局", "鄂州市经信局", "鄂州市发改委", "鄂州市各区人民政府", "鄂城区人民政府", "华容区人民政府",
        "梁子湖区人民政府", "葛店经开区管委会", "临空经济区管委会"}
    assert frame.attrs["involved"]["4."] == 9


def test_xiantao_action_1_explicit_lead_and_responsible(graph):
    frame = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    column = frame.set_index("agency")["（一）"]
    assert frame.attrs["action_info"]["（一）"]["title"] == "强化规划引领"
    assert column[column != ""].to_dict() == {"仙桃市科技局": "R", "仙桃市经信局": "R", "仙桃市发改委": "L"}
    assert frame.attrs["involved"]["（一）"] == 3


def test_matrix_has_one_row_per_agency_and_one_column_per_action_in_document_order(graph):
    ezhou = matrix.responsibility_matrix(graph, cities=[EZHOU])
    xiantao = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    both = matrix.responsibility_matrix(graph)
    assert ezhou.shape == (29, 6 + 22)
    assert xiantao.shape == (40, 6 + 25)
    assert both.shape == (69, 6 + 47)
    assert list(ezhou.columns[:9]) == ["agency", "type", "member_of", "led", "shared", "total", "1.", "2.", "3."]
    assert xiantao.attrs["action_columns"][:3] == ["（一）", "（二）", "（三）"]
    assert both.attrs["action_columns"][:2] == ["1.", "2."]  # numbers differ between the two plans: no city


def test_rows_are_departments_by_workload_then_other_units_then_each_collective_and_its_members(graph):
    frame = matrix.responsibility_matrix(graph, cities=[EZHOU])
    assert list(frame["agency"][:7]) == ["鄂州市科技局", "鄂州市经信局", "鄂州市数据局", "鄂州市发改委",
                                         "鄂州市人社局", "鄂州市教育局", "鄂州市商务局"]
    assert frame[["led", "shared", "total"]].values.tolist()[:3] == [[5, 5, 10], [3, 9, 12], [3, 5, 8]]
    assert set(frame.attrs["groups"][:23]) == {"department"} and set(frame["type"][:23]) == {"agency", "party"}
    assert frame[["agency", "member_of"]].values.tolist()[23:] == [
        ["鄂州市各区人民政府", ""],
        ["临空经济区管委会", "鄂州市各区人民政府"],  # leads one action in its own name: first of the members
        ["华容区人民政府", "鄂州市各区人民政府"], ["梁子湖区人民政府", "鄂州市各区人民政府"],
        ["葛店经开区管委会", "鄂州市各区人民政府"], ["鄂城区人民政府", "鄂州市各区人民政府"]]
    assert frame.attrs["groups"][23:] == ["collective"] + ["member"] * 5
    assert frame.attrs["agencies"][24] == "鄂州市临空经济区管委会"


def test_xiantao_other_units_come_before_the_collectives_and_a_nested_collective_follows_its_parent(graph):
    frame = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    groups = frame.attrs["groups"]
    assert groups == ["department"] * 22 + ["other"] * 10 + ["collective", "member", "collective", "collective",
                                                             "member", "member", "member", "collective"]
    assert list(frame["agency"][:2]) == ["仙桃市科技局", "仙桃市经信局"]  # 7 and 6 leads
    assert frame["agency"][22] == "仙桃高新区"  # the other unit that leads one action
    assert frame[["agency", "member_of"]].values.tolist()[32:] == [
        ["仙桃市各镇街道场区", ""], ["九合垸原种场", "仙桃市各镇街道场区"],
        ["仙桃市各街道办事处", "仙桃市各镇街道场区"], ["仙桃市各镇人民政府", "仙桃市各镇街道场区"],
        ["排湖旅游度假区", "仙桃市各镇街道场区"], ["沙湖原种场", "仙桃市各镇街道场区"],
        ["高新技术产业开发区", "仙桃市各镇街道场区"], ["仙桃市各有关地方和部门", ""]]


def test_totals_per_agency_and_per_action_count_the_cells(graph):
    frame = matrix.responsibility_matrix(graph)
    actions = frame.attrs["action_columns"]
    filled = frame[actions] != ""
    assert frame["total"].tolist() == filled.sum(axis=1).tolist()
    assert (frame["led"] + frame["shared"] == frame["total"]).all()
    leads = frame[actions].apply(lambda column: column.str.startswith("L")).sum(axis=1)
    assert frame["led"].tolist() == leads.tolist()
    assert frame.attrs["involved"] == filled.sum(axis=0).to_dict()
    assert sum(frame.attrs["involved"].values()) == int(frame["total"].sum()) == 336


def test_filter_by_document_equals_filter_by_its_city(graph):
    doc = next(k for k, d in graph.nodes(data=True) if d["label"] == "Document" and d["city"] == XIANTAO)
    by_document = matrix.responsibility_matrix(graph, documents=[doc])
    by_city = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    assert by_document.equals(by_city)
    assert matrix.responsibility_matrix(graph, documents=[doc], cities=[EZHOU]).empty


def test_without_derived_members_only_named_units_remain(graph):
    frame = matrix.responsibility_matrix(graph, cities=[EZHOU], derived=False)
    assert "鄂城区人民政府" not in set(frame["agency"])
    assert not frame.isin(["R↳", "L↳", "L*↳", "S↳"]).any().any()
    assert cell(frame, "鄂州市各区人民政府", "4.") == "R"
    # 临空经济区管委会 keeps the two roles it holds in its own name, still listed under its collective
    assert frame[["agency", "member_of", "led", "shared"]].values.tolist()[-2:] == [
        ["鄂州市各区人民政府", "", 0, 20], ["临空经济区管委会", "鄂州市各区人民政府", 1, 1]]


def test_filter_by_agency_type_and_kind_narrows_rows_not_columns(graph):
    zones = matrix.responsibility_matrix(graph, cities=[EZHOU], types=["zone"])
    assert len(zones.attrs["action_columns"]) == 22
    assert list(zones["agency"]) == ["临空经济区管委会", "葛店经开区管委会"]  # no collective shown: other units
    assert zones.attrs["groups"] == ["other", "other"]
    science = matrix.responsibility_matrix(graph, kinds=["科技局"])
    assert list(science["agency"]) == ["仙桃市科技局", "鄂州市科技局"]
    assert cell(science, "鄂州市科技局", "4.") == "L*"


def test_collective_units_are_listed_in_attrs(graph):
    frame = matrix.responsibility_matrix(graph, cities=[XIANTAO])
    assert frame.attrs["collective"] == ["仙桃市各镇街道场区", "仙桃市各街道办事处", "仙桃市各镇人民政府",
                                         "仙桃市各有关地方和部门"]
    assert set(frame[frame["type"] == "collective"]["agency"]) == set(frame.attrs["collective"])


# --------------------------------------------------------------------------------------------- a small graph

def small_graph():
    """Two departments, a party organ, a company, a collective with a zone, a district and a nested collective
    (with a town), a department that is a member too; three actions."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("doc", label="Document", source="plan.txt", city="甲市")
    for seq, number in enumerate(["1.", "2.", "3."], start=1):
        g.add_node(f"a{seq}", label="Action", doc_id="doc", seq=seq, number=number, title=f"行动{seq}", city="甲市")
    units = [("财政局", "agency", False), ("科技局", "agency", False), ("委组织部", "party", False),
             ("某公司", "company", False), ("各区", "collective", True), ("甲区", "government", False),
             ("高新区", "zone", False), ("各镇", "collective", True), ("乙镇", "town", False),
             ("发改委", "agency", False)]
    for name, kind, collective in units:
        g.add_node(name, label="Agency", name=name, type=kind, collective=collective, city="甲市")
    for collective, member in [("各区", "甲区"), ("各区", "高新区"), ("各区", "各镇"), ("各镇", "乙镇"),
                               ("各区", "发改委")]:
        g.add_edge(collective, member, type="INCLUDES")

    def role(agency, action, rel_type, basis=None, derived_from=None):
        g.add_edge(agency, action, type=rel_type, basis=basis, derived_from=derived_from, rank=1)

    role("科技局", "a1", "LEADS", "explicit")
    role("科技局", "a2", "RESPONSIBLE_FOR")
    role("财政局", "a1", "RESPONSIBLE_FOR")
    role("财政局", "a2", "RESPONSIBLE_FOR")
    role("财政局", "a3", "SUPPORTS")
    role("发改委", "a3", "LEADS", "first-listed")
    role("委组织部", "a2", "LEADS", "explicit")
    role("某公司", "a3", "RESPONSIBLE_FOR")
    role("各区", "a1", "RESPONSIBLE_FOR")
    role("各区", "a2", "RESPONSIBLE_FOR")
    for member in ("甲区", "高新区", "各镇"):
        role(member, "a1", "RESPONSIBLE_FOR", derived_from="各区")
        role(member, "a2", "RESPONSIBLE_FOR", derived_from="各区")
    role("乙镇", "a1", "RESPONSIBLE_FOR", derived_from="各镇")
    role("高新区", "a3", "LEADS", "explicit")
    return g


def test_small_graph_rows_departments_by_led_then_shared_then_name_then_collectives_with_members():
    frame = matrix.responsibility_matrix(small_graph())
    assert frame[["agency", "type", "member_of", "led", "shared", "total"]].values.tolist() == [
        ["科技局", "agency", "", 1, 1, 2],
        ["发改委", "agency", "", 1, 0, 1],  # a member of 各区, but a department: among the departments
        ["委组织部", "party", "", 1, 0, 1],
        ["财政局", "agency", "", 0, 3, 3],
        ["某公司", "company", "", 0, 1, 1],
        ["各区", "collective", "", 0, 2, 2],
        ["高新区", "zone", "各区", 1, 2, 3],
        ["各镇", "collective", "各区", 0, 2, 2],
        ["乙镇", "town", "各镇", 0, 1, 1],
        ["甲区", "government", "各区", 0, 2, 2],
    ]
    assert frame.attrs["groups"] == ["department"] * 4 + ["other", "collective", "member", "collective", "member",
                                                          "member"]
    assert frame[["1.", "2.", "3."]].values.tolist() == [
        ["L", "R", ""], ["", "", "L*"], ["", "L", ""], ["R", "R", "S"], ["", "", "R"],
        ["R", "R", ""], ["R↳", "R↳", "L"], ["R↳", "R↳", ""], ["R↳", "", ""], ["R↳", "R↳", ""]]
    assert frame.attrs["involved"] == {"1.": 7, "2.": 7, "3.": 4}
    assert frame.attrs["action_info"]["2."] == {"city": "甲市", "document": "plan.txt", "number": "2.",
                                                "title": "行动2"}


def test_cells_are_filled_by_their_first_role_with_the_styles_colours():
    frame = matrix.responsibility_matrix(small_graph())
    fills = matrix.cell_fills(frame).set_index(frame["agency"])
    style = matrix.MATRIX_STYLE
    assert fills.at["科技局", "1."] == style["lead"] == "#93c5fd"
    assert fills.at["发改委", "3."] == style["first-listed"] == "#dbeafe"
    assert fills.at["财政局", "1."] == style["responsible"] == "#bbf7d0"
    assert fills.at["财政局", "3."] == style["support"] == "#fde68a"
    assert fills.at["甲区", "1."] == style["responsible"]  # derived: the role's colour
    assert fills.at["科技局", "3."] == "" and fills.at["科技局", "agency"] == ""
    assert matrix.cell_role("L/R") == "lead" and matrix.cell_role("") is None


def test_the_matrix_style_is_checked_when_read(tmp_path):
    bad = tmp_path / "styles.toml"
    bad.write_text('[matrix]\nlead = "blue"\nfirst-listed = "#dbeafe"\nresponsible = "#bbf7d0"\n'
                   'support = "#fde68a"\nheader = "#e5e7eb"\ntotals = "#f3f4f6"\ntext = "#111827"\n'
                   'departments = ["agency"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"matrix\.lead"):
        matrix.load_matrix_style(bad)
    assert matrix.DEPARTMENT_TYPES == ("agency", "party")


def test_action_labels_add_the_city_only_where_numbers_repeat():
    g = small_graph()
    g.add_node("b1", label="Action", doc_id="doc2", seq=1, number="1.", title="乙行动", city="乙市")
    assert matrix.action_labels(g, ["a1", "a2"]) == ["1.", "2."]
    assert matrix.action_labels(g, ["a1", "b1"]) == ["甲市 1.", "乙市 1."]
    assert matrix.action_labels(g, ["a1"], taken=["1."]) == ["1. (2)"]


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
    # 仙桃's twelve targets that give no year take its plan's (2027, inferred: commit 1dc1082); 鄂州's two keep none
    assert table["year"].isna().sum() == 2
    assert table["year"].isna().tolist()[-3:] == [False, True, True]  # targets without a year come last
    inferred = table[table["year_inferred"]]
    assert (len(inferred), set(inferred["city"]), set(inferred["year"])) == (12, {"仙桃市"}, {2027})


def test_targets_per_year_counts_by_city_with_no_year_group(graph):
    counts = matrix.targets_per_year(matrix.targets_table(graph), "未注明年份").set_index("year")
    assert list(counts.index) == ["2025", "2026", "2027", "未注明年份"]
    assert counts.at["2027", EZHOU] == 4 and counts.at["2027", XIANTAO] == 25 + 12
    assert counts.at["未注明年份", EZHOU] == 2 and counts.at["未注明年份", XIANTAO] == 0
    assert counts["total"].sum() == 45


def test_filter_targets_by_city_year_range_and_no_year(graph):
    table = matrix.targets_table(graph)
    assert len(matrix.filter_targets(table, cities=[EZHOU])) == 6
    assert len(matrix.filter_targets(table, years=(2025, 2026))) == 2 + 2
    assert len(matrix.filter_targets(table, years=(2025, 2026), include_no_year=False)) == 2
    assert len(matrix.filter_targets(table, cities=[XIANTAO], years=(2027, 2027), include_no_year=False)) == 37


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
    column = frame.set_index("agency")["（一）"]
    assert column[column != ""].to_dict() == {"仙桃市科技局": "L✎", "仙桃市经信局": "R", "仙桃市财政局": "S✎"}
    assert frame.attrs["corrected"] == 2
    assert frame.attrs["actions"][0] == XIANTAO_1 and len(frame.attrs["actions"]) == 25
    assert cell(frame, "仙桃市科技局", "（二）") == "L"  # what nobody corrected is as the loaders read it


def test_only_corrected_roles_leave_one_column_and_the_two_units_a_person_set(corrected):
    graph, _ = corrected
    frame = matrix.responsibility_matrix(graph, corrected_only=True)
    assert frame.attrs["action_columns"] == ["（一）"] and frame.attrs["actions"] == [XIANTAO_1]
    assert frame[["agency", "led", "shared", "total", "（一）"]].values.tolist() == [
        ["仙桃市科技局", 1, 0, 1, "L✎"], ["仙桃市财政局", 0, 1, 1, "S✎"]]
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
    assert not frame[frame.attrs["action_columns"]].apply(lambda column: column.str.contains("✎")).any().any()


def test_targets_filtered_to_corrected_ones_keep_only_targets_with_a_correction(graph):
    table = matrix.targets_table(graph)
    assert (table["correction"] == "").all()
    table.loc[3, "correction"] = "c-1"
    assert matrix.filter_targets(table, corrected_only=True)["correction"].tolist() == ["c-1"]
    assert len(matrix.filter_targets(table)) == 45
