"""Throw-away Redis and PostgreSQL servers on loopback, for tests and benchmarks of the service.

Why real servers: the scaled-out service's guarantees (``SKIP LOCKED`` claims, write-once results,
redelivery after a worker dies, one rate limit for the fleet) live in the servers' semantics, which
no in-process double reproduces. Each server runs from the Debian packages (``redis-server``,
``postgresql``) in its own temporary directory on a free port, with durability off (a test's data
need not survive a power cut), and is stopped and deleted afterwards::

    with RedisServer() as redis, PostgresServer() as postgres:
        url = postgres.create_database("t1")   # postgresql://summarizer@127.0.0.1:PORT/t1
        ...

PostgreSQL refuses to run as root, so as root its processes run as the ``postgres`` user (which
the Debian package creates) and the directory is handed to that user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["LocalServiceError", "PostgresServer", "RedisServer", "free_port"]

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
POSTGRES_BIN_GLOB = "/usr/lib/postgresql/*/bin"
INSTALL_HINT = "install them with `apt-get install -y redis-server postgresql` (or `make services`)"


class LocalServiceError(RuntimeError):
    """A local server could not be found or started."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LocalServiceError(f"{what} exited at start-up: {_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise LocalServiceError(f"{what} did not listen on port {port} within 30 s: {_tail(log)}")


def _tail(log: Path) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen[bytes] | None, sig: int) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


class _Server:
    def __enter__(self) -> Any:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class RedisServer(_Server):
    """``redis-server`` on a free loopback port, without persistence."""

    #: Logical databases (``url(n)``): tests take a fresh one each.
    databases = 64

    def __init__(self, executable: str = REDIS_SERVER) -> None:
        self.executable = executable
        self.port = 0
        self.directory: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.database_url(0)

    def database_url(self, number: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{number}"

    def start(self) -> None:
        if not Path(self.executable).exists():
            raise LocalServiceError(f"{self.executable} is missing; {INSTALL_HINT}")
        self.directory = Path(tempfile.mkdtemp(prefix="summarizer-redis-"))
        self.port = free_port()
        log = self.directory / "redis.log"
        command = [
            self.executable,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--databases", str(self.databases),
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self.directory),
            "--logfile", str(log),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        _wait_for_port(self.port, self.process, "redis-server", log)

    def stop(self) -> None:
        _stop(self.process, signal.SIGTERM)
        self.process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None


def postgres_bin_dir() -> Path:
    """The newest installed PostgreSQL's ``bin`` directory (Debian's layout)."""
    found = sorted(
        (Path(path) for path in glob.glob(POSTGRES_BIN_GLOB) if Path(path, "initdb").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if not found:
        raise LocalServiceError(f"no PostgreSQL under {POSTGRES_BIN_GLOB}; {INSTALL_HINT}")
    return found[-1]


class PostgresServer(_Server):
    """A fresh PostgreSQL cluster on a free loopback port; user ``summarizer``, trust auth."""

    user = "summarizer"

    def __init__(self, bin_dir: Path | None = None) -> None:
        self.bin_dir = bin_dir
        self.port = 0
        self.directory: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def _as_owner(self) -> dict[str, Any]:
        """Run as ``postgres`` when we are root (initdb and postgres refuse root)."""
        if os.geteuid() != 0:
            return {}
        return {"user": "postgres", "group": "postgres", "extra_groups": []}

    def start(self) -> None:
        bin_dir = self.bin_dir or postgres_bin_dir()
        self.directory = Path(tempfile.mkdtemp(prefix="summarizer-postgres-"))
        data = self.directory / "data"
        log = self.directory / "postgres.log"
        log.touch()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
            shutil.chown(log, "postgres", "postgres")
        initdb_command = [
            str(bin_dir / "initdb"),
            "-D", str(data),
            "-U", self.user,
            "-A", "trust",
            "-E", "UTF8",
            "--locale", "C",
            "--no-sync",
        ]  # fmt: skip
        initdb = subprocess.run(
            initdb_command,
            cwd=self.directory,
            capture_output=True,
            text=True,
            check=False,
            **self._as_owner(),
        )
        if initdb.returncode != 0:
            raise LocalServiceError(f"initdb failed: {initdb.stderr.strip()[-500:]}")
        self.port = free_port()
        command = [
            str(bin_dir / "postgres"),
            "-D", str(data),
            "-p", str(self.port),
            "-k", str(self.directory),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off",
            "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off",
            "-c", "max_connections=200",
        ]  # fmt: skip
        with log.open("ab") as sink:
            self.process = subprocess.Popen(
                command,
                cwd=self.directory,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                **self._as_owner(),
            )
        _wait_for_port(self.port, self.process, "postgres", log)
        self._wait_until_accepting(log)

    def _wait_until_accepting(self, log: Path) -> None:
        """The port opens before recovery ends; wait until a query succeeds."""
        deadline = time.monotonic() + 30
        while True:
            done = self.psql("SELECT 1", check=False)
            if done.returncode == 0:
                return
            if time.monotonic() > deadline or (self.process and self.process.poll() is not None):
                raise LocalServiceError(f"postgres did not accept queries: {_tail(log)}")
            time.sleep(0.1)

    def psql(
        self, sql: str, *, database: str = "postgres", check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run one SQL command with the cluster's ``psql`` (as the cluster's superuser)."""
        bin_dir = self.bin_dir or postgres_bin_dir()
        psql = bin_dir / "psql"
        done = subprocess.run(
            [str(psql), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-c", sql, self.url(database)],
            capture_output=True,
            text=True,
            check=False,
        )
        if check and done.returncode != 0:
            raise LocalServiceError(f"psql failed: {done.stderr.strip()[-500:]}")
        return done

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        # SIGQUIT: immediate shutdown; the cluster is deleted right after anyway.
        _stop(self.process, signal.SIGQUIT)
        self.process = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None
