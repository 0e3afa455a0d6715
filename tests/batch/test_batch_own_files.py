"""Review 7, findings 10 and 12: a batch never reads its own files, and checks ``--summary-json``
before the run.

Before: ``batch FOLDER -o FOLDER/out.txt`` read its own (still empty) output as an article (an
``input.empty`` error line and exit 1), and a later run read the results back as a Chinese
article; ``--summary-json /missing/dir/s.json`` ran the whole batch (paid calls with a model)
and only then failed with "No such file or directory" and exit 2.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from summarizer.batch import ignored_files, read_input
from summarizer.batch.records import own_files
from summarizer.cli import app

runner = CliRunner()
SEED = Path(__file__).resolve().parents[2] / "examples" / "tongzhou_2025-12-13_scraped.txt"


def _ids(path: Path) -> list[str]:
    return sorted(json.loads(line)["id"] for line in path.read_text("utf-8").splitlines())


def test_an_output_inside_the_folder_is_not_read_back(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    out = folder / "out.txt"
    command = ["batch", str(folder), "-o", str(out), "--engine", "offline"]
    first = runner.invoke(app, command)
    assert first.exit_code == 0, first.stderr
    assert _ids(out) == ["a.txt"]
    again = runner.invoke(app, command)  # a resumed run: out.txt now holds results
    assert again.exit_code == 0, again.stderr
    assert _ids(out) == ["a.txt"]


def test_a_jsonl_output_inside_the_folder_is_not_listed_as_ignored(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a.txt")
    out = tmp_path / "out.jsonl"
    command = ["batch", str(tmp_path), "-o", str(out), "--engine", "offline"]
    for _ in range(2):  # the rerun finds out.jsonl in the folder
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.stderr
        assert "ignored" not in result.stderr
    assert _ids(out) == ["a.txt"]


def test_the_library_skips_what_it_is_told(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a.txt")
    (tmp_path / "results.md").write_text("{}", encoding="utf-8")
    (tmp_path / ".results.md.lock").write_text("", encoding="utf-8")
    (tmp_path / "summary.json").write_text("{}", encoding="utf-8")
    own = own_files(tmp_path / "results.md", tmp_path / "summary.json")
    assert [record.id for record in read_input(tmp_path, exclude=own)] == ["a.txt"]
    assert ignored_files(tmp_path, exclude=own) == []
    assert ignored_files(tmp_path) == [".results.md.lock", "summary.json"]


def test_a_summary_json_that_cannot_be_written_fails_before_the_batch(tmp_path: Path) -> None:
    shutil.copy(SEED, tmp_path / "a.txt")
    out = tmp_path / "out.jsonl"
    missing = tmp_path / "missing" / "s.json"
    base = ["batch", str(tmp_path / "a.txt"), "-o", str(out), "--engine", "offline"]
    result = runner.invoke(app, [*base, "--summary-json", str(missing)])
    assert result.exit_code == 2
    assert f"cannot write --summary-json {missing}: the folder" in result.stderr
    assert not out.exists()  # nothing was summarized
    folder = runner.invoke(app, [*base, "--summary-json", str(tmp_path)])
    assert folder.exit_code == 2 and "is a folder" in folder.stderr
    assert not out.exists()
