"""Benchmark figures into ``docs/benchmarks.md``: each script owns one named section of that page.

A script adds two lines and keeps measuring exactly what it measured::

    from benchdoc import documented          # benchmarks/ is on sys.path when a script runs

    if __name__ == "__main__":
        with documented("overhead"):         # its name: the section it rewrites
            main()

Everything the script prints is still printed, and is also written, as a text block under the
command line and the machine it ran on, between ``<!-- BEGIN benchmark: NAME -->`` and
``<!-- END benchmark: NAME -->`` (the section is added at the end the first time). The page is only
touched when the script finishes without an exception; ``BENCHDOC=0`` leaves it alone (smoke runs),
and so does ``-h``/``--help`` (a usage text is not a figure).
``write_section`` is the same for scripts that build their own Markdown.
"""

from __future__ import annotations

import contextlib
import io
import os
import platform
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

PAGE = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"

HEADER = """# Benchmarks

Figures measured by the scripts in `benchmarks/` (`make bench` runs them all). Each section below is
rewritten by its script when it runs (`benchmarks/benchdoc.py`), with the command line and the
machine it ran on; edit the scripts, not the figures. Timings are never asserted in tests.
"""


def _markers(name: str) -> tuple[str, str]:
    if not re.fullmatch(r"[a-z0-9_\-]+", name):
        raise ValueError(f"section names are lower-case words: {name!r}")
    return f"<!-- BEGIN benchmark: {name} -->", f"<!-- END benchmark: {name} -->"


def machine() -> str:
    cores = os.cpu_count() or 0
    python = platform.python_version()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{platform.system()} {platform.machine()}, {cores} cores, load average {load:.1f} "
        f"at the end, Python {python}"
    )


def write_section(
    name: str, markdown: str, *, page: Path = PAGE, command: str | None = None
) -> None:
    """Replace (or add) section ``name`` of ``page`` with ``markdown`` under a provenance line."""
    if os.environ.get("BENCHDOC", "1").strip().lower() in ("0", "off", "no", "false"):
        return
    begin, end = _markers(name)
    run = command or "python " + " ".join(
        [os.path.relpath(sys.argv[0], page.parent.parent), *sys.argv[1:]]
    )
    when = datetime.now(UTC).strftime("%Y-%m-%d")
    section = f"{begin}\n## {name}\n\n`{run}` ({when}; {machine()})\n\n{markdown.strip()}\n{end}"
    text = page.read_text("utf-8") if page.exists() else HEADER
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text.rstrip("\n") + "\n", "utf-8")


class _Tee(io.TextIOBase):
    def __init__(self, target: TextIO) -> None:
        self.target = target
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.target.write(text)

    def flush(self) -> None:
        self.target.flush()


def _asks_for_help(argument: str) -> bool:
    """``-h``, ``--help`` or an abbreviation argparse may accept for it (``--h``, ``--hel``)."""
    return argument == "-h" or (len(argument) > 2 and "--help".startswith(argument))


@contextlib.contextmanager
def documented(name: str, *, page: Path = PAGE) -> Iterator[None]:
    """Print as usual, and on success write what was printed to section ``name`` of the page."""
    tee = _Tee(sys.stdout)
    finished = False
    try:
        with contextlib.redirect_stdout(tee):  # type: ignore[type-var]
            yield
        finished = True
    except SystemExit as exit_:  # ``raise SystemExit(main())`` inside the block
        finished = exit_.code in (0, None)
        raise
    finally:
        output = tee.copy.getvalue().rstrip()
        asked_for_help = any(_asks_for_help(argument) for argument in sys.argv[1:])
        if finished and output and not asked_for_help:
            write_section(name, f"```text\n{output}\n```", page=page)
