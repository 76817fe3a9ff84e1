"""views.review: the review queue on the two bundled plans (exact items) and on small invented plans,
one for each kind of item; confirmed items leave it, fixed items leave it by themselves."""

from __future__ import annotations

import networkx as nx
import pytest

from graph import corrections as people
from graph.embedded import EmbeddedStore
from graph.loading import load_plans
from loaders import extract_text
from queries.corrections import make_correction
from views import review
from views.network import plan_agencies

EZHOU_DOC, XIANTAO_DOC = "5ebd749b5b99f815", "d33d9538d1cc5e95"
WHY = "checked in the review test"
#: The bundled plans' queue: every Ezhou action (its notes name 责任单位 only) and three of Xiantao's.
BUNDLED_KEYS = ([f"first-listed:{EZHOU_DOC}-a{n:03d}" for n in range(1, 23)]
                + [f"first-listed:{XIANTAO_DOC}-a{n:03d}" for n in (11, 12, 22)])

NO_GOVERNMENT = "一、任务\n（一）建平台。（牵头单位：市科技局）\n（二）育人才。（责任单位：市人社局、市教育局）\n"
YICHANG = ("宜昌市人工智能行动方案\n一、任务\n"
           "（一）建平台。（牵头单位：市数据局；责任单位：市大数据局、市科技局、市教育局）\n"
           "（二）育人才。（责任单位：市未来产业促进署、市城管局、市城管执法局）\n"
           "（三）强保障。（责任单位：各有关单位按职责分工负责）\n")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory, bundled_store):
    """The two bundled plans as networkx, from a copy of the session's store."""
    store = bundled_store.open_copy(tmp_path_factory.mktemp("review") / "g.lbdb")
    yield store.to_networkx()
    store.close()


@pytest.fixture
def bundled_copy(tmp_path, bundled_store):
    """A writable copy of the bundled plans' store, for corrections."""
    store = bundled_store.open_copy(tmp_path / "g.lbdb")
    yield store
    store.close()


@pytest.fixture
def plan_store(tmp_path):
    """plan_store(text, name) -> an embedded store holding that one invented plan, loaded by the one load path."""
    opened = []

    def make(text: str, name: str) -> EmbeddedStore:
        store = EmbeddedStore(tmp_path / f"{len(opened)}.lbdb")
        opened.append(store)
        doc = extract_text(text, name)
        assert load_plans(store, [(name, lambda: doc)]).errors == []
        return store

    yield make
    for store in opened:
        store.close()


def queue_of(store) -> list[review.ReviewItem]:
    return review.review_queue(store.to_networkx(), people.read_corrections(store))


def keys(items) -> list[str]:
    return [item.key for item in items]


def correct(store, kind: str, **given) -> people.Correction:
    correction = make_correction(store, kind, why=WHY, who="tester", **given)
    people.record(store, correction)
    return correction


# -- the bundled plans ---------------------------------------------------------------------------------
def test_bundled_queue_is_the_25_first_listed_leads_in_plan_order(bundled):
    items = review.review_queue(bundled, [])
    assert keys(items) == BUNDLED_KEYS
    assert [item.rank for item in items] == list(range(1, 26))
    assert review.kind_counts(items) == {"first-listed": 25}
    assert {item.fixes for item in items} == {("confirm", "lead")}
    assert {item.affected for item in items} == {1}


def test_bundled_first_item_is_ezhou_action_1_with_its_note_and_first_listed_lead_marked(bundled):
    first = review.review_queue(bundled, [])[0]
    note = "（责任单位：市发改委、市科技局、市经信局，各区人民政府<含葛店经开区、临空经济区管委会，下同>）"
    assert (first.kind, first.document, first.document_name, first.city) == (
        "first-listed", EZHOU_DOC, "ezhou-ai-action-plan.txt", "鄂州市")
    assert (first.action, first.action_name) == (f"{EZHOU_DOC}-a001", "1. 优化空间发展布局")
    assert (first.agencies, first.agency_names) == (("鄂州市发改委",), ("鄂州市发改委",))
    assert first.sentences == (note,)
    assert first.marks == (((6, 10),),) and note[6:10] == "市发改委"


def test_bundled_last_item_is_xiantao_action_22_led_by_its_college(bundled):
    last = review.review_queue(bundled, [])[-1]
    assert (last.rank, last.action_name, last.agency_names) == (25, "（二十二） 培育本土人才", ("仙桃职业学院",))
    assert (last.document_name, last.sentences) == ("仙桃市人工智能产业发展三年行动方案(2025—2027年)",
                                                    ("(责任单位:仙桃职业学院)",))


def test_bundled_plans_have_no_likely_duplicates_and_no_unknown_agencies_or_governments(bundled):
    assert review.likely_duplicates(bundled) == []
    kinds = {item.kind for item in review.review_queue(bundled, [])}
    assert kinds.isdisjoint({"government", "empty-note", "duplicate", "unknown-agency"})


def test_confirming_an_item_takes_it_out_and_undoing_the_confirmation_brings_it_back(bundled_copy):
    key = BUNDLED_KEYS[3]
    confirmation = correct(bundled_copy, "confirm", document=EZHOU_DOC, values={"item": key})
    after = queue_of(bundled_copy)
    assert keys(after) == [k for k in BUNDLED_KEYS if k != key]
    assert [item.rank for item in after] == list(range(1, 25))
    people.undo(bundled_copy, confirmation.id, "tester")
    assert keys(queue_of(bundled_copy)) == BUNDLED_KEYS


def test_a_corrected_lead_is_no_longer_first_listed(bundled_copy):
    correct(bundled_copy, "lead", document=XIANTAO_DOC, action=f"{XIANTAO_DOC}-a012", agencies=["仙桃市经信局"])
    assert keys(queue_of(bundled_copy)) == [k for k in BUNDLED_KEYS if k != f"first-listed:{XIANTAO_DOC}-a012"]
    graph = bundled_copy.to_networkx()
    leads = [(a, d["basis"]) for a, _, k, d in graph.in_edges(f"{XIANTAO_DOC}-a012", keys=True, data=True)
             if k == "LEADS"]
    assert leads == [("仙桃市经信局", "corrected")]


def test_a_confirmation_of_another_item_or_an_undone_one_confirms_nothing(bundled):
    stray = people.Correction(id="c-x", kind="confirm", values={"item": "first-listed:nowhere"}, who="a", at="1",
                              why=WHY)
    undone = people.Correction(id="c-y", kind="confirm", values={"item": BUNDLED_KEYS[0]}, who="a", at="2", why=WHY,
                               status="undone")
    assert keys(review.review_queue(bundled, [stray, undone])) == BUNDLED_KEYS


# -- invented plans: one for each kind ------------------------------------------------------------------
def test_a_plan_without_a_government_comes_first_and_leaves_when_given_one(plan_store):
    store = plan_store(NO_GOVERNMENT, "nogov.txt")
    [doc] = store.document_ids()
    items = queue_of(store)
    assert keys(items) == [f"government:{doc}", f"first-listed:{doc}-a002"]
    government = items[0]
    assert (government.rank, government.affected, government.city) == (1, 2, None)
    assert government.document_name == "nogov.txt"  # no title: its file name
    assert government.sentences == (NO_GOVERNMENT.strip(),)  # the plan's opening lines
    assert government.fixes == ("confirm", "government")
    assert items[1].agencies == (f"{doc}/市人社局",)  # a unit of a plan of unknown government is the plan's own

    correct(store, "government", document="nogov.txt", values={"city": "宜昌市"})
    after = queue_of(store)
    assert keys(after) == [f"first-listed:{doc}-a002"]
    assert (after[0].agencies, after[0].city) == (("宜昌市人社局",), "宜昌市")


def test_a_plan_with_each_kind_of_item_is_ranked_by_severity(plan_store):
    store = plan_store(YICHANG, "yichang.txt")
    [doc] = store.document_ids()
    items = queue_of(store)
    assert [(item.rank, item.key) for item in items] == [
        (1, f"empty-note:{doc}-a003"),
        (2, "duplicate:宜昌市城管局|宜昌市城管执法局"),
        (3, "duplicate:宜昌市大数据管理局|宜昌市数据局"),
        (4, f"first-listed:{doc}-a002"),
        (5, "unknown-agency:宜昌市未来产业促进署"),
    ]
    empty, duplicate, _, first, unknown = items
    assert (empty.action_name, empty.sentences, empty.fixes) == (
        "（三） 强保障", ("（责任单位：各有关单位按职责分工负责）",), ("confirm", "lead"))
    assert (duplicate.agency_names, duplicate.city, duplicate.affected, duplicate.fixes) == (
        ("宜昌市城管局", "宜昌市城管执法局"), "宜昌市", 1, ("confirm", "merge"))
    note = "（责任单位：市未来产业促进署、市城管局、市城管执法局）"
    assert duplicate.sentences == (note,) and duplicate.marks == (((15, 19), (20, 26)),)
    assert (first.agencies, first.sentences, first.marks) == (("宜昌市未来产业促进署",), (note,), (((6, 14),),))
    assert (unknown.agency_names, unknown.affected, unknown.sentences, unknown.fixes) == (
        ("宜昌市未来产业促进署",), 1, (note,), ("confirm", "rename"))


def test_the_same_plan_does_not_pair_its_science_and_education_bureaus(plan_store):
    graph = plan_store(YICHANG, "yichang.txt").to_networkx()
    pairs = review.likely_duplicates(graph)
    assert pairs == [("宜昌市城管局", "宜昌市城管执法局"), ("宜昌市大数据管理局", "宜昌市数据局")]
    assert not any({"宜昌市科技局", "宜昌市教育局"} & set(pair) for pair in pairs)
    assert review.similar_names("宜昌市科技局", "宜昌市教育局", "宜昌市") is False
    assert review.similar_names("市科技局", "市教育局", None) is False


def test_two_agencies_need_one_kind_to_be_duplicates_however_alike_their_names():
    graph = nx.MultiDiGraph()
    for name, kind in [("宜昌市科技局", "科技局"), ("宜昌市科技馆", "科技馆"), ("宜昌市科技中心", None)]:
        graph.add_node(name, label="Agency", name=name, city="宜昌市", kind=kind, collective=False, aliases=[])
    assert review.similar_names("宜昌市科技局", "宜昌市科技馆", "宜昌市") is True
    assert review.likely_duplicates(graph) == []


def test_fixing_each_item_empties_the_queue_one_by_one(plan_store):
    store = plan_store(YICHANG, "yichang.txt")
    [doc] = store.document_ids()
    correct(store, "merge", agencies=["宜昌市大数据管理局"], into="宜昌市数据局")
    assert "duplicate:宜昌市大数据管理局|宜昌市数据局" not in keys(queue_of(store))
    correct(store, "rename", agencies=["宜昌市未来产业促进署"], name="宜昌市未来产业发展促进署")
    assert keys(queue_of(store)) == [f"empty-note:{doc}-a003", "duplicate:宜昌市城管局|宜昌市城管执法局",
                                     f"first-listed:{doc}-a002"]
    correct(store, "lead", document="yichang.txt", action="（三）", agencies=["宜昌市科技局"])
    correct(store, "confirm", values={"item": "duplicate:宜昌市城管局|宜昌市城管执法局"})
    correct(store, "lead", document="yichang.txt", action="（二）", agencies=["宜昌市城管局"])
    assert queue_of(store) == []
    assert len(people.read_corrections(store)) == 5


def test_the_agencies_offered_for_a_lead_are_the_plans_governments_not_another_citys(plan_store, bundled):
    store = plan_store(YICHANG, "yichang.txt")
    [doc] = store.document_ids()
    assert plan_agencies(store.to_networkx(), doc) == [
        "宜昌市城管局", "宜昌市城管执法局", "宜昌市大数据管理局", "宜昌市教育局", "宜昌市数据局",
        "宜昌市未来产业促进署", "宜昌市科技局"]
    xiantao = plan_agencies(bundled, XIANTAO_DOC)
    assert len(xiantao) == 40 and {bundled.nodes[a]["city"] for a in xiantao} == {"仙桃市"}


def test_a_task_without_any_note_is_an_empty_note_item_showing_its_text(plan_store):
    text = "宜昌市人工智能行动方案\n一、任务\n（一）建平台。（牵头单位：市科技局）\n（二）育人才，引进团队。\n"
    store = plan_store(text, "nonote.txt")
    [doc] = store.document_ids()
    [item] = queue_of(store)
    assert (item.key, item.action_name) == (f"empty-note:{doc}-a002", "（二） 育人才，引进团队")
    assert (item.sentences, item.agencies) == (("育人才，引进团队。",), ())
