"""`policykg extract` as a user runs it: a subprocess, real files, exit status, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EZHOU = ROOT / "data" / "corpus" / "ezhou-ai-action-plan.txt"
XIANTAO = ROOT / "data" / "corpus" / "xiantao-ai-action-plan-2025-2027.txt"


def policykg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_extract_json_has_the_documented_shape_for_both_seeds():
    result = policykg("extract", str(EZHOU), str(XIANTAO), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert [doc["source"] for doc in payload["documents"]] == [str(EZHOU), str(XIANTAO)]
    ezhou, xiantao = payload["documents"]
    for key in ("source", "title", "city", "issuer", "level", "published", "actions", "entities", "targets",
                "warnings"):
        assert key in xiantao
    assert (xiantao["city"], xiantao["level"], xiantao["published"]) == ("仙桃市", "city", "2025-08-09")
    assert len(ezhou["actions"]) == 22 and len(xiantao["actions"]) == 25
    action = xiantao["actions"][0]
    assert action["number"] == "（一）"
    assert action["section"] == ["一、实施基础夯实行动"]
    assert action["title"] == "强化规划引领"
    assert isinstance(action["span"], list) and len(action["span"]) == 2
    assert action["agencies"][0] == {
        "name": "市发改委", "canonical": "仙桃市发改委", "kind": "发改委",
        "kind_en": "Development and Reform Commission", "type": "agency", "role": "lead",
        "lead_basis": "explicit", "rank": 1, "collective": False, "derived_from": None,
        "span": action["agencies"][0]["span"], "alias": None, "government": "仙桃市",
        "national": False,
    }
    target = next(t for t in ezhou["targets"] if t["text"].endswith("突破80亿元"))
    assert (target["value"], target["unit"], target["year"], target["metric"]) == (80, "亿元", 2027, "人工智能产业规模")
    assert "text" not in xiantao  # the document text stays out of the JSON


def test_extract_summary_names_counts_leads_and_warnings():
    result = policykg("extract", str(EZHOU))
    assert result.returncode == 0
    assert "actions   22 in 7 groups (22 action)" in result.stdout
    assert "鄂州市科技局 5 (first-listed)" in result.stdout
    assert "warning: irregular numbering: （3） read as （三）" in result.stdout


def test_extract_folder_reads_every_plan_in_it():
    result = policykg("extract", "data/corpus", "--json")
    assert result.returncode == 0
    assert len(json.loads(result.stdout)["documents"]) == 2


def test_bad_files_get_one_line_each_the_rest_still_load_and_exit_is_nonzero(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "picture.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    missing = tmp_path / "missing.txt"
    result = policykg("extract", str(empty), str(XIANTAO), str(missing), str(binary), "--json")
    assert result.returncode == 1
    assert [d["city"] for d in json.loads(result.stdout)["documents"]] == ["仙桃市"]
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"policykg: error: {empty}: file is empty",
        f"policykg: error: {missing}: no such file",
        f"policykg: error: {binary}: binary file, not text",
    ]
    assert "Traceback" not in result.stderr


def test_installed_console_script_runs():
    script = Path(sys.executable).with_name("policykg")
    result = subprocess.run([str(script), "extract", str(XIANTAO)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert "仙桃市科技局 7 (explicit)" in result.stdout


def test_a_file_named_docx_that_is_not_one_gets_a_one_line_error(tmp_path):
    fake = tmp_path / "plan.docx"
    fake.write_text("一、任务\n（一）建平台。（牵头单位：市科技局）", encoding="utf-8")
    result = policykg("extract", str(fake))
    assert result.returncode == 1
    assert result.stderr.strip() == f"policykg: error: {fake}: not a readable .docx file (PackageNotFoundError)"


def test_an_install_without_its_checkout_data_says_so_in_one_line(monkeypatch, tmp_path, capsys):
    import policykg.cli
    from policykg.cli import main

    monkeypatch.setattr(policykg.cli, "CHECKOUT", tmp_path / "site-packages")
    assert main(["schema"]) == 2
    err = capsys.readouterr().err
    assert err == (f"policykg: error: {tmp_path / 'site-packages' / 'data'} is missing: policykg runs from its "
                   "source checkout; install it there with `pip install -e .`\n")
