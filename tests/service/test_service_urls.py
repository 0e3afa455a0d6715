"""Store and queue URLs in messages: no password in any form, and no crash on a malformed URL.

PostgreSQL (libpq, asyncpg) and Redis take a password in the user info *or* as a query parameter;
both must be hidden. A mistyped URL (a port that is not a number, a broken IPv6 host) is the
user's to fix: a one-line ``ConfigError``, not an internal error.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from summarizer.cli import app as cli_app
from summarizer.service.pg_store import describe_url

SECRET = "s3cr3t-pw"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://app:{SECRET}@db.example:5432/jobs",
        f"postgresql://app@db.example/jobs?password={SECRET}",
        f"postgresql://db.example/jobs?user=app&sslpassword={SECRET}&sslmode=require",
        f"redis://:{SECRET}@cache.example:6379/0",
        f"redis://cache.example:6379/0?password={SECRET}",
        f"postgresql://app:{SECRET}@db.example:notaport/jobs",
        f"postgresql://app:{SECRET}@[::1/jobs",
    ],
)
def test_describe_url_hides_every_password_and_never_raises(url: str) -> None:
    described = describe_url(url)
    assert SECRET not in described
    assert "***" in described


def test_describe_url_keeps_a_url_without_secrets() -> None:
    url = "postgresql://app@db.example:5432/jobs?sslmode=require"
    assert describe_url(url) == url


@pytest.mark.parametrize(
    "arguments",
    [
        ["keys", "list", "--store", f"postgresql://app:{SECRET}@127.0.0.1:notaport/jobs"],
        ["keys", "list", "--store", f"postgresql://app@127.0.0.1:1/jobs?password={SECRET}"],
        ["keys", "list", "--store", f"postgresql://app:{SECRET}@[::1/jobs"],
        ["worker", "--store", f"postgresql://app:{SECRET}@127.0.0.1:x/db", "--queue", "redis://h"],
        [
            "worker",
            "--store",
            "postgresql://app@127.0.0.1:1/db",
            "--queue",
            f"redis://:{SECRET}@h:x/0",
        ],
        [
            "worker",
            "--store",
            "postgresql://app@127.0.0.1:1/db",
            "--queue",
            f"redis://:{SECRET}@[::1/0",
        ],
    ],
)
def test_a_malformed_or_unreachable_store_url_is_one_line_without_the_password(
    arguments: list[str],
) -> None:
    result = CliRunner().invoke(cli_app, arguments)

    assert result.exit_code == 3, result.output
    assert SECRET not in result.output
    assert "internal error" not in result.output
    assert "Traceback" not in result.output
