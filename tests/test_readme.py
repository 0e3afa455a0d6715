"""Every code block of README.md runs as written (or, where it cannot run here, is checked).

* ``python`` blocks are executed, in a folder holding ``article.txt`` (the bundled seed article).
* ``sh`` blocks are executed by bash, line by line with ``set -e``, with ``summarizer`` on PATH:
  on the offline default, or against the scripted fake model when the block is preceded by
  ``<!-- readme-test: run with a fake model -->``.
* A block preceded by ``<!-- readme-test: not run: REASON -->`` must give its reason. It is still
  checked: Python compiles, shell passes ``bash -n``, every ``summarizer`` line parses with the
  real CLI parser (commands, options, choices), every ``pip install`` names this distribution and
  its real extras, and every ``make`` target exists.
* A block without a language is prose laid out as a tree or table, not code.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.main import get_command

from summarizer.cli import app
from summarizer.testing import TEST_API_KEY, ScriptedOpenAIServer, answering

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SEED = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"
MARKER = re.compile(
    r"<!-- readme-test: (?P<mode>not run|run with a fake model)(?::\s*(?P<why>.*?))? -->"
)
FENCE = re.compile(r"^```(?P<lang>[a-z]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    line: int
    lang: str
    body: str
    mode: str  # "run", "fake model" or "not run"
    why: str | None

    def __str__(self) -> str:
        return f"README.md:{self.line} ({self.lang or 'text'})"


def readme_blocks() -> list[Block]:
    text = README.read_text("utf-8")
    blocks = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = MARKER.fullmatch(before.strip())
        mode = "run"
        if marker is not None:
            mode = "fake model" if marker.group("mode") == "run with a fake model" else "not run"
        blocks.append(
            Block(
                line=text.count("\n", 0, match.start()) + 1,
                lang=match.group("lang"),
                body=match.group("body"),
                mode=mode,
                why=marker.group("why") if marker else None,
            )
        )
    return blocks


BLOCKS = readme_blocks()


def test_the_readme_has_the_blocks_this_test_expects() -> None:
    langs = {block.lang for block in BLOCKS}
    assert langs <= {"python", "sh", ""}, langs
    assert sum(block.lang == "python" and block.mode == "run" for block in BLOCKS) >= 3
    assert sum(block.lang == "sh" and block.mode != "not run" for block in BLOCKS) >= 3
    for block in BLOCKS:
        if block.mode == "not run":
            assert block.why and len(block.why) > 20, f"{block}: say why it is not run"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the files the README's examples name, and a `summarizer` on PATH."""
    shutil.copy(SEED, tmp_path / "article.txt")
    articles = [
        {"id": f"a{n}", "text": f"北京市第{n}次新闻发布会今天召开。\n市长介绍了情况。"}
        for n in range(3)
    ]
    (tmp_path / "articles.jsonl").write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), "utf-8"
    )
    folder = tmp_path / "folder-of-txt-and-html"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    (folder / "page.html").write_text(
        "<html><body><p>上海市今天举行会议。</p><p>会议讨论了交通问题。</p></body></html>",
        "utf-8",
    )
    bin_dir = tmp_path / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "summarizer"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m summarizer "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / ".data"))
    monkeypatch.setenv("SUMMARIZER_LOG_PATH", str(tmp_path / "calls.db"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _ids(blocks: list[Block]) -> list[str]:
    return [f"line{block.line}" for block in blocks]


PYTHON_RUN = [b for b in BLOCKS if b.lang == "python" and b.mode != "not run"]
SH_RUN = [b for b in BLOCKS if b.lang == "sh" and b.mode != "not run"]
NOT_RUN = [b for b in BLOCKS if b.mode == "not run"]


@pytest.mark.parametrize("block", PYTHON_RUN, ids=_ids(PYTHON_RUN))
def test_python_block_runs(block: Block, workdir: Path) -> None:
    code = compile(block.body, str(block), "exec")
    exec(code, {"__name__": "__readme__"})


@pytest.mark.slow
@pytest.mark.parametrize("block", SH_RUN, ids=_ids(SH_RUN))
def test_shell_block_runs(
    block: Block,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    openai_server: ScriptedOpenAIServer,
) -> None:
    if block.mode == "fake model":
        openai_server.set_handler(answering())
        monkeypatch.setenv("SUMMARIZER_MODEL", "test-model")
        monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", TEST_API_KEY)
    script = workdir / "block.sh"
    script.write_text("set -eu -o pipefail\n" + block.body, "utf-8")
    completed = subprocess.run(
        ["bash", "-x", str(script)], capture_output=True, text=True, timeout=600, check=False
    )
    assert completed.returncode == 0, f"{block} failed:\n{completed.stderr[-3000:]}"
    assert "Traceback" not in completed.stderr
    if block.mode == "fake model":
        assert openai_server.chat_requests, f"{block} never reached the fake model"


@pytest.mark.parametrize("block", NOT_RUN, ids=_ids(NOT_RUN))
def test_blocks_not_run_are_still_checked(block: Block) -> None:
    if block.lang == "python":
        compile(block.body, str(block), "exec")
        return
    syntax = subprocess.run(["bash", "-n"], input=block.body, capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr
    checked = 0
    for line in block.body.replace("\\\n", " ").splitlines():  # join continued lines
        words = shlex.split(line, comments=True)
        if not words:
            continue
        if words[0] == "curl":
            # Requests to the local service documented above: loopback only, never elsewhere.
            urls = [word for word in words if word.startswith("http")]
            assert urls and all(u.startswith("http://127.0.0.1:8000/") for u in urls), line
        elif re.fullmatch(r"[A-Z_]+=\S+", words[0]) and len(words) == 1:
            pass  # a shell variable set for the lines that follow
        elif words[0] == "summarizer":
            _parse_with_the_cli(words[1:])
        elif words[:2] == ["pip", "install"]:
            _check_pip_install(words[2:])
        elif words[0] == "make":
            _check_make_targets(words[1:])
        elif words[0] != "export":
            raise AssertionError(f"{block}: no check for {line!r}")
        checked += 1
    assert checked, block


def _parse_with_the_cli(args: list[str]) -> None:
    """Parse a command line with the real CLI (commands, options, types, choices), not run it.

    Parsing runs eager option callbacks, so the one that changes the user's shell configuration
    (``--install-completion``) is only looked up, never parsed.
    """
    command = get_command(app)
    if "--install-completion" in args:
        assert args == ["--install-completion"], args
        assert any("--install-completion" in param.opts for param in command.params)
        return
    context = command.make_context("summarizer", list(args), resilient_parsing=False)
    while hasattr(command, "commands"):
        rest = [*context._protected_args, *context.args]
        if not rest:
            break
        name, sub, remaining = command.resolve_command(context, rest)
        assert sub is not None, args
        context = sub.make_context(name, remaining, parent=context)
        command = sub


def _check_pip_install(args: list[str]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    for requirement in args:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[([a-z,]+)\])?", requirement)
        assert match, requirement
        assert match.group(1) == project["name"], requirement
        for extra in (match.group(2) or "").split(","):
            assert not extra or extra in project["optional-dependencies"], extra


def _check_make_targets(targets: list[str]) -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    for target in targets:
        assert re.search(rf"^{re.escape(target)}:", makefile, re.MULTILINE), target
