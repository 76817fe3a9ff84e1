"""Corrections on both stores, with the same expectations: each kind applied, kept across reloads and
rebuilds, exported and imported, undone; the later of two wins; what cannot apply is said by name."""

from __future__ import annotations

import threading

import pytest

from graph import corrections as people
from graph.corrections import CorrectionError
from graph.loading import BUNDLED_CORPUS, load_files, load_plans
from loaders import extract_path, extract_text
from queries import run_named
from queries.corrections import make_correction
from tests.stores import SEED_COUNTS, graph_snapshot, load_bundled, open_test_store

XIANTAO = "xiantao-ai-action-plan-2025-2027.txt"
EZHOU = "ezhou-ai-action-plan.txt"
WHY = "checked against the meeting minutes"


@pytest.fixture(params=("embedded", "neo4j"))
def store(request, tmp_path):
    """A store of each kind holding the two bundled plans and no corrections, this test's own."""
    if request.param == "embedded":
        opened = request.getfixturevalue("bundled_store").open_copy(tmp_path / "graph.lbdb")
    else:
        opened = open_test_store("neo4j", tmp_path)
        assert load_bundled(opened).errors == []
    yield opened
    opened.close()


def fresh(store, tmp_path, name="fresh"):
    """An empty store of the same kind (for Neo4j: the same server's database, cleared)."""
    if store.kind == "embedded":
        return open_test_store("embedded", tmp_path / name)
    store.clear(corrections=True)
    return store


def units(store, action, document):
    rows = run_named(store, "agencies-of-action", {"action": action, "document": document}).as_dicts()
    return [(row["agency"], row["role"], row["basis"]) for row in rows]


def correct(store, kind, **parts):
    correction = make_correction(store, kind, why=WHY, who="ann", **parts)
    people.record(store, correction)
    return correction


def test_a_lead_correction_replaces_the_leads_and_says_corrected(store):
    assert units(store, "（一）", XIANTAO) == [("仙桃市发改委", "LEADS", "explicit"),
                                              ("仙桃市科技局", "RESPONSIBLE_FOR", None),
                                              ("仙桃市经信局", "RESPONSIBLE_FOR", None)]
    correction = correct(store, "lead", document=XIANTAO, action="（一）", agencies=["市经信局"])
    assert units(store, "（一）", XIANTAO) == [("仙桃市经信局", "LEADS", "corrected"),
                                              ("仙桃市科技局", "RESPONSIBLE_FOR", None)]
    rows = store.read_all("MATCH (a:Agency)-[l:LEADS]->(x:Action {number: '（一）'}) WHERE x.city = '仙桃市' "
                          "RETURN l.correction, l.as_written, l.quote, l.span")
    # the source sentence stays the note as written: the corrected unit is not in it, so it has no span
    assert rows == [[correction.id, "市经信局", "(牵头单位:市发改委;责任单位:市科技局、市经信局)", None]]
    [kept] = people.read_corrections(store)
    assert (kept.extracted, kept.outcome, kept.who, kept.why) == (["仙桃市发改委"], {"code": "applied", "values": {}},
                                                                  "ann", WHY)


def test_reloading_the_document_and_clearing_then_loading_keep_the_correction(store):
    correct(store, "lead", document=XIANTAO, action="（一）", agencies=["市经信局"])
    corrected = graph_snapshot(store)
    report = load_files(store, [BUNDLED_CORPUS])
    assert (report.loaded, report.corrected, report.correction_problems) == (2, 1, [])
    assert graph_snapshot(store) == corrected
    store.clear()  # corrections stay: they are applied again as the plans come back
    load_files(store, [BUNDLED_CORPUS])
    assert graph_snapshot(store) == corrected


def test_undo_restores_exactly_what_the_loaders_gave(store):
    extracted = graph_snapshot(store)
    lead = correct(store, "lead", document=XIANTAO, action="（一）", agencies=["市经信局"])
    merge = correct(store, "merge", agencies=["仙桃市经信局"], into="仙桃市科技局")
    people.undo(store, merge.id, "bob")
    people.undo(store, lead.id, "bob")
    assert graph_snapshot(store) == extracted
    assert [(c.id, c.status, c.undone_by) for c in people.read_corrections(store)] == [
        (lead.id, "undone", "bob"), (merge.id, "undone", "bob")]
    with pytest.raises(CorrectionError, match="undone already"):
        people.undo(store, lead.id)


def test_of_two_corrections_of_one_lead_the_later_wins_and_the_earlier_stays_in_history(store):
    first = correct(store, "lead", document=XIANTAO, action="（一）", agencies=["市经信局"])
    second = correct(store, "lead", document=XIANTAO, action="（一）", agencies=["市科技局"])
    assert units(store, "（一）", XIANTAO)[0] == ("仙桃市科技局", "LEADS", "corrected")
    assert [c.id for c in people.read_corrections(store) if c.status == "active"] == [first.id, second.id]
    people.undo(store, second.id)
    assert units(store, "（一）", XIANTAO) == [("仙桃市经信局", "LEADS", "corrected"),
                                              ("仙桃市科技局", "RESPONSIBLE_FOR", None)]


def test_rebuilding_from_scratch_then_importing_gives_the_corrected_graph_and_round_trips(store, tmp_path):
    made = [
        correct(store, "lead", document=XIANTAO, action="（一）", agencies=["市经信局"]),
        correct(store, "add-unit", document=EZHOU, action="2.", agencies=["市发改委"], role="support"),
        correct(store, "remove-unit", document=XIANTAO, action="（二）", agencies=["市科技局"]),
        correct(store, "title", document=EZHOU, values={"title": "鄂州市人工智能产业发展行动方案"}),
        correct(store, "date", document=EZHOU, values={"published": "2024-05-20"}),
        correct(store, "rename", agencies=["鄂州市科技局"], name="鄂州市科学技术局"),
        correct(store, "merge", agencies=["仙桃市经信局"], into="仙桃市科技局"),
        correct(store, "retype", entity="葛店泛半导体产业园", values={"type": "Platform"}),
        correct(store, "reject", entity="光谷东数字经济产业园"),
        correct(store, "target", document=XIANTAO, action="（四）", metric="机架", values={"value": 700, "year": 2026}),
    ]
    corrected, lines = graph_snapshot(store), people.export_lines(people.read_corrections(store))
    rebuilt = fresh(store, tmp_path)
    load_files(rebuilt, [BUNDLED_CORPUS])
    added, known, result = people.import_corrections(rebuilt, people.parse_lines(lines, "c.jsonl"))
    assert (added, known, result.problems()) == ([c.id for c in made], [], [])
    assert graph_snapshot(rebuilt) == corrected
    assert people.export_lines(people.read_corrections(rebuilt)) == lines
    again = people.import_corrections(rebuilt, people.parse_lines(lines, "c.jsonl"))
    assert (again[0], again[1]) == ([], sorted(c.id for c in made))


def test_corrections_imported_before_the_plans_are_applied_as_they_load(store, tmp_path):
    correct(store, "lead", document=XIANTAO, action="（一）", agencies=["市经信局"])
    correct(store, "rename", agencies=["鄂州市科技局"], name="鄂州市科学技术局")
    corrected, lines = graph_snapshot(store), people.export_lines(people.read_corrections(store))
    rebuilt = fresh(store, tmp_path)
    people.import_corrections(rebuilt, people.parse_lines(lines, "c.jsonl"))
    report = load_files(rebuilt, [BUNDLED_CORPUS])
    assert (report.corrected, report.correction_problems) == (2, [])
    assert graph_snapshot(rebuilt) == corrected


def test_each_kind_changes_exactly_its_fact(store):
    correct(store, "title", document=EZHOU, values={"title": "鄂州市人工智能行动方案"})
    correct(store, "date", document=EZHOU, values={"published": "2024-05-20"})
    assert store.read_all("MATCH (d:Document {source: $s}) RETURN d.title, d.published", {"s": EZHOU}) == [
        ["鄂州市人工智能行动方案", "2024-05-20"]]
    correct(store, "responsible", document=XIANTAO, action="（一）", agencies=["市科技局"])
    correct(store, "support", document=XIANTAO, action="（一）", agencies=["市经信局"])
    assert units(store, "（一）", XIANTAO) == [("仙桃市发改委", "LEADS", "explicit"),
                                              ("仙桃市科技局", "RESPONSIBLE_FOR", None),
                                              ("仙桃市经信局", "SUPPORTS", None)]
    correct(store, "rename", agencies=["鄂州市科技局"], name="鄂州市科学技术局")
    assert store.read_all("MATCH (a:Agency {id: '鄂州市科技局'}) RETURN a.name, a.aliases") == [
        ["鄂州市科学技术局", ["市科技局", "鄂州市科技局"]]]
    assert run_named(store, "actions-led-by", {"agency": "鄂州市科技局"}).rows  # the old name still finds it
    correct(store, "retype", entity="葛店泛半导体产业园", values={"type": "Platform"})
    assert store.read_all("MATCH (p:Park {name: '葛店泛半导体产业园'}) RETURN p.id") == []
    assert store.read_all("MATCH (p:Platform {name: '葛店泛半导体产业园'}) RETURN p.city") == [["鄂州市"]]
    correct(store, "reject", entity="光谷东数字经济产业园")
    assert store.read_all("MATCH (p:Park {name: '光谷东数字经济产业园'}) RETURN p.id") == []
    correct(store, "target", document=XIANTAO, action="（四）", metric="机架", values={"value": 700, "unit": "架"})
    assert store.read_all("MATCH (t:Target {metric: '机架'}) RETURN t.value, t.unit, t.correction IS NOT NULL") == [
        [700.0, "架", True]]


def test_merging_two_agencies_makes_one_with_both_names_and_undo_splits_them(store):
    merge = correct(store, "merge", agencies=["仙桃市经信局"], into="仙桃市科技局")
    assert store.read_all("MATCH (a:Agency {id: '仙桃市经信局'}) RETURN a.id") == []
    assert store.read_all("MATCH (a:Agency {id: '仙桃市科技局'}) RETURN a.aliases, a.correction") == [
        [["仙桃市经信局", "市科技局", "市经信局"], merge.id]]
    assert [row[:2] for row in units(store, "（一）", XIANTAO)] == [("仙桃市发改委", "LEADS"),
                                                                   ("仙桃市科技局", "RESPONSIBLE_FOR")]
    people.undo(store, merge.id)
    assert store.read_all("MATCH (a:Agency {id: '仙桃市科技局'}) RETURN a.aliases, a.correction") == [
        [["市科技局"], None]]
    assert store.counts() == SEED_COUNTS


def test_removing_a_document_leaves_the_graph_of_the_other_and_undo_brings_it_back(store, tmp_path):
    only_ezhou_store = open_test_store("embedded", tmp_path / "ezhou")
    load_files(only_ezhou_store, [BUNDLED_CORPUS / EZHOU])
    only_ezhou = graph_snapshot(only_ezhou_store)
    only_ezhou_store.close()
    removal = correct(store, "remove", document=XIANTAO)
    assert graph_snapshot(store) == only_ezhou
    report = load_files(store, [BUNDLED_CORPUS])  # loading the folder again does not bring it back silently
    assert report.removed == [(str(BUNDLED_CORPUS / XIANTAO), removal.id)]
    assert graph_snapshot(store) == only_ezhou
    people.undo(store, removal.id)
    assert store.counts() == SEED_COUNTS


def test_a_correction_whose_action_is_gone_is_reported_by_name(store, tmp_path):
    text = "鄂州市测试行动方案\n一、任务\n（一）建平台。（牵头单位：市科技局）\n（二）建中心。（牵头单位：市经信局）\n"
    newer = "鄂州市测试行动方案\n一、任务\n（一）建平台。（牵头单位：市科技局）\n"
    load_plans(store, [("plan.txt", lambda: extract_text(text, "plan.txt"))])
    lead = correct(store, "lead", document="plan.txt", action="（二）", agencies=["市科技局"])
    lines = people.export_lines(people.read_corrections(store))
    rebuilt = fresh(store, tmp_path)
    people.import_corrections(rebuilt, people.parse_lines(lines, "c.jsonl"))
    report = load_plans(rebuilt, [("plan.txt", lambda: extract_text(newer, "plan.txt"))])  # a new version
    assert report.correction_problems == [
        f"correction {lead.id} (plan.txt （二） 建中心: lead: 鄂州市科技局) not applied: "
        "plan.txt has no action （二） 建中心 any more"]
    [kept] = people.read_corrections(rebuilt)
    assert kept.outcome == {"code": "action_gone", "values": {"document": "plan.txt", "action": "（二） 建中心"}}


def test_a_correction_follows_its_document_to_a_new_version_of_the_file(store, tmp_path):
    text = "鄂州市测试行动方案\n一、任务\n（一）建平台。（牵头单位：市科技局）\n（二）建中心。（牵头单位：市经信局）\n"
    newer = text + "（三）建园区。（牵头单位：市发改委）\n"
    load_plans(store, [("plan.txt", lambda: extract_text(text, "plan.txt"))])
    correct(store, "lead", document="plan.txt", action="（二）", agencies=["市科技局"])
    lines = people.export_lines(people.read_corrections(store))
    rebuilt = fresh(store, tmp_path)
    people.import_corrections(rebuilt, people.parse_lines(lines, "c.jsonl"))
    report = load_plans(rebuilt, [("plan.txt", lambda: extract_text(newer, "plan.txt"))])
    assert (report.corrected, report.correction_problems) == (1, [])
    assert units(rebuilt, "（二）", "plan.txt") == [("鄂州市科技局", "LEADS", "corrected")]


def test_a_plan_of_unknown_government_corrected_to_a_city_moves_its_units_there(store):
    text = "关于推进数据产业发展的实施方案\n一、任务\n（一）建平台。（牵头单位：市科技局；责任单位：市数据局）\n"
    load_plans(store, [("nowhere.txt", lambda: extract_text(text, "nowhere.txt"))])
    assert store.read_all("MATCH (d:Document {source: 'nowhere.txt'}) RETURN d.city") == [[None]]
    correct(store, "government", document="nowhere.txt", values={"city": "宜昌市"})
    assert store.read_all("MATCH (d:Document {source: 'nowhere.txt'}) RETURN d.city, d.province") == [
        ["宜昌市", "湖北省"]]
    assert units(store, "（一）", "nowhere.txt") == [("宜昌市科技局", "LEADS", "explicit"),
                                                     ("宜昌市数据局", "RESPONSIBLE_FOR", None)]
    assert store.read_all("MATCH (a:Agency) WHERE a.id STARTS WITH $doc RETURN a.id",
                          {"doc": store.read_all("MATCH (d:Document {source: 'nowhere.txt'}) RETURN d.id")[0][0]}) == []


def test_bad_input_is_one_line_and_changes_nothing(store):
    before = graph_snapshot(store)
    cases = [
        (dict(kind="lead", document=XIANTAO, action="（一）", agencies=["市数据局"]),
         "no agency named '市数据局' in 仙桃市"),
        (dict(kind="lead", document="no-such.txt", action="（一）", agencies=["市科技局"]), "no loaded document"),
        (dict(kind="lead", document=XIANTAO, action="（九十九）", agencies=["市科技局"]), "no action numbered"),
        (dict(kind="date", document=XIANTAO, values={"published": "May 2025"}), "not a date"),
        (dict(kind="lead", document=XIANTAO, action="（一）", agencies=["市科技局"], why=" "), "say why"),
    ]
    for parts, message in cases:
        why = parts.pop("why", WHY)
        with pytest.raises(CorrectionError, match=message) as raised:
            people.record(store, make_correction(store, why=why, **parts))
        assert "\n" not in str(raised.value)
    assert people.read_corrections(store) == []
    assert graph_snapshot(store) == before


def test_a_unit_that_is_not_in_the_action_cannot_be_removed_and_nothing_is_kept(store):
    before = graph_snapshot(store)
    correction = make_correction(store, "remove-unit", document=EZHOU, action="2.", agencies=["市发改委"], why=WHY)
    with pytest.raises(CorrectionError, match=r"鄂州市发改委 is not a unit of action 2\."):
        people.record(store, correction)
    assert people.read_corrections(store) == []
    assert graph_snapshot(store) == before


def test_two_writers_correcting_at_once_keep_both(store):
    actions = ("（二）", "（三）", "（四）", "（五）")  # led by 市科技局 or 市经信局, as read
    corrections = [make_correction(store, "lead", document=XIANTAO, action=action, agencies=["市发改委"], why=WHY)
                   for action in actions]
    barrier = threading.Barrier(len(corrections))
    errors: list[BaseException] = []

    def write(correction):
        barrier.wait()
        try:
            people.record(store, correction)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(c,)) for c in corrections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for action in actions:
        assert units(store, action, XIANTAO)[0] == ("仙桃市发改委", "LEADS", "corrected")
    assert len(people.read_corrections(store)) == 4


def test_a_reload_replaces_what_an_earlier_reading_left(store):
    stale = store.read_all("MATCH (d:Document {source: $s}) RETURN d.id", {"s": XIANTAO})[0][0]
    store.write(lambda run: run("MATCH (a:Agency {id: '仙桃市科技局'}), (x:Action {id: $x}) "
                                "CREATE (a)-[:SUPPORTS {rank: 9, doc_id: $d}]->(x)",
                                {"x": f"{stale}-a001", "d": stale}))
    assert store.counts()["SUPPORTS"] == 1
    load_files(store, [BUNDLED_CORPUS])
    assert store.counts() == SEED_COUNTS


@pytest.mark.parametrize("fixture", ["docx_paragraphs_and_table_in_document_order.docx"])
def test_a_plan_extracted_again_from_the_store_equals_its_extraction_from_the_file(fixture, fixture_path, tmp_path):
    from graph.records import document_records

    doc = extract_path(fixture_path(fixture))
    records = document_records(doc)
    [row] = records.nodes["Document"]
    again = people.extract_stored(row)
    assert document_records(again).nodes == records.nodes
    assert document_records(again).relationships == records.relationships


def test_an_imported_merge_of_an_agency_no_plan_names_is_said_not_dropped(store, tmp_path):
    merge = correct(store, "merge", agencies=["仙桃市经信局"], into="仙桃市科技局")
    lines = people.export_lines(people.read_corrections(store))
    rebuilt = fresh(store, tmp_path)
    load_files(rebuilt, [BUNDLED_CORPUS / EZHOU])
    _, _, result = people.import_corrections(rebuilt, people.parse_lines(lines, "c.jsonl"))
    assert [(o.id, o.text()) for o in result.problems()] == [(merge.id, "no agency 仙桃市经信局 in the graph")]


def test_the_corrected_facts_query_shows_only_what_people_corrected(store):
    assert run_named(store, "corrected-facts").rows == []
    lead = correct(store, "lead", document=XIANTAO, action="（一）", agencies=["市经信局"])
    target = correct(store, "target", document=XIANTAO, action="（四）", metric="机架", values={"value": 700})
    retype = correct(store, "retype", entity="葛店泛半导体产业园", values={"type": "Platform"})
    title = correct(store, "title", document=EZHOU, values={"title": "鄂州市人工智能行动方案"})
    rows = [row[:7] for row in run_named(store, "corrected-facts").rows]
    assert rows == [
        ["仙桃市", XIANTAO, "LEADS", "（一）", "强化规划引领", "仙桃市经信局", lead.id],
        ["仙桃市", XIANTAO, "Target", "", "机架", "个", target.id],
        ["鄂州市", EZHOU, "Platform", "", "", "葛店泛半导体产业园", retype.id],
        ["鄂州市", EZHOU, "Document", "", "", "鄂州市人工智能行动方案", title.id],
    ]
    assert [row[6] for row in run_named(store, "corrected-facts", {"city": "鄂州"}).rows] == [retype.id, title.id]


def test_importing_an_undone_removal_brings_nothing_back(store, tmp_path):
    removal = correct(store, "remove", document=XIANTAO)
    people.undo(store, removal.id)
    lines = people.export_lines(people.read_corrections(store))
    rebuilt = fresh(store, tmp_path)
    load_files(rebuilt, [BUNDLED_CORPUS / EZHOU])
    added, _, result = people.import_corrections(rebuilt, people.parse_lines(lines, "c.jsonl"))
    assert (added, result.documents, result.removed) == ([removal.id], [], [])
    assert rebuilt.read_all("MATCH (d:Document) RETURN d.source") == [[EZHOU]]


def test_a_correction_that_sets_what_the_graph_says_already_is_refused(store):
    before = graph_snapshot(store)
    same = make_correction(store, "lead", document=XIANTAO, action="（一）", agencies=["市发改委"], why=WHY)
    with pytest.raises(CorrectionError, match="it changes nothing"):
        people.record(store, same)
    title = store.read_all("MATCH (d:Document {source: $s}) RETURN d.title", {"s": XIANTAO})[0][0]
    with pytest.raises(CorrectionError, match="it changes nothing"):
        people.record(store, make_correction(store, "title", document=XIANTAO, values={"title": title}, why=WHY))
    assert (people.read_corrections(store), graph_snapshot(store)) == ([], before)


def test_applying_corrections_leaves_the_plan_as_read_unchanged(bundled_plans):
    doc = bundled_plans[XIANTAO]
    before = doc.model_dump()
    first = doc.actions[0]
    target = next(t for t in doc.targets if t.metric == "机架")
    park = next(e for e in doc.entities if e.type == "Park")
    key = people.AgencyKey(id="仙桃市经信局", name="仙桃市经信局", city="仙桃市", kind="经信局")
    made = dict(who="ann", at="2026-01-01T00:00:00+00:00", why=WHY, document=people.DocumentKey(source=XIANTAO))
    corrections = [
        people.Correction(id="c-1", kind="lead", action=people.ActionKey(number=first.number), agencies=[key], **made),
        people.Correction(id="c-2", kind="title", values={"title": "新标题"}, **made),
        people.Correction(id="c-3", kind="target", metric="机架", values={"value": 1.0},
                          action=people.ActionKey(number="（四）"), **made),
        people.Correction(id="c-4", kind="retype", entity=people.EntityKey(name=park.name, type="Park", city="仙桃市"),
                          values={"type": "Platform"}, **made),
    ]
    fixed, outcomes = people.apply_to_document(doc, corrections)
    assert [o.code for o in outcomes] == ["applied"] * 4
    assert doc.model_dump() == before
    assert (fixed.title, fixed.actions[0].agencies[0].canonical) == ("新标题", "仙桃市经信局")
    assert next(t for t in fixed.targets if t.span == target.span).value == 1.0
    assert [e.type for e in fixed.entities if e.name == park.name] == ["Platform"]
