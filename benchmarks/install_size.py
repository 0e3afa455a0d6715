"""What ``pip install summarizer-news`` puts on disk: the core install, and with each extra.

    python benchmarks/install_size.py [--extras eval,service]

Builds the wheel from this checkout (``pip wheel --no-deps``), installs it into a fresh virtual
environment per variant (core, then core + each extra) from the package index, and reports the size
of ``site-packages`` and the number of installed distributions (pip and setuptools, which every
venv has, not counted). Then it runs ``summarizer --version`` and an offline ``summarize`` of the
seed article with the installed command, to show that the wheel works on its own (prompts, gold
sets and text data found inside the package, not the checkout). Needs the package index.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"
ALWAYS_THERE = {"pip", "setuptools"}


def build_wheel(folder: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(folder),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = folder.glob("summarizer_news-*.whl")
    return wheel


def install(folder: Path, requirement: str) -> tuple[float, int, Path]:
    """(MB of site-packages, distributions installed, the venv's bin folder)."""
    venv.EnvBuilder(with_pip=True).create(folder)
    python = folder / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", requirement], check=True)
    (site,) = (folder / "lib").glob("python3*/site-packages")
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    names = {line.split("==")[0].lower() for line in listed}
    return size / 1_000_000, len(names - ALWAYS_THERE), folder / "bin"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extras", default="eval,service", help="extras to measure one by one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        wheel = build_wheel(folder / "wheel")
        print(f"wheel: {wheel.name}, {wheel.stat().st_size / 1_000:.0f} kB")
        variants = [("core", str(wheel))] + [
            (f"[{extra}]", f"{wheel}[{extra}]") for extra in args.extras.split(",") if extra
        ]
        print(f"{'install':<10} {'site-packages MB':>17} {'distributions':>14}")
        for name, requirement in variants:
            size, count, bin_folder = install(folder / name.strip("[]"), requirement)
            print(f"{name:<10} {size:>17.0f} {count:>14}")
            if name == "core":
                version = subprocess.run(
                    [str(bin_folder / "summarizer"), "--version"],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=folder,
                ).stdout.strip()
                summary = subprocess.run(
                    [str(bin_folder / "summarizer"), "summarize", str(SEED), "--engine", "offline"],
                    check=True,
                    capture_output=True,
                    text=True,
                    cwd=folder,
                ).stdout
                print(
                    f"  core install runs: {version}; offline summary of the seed: "
                    f"{len(summary)} bytes of JSON"
                )


if __name__ == "__main__":
    from benchdoc import documented

    with documented("install_size"):
        main()
