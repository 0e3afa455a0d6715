"""benchmarks/benchdoc.py: each benchmark rewrites only its own section of docs/benchmarks.md."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from benchdoc import HEADER, documented, write_section


def test_sections_are_added_then_replaced_in_place(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    write_section("alpha", "first alpha", page=page, command="python a.py")
    write_section("beta", "first beta", page=page, command="python b.py")
    write_section("alpha", "second alpha", page=page, command="python a.py --quick")
    text = page.read_text("utf-8")
    assert text.startswith(HEADER.splitlines()[0])
    assert "first alpha" not in text and "second alpha" in text and "first beta" in text
    assert text.index("second alpha") < text.index("first beta")  # kept its place
    assert text.count("<!-- BEGIN benchmark: alpha -->") == 1
    assert "`python a.py --quick`" in text


def test_documented_copies_what_the_script_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "benchmarks.md"
    with documented("speed", page=page):
        print("| path | ms |\n| a | 1.0 |")
    assert "| a | 1.0 |" in capsys.readouterr().out  # still printed
    assert "```text\n| path | ms |\n| a | 1.0 |\n```" in page.read_text("utf-8")


def test_a_failed_run_leaves_the_page_alone(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    with pytest.raises(RuntimeError), documented("speed", page=page):
        print("half a table")
        raise RuntimeError("benchmark crashed")
    with pytest.raises(SystemExit), documented("speed", page=page):
        print("failed gate")
        raise SystemExit(1)
    assert not page.exists()
    with pytest.raises(SystemExit), documented("speed", page=page):
        print("all good")
        raise SystemExit(0)
    assert "all good" in page.read_text("utf-8")


def test_benchdoc_off_switch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BENCHDOC", "0")
    page = tmp_path / "benchmarks.md"
    with documented("speed", page=page):
        print("smoke run")
    assert not page.exists()


def test_a_help_run_leaves_the_page_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "benchmarks.md"
    monkeypatch.setattr(sys, "argv", ["meta_eval.py", "--help"])
    with pytest.raises(SystemExit), documented("speed", page=page):
        print("usage: meta_eval.py [-h]")
        raise SystemExit(0)
    assert not page.exists()
    monkeypatch.setattr(sys, "argv", ["meta_eval.py", "--hel"])  # argparse takes abbreviations
    with pytest.raises(SystemExit), documented("speed", page=page):
        print("usage: meta_eval.py [-h]")
        raise SystemExit(0)
    assert not page.exists()
    monkeypatch.setattr(sys, "argv", ["meta_eval.py", "--seeds", "1"])
    with documented("speed", page=page):
        print("| kind | 99% |")
    assert "| kind | 99% |" in page.read_text("utf-8")
