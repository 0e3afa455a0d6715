"""The service's CLI meets a bad ``--db`` with one line and a non-zero exit, never a traceback."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app as cli_app
from summarizer.service import SQLiteStore


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
    assert not database.exists()


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


def test_keys_list_and_revoke_never_create_a_database_and_say_what_is_missing(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "missing.db"
    listed = CliRunner().invoke(cli_app, ["keys", "list", "--db", str(missing)])
    revoked = CliRunner().invoke(cli_app, ["keys", "revoke", "abc", "--db", str(missing)])

    for result in (listed, revoked):
        assert result.exit_code == 2, result.output
        assert result.stderr.strip().startswith(f"summarizer: error: no key database at {missing}")
    assert not missing.exists()


def test_revoking_an_unknown_key_is_bad_input_and_an_empty_store_says_no_keys(
    tmp_path: Path,
) -> None:
    database = str(tmp_path / "service.sqlite3")
    created = CliRunner().invoke(cli_app, ["keys", "create", "--name", "ci", "--db", database])
    key_id = created.stderr.split("created key ")[1].split()[0]
    unknown = CliRunner().invoke(cli_app, ["keys", "revoke", "NOSUCH", "--db", database])
    known = CliRunner().invoke(cli_app, ["keys", "revoke", key_id, "--db", database])
    listed = CliRunner().invoke(cli_app, ["keys", "list", "--db", database])

    assert created.exit_code == 0, created.output
    assert unknown.exit_code == 2, unknown.output
    assert unknown.stderr.startswith("summarizer: error: no active key with id 'NOSUCH'")
    assert known.exit_code == 0, known.output
    assert listed.exit_code == 0 and listed.stdout.startswith(f"{key_id}\trevoked")


def test_keys_list_on_a_database_without_keys_says_so(tmp_path: Path) -> None:
    database = str(tmp_path / "service.sqlite3")
    empty = SQLiteStore(database)

    async def open_and_close() -> None:
        await empty.open()
        await empty.close()

    asyncio.run(open_and_close())
    listed = CliRunner().invoke(
        cli_app, ["keys", "list", "--db", str(tmp_path / "service.sqlite3")]
    )

    assert listed.exit_code == 0, listed.output
    assert listed.stdout == ""
    assert listed.stderr.strip() == "summarizer: no keys (create one with `summarizer keys create`)"
