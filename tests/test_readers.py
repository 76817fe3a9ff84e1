"""File readers: encodings, traditional characters, .docx, .pdf and bad input."""

from __future__ import annotations

import codecs

import pytest

from loaders import LoaderError, extract_path, extract_text


def units(action):
    return [(g.name, g.role, g.lead_basis, g.rank) for g in action.agencies]


def signature(doc):
    return [(a.number, a.kind, a.title, a.text, units(a)) for a in doc.actions]


def whole(action):
    return action.title + action.text


# encodings -------------------------------------------------------------------
ENCODED = {
    "encoding_utf8.txt": b"",
    "encoding_utf8_bom.txt": codecs.BOM_UTF8,
    "encoding_gb18030.txt": b"",
    "encoding_gbk.txt": b"",
    "encoding_utf16le_bom.txt": codecs.BOM_UTF16_LE,
    "encoding_utf16be_bom.txt": codecs.BOM_UTF16_BE,
}

ENCODED_PLAN_UNITS = [
    [
        ("县商务局", "lead", "explicit", 1),
        ("县财政局", "responsible", None, 2),
        ("县市场监管局", "responsible", None, 3),
    ],
    [
        ("县交通运输局", "lead", "first-listed", 1),
        ("县邮政管理局", "responsible", None, 2),
    ],
    [
        ("县商务局", "lead", "first-listed", 1),
        ("县农业农村局", "responsible", None, 2),
    ],
]


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_encoded_fixture_really_is_in_that_encoding(fixture_path, name):
    data = fixture_path(name).read_bytes()
    bom = ENCODED[name]
    if bom:
        assert data.startswith(bom)
    else:
        assert not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if name in ("encoding_gb18030.txt", "encoding_gbk.txt"):
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")


def test_utf8_plan_extracts_expected_actions(load):
    doc = load("encoding_utf8.txt")
    assert [a.number for a in doc.actions] == ["1.", "2.", "3."]
    assert [units(a) for a in doc.actions] == ENCODED_PLAN_UNITS


@pytest.mark.parametrize("name", sorted(ENCODED))
def test_every_encoding_extracts_identically_and_drops_the_bom(load, name):
    reference = load("encoding_utf8.txt")
    doc = load(name)
    assert "\ufeff" not in doc.text
    assert doc.text == reference.text
    assert signature(doc) == signature(reference)
    assert [units(a) for a in doc.actions] == ENCODED_PLAN_UNITS


def test_extract_text_gives_the_same_plan_as_extract_path(fixture_path, load):
    path = fixture_path("encoding_utf8.txt")
    from_text = extract_text(path.read_text(encoding="utf-8"), source="encoding_utf8.txt")
    from_path = load("encoding_utf8.txt")
    assert from_text.source == "encoding_utf8.txt"
    assert from_text.text == from_path.text
    assert from_text.id == from_path.id  # same text, same id
    assert signature(from_text) == signature(from_path)
    assert extract_text(path.read_text(encoding="utf-8")).source == "<text>"


# traditional characters ----------------------------------------------------------
def test_traditional_characters_are_matched_and_names_kept_as_written(load):
    doc = load("traditional_chars_fullwidth_punct.txt")
    assert [a.number for a in doc.actions] == ["（一）", "（二）"]
    a1, a2 = doc.actions
    assert units(a1) == [
        ("縣農業農村局", "lead", "explicit", 1),
        ("縣科技局", "responsible", None, 2),
        ("縣財政局", "responsible", None, 3),
    ]
    assert units(a2) == [
        ("縣科技局", "lead", "first-listed", 1),
        ("縣財政局", "responsible", None, 2),
    ]
    assert "500台（套）" in a1.text
    assert "責任單位" not in a1.text and "牽頭單位" not in a1.text
    # matching works: the traditional names get the kinds their simplified forms get
    simplified = extract_text(
        "一、重点任务\n（一）建设示范基地。（牵头单位：县农业农村局；责任单位：县科技局、县财政局）\n",
        source="simplified.txt",
    )
    kinds = [g.kind for g in a1.agencies]
    assert kinds == [g.kind for g in simplified.actions[0].agencies]
    assert all(kinds)
    assert kinds[1] == "科技局"


# .docx ------------------------------------------------------------------------
def test_docx_paragraphs_and_table_rows_come_out_in_document_order(load):
    doc = load("docx_paragraphs_and_table_in_document_order.docx")
    keys = ["建设城市书房", "开展送戏下乡", "县文化艺术中心", "乡镇综合文化站", "加强组织领导"]
    assert len(doc.actions) == len(keys)
    for action, key in zip(doc.actions, keys, strict=True):
        assert key in whole(action), (key, action.title)
    p1, p2, t1, t2, s1 = doc.actions
    assert [a.kind for a in doc.actions] == ["action"] * 4 + ["safeguard"]
    assert any("重点项目分工" in h for h in t1.section)
    assert units(p1) == [
        ("县文旅局", "lead", "first-listed", 1),
        ("县财政局", "responsible", None, 2),
    ]
    assert units(p2) == [
        ("县文旅局", "lead", "explicit", 1),
        ("各乡镇人民政府", "responsible", None, 2),
    ]
    assert units(t1) == [
        ("县文旅局", "lead", "explicit", 1),
        ("县发改局", "responsible", None, 2),
        ("县住建局", "responsible", None, 3),
    ]
    assert units(t2) == [
        ("县文旅局", "lead", "explicit", 1),
        ("各乡镇人民政府", "responsible", None, 2),
    ]
    assert units(s1) == [("县文旅局", "lead", "first-listed", 1)]


# .pdf -------------------------------------------------------------------------
def test_pdf_text_is_read_in_reading_order_across_pages(load):
    doc = load("pdf_text_plan_reading_order.pdf")
    assert [(a.number, a.kind) for a in doc.actions] == [
        ("1.", "action"),
        ("2.", "action"),
        ("3.", "action"),
        ("（一）", "safeguard"),
    ]
    a1, a2, a3, s1 = doc.actions
    assert "建设生态茶园" in a1.title
    assert "推进茶旅融合" in a3.title
    assert units(a1) == [
        ("县农业农村局", "lead", "first-listed", 1),
        ("县林业局", "responsible", None, 2),
    ]
    assert units(a2) == [
        ("县农业农村局", "lead", "explicit", 1),
        ("县市场监管局", "responsible", None, 2),
    ]
    assert units(a3) == [
        ("县文旅局", "lead", "first-listed", 1),
        ("县农业农村局", "responsible", None, 2),
    ]
    assert units(s1) == [("县财政局", "lead", "first-listed", 1)]


# bad input ---------------------------------------------------------------------
def assert_one_line_error_naming(excinfo, path):
    message = str(excinfo.value)
    assert message.strip(), "empty error message"
    assert "\n" not in message and "\r" not in message, message
    assert path.name in message, message


@pytest.mark.parametrize(
    "name",
    [
        "bad_empty.txt",
        "bad_binary_png_bytes.txt",
        "bad_undecodable_bytes.txt",
        "bad_no_numbered_items.txt",
    ],
)
def test_bad_file_raises_one_line_loader_error_naming_the_file(fixture_path, name):
    path = fixture_path(name)
    with pytest.raises(LoaderError) as excinfo:
        extract_path(path)
    assert_one_line_error_naming(excinfo, path)


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_missing_file_raises_one_line_loader_error_naming_the_file(tmp_path, suffix):
    path = tmp_path / f"no_such_plan{suffix}"
    with pytest.raises(LoaderError) as excinfo:
        extract_path(path)
    assert_one_line_error_naming(excinfo, path)


def test_whitespace_only_file_raises_loader_error(tmp_path):
    path = tmp_path / "blank_plan.txt"
    path.write_text("\n  \n\u3000\n", encoding="utf-8")
    with pytest.raises(LoaderError) as excinfo:
        extract_path(path)
    assert_one_line_error_naming(excinfo, path)


def test_file_over_50_mb_raises_one_line_loader_error_naming_the_file(tmp_path):
    path = tmp_path / "huge_plan.txt"
    with open(path, "wb") as handle:  # sparse: takes no disk space
        handle.write("一、重点任务\n1.建设平台。（责任单位：县数据局）\n".encode())
        handle.truncate(51 * 1024 * 1024)
    with pytest.raises(LoaderError) as excinfo:
        extract_path(path)
    assert_one_line_error_naming(excinfo, path)
