"""A user glossary that is not UTF-8 is a configuration error naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import ConfigError
from summarizer.text.analysis.glossary import load_glossary


def gbk_glossary(tmp_path: Path) -> Path:
    path = tmp_path / "glossary.tsv"
    path.write_bytes(b"# my terms\n" + "通州区\tTongzhou District\tplace\n".encode("gbk"))
    return path


def test_load_glossary_names_file_and_line(tmp_path: Path) -> None:
    path = gbk_glossary(tmp_path)
    with pytest.raises(ConfigError, match=rf"{path.name}:2: the glossary file is not UTF-8"):
        load_glossary([path])


def test_the_cli_exits_3_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = gbk_glossary(tmp_path)
    article = tmp_path / "article.txt"
    article.write_text("北京市政府今天宣布，将在明年增加公共交通投资。", "utf-8")
    monkeypatch.setenv("SUMMARIZER_GLOSSARY", str(path))
    result = CliRunner().invoke(app, ["summarize", str(article), "--engine", "offline"])
    assert result.exit_code == 3, result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert f"{path}:2:" in line and "internal error" not in line
