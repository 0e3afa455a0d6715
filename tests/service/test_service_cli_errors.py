"""The service's CLI meets a bad ``--db`` with one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app as cli_app


def _corrupt_database(tmp_path: Path) -> Path:
    path = tmp_path / "service.sqlite3"
    path.write_bytes(b"this is not an SQLite database\n" * 200)
    return path


def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "a-file").write_text("x")
    return tmp_path / "a-file" / "service.sqlite3"


@pytest.mark.parametrize("make_path", [_corrupt_database, _under_a_file])
@pytest.mark.parametrize(
    "command",
    [["keys", "list"], ["keys", "create", "--name", "x"], ["serve", "--port", "0"]],
)
def test_an_unusable_database_is_a_one_line_config_error(
    tmp_path: Path, make_path: Callable[[Path], Path], command: list[str]
) -> None:
    database = make_path(tmp_path)
    result = CliRunner().invoke(cli_app, [*command, "--db", str(database)])

    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    errors = [line for line in result.output.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, result.output
    assert errors[0].startswith("summarizer: error: cannot open the service database")


@pytest.mark.parametrize("name", ["", "   ", "evil\n000000000000\tactive\tread-write", "a\x1b[2Jb"])
def test_a_key_name_that_is_empty_or_could_forge_a_listing_line_is_refused(
    tmp_path: Path, name: str
) -> None:
    database = tmp_path / "service.sqlite3"
    result = CliRunner().invoke(cli_app, ["keys", "create", "--name", name, "--db", str(database)])

    assert result.exit_code == 2, result.output
    assert "sk-sum-" not in result.output
    assert result.stderr.startswith("summarizer: error: --name")
    listed = CliRunner().invoke(cli_app, ["keys", "list", "--db", str(database)])
    assert listed.exit_code == 0 and listed.stdout == ""


def test_serve_on_a_port_in_use_is_one_error_line_before_any_announcement(tmp_path: Path) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli_app,
            ["serve", "--port", str(port), "--engine", "offline", "--db", str(tmp_path / "s.db")],
        )

    assert result.exit_code == 3, result.output
    assert "serving on" not in result.output
    assert "Traceback" not in result.output
    assert result.stderr.strip() == f"summarizer: error: port {port} on 127.0.0.1 is already in use"
