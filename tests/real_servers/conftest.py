"""Fixtures that start real OpenAI-compatible model servers on loopback with a tiny random model.

``make test`` installs both servers first (``make real-servers``): llama-cpp-python's server in
``.venv-llama`` and llama.cpp's ``llama-server`` built into the build cache. A missing server is a
test *failure* that says how to install it, never a silent skip.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from tiny_gguf import write_tiny_llama

REPO = Path(__file__).resolve().parents[2]
BUILD_CACHE = Path(
    os.environ.get("SUMMARIZER_BUILD_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "summarizer-builds"
)
LLAMA_CPP_PYTHON_VERSION = os.environ.get("LLAMA_CPP_PYTHON_VERSION", "0.3.36")
LLAMA_SERVER = Path(
    os.environ.get("SUMMARIZER_LLAMA_SERVER")
    or BUILD_CACHE / f"llama-server-{LLAMA_CPP_PYTHON_VERSION}" / "llama-server"
)
LLAMA_VENV_PYTHON = Path(
    os.environ.get("SUMMARIZER_LLAMA_CPP_PYTHON") or REPO / ".venv-llama" / "bin" / "python"
)
#: The servers' context window. The tiny model's byte-level vocabulary spends 3 tokens on a CJK
#: character where the library's estimate (and real tokenizers) count about 1, so tests that
#: exercise context bounds declare ``CONTEXT // 3`` to the library.
CONTEXT = 32768
STARTUP_SECONDS = 60.0


class RunningServer:
    """A model server process on loopback; ``base_url`` ends in ``/v1``."""

    def __init__(self, name: str, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.name = name
        self.process = process
        self.port = port
        self.log = log
        self.base_url = f"http://127.0.0.1:{port}/v1"

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def chat_requests(self) -> int:
        """Chat requests that reached the server so far, from its log: llama-server logs each
        task it starts or refuses (it has no access log at the default verbosity), and
        llama-cpp-python's uvicorn an access line (unbuffered, see ``_start``)."""
        text = self.log.read_text(errors="replace")
        if self.name == "llama-server":
            return len(re.findall(r"launch_slot_: .*processing task|send_error: task", text))
        return text.count("POST /v1/chat/completions")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(name: str, command: list[str], port: int, log: Path) -> Iterator[RunningServer]:
    with log.open("wb") as sink:
        # Unbuffered: a Python server's access log (stdout) reaches the file as each request ends.
        environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=environment)
    server = RunningServer(name, process, port, log)
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}:\n{server.log_tail()}")
            try:
                if httpx.get(f"{server.base_url}/models", timeout=2.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not answer within {STARTUP_SECONDS:.0f} s")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random-weight llama GGUF (under 1 MB, written in well under a second)."""
    return write_tiny_llama(tmp_path_factory.mktemp("model") / "tiny.gguf")


@pytest.fixture(scope="session")
def llama_server(
    tiny_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """llama.cpp's own ``llama-server``."""
    yield from start_llama_server(tiny_model, CONTEXT, tmp_path_factory.mktemp("logs") / "ls.log")


def start_llama_server(model: Path, context: int, log: Path) -> Iterator[RunningServer]:
    """Run ``llama-server`` on ``model`` with a ``context``-token window until the caller stops."""
    if not LLAMA_SERVER.exists():
        pytest.fail(f"llama-server is missing at {LLAMA_SERVER}: run `make real-servers`")
    port = _free_port()
    command = [
        str(LLAMA_SERVER), "-m", str(model), "--host", "127.0.0.1", "--port", str(port),
        "-c", str(context), "-np", "1", "--no-webui", "--no-jinja",
    ]  # fmt: skip
    # --no-jinja: with the tiny model's ChatML template, this llama.cpp's jinja chat path fails
    # every schema-constrained request with "Failed to initialize samplers" (400); the legacy
    # template path constrains decoding as expected.
    yield from _start("llama-server", command, port, log)


@pytest.fixture(scope="session")
def llama_cpp_python_server(
    tiny_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """llama-cpp-python's ``python -m llama_cpp.server``."""
    if not LLAMA_VENV_PYTHON.exists():
        pytest.fail(f"llama-cpp-python is missing at {LLAMA_VENV_PYTHON}: run `make real-servers`")
    port = _free_port()
    command = [
        str(LLAMA_VENV_PYTHON), "-m", "llama_cpp.server", "--model", str(tiny_model),
        "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CONTEXT),
    ]  # fmt: skip
    yield from _start(
        "llama-cpp-python", command, port, tmp_path_factory.mktemp("logs") / "lcp.log"
    )
