"""explorer.uploads: what the Documents page does with an upload, tested without Streamlit."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.uploads import (
    UPLOAD_LIMIT_MB,
    UploadRejected,
    action_rows,
    agency_rows,
    check_upload,
    document_counts,
    document_facts,
    extract_upload,
    markdown_text,
    upload_name,
)
from loaders import LoaderError, extract_path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
EZHOU = ROOT / "data" / "corpus" / "ezhou-ai-action-plan.txt"
SMALL_PLAN = """某县人工智能产业发展行动方案

一、重点任务
（一）建设算力中心。到2026年底建成算力平台1个。（牵头单位：县科技局；责任单位：县财政局、县发改局）
（二）培育智能企业。新培育企业不少于10家。（牵头单位：县经信局；配合单位：县科技局）
（三）推广智慧农业。建设智慧农业示范园区。（责任单位：县农业农村局、县科技局）
"""


def test_upload_name_keeps_only_the_file_name():
    assert upload_name("C:\\Users\\me\\某县方案.txt") == "某县方案.txt"
    assert upload_name("../../etc/passwd.txt") == "passwd.txt"
    assert upload_name("a\x00b\n.txt") == "ab.txt"
    assert upload_name("   ") == "upload"


@pytest.mark.parametrize("name", ["plan.txt", "PLAN.TXT", "方案.docx", "方案.pdf", "通知.html", "通知.HTM"])
def test_check_upload_accepts_every_kind_the_readers_read_within_the_limit(name):
    assert check_upload(name, UPLOAD_LIMIT_MB * 1024 * 1024) == name


@pytest.mark.parametrize("name", ["plan.doc", "plan.xlsx", "plan", "plan.txt.exe"])
def test_check_upload_refuses_other_kinds_naming_the_file(name):
    with pytest.raises(UploadRejected) as caught:
        check_upload(name, 10)
    kinds = ".docx, .htm, .html, .md, .pdf, .text, .txt"  # the loaders' reader registry, no list of its own
    assert str(caught.value) == f"{name}: not a kind of file policykg reads ({kinds})"


def test_check_upload_refuses_a_file_over_the_limit_naming_it_and_the_limit():
    with pytest.raises(UploadRejected) as caught:
        check_upload("大方案.pdf", UPLOAD_LIMIT_MB * 1024 * 1024 + 1)
    assert str(caught.value) == "大方案.pdf: file is 20.0 MiB; the upload limit is 20 MiB"
    assert "\n" not in str(caught.value)


def test_an_over_limit_upload_is_refused_before_it_is_read():
    with pytest.raises(UploadRejected, match=r"^big\.txt: file is 3\.0 MiB; the upload limit is 2 MiB$"):
        extract_upload("big.txt", b"x" * (3 * 1024 * 1024), limit_mb=2)


def test_uploaded_bytes_extract_like_the_file_on_disk_and_keep_the_upload_name():
    doc = extract_upload("ezhou.txt", EZHOU.read_bytes())
    on_disk = extract_path(EZHOU)
    assert doc.source == "ezhou.txt"
    assert doc.id == on_disk.id  # same text, same id: adding it again changes nothing
    assert [a.number for a in doc.actions] == [a.number for a in on_disk.actions]
    assert len(doc.actions) == 22 and doc.city == "鄂州市"


@pytest.mark.parametrize("fixture, actions", [
    ("docx_paragraphs_and_table_in_document_order.docx", 5),
    ("pdf_text_plan_reading_order.pdf", 4),
    ("encoding_gb18030.txt", 3),
    ("encoding_utf16le_bom.txt", 3),
])
def test_docx_pdf_and_chinese_encodings_are_read_by_their_suffix(fixture, actions):
    path = FIXTURES / fixture
    doc = extract_upload(fixture, path.read_bytes())
    assert len(doc.actions) == actions
    assert [a.title for a in doc.actions] == [a.title for a in extract_path(path).actions]


@pytest.mark.parametrize("fixture, message", [
    ("bad_empty.txt", "bad_empty.txt: file is empty"),
    ("bad_binary_png_bytes.txt", "bad_binary_png_bytes.txt: binary file, not text"),
    ("bad_undecodable_bytes.txt",
     "bad_undecodable_bytes.txt: undecodable text: neither UTF-8, GB18030/GBK nor UTF-16"),
    ("bad_no_numbered_items.txt",
     "bad_no_numbered_items.txt: no recognisable structure: no numbered items and no responsibility table"),
])
def test_bad_uploads_get_the_loaders_one_line_message_naming_the_upload(fixture, message):
    with pytest.raises(LoaderError) as caught:
        extract_upload(fixture, (FIXTURES / fixture).read_bytes())
    assert str(caught.value) == message


@pytest.mark.parametrize("name", ["broken.docx", "broken.pdf"])
def test_a_malformed_docx_or_pdf_is_one_line_without_the_temporary_path(name):
    with pytest.raises(LoaderError) as caught:
        extract_upload(name, b"this is not what the suffix says")
    message = str(caught.value)
    assert message.startswith(f"{name}: not a readable ")
    assert "\n" not in message and "policykg-upload" not in message and "/tmp" not in message


def test_preview_facts_counts_and_actions_of_a_small_plan():
    doc = extract_upload("mouxian.txt", SMALL_PLAN.encode("gb18030"))
    assert dict(document_facts(doc))["title"] == "某县人工智能产业发展行动方案"
    assert dict(document_facts(doc))["source"] == "mouxian.txt"
    assert document_counts(doc) == [("actions", 3), ("groups", 1), ("kind.action", 3), ("agencies", 5),
                                     ("leads", 3), ("targets", 2)]
    assert [(r["number"], r["title"], r["lead"], r["basis"], r["responsible"], r["support"])
            for r in action_rows(doc)] == [
        ("（一）", "建设算力中心", "县科技局", "explicit", "县财政局、县发改局", ""),
        ("（二）", "培育智能企业", "县经信局", "explicit", "", "县科技局"),
        ("（三）", "推广智慧农业", "县农业农村局", "first-listed", "县科技局", ""),
    ]
    science = next(r for r in agency_rows(doc) if r["agency"] == "县科技局")
    assert (science["lead"], science["responsible"], science["support"]) == (1, 1, 1)


def test_markdown_text_leaves_nothing_that_markdown_or_html_would_act_on():
    text = markdown_text("<script>alert(1)</script> <img src=x onerror=alert(1)> **x** [l](http://e) $x$\nnext")
    assert "<" not in text and ">" not in text and "\n" not in text
    assert "**" not in text and "](" not in text and "$x$" not in text
    assert text.startswith("&lt;script&gt;alert\\(1\\)&lt;/script&gt;")


def test_a_page_saved_from_a_government_site_is_read_as_an_upload():
    page = ("<html><head><meta charset=\"gbk\"><title>通知</title></head><body><div class=\"nav\">首页</div>"
            "<div class=\"content\"><p>一、任务</p><p>（一）建设算力平台。（牵头单位：县科技局）</p></div>"
            "</body></html>")
    doc = extract_upload("通知.html", page.encode("gbk"))
    assert doc.source == "通知.html"
    assert [(a.title, [g.name for g in a.agencies]) for a in doc.actions] == [("建设算力平台", ["县科技局"])]
