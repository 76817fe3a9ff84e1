"""Bad and oversized input: every way a file can fail to read is that file's one-line LoaderError.

Every bad file is built here, in ``tmp_path``: truncated, corrupt, zip-bomb and billion-laughs
``.docx`` packages, a corrupt and an encrypted PDF, a folder, a pipe and broken links named like
plans, an unreadable file. Also: numbering past 999, the file size limit, and extraction whose
work grows linearly with the text (counted in function calls, not timed).
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from loaders import LoaderError, extract_path, extract_text, plan_files, readers
from loaders.numbering import chinese_numeral

ROOT = Path(__file__).resolve().parents[1]
XIANTAO = ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt"
PLAN_LINES = ["一、重点任务", "（一）建设算力中心。到2027年建成智算中心3个。（牵头单位：市科技局；责任单位：市财政局）",
              "（二）培育产业人才。（责任单位：市人社局）"]


def assert_one_line_naming(error: LoaderError, path: Path) -> str:
    message = str(error)
    assert isinstance(error, LoaderError)
    assert "\n" not in message and "\r" not in message, message
    assert message.startswith(f"{path}: "), message
    return message


# --------------------------------------------------------------------------- numbering


@pytest.mark.parametrize("marker", ["{}.", "{}、", "（{}）", "({})"])
def test_items_numbered_past_999_are_all_actions(marker):
    lines = ["一、重点任务"] + [f"{marker.format(n)}建设第{n}个平台。（责任单位：市科技局）" for n in range(1, 1201)]
    doc = extract_text("\n".join(lines), "many.txt")
    assert len(doc.actions) == 1200
    assert [a.number for a in doc.actions[998:1001]] == [
        m.format(n) for m, n in zip(["{}.", "{}.", "{}."] if "." in marker or "、" in marker else ["（{}）"] * 3,
                                    (999, 1000, 1001), strict=True)]
    assert doc.actions[-1].title == "建设第1200个平台"
    assert max(len(a.text) for a in doc.actions) < 40  # no action swallows the ones after it


def test_a_line_opening_with_a_year_stays_text_and_is_warned_about():
    doc = extract_text("一、重点任务\n1.建设平台。（责任单位：市科技局）\n2025、全市持续推进。\n2.培育人才。", "y.txt")
    assert [a.number for a in doc.actions] == ["1.", "2."]
    assert "2025、全市持续推进" in doc.actions[0].text
    assert any("2025、" in w and "read as text" in w for w in doc.warning_messages)


def test_a_run_of_digits_longer_than_any_item_number_is_text():
    doc = extract_text("一、重点任务\n1.建设平台。\n" + "9" * 5000 + ".不是条目。\n2.培育人才。", "d.txt")
    assert [a.number for a in doc.actions] == ["1.", "2."]


# --------------------------------------------------------------------------- bad files


def docx_bytes(lines: list[str] = PLAN_LINES) -> bytes:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rebuilt_docx(replace: dict[str, bytes]) -> bytes:
    """A plan .docx with some members' contents replaced."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in source.infolist():
            package.writestr(info.filename, replace.get(info.filename, source.read(info)))
    return out.getvalue()


def with_declared_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with its central directory declaring ``size`` bytes unpacked for ``member`` (data unchanged)."""
    data = bytearray(data)
    end = data.rfind(b"PK\x05\x06")
    (entries, offset) = struct.unpack_from("<H4xI", data, end + 10)
    for _ in range(entries):
        assert data[offset : offset + 4] == b"PK\x01\x02"
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        if data[offset + 46 : offset + 46 + name_len].decode() == member:
            struct.pack_into("<I", data, offset + 24, size)
            return bytes(data)
        offset += 46 + name_len + extra_len + comment_len
    raise AssertionError(f"no member {member}")


def document_xml(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f"{body}</w:body></w:document>"
    ).encode()


def paragraphs_xml(lines: list[str]) -> str:
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)


def truncated_docx(path: Path) -> None:
    data = docx_bytes()
    path.write_bytes(data[: len(data) // 2])


def corrupt_member_docx(path: Path) -> None:
    data = bytearray(docx_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 8
    data[start : start + 64] = bytes(64)  # zeroes in the middle of the deflate stream
    path.write_bytes(bytes(data))


def bad_xml_docx(path: Path) -> None:
    xml = document_xml(paragraphs_xml(PLAN_LINES))
    path.write_bytes(rebuilt_docx({"word/document.xml": xml[: len(xml) // 2]}))


def billion_laughs_docx(path: Path) -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    xml = document_xml(paragraphs_xml([*PLAN_LINES, "&lol9;"])).replace(
        b"<w:document", f"<!DOCTYPE w:document [{entities}]><w:document".encode(), 1)
    path.write_bytes(rebuilt_docx({"word/document.xml": xml}))


def zip_bomb_docx(path: Path) -> None:
    """8 MB of one repeated sentence, packed about 1,000 to 1 (a real bomb is gigabytes the same way)."""
    filler = "各项任务稳步推进。" * (8 * 1024 * 1024 // 27)
    path.write_bytes(rebuilt_docx({"word/document.xml": document_xml(paragraphs_xml([*PLAN_LINES, filler]))}))


def declared_bomb_docx(path: Path) -> None:
    """The directory says document.xml unpacks to 4 GB (the data is a normal plan)."""
    path.write_bytes(with_declared_size(docx_bytes(), "word/document.xml", 0xFFFF_FFF0))


def understated_docx(path: Path) -> None:
    """The directory says document.xml is 100 bytes; it is more: the bounded read stops and the CRC fails."""
    path.write_bytes(with_declared_size(docx_bytes(), "word/document.xml", 100))


def text_named_docx(path: Path) -> None:
    path.write_text("\n".join(PLAN_LINES), encoding="utf-8")


def zip_of_other_things_docx(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("notes.txt", "\n".join(PLAN_LINES))


def corrupt_pdf(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntruncated")


def encrypted_pdf(path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="1. build a platform")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.output(str(path))


def folder_named_txt(path: Path) -> None:
    path.mkdir()


def broken_link(path: Path) -> None:
    path.symlink_to(path.parent / "deleted-plan.txt")


def link_loop(path: Path) -> None:
    other = path.with_name("other-" + path.name)
    path.symlink_to(other)
    other.symlink_to(path)


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


BAD_FILES = [
    # (file name, how to make it, what its one line must say)
    ("truncated.docx", truncated_docx, "not a readable .docx file"),
    ("corrupt-member.docx", corrupt_member_docx, "document.xml"),
    ("bad-xml.docx", bad_xml_docx, "XMLSyntaxError"),
    ("billion-laughs.docx", billion_laughs_docx, "declares a DTD"),
    ("zip-bomb.docx", zip_bomb_docx, "zip bomb"),
    ("declared-bomb.docx", declared_bomb_docx, "zip bomb"),
    ("understated.docx", understated_docx, "Bad CRC-32 for file 'word/document.xml'"),
    ("text.docx", text_named_docx, "not a readable .docx file (PackageNotFoundError)"),
    ("other-zip.docx", zip_of_other_things_docx, "not a readable .docx file"),
    ("corrupt.pdf", corrupt_pdf, "not a readable PDF"),
    ("encrypted.pdf", encrypted_pdf, "encrypted"),
    ("folder.txt", folder_named_txt, "is a folder"),
    ("broken-link.txt", broken_link, "broken symbolic link"),
    ("loop.txt", link_loop, "symbolic links"),
    ("empty.txt", empty_file, "file is empty"),
]


@pytest.mark.parametrize("name, make, says", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_one_loader_error_line_naming_it(tmp_path, name, make, says):
    path = tmp_path / name
    make(path)
    with pytest.raises(LoaderError) as caught:
        extract_path(path)
    assert_one_line_naming(caught.value, path)
    assert says in caught.value.problem


def test_a_zip_bomb_is_refused_from_its_directory_before_python_docx_reads_it(tmp_path, monkeypatch):
    import docx

    def must_not_parse(*args, **kwargs):
        raise AssertionError("python-docx was given a zip bomb")

    bombs = [tmp_path / "bomb.docx", tmp_path / "declared.docx"]
    zip_bomb_docx(bombs[0])
    declared_bomb_docx(bombs[1])
    monkeypatch.setattr(docx, "Document", must_not_parse)
    for bomb in bombs:
        with pytest.raises(LoaderError, match="refused before parsing"):
            extract_path(bomb)


def test_a_docx_with_too_many_members_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "DOCX_MAX_MEMBERS", 20)
    path = tmp_path / "many-members.docx"
    data = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(data, "a") as package:
        for n in range(30):
            package.writestr(f"extra/part{n}.xml", "<a/>")
    path.write_bytes(data.getvalue())
    with pytest.raises(LoaderError, match="members; the limit is 20"):
        extract_path(path)


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    outcome: list[BaseException | None] = []

    def read() -> None:
        try:
            extract_path(path)
            outcome.append(None)
        except BaseException as error:  # handed to the test thread
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert outcome, "extract_path blocked opening a named pipe"
    assert isinstance(outcome[0], LoaderError) and "named pipe" in str(outcome[0])
    assert_one_line_naming(outcome[0], path)


def test_a_tall_vertically_merged_table_cell_is_read(tmp_path):
    """python-docx climbs a vertical merge row by row: RecursionError past ~1,000 rows."""
    import docx

    document = docx.Document()
    document.add_paragraph("一、重点任务分工")
    rows = 1200
    table = document.add_table(rows=rows + 1, cols=3)
    for cell, text in zip(table.rows[0].cells, ("序号", "重点任务", "牵头单位"), strict=True):
        cell.text = text
    trs = table._tbl.tr_lst
    for n in range(1, rows + 1):
        tcs = trs[n].tc_lst
        tcs[0].p_lst[0].add_r().text = str(n)
        tcs[1].p_lst[0].add_r().text = f"建设第{n}个平台。"
        tcs[2].vMerge = "restart" if n == 1 else "continue"
    trs[1].tc_lst[2].p_lst[0].add_r().text = "市科技局"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    doc = extract_path(path)
    assert len(doc.actions) == rows
    assert all([a.name for a in action.agencies] == ["市科技局"] for action in doc.actions)


def test_the_file_size_limit_is_configurable_and_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(PLAN_LINES * 20), encoding="utf-8")
    assert path.stat().st_size > 1024
    monkeypatch.setenv("POLICYKG_MAX_FILE_MB", "0.001")

    def must_not_read(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(readers, "read_file_bytes", must_not_read)
    with pytest.raises(LoaderError) as caught:
        extract_path(path)
    assert "POLICYKG_MAX_FILE_MB" in assert_one_line_naming(caught.value, path)
    monkeypatch.undo()
    monkeypatch.setenv("POLICYKG_MAX_FILE_MB", "1")
    assert len(extract_path(path).actions) == 40


def test_a_bad_size_limit_setting_is_the_file_s_one_line(tmp_path, monkeypatch):
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(PLAN_LINES), encoding="utf-8")
    monkeypatch.setenv("POLICYKG_MAX_FILE_MB", "lots")
    with pytest.raises(LoaderError, match="POLICYKG_MAX_FILE_MB='lots' is not a positive number"):
        extract_path(path)


def test_a_file_growing_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_text("\n".join(PLAN_LINES), encoding="utf-8")
    monkeypatch.setenv("POLICYKG_MAX_FILE_MB", str(path.stat().st_size / 1024 / 1024 * 1.5))
    real_fstat = os.fstat

    def grown_after_the_check(fd):  # the size was checked; then the file grows
        with open(path, "ab") as handle:
            handle.write(b"x" * path.stat().st_size)
        return real_fstat(fd)

    monkeypatch.setattr(readers.os, "fstat", grown_after_the_check)
    with pytest.raises(LoaderError, match="the limit is"):
        extract_path(path)


def test_a_fault_of_the_loaders_is_still_the_file_s_one_loader_error_line(tmp_path, monkeypatch):
    import loaders.extract
    from loaders.errors import ExtractionError

    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(loaders.extract, "find_entities", broken)
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(PLAN_LINES), encoding="utf-8")
    with pytest.raises(ExtractionError) as caught:
        extract_path(path)
    assert_one_line_naming(caught.value, path)
    assert "internal error while extracting (IndexError: list index out of range)" in caught.value.problem
    assert isinstance(caught.value.__cause__, IndexError)


def test_an_invalid_file_name_is_a_loader_error():
    with pytest.raises(LoaderError, match="not a valid file name"):
        extract_path("plan\0.txt")
    assert plan_files(["plan\0.txt"]) == ["plan\0.txt"]


# --------------------------------------------------------------------------- unreadable files


def run_as_nobody(function, *args) -> str:
    """Run ``function(*args)`` in a forked child without root's right to read anything; its result as text.

    Tests run as root, and root reads a file whatever its mode: the child gives that up.
    """
    if os.geteuid() != 0:
        return function(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report and leave, never back into pytest
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            result = function(*args)
        except BaseException as error:  # reported to the parent
            result = f"{type(error).__name__} in the child: {error}"
        os.write(write_end, result.encode("utf-8", "replace"))
        os._exit(0)
    os.close(write_end)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8")


@pytest.fixture
def unreadable():
    """A plan file nobody may read, in a folder everybody may enter, with a good plan beside it.

    Not under pytest's tmp_path: its folders are root's alone, so nothing in them could be reached.
    """
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="policykg-unreadable-"))
    folder.chmod(0o755)
    bad = folder / "locked.txt"
    bad.write_text("\n".join(PLAN_LINES), encoding="utf-8")
    bad.chmod(0o000)
    good = folder / "good.txt"
    good.write_text(XIANTAO.read_text(encoding="utf-8"), encoding="utf-8")
    good.chmod(0o644)
    extract_path(good)  # the loaders' tables are loaded before the child gives up root
    yield bad, good
    shutil.rmtree(folder)


def _extract_error(path: Path) -> str:
    try:
        extract_path(path)
    except LoaderError as error:
        return f"LoaderError: {error}"
    return "no error"


def test_an_unreadable_file_is_a_loader_error_naming_it(unreadable):
    bad, good = unreadable
    assert run_as_nobody(_extract_error, good) == "no error"  # the folder can be entered: only the file is locked
    assert run_as_nobody(_extract_error, bad) == f"LoaderError: {bad}: cannot read the file: Permission denied"


def _cli_extract(*paths: Path) -> str:
    import contextlib

    from policykg.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["extract", *map(str, paths), "--json"])
    return json.dumps({"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()})


def test_policykg_extract_reports_an_unreadable_file_in_one_line_and_reads_the_rest(unreadable):
    import policykg.cli
    import policykg.report  # noqa: F401 - imported before the child gives up root

    bad, good = unreadable
    output = run_as_nobody(_cli_extract, bad, good)
    assert output.startswith("{"), output
    result = json.loads(output)
    assert result["status"] == 1
    assert [d["city"] for d in json.loads(result["stdout"])["documents"]] == ["仙桃市"]
    assert result["stderr"] == f"policykg: error: {bad}: cannot read the file: Permission denied\n"


# --------------------------------------------------------------------------- folders and the command line


def test_plan_files_names_broken_links_and_a_folder_without_plans(tmp_path):
    (tmp_path / "good.txt").write_text("\n".join(PLAN_LINES), encoding="utf-8")
    broken_link(tmp_path / "gone.txt")
    (tmp_path / "notes.toml").symlink_to(tmp_path / "nothing")  # not a plan suffix: not listed
    empty = tmp_path / "empty"
    empty.mkdir()
    assert plan_files([tmp_path]) == [str(tmp_path / "gone.txt"), str(tmp_path / "good.txt")]
    assert plan_files([empty]) == [str(empty)]
    with pytest.raises(LoaderError, match="is a folder with no plan files in it"):
        extract_path(empty)


def test_a_folders_readme_is_skipped_with_a_note_and_loads_when_named(tmp_path):
    """Loaded with the folder, a README's list items were read as 14 actions of a plan."""
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "xiantao.txt").write_text(XIANTAO.read_text(encoding="utf-8"), encoding="utf-8")
    readme = folder / "README.md"
    readme.write_text("# 这些文件\n\n1. 仙桃市的行动方案。（责任单位：市科技局）\n", encoding="utf-8")
    (folder / "license.txt").write_text("1. 可自由使用。（责任单位：市司法局）\n", encoding="utf-8")
    env = {**os.environ, "POLICYKG_DB": str(tmp_path / "db" / "graph.lbdb")}
    env = {key: value for key, value in env.items() if not key.startswith("NEO4J_")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True, cwd=ROOT,
                              timeout=300, env=env)

    loaded = run("load", str(folder))
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stderr.splitlines() == [
        f"policykg: note: {path} skipped: a folder's own documentation, not a plan (name the file to load it as one)"
        for path in (readme, folder / "license.txt")]
    assert loaded.stdout.startswith("loaded 1 document(s)")
    extracted = run("extract", str(folder), "--json")
    assert [d["source"].rsplit("/", 1)[-1] for d in json.loads(extracted.stdout)["documents"]] == ["xiantao.txt"]
    named = run("load", str(readme))
    assert named.returncode == 0 and named.stderr == "" and named.stdout.startswith("loaded 1 document(s)")


def make_bad_files(folder: Path) -> list[Path]:
    paths = []
    for name, make, _ in BAD_FILES:
        if name == "encrypted.pdf":
            try:
                import fpdf  # noqa: F401
            except ImportError:
                continue
        path = folder / name
        make(path)
        paths.append(path)
    return paths


def policykg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_policykg_extract_gives_each_bad_file_one_error_line_and_extracts_the_good_one(tmp_path):
    bad = make_bad_files(tmp_path)
    result = policykg("extract", *map(str, bad[:6]), str(XIANTAO), *map(str, bad[6:]), "--json")
    assert result.returncode == 1
    assert [d["city"] for d in json.loads(result.stdout)["documents"]] == ["仙桃市"]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(bad), result.stderr
    for line, path in zip(lines, bad, strict=True):
        assert line.startswith(f"policykg: error: {path}: "), line
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_policykg_extract_of_a_folder_reads_every_good_plan_and_names_every_bad_file(tmp_path):
    bad = make_bad_files(tmp_path)
    (tmp_path / "xiantao.txt").write_text(XIANTAO.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ezhou.txt").write_text(
        (ROOT / "data" / "corpus" / "ezhou-ai-action-plan.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = policykg("extract", str(tmp_path), "--json")
    assert result.returncode == 1
    assert sorted(d["city"] for d in json.loads(result.stdout)["documents"]) == ["仙桃市", "鄂州市"]
    named = [line.split(": ")[2] for line in result.stderr.strip().splitlines()]
    # A folder inside the folder is walked (folder.txt holds nothing); both links of the loop are named.
    expected = sorted([str(p) for p in bad if p.name != "folder.txt"] + [str(tmp_path / "other-loop.txt")])
    assert named == expected, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- linear work


BLOCK = ("（{cn}）{place}区重点任务\n"
         "{n}.建设{place}人工智能产业园。{place}经开区依托{place}光电子产业园、{place}人工智能研究院等平台，"
         "到2027年产业规模突破{n}亿元，建成算力中心{k}个。（牵头单位：市科技局；责任单位：市发改委、各区人民政府）\n"
         "{m}.推进{place}数据中心建设。2026年底前建成{place}智算中心，机架达到{k}个以上。（责任单位：市数据局、市经信局）\n")
PLACES = "东西南北中上下左右前后甲乙丙丁戊己庚辛壬癸"


def generated_plan(groups: int) -> str:
    parts = ["某某市人工智能产业发展行动方案\n一、重点任务\n"]
    for g in range(1, groups + 1):
        place = PLACES[g % len(PLACES)] + PLACES[g // len(PLACES) % len(PLACES)] + "城"
        parts.append(BLOCK.format(cn=chinese_numeral(g), n=2 * g - 1, m=2 * g, k=g % 90 + 10, place=place))
    return "".join(parts)


def function_calls(text: str) -> int:
    """Python and C function calls (generator steps included) made extracting ``text`` and building its records."""
    from graph.records import document_records

    calls = 0

    def count(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        document_records(extract_text(text))
    finally:
        sys.setprofile(None)
    return calls


def test_extraction_work_grows_linearly_with_the_text():
    """Four times the plan, four times the calls (a scan per item or per pair made it ten times here)."""
    function_calls(generated_plan(5))  # one-time costs: tables loaded, caches filled
    small, large = generated_plan(100), generated_plan(400)
    assert len(extract_text(large).actions) == 800 and len(extract_text(large).entities) > 1500
    ratio = function_calls(large) / function_calls(small)
    size_ratio = len(large) / len(small)
    assert ratio < size_ratio * 1.1, f"{ratio:.2f}× the calls for {size_ratio:.2f}× the text"
