"""The exit codes the errors module's tree and the README state are the ones the code uses."""

from __future__ import annotations

import re
from pathlib import Path

import summarizer.errors as errors
from summarizer.cli.common import EXIT_UNEXPECTED

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_exit_code_in_the_error_tree_is_the_class_code() -> None:
    doc = errors.__doc__ or ""
    stated = {name: int(code) for name, code in re.findall(r"(\w+Error) \.+ *(\d+)", doc)}
    assert len(stated) >= 8
    for name, code in stated.items():
        assert getattr(errors, name).exit_code == code, name


def test_an_internal_error_has_one_exit_code_everywhere() -> None:
    assert errors.InternalError.exit_code == EXIT_UNEXPECTED == 70
    readme = " ".join(README.read_text("utf-8").split())
    assert "`InternalError` (70" in readme
    assert "70 internal error" in readme
