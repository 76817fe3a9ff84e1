"""The documents page, driven with Streamlit's AppTest on the embedded store holding the two bundled plans.

Uploads go through AppTest's file_uploader (Streamlit 1.67 supports it); the real browser
upload (server.maxUploadSize, the drop zone) is left to the browser tests.
"""

from __future__ import annotations

import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from explorer.uploads import extract_upload
from loaders import extract_path
from tests.apptest import ROOT, open_page, plain

FIXTURES = ROOT / "tests" / "fixtures"
BUNDLED = [["ezhou-ai-action-plan.txt", None, "鄂州市", "市级", None, None, 22, 6],
           ["xiantao-ai-action-plan-2025-2027.txt", "仙桃市人工智能产业发展三年行动方案(2025—2027年)", "仙桃市",
            "市级", "仙桃市人民政府", "2025-08-09", 25, 39]]
SMALL_PLAN = """某县人工智能产业发展行动方案

一、重点任务
（一）建设算力中心。到2026年底建成算力平台1个。（牵头单位：县科技局；责任单位：县财政局、县发改局）
（二）培育智能企业。新培育企业不少于10家。（牵头单位：县经信局；配合单位：县科技局）
（三）推广智慧农业。建设智慧农业示范园区。（责任单位：县农业农村局、县科技局）
"""
HOSTILE_TITLE = "某县<script>alert(1)</script>[l](http://e)**x**行动方案"
HOSTILE_PLAN = f"""{HOSTILE_TITLE}

一、重点任务
（一）建设<img src=x onerror=alert(1)>中心**x** [l](http://e)。<script>alert(1)</script>\
（牵头单位：县<script>alert(1)</script>局；责任单位：县<img src=x onerror=alert(1)>局、县**x**局）
（二）培育企业[l](http://e)。（牵头单位：县经信局）
"""
HOSTILE_NAME = "x<img src=x onerror=alert(1)>.txt"
RAW_HTML, RAW_MARKDOWN = ("<script", "<img"), ("**x**", "[l](http://e)")
# Elements whose content the browser shows as text whatever it holds (never parsed as Markdown or HTML).
TEXT_ONLY = {"dataframe", "text", "code", "selectbox", "multiselect", "file_uploader", "download_button"}


@pytest.fixture
def app(store_path):
    """The app on a fresh embedded store (the bundled plans load on first start), on the documents page."""
    return open_page("explorer/pages/documents.py")


def upload(at: AppTest, name: str, data: bytes, mime: str = "text/plain") -> AppTest:
    at.file_uploader(key="documents-upload").set_value((name, data, mime)).run()
    assert not at.exception
    return at


def listed(at: AppTest) -> list[list]:
    return at.dataframe[0].value.astype(object).where(at.dataframe[0].value.notna(), None).values.tolist()


def add_button(at: AppTest):
    return [b for b in at.button if b.key == "documents-add"]


def read(at: AppTest, doc_id: str) -> AppTest:
    """Choose the document to read (the box's values are document ids, shown by title or file name)."""
    at.selectbox(key="doc-open").set_value(doc_id).run()
    assert not at.exception
    return at


def elements(node):
    """Every element of the page (main area and sidebar), blocks opened."""
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        if getattr(node, "proto", None) is not None and getattr(node, "type", "") == "expandable":
            yield node
        for child in children.values():
            yield from elements(child)
    else:
        yield node


def test_lists_the_two_bundled_documents_with_counts(app):
    assert list(app.dataframe[0].value.columns) == ["文件", "标题", "城市", "层级", "发文机关", "发布日期",
                                                    "行动数", "目标"]
    assert listed(app) == BUNDLED
    placeholder = app.dataframe[0].proto
    assert placeholder.HasField("placeholder") and placeholder.placeholder == ""  # unknown values blank, not "None"
    assert "图谱中共有 2 份文件" in [c.value for c in app.caption]
    assert app.selectbox(key="doc-open").options == [
        "ezhou-ai-action-plan.txt", "仙桃市人工智能产业发展三年行动方案(2025—2027年)"]


def test_uploading_a_small_plan_previews_it_then_adds_it_and_its_agencies_are_in_the_graph(app):
    upload(app, "mouxian.txt", SMALL_PLAN.encode("gb18030"))
    assert not app.error
    facts = dict(app.dataframe[1].value.values.tolist())
    assert facts["标题"] == "某县人工智能产业发展行动方案" and facts["文件名"] == "mouxian.txt"
    counts = dict(app.dataframe[2].value.values.tolist())
    assert (counts["行动"], counts["注释中的单位"], counts["目标"]) == (3, 5, 2)
    actions = app.dataframe[3].value.values.tolist()
    assert [tuple(row[:5]) for row in actions] == [
        ("（一）", "任务", "建设算力中心", "县科技局", "文件明确"),
        ("（二）", "任务", "培育智能企业", "县经信局", "文件明确"),
        ("（三）", "任务", "推广智慧农业", "县农业农村局", "列第一位（推定）")]
    assert [w.value for w in app.warning] == [  # the loader's warnings, in Chinese
        "文件未写明城市，也无法从正文推断", "层级（县级）由方案所列单位读出；所属地方未写明"]
    assert len(listed(app)) == 2  # a preview adds nothing

    add_button(app)[0].click().run()
    assert not app.exception
    assert [plain(s.value) for s in app.success] == ["已加入 mouxian.txt：3 项行动。其他页面已刷新。"]
    assert [row[0] for row in listed(app)] == ["ezhou-ai-action-plan.txt", "mouxian.txt",
                                               "xiantao-ai-action-plan-2025-2027.txt"]
    assert next(row for row in listed(app) if row[0] == "mouxian.txt")[6:] == [3, 2]
    assert not add_button(app) and [i.value for i in app.info] == ["这份文件已在图谱中。"]
    # The cached graph the other pages draw from was refreshed.
    assert "某县人工智能产业发展行动方案" in app.selectbox(key="doc-open").options

    # Its agencies are in the graph, read back with their provenance: the reader marks them where the notes say.
    read(app, extract_upload("mouxian.txt", SMALL_PLAN.encode("gb18030")).id)
    body = reader_body(app)
    for unit in ("县科技局", "县经信局", "县财政局"):
        assert f'title="机构：{unit}">{unit}</span>' in body, unit


def test_adding_the_same_plan_again_changes_nothing(app):
    upload(app, "again.txt", (ROOT / "data" / "corpus" / "ezhou-ai-action-plan.txt").read_bytes())
    assert not add_button(app) and [i.value for i in app.info] == ["这份文件已在图谱中。"]
    assert len(listed(app)) == 2


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "empty.txt: file is empty"),
    ("image.txt", (FIXTURES / "bad_binary_png_bytes.txt").read_bytes(), "image.txt: binary file, not text"),
    ("news.txt", (FIXTURES / "bad_no_numbered_items.txt").read_bytes(),
     "news.txt: no recognisable structure: no numbered items and no responsibility table"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "broken.docx: not a readable .docx file (PackageNotFoundError)"),
    ("broken.pdf", b"%PDF-1.7 truncated", None),
])
def test_a_bad_upload_shows_the_loaders_one_line_message_and_adds_nothing(app, name, data, message):
    upload(app, name, data)
    errors = [plain(e.value) for e in app.error]
    assert len(errors) == 1 and "\n" not in errors[0]
    if message:
        assert errors == [message]
    else:
        assert errors[0].startswith(f"{name}: not a readable PDF")
    assert not add_button(app)
    assert len(listed(app)) == 2


def test_an_upload_over_the_limit_is_refused_naming_the_file(app):
    upload(app, "巨大的方案.txt", b"a" * (20 * 1024 * 1024 + 1))
    assert [plain(e.value) for e in app.error] == [
        "巨大的方案.txt：文件有 20,971,521 字节（20.0 MiB），超过上传上限 20 MiB（20,971,520 字节）"]
    assert not add_button(app) and len(listed(app)) == 2
    app.radio(key="language").set_value("en").run()
    assert [plain(e.value) for e in app.error] == [
        "巨大的方案.txt: the file is 20,971,521 bytes (20.0 MiB), over the upload limit of 20 MiB (20,971,520 bytes)"]


def test_the_uploaders_limit_is_the_apps_20_mib_and_is_given_in_the_chosen_language(app):
    import inspect
    import tomllib

    from streamlit.web.server.starlette import starlette_routes

    from explorer.uploads import UPLOAD_LIMIT_BYTES, UPLOAD_LIMIT_MIB

    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert settings["server"]["maxUploadSize"] == UPLOAD_LIMIT_MIB == 20
    # Streamlit's server counts maxUploadSize in MiB, as the app's own check does: one limit, 20,971,520 bytes.
    assert 'config.get_option("server.maxUploadSize") * 1024 * 1024' in inspect.getsource(starlette_routes)
    assert UPLOAD_LIMIT_BYTES == 20 * 2**20 == 20_971_520
    uploader = app.get("file_uploader")[0].proto
    assert uploader.max_upload_size_mb == UPLOAD_LIMIT_MIB  # what the drop zone names ("20MB per file")
    assert uploader.help == "单个文件上限 20 MiB（20,971,520 字节）：.docx, .htm, .html, .md, .pdf, .text, .txt。"
    assert any("不超过 20 MiB（20,971,520 字节）" in c.value for c in app.caption)
    app.radio(key="language").set_value("en").run()
    uploader = app.get("file_uploader")[0].proto
    assert uploader.help == "At most 20 MiB (20,971,520 bytes) per file: .docx, .htm, .html, .md, .pdf, .text, .txt."
    assert any("at most 20 MiB (20,971,520 bytes)" in c.value for c in app.caption)


def reader_htmls(at: AppTest) -> list[str]:
    """The reader's st.html elements (the upload preview's, then the reader's): legends and texts."""
    return [e.proto.body for e in at.get("html") if e.proto.body.startswith(('<div class="pk-reader">', "<style>.pk-"))]


def reader_body(at: AppTest) -> str:
    """The reader's text (the last reader on the page)."""
    return [body for body in reader_htmls(at) if body.startswith('<div class="pk-reader">')][-1]


def legend(at: AppTest) -> str:
    """The reader's legend, with the style sheet before it."""
    return [body for body in reader_htmls(at) if 'class="pk-legend"' in body][-1]


def test_a_document_is_read_with_the_chosen_kinds_marked_each_in_its_colour(app):
    read(app, extract_path(ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt").id)
    app.multiselect(key="doc-kinds").set_value(["target"]).run()
    body = reader_body(app)
    target = '<span class="pk-m pk-k-target" title="目标：人工智能产业产值">推动人工智能产业产值突破100亿元</span>'
    assert target in body
    assert "pk-k-agency" not in body
    app.multiselect(key="doc-kinds").set_value(["agency"]).run()
    assert '<span class="pk-m pk-k-agency" title="机构：仙桃市科技局">市科技局</span>' in reader_body(app)
    key = legend(app)
    assert '<span class="pk-chip pk-k-agency"></span>机构' in key and 'pk-k-target"></span>' not in key
    assert ".pk-reader .pk-k-agency,.pk-legend .pk-k-agency{background:#fde68a}" in key  # styles.toml [reader]


def test_a_mark_inside_another_shows_the_innermost_and_its_tooltip_lists_both(app):
    read(app, extract_path(ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt").id)
    body = reader_body(app)
    # 中国移动 (an organisation) opens the platform 中国移动仙桃小寺垸智算中心: it shows as the organisation,
    # the rest as the platform; the tooltip of 中国移动 names both, innermost first.
    platform = "平台：中国移动仙桃小寺垸智算中心"
    assert (f'<span class="pk-m pk-k-organisation" title="组织：中国移动\n{platform}">中国移动</span>'
            f'<span class="pk-m pk-k-platform" title="{platform}">仙桃小寺垸智算中心</span>') in body


def shown(at: AppTest) -> str:
    """The reader's caption: how many marks, which characters of how many."""
    return next(c.value for c in at.caption if c.value.startswith("标出 ") or " spans marked · " in c.value)


def test_opened_at_an_action_the_reader_starts_there_outlined_and_pages_earlier_and_later(app):
    xiantao = extract_path(ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt")
    action, total = xiantao.actions[19], len(xiantao.text)  # (二十)推动成果转化, near the end of the plan
    app.session_state["doc-action:kept"] = action.id  # as the Network page opens it
    app.run()
    assert not app.exception
    assert (app.selectbox(key="doc-open").value, app.selectbox(key="doc-action").value) == (xiantao.id, action.id)
    assert reader_body(app).startswith('<div class="pk-reader"><span class="pk-focus">(二十)推动成果转化。')
    assert reader_body(app).count('<span class="pk-focus">') == 1
    assert xiantao.text[action.span[0] - 1] == "\n"  # the action starts a line: the stretch starts with it
    assert shown(app).endswith(f" · 第 {action.span[0] + 1:,}–{total:,} 字，共 {total:,} 字")
    assert "所在行动" in legend(app)  # the legend names the outline
    assert app.button(key="doc-later").disabled and not app.button(key="doc-earlier").disabled
    app.button(key="doc-earlier").click().run()
    earlier = xiantao.text.rfind("\n", 0, action.span[0] - 4000) + 1
    assert app.session_state["doc-from:kept"] == earlier and f" · 第 {earlier + 1:,}–" in shown(app)
    assert "pk-focus" not in reader_body(app)  # the stretch ends before the action
    app.button(key="doc-earlier").click().run()
    assert app.session_state["doc-from:kept"] == 0 and app.button(key="doc-earlier").disabled
    assert " · 第 1–" in shown(app)
    app.button(key="doc-later").click().run()
    assert app.session_state["doc-from:kept"] > 0 and not app.button(key="doc-earlier").disabled


def test_choosing_another_document_reads_it_from_the_top_at_no_action(app):
    ezhou = extract_path(ROOT / "data" / "corpus" / "ezhou-ai-action-plan.txt")
    xiantao = extract_path(ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt")
    app.session_state["doc-action:kept"] = xiantao.actions[19].id
    app.run()
    read(app, ezhou.id)
    assert app.selectbox(key="doc-action").value is None
    assert "pk-focus" not in reader_body(app)
    assert " · 第 1–" in shown(app) and shown(app).endswith(f"字，共 {len(ezhou.text):,} 字")


def test_the_reader_is_in_the_link_and_a_link_opens_it_at_the_action(store_path):
    from tests.apptest import APP

    xiantao = extract_path(ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt")
    at = AppTest.from_file(APP, default_timeout=60).run()  # the home page first, as AppTest starts
    at.query_params["doc-action"] = xiantao.actions[11].id  # then a link to the reader at an action
    at.query_params["doc-kinds"] = ["agency", "target"]
    at.switch_page("explorer/pages/documents.py").run()
    assert not at.exception
    assert (at.selectbox(key="doc-open").value, at.selectbox(key="doc-action").value) == (
        xiantao.id, xiantao.actions[11].id)
    assert at.multiselect(key="doc-kinds").value == ["agency", "target"]
    assert reader_body(at).startswith('<div class="pk-reader"><span class="pk-focus">(十二)人工智能+文化旅游')
    assert (at.query_params["doc-open"], at.query_params["doc-action"]) == (xiantao.id, xiantao.actions[11].id)


def test_an_unknown_action_or_document_in_a_link_is_dropped(store_path):
    from tests.apptest import APP

    at = AppTest.from_file(APP, default_timeout=60).run()
    at.query_params["doc-action"] = "no-such-action"
    at.query_params["doc-open"] = "no-such-document"
    at.switch_page("explorer/pages/documents.py").run()
    assert not at.exception
    ezhou = extract_path(ROOT / "data" / "corpus" / "ezhou-ai-action-plan.txt")
    assert (at.selectbox(key="doc-open").value, at.selectbox(key="doc-action").value) == (ezhou.id, None)


def test_the_reader_speaks_english_in_english(app):
    read(app, extract_path(ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt").id)
    app.radio(key="language").set_value("en").run()
    key = legend(app)
    assert [word for word in ("Agency", "District", "Park", "Platform", "Organisation", "Person", "Target")
            if f"</span>{word}</span>" in key] == ["Agency", "District", "Park", "Platform", "Organisation",
                                                       "Person", "Target"]
    assert 'title="Agency: 仙桃市科技局"' in reader_body(app)
    assert app.multiselect(key="doc-kinds").options == ["Agency", "District", "Park", "Platform", "Organisation",
                                                        "Person", "Target"]
    assert app.selectbox(key="doc-action").options[0] == "From the beginning"
    assert " spans marked · characters 1–" in shown(app) and shown(app).endswith(" of 4,995")


def raw_markup_channels(at: AppTest) -> set[str]:
    """The kinds of element holding the raw markup; fails if one of them would parse it (Markdown or HTML)."""
    seen = set()
    for element in elements(at._tree):
        proto = getattr(element, "proto", None)
        if proto is None or not hasattr(proto, "DESCRIPTOR"):
            continue
        content = text_format.MessageToString(proto, as_utf8=True)
        raw_html = [marker for marker in RAW_HTML if marker in content]
        raw_markdown = [marker for marker in RAW_MARKDOWN if marker in content]
        if raw_html:
            assert element.type in TEXT_ONLY, (element.type, raw_html, content[:300])
        if raw_markdown:  # st.html shows Markdown characters as they are
            assert element.type in TEXT_ONLY | {"html"}, (element.type, raw_markdown, content[:300])
        if raw_html or raw_markdown:
            seen.add(element.type)
    return seen


def test_markup_in_a_document_renders_inert_everywhere_on_the_page(app):
    upload(app, HOSTILE_NAME, HOSTILE_PLAN.encode())
    add_button(app)[0].click().run()
    assert not app.exception
    # Messages quoting the file name or the document are escaped; they read as the raw text.
    success = app.success[0].value
    assert "<" not in success and plain(success).startswith(f"已加入 {HOSTILE_NAME}：")
    warning = next(w.value for w in app.warning if "别名表" in w.value)
    assert "<" not in warning and "**x**" not in warning
    assert plain(warning).endswith("县<script>alert(1)</script>局、县<img src=x onerror=alert(1)>局、县**x**局")
    assert raw_markup_channels(app) >= {"dataframe"}

    read(app, extract_upload(HOSTILE_NAME, HOSTILE_PLAN.encode()).id)
    app.multiselect(key="documents-preview-spans").set_value(["agency"]).run()
    assert not app.exception
    # The document is on the page: its title in the list, its units in the preview, its text in the reader.
    assert HOSTILE_TITLE in [row[1] for row in listed(app)]
    assert "县<script>alert(1)</script>局" in app.dataframe[3].value.values.tolist()[0]
    htmls = reader_htmls(app)
    assert len(htmls) == 4  # the preview's legend and text, the reader's legend and text
    for body in [element.proto.body for element in app.get("html")]:
        assert "<script" not in body and "<img" not in body
    for body in htmls[1::2]:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
        assert '">县&lt;script&gt;alert(1)&lt;/script&gt;局</span>' in body
        assert 'title="机构：县&lt;script&gt;alert(1)&lt;/script&gt;局"' in body  # the tooltip escaped too
    assert raw_markup_channels(app) >= {"dataframe", "selectbox"}  # the title is an option's text


def test_adding_an_upload_goes_through_the_one_load_path_and_a_failed_write_adds_nothing(app, monkeypatch):
    import graph.loading
    from graph.store import GraphStore

    calls = []
    real = graph.loading.load_plans

    def spy(store, plans, *args, **kwargs):
        calls.append([source for source, _ in plans])
        return real(store, plans, *args, **kwargs)

    def refused(self, batch, writers=1):
        return [ValueError("disk full") for _ in batch]

    monkeypatch.setattr(graph.loading, "load_plans", spy)
    upload(app, "mouxian.txt", SMALL_PLAN.encode("gb18030"))
    monkeypatch.setattr(GraphStore, "load_many", refused)
    add_button(app)[0].click().run()
    assert not app.exception
    assert calls == [["mouxian.txt"]]
    assert [plain(e.value) for e in app.error] == ["mouxian.txt 未加入：not loaded, nothing written: disk full"]
    assert len(listed(app)) == 2


def test_the_plan_chosen_to_correct_is_in_the_link_and_removing_it_clears_the_choice_and_the_reader(app):
    ezhou = extract_path(ROOT / "data" / "corpus" / "ezhou-ai-action-plan.txt")
    xiantao = extract_path(ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt")
    read(app, ezhou.id)
    app.selectbox(key="documents-edit").set_value(ezhou.id).run()
    assert (app.query_params["documents-edit"], app.query_params["doc-open"]) == (ezhou.id, ezhou.id)
    app.button(key="documents-edit-remove-ask").click().run()
    app.text_input(key="documents-edit-remove-why").input("loaded by mistake")
    next(button for button in app.button if button.label == "确认移除").click().run()
    assert not app.exception
    assert [row[0] for row in listed(app)] == ["xiantao-ai-action-plan-2025-2027.txt"]
    assert app.selectbox(key="documents-edit").value is None and "documents-edit" not in app.query_params
    assert app.selectbox(key="doc-open").value == xiantao.id  # the reader reads a plan still loaded


def test_a_long_document_is_read_a_stretch_at_a_time(store_path):
    from tests.apptest import store_holding
    from views.reader import reader_style

    items = "".join(f"（{n}）建设第{n}个平台。到2027年建成平台{n}个。（牵头单位：县科技局；责任单位：县财政局）\n"
                    for n in range(1, 1501))
    text = f"某县人工智能行动方案\n一、重点任务\n{items}"
    store_holding(store_path, text, "long.txt")
    at = open_page("documents")
    assert not at.exception
    size, body = reader_style().window, reader_body(at)
    assert len(text) > 15 * size and len(body) < 6 * size  # a stretch, not the whole text as HTML
    caption = shown(at)
    assert caption.startswith("标出 ") and caption.endswith(f"字，共 {len(text):,} 字") and " · 第 1–" in caption
    at.button(key="doc-later").click().run()
    assert at.session_state["doc-from:kept"] > size and text[at.session_state["doc-from:kept"] - 1] == "\n"


def test_more_loaded_plans_than_a_page_are_said_and_paged(store_path, monkeypatch):
    import explorer.state

    monkeypatch.setattr(explorer.state, "LISTING_ROWS", 1)
    at = open_page("explorer/pages/documents.py")
    assert [w.value for w in at.warning] == ["第 1–1 行，共 2 行：结果不止一页，可在下方翻页。"]
    assert at.dataframe[0].value.iloc[:, 0].tolist() == ["ezhou-ai-action-plan.txt"]
    at.number_input(key="documents-page").set_value(2).run()
    assert not at.exception
    assert at.dataframe[0].value.iloc[:, 0].tolist() == ["xiantao-ai-action-plan-2025-2027.txt"]
    assert [w.value for w in at.warning] == ["第 2–2 行，共 2 行：结果不止一页，可在下方翻页。"]
