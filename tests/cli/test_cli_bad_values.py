"""Bad option values are usage errors (exit 2) that say what is wrong, before any work is done."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer import _click as click
from typer.core import TyperGroup, TyperOption
from typer.main import get_command
from typer.testing import CliRunner

import summarizer
from summarizer.cli import app
from summarizer.errors import ConfigError

runner = CliRunner()
ARTICLE = "北京市政府今天宣布了新的交通规划。该规划将于明年实施。"


def _float_options() -> Iterator[tuple[list[str], str]]:
    """Every float option of every command: ``(command path, option name)``."""
    pending: list[tuple[list[str], click.Command]] = [([], get_command(app))]
    while pending:
        path, command = pending.pop()
        context = click.Context(command)
        for param in command.get_params(context):
            if isinstance(param, TyperOption) and param.type_descriptor.annotation is float:
                yield path, param.opts[0]
        if isinstance(command, TyperGroup):
            pending.extend(([*path, name], sub) for name, sub in command.commands.items())


FLOAT_OPTIONS = sorted(_float_options())


def test_the_float_options_are_found() -> None:
    found = {(" ".join(path), option) for path, option in FLOAT_OPTIONS}
    assert {("summarize", "--deadline"), ("batch", "--rpm"), ("batch", "--log-interval")} <= found
    assert len(found) >= 10


@pytest.mark.parametrize("value", ["nan", "inf", "-Infinity"])
@pytest.mark.parametrize(
    ("path", "option"), FLOAT_OPTIONS, ids=[f"{' '.join(p)} {o}" for p, o in FLOAT_OPTIONS]
)
def test_a_non_finite_float_option_is_a_usage_error(
    path: list[str], option: str, value: str
) -> None:
    result = runner.invoke(app, [*path, option, value])

    assert result.exit_code == 2, result.output
    shown = " ".join(result.stderr.replace("│", " ").split())  # the usage box wraps lines
    assert f"'{value}' is not a finite number" in shown
    assert "Traceback" not in result.output


def test_summarize_will_not_write_over_its_input(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, "utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(article)
    for output in (article, link, tmp_path / "." / "a.txt"):
        result = runner.invoke(
            app, ["summarize", str(article), "--engine", "offline", "-o", str(output)]
        )
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("summarizer: error: the output ")
        assert "is the input file" in result.stderr and result.stderr.count("\n") == 1
    assert article.read_text("utf-8") == ARTICLE
    elsewhere = tmp_path / "a.json"
    result = runner.invoke(
        app, ["summarize", str(article), "--engine", "offline", "-o", str(elsewhere)]
    )
    assert result.exit_code == 0, result.output
    assert elsewhere.read_text("utf-8").startswith("{")


def test_logs_since_that_is_no_time_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["logs", "--path", str(tmp_path / "calls.db"), "--since", "banana"])

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("summarizer: error: --since 'banana': give an ISO date")


@pytest.mark.parametrize("bad", [True, 2024.0, "2024", 99])
def test_a_bad_year_hint_is_described_for_the_engine_in_use(bad: object) -> None:
    with pytest.raises(ConfigError) as caught:
        summarizer.summarize(ARTICLE, engine="offline", year_hint=bad)  # type: ignore[arg-type]
    assert str(caught.value).startswith("year_hint must be a four-digit year")
    assert "openai" not in str(caught.value)


@pytest.mark.parametrize("limit", [True, 2.5, 0, -3])
def test_max_input_chars_must_be_a_positive_whole_number(limit: object) -> None:
    with pytest.raises(ConfigError, match="max_input_chars must be a positive whole number"):
        summarizer.summarize(ARTICLE, engine="offline", max_input_chars=limit)  # type: ignore[arg-type]
