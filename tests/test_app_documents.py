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
    at.selectbox(key="documents-read").set_value(doc_id).run()
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
    assert app.selectbox(key="documents-read").options == [
        "ezhou-ai-action-plan.txt", "仙桃市人工智能产业发展三年行动方案(2025—2027年)"]


def test_uploading_a_small_plan_previews_it_then_adds_it_and_its_agencies_are_queryable(app):
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
    assert "某县人工智能产业发展行动方案" in app.selectbox(key="documents-read").options

    app.switch_page("explorer/pages/console.py").run()
    app.text_area(key="console-query").set_value(
        "MATCH (a:Agency)-[l:LEADS]->(x:Action) WHERE a.name IN ['县科技局', '县经信局'] "
        "RETURN a.name AS agency, l.basis AS basis, x.title AS action ORDER BY agency")
    app.button(key="console-run").click().run()
    assert app.dataframe[0].value.values.tolist() == [["县科技局", "explicit", "建设算力中心"],
                                                      ["县经信局", "explicit", "培育智能企业"]]


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


def test_a_document_is_read_with_the_chosen_spans_marked(app):
    read(app, extract_path(ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt").id)
    app.multiselect(key="documents-read-spans").set_value(["targets"]).run()
    body = app.get("html")[-1].proto.body
    assert "<mark>推动人工智能产业产值突破100亿元</mark>" in body
    assert "<mark>仙桃市科技局</mark>" not in body and "<mark>市科技局</mark>" not in body
    app.multiselect(key="documents-read-spans").set_value(["agencies"]).run()
    assert "<mark>市科技局</mark>" in app.get("html")[-1].proto.body


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
    app.multiselect(key="documents-preview-spans").set_value(["agencies"]).run()
    assert not app.exception
    # The document is on the page: its title in the list, its units in the preview, its text in the reader.
    assert HOSTILE_TITLE in [row[1] for row in listed(app)]
    assert "县<script>alert(1)</script>局" in app.dataframe[3].value.values.tolist()[0]
    htmls = [element.proto.body for element in app.get("html")]
    assert len(htmls) == 2  # the preview's text and the reader
    for body in htmls:
        assert "<script" not in body and "<img" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;img src=x onerror=alert(1)&gt;" in body
        assert "<mark>县&lt;script&gt;alert(1)&lt;/script&gt;局</mark>" in body
    assert raw_markup_channels(app) >= {"dataframe", "selectbox"}  # the title is an option's text


def test_adding_an_upload_goes_through_the_one_load_path_and_a_failed_write_adds_nothing(app, monkeypatch):
    import graph.loading
    from graph.store import GraphStore

    calls = []
    real = graph.loading.load_plans

    def spy(store, plans, *args, **kwargs):
        calls.append([source for source, _ in plans])
        return real(store, plans, *args, **kwargs)

    def refused(self, batch):
        return [ValueError("disk full") for _ in batch]

    monkeypatch.setattr(graph.loading, "load_plans", spy)
    upload(app, "mouxian.txt", SMALL_PLAN.encode("gb18030"))
    monkeypatch.setattr(GraphStore, "load_many", refused)
    add_button(app)[0].click().run()
    assert not app.exception
    assert calls == [["mouxian.txt"]]
    assert [plain(e.value) for e in app.error] == ["mouxian.txt 未加入：not loaded, nothing written: disk full"]
    assert len(listed(app)) == 2
