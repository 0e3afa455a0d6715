"""Sets built locally from fetched public data (``evals/external``): what is committed (manifests,
no text), how a set that is not built is refused (a typed error naming the build command), how the
entity labels get their text back (``summarizer.eval.labelled``), how the builders read pinned
files from git, and the scan for copies of fetched prose. Everything here runs on a clean clone:
the sets are small ones written in the tests."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from script_modules import load_script
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.errors import GoldSetError, GoldSetNotBuiltError
from summarizer.eval import goldset
from summarizer.eval.labelled import labelled_path, load_labelled, text_sha256

ROOT = Path(__file__).resolve().parents[2]
EXTERNAL = ROOT / "evals" / "external"
FETCHED = (
    "wmt20-zhen",
    "wmt20-zhen-held-out-6",
    "wmt20-zhen-fresh-5",
    "wmt20-zhen-held-out-7",
    "wmt20-zhen-fresh-6",
    "wmt20-zhen-held-out-8",
    "wmt17-zhen-fresh-7",
    "wmt19-zhen-held-out-9",
    "wmt17-zhen-fresh-8",
    "wmt19-zhen-held-out-10",
    "wmt19-zhen-held-out-11",
    "wmt19-zhen-fresh-9",
    "wmt21-zhen",
    "wmt23-zhen",
)


#: The ``source`` of labelled records whose text is fetched data, not committed.
FETCHED_SOURCES = ("wmt21", "wmt20", "wmt19")


def _git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def _example(identifier: str, source: str) -> dict[str, Any]:
    return {
        "id": identifier,
        "source": source,
        "provenance": "written for this test",
        "license": "MIT",
        "references": {"translation": [[f"line {n}" for n in range(source.count("\n") + 1)]]},
    }


def _write_external(root: Path, name: str, examples: list[dict[str, Any]], built: bool) -> None:
    manifest = {
        "name": name,
        "version": "1",
        "description": "written for a test",
        "provenance": "written for this test",
        "license": "MIT",
        "build": f"python evals/tools/build_{name}.py --mirrors DIR",
    }
    goldset.write_set(root / name, manifest, examples)
    if not built:
        (root / name / "examples.jsonl").unlink()


@pytest.fixture
def external(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An ``evals/external`` of our own: ``texts`` built, ``absent`` not built."""
    root = tmp_path / "external"
    texts = [_example("a", "甲乙丙。\n丁戊己。"), _example("b", "庚辛。")]
    _write_external(root, "texts", texts, True)
    _write_external(root, "absent", [_example("c", "壬癸。")], False)
    monkeypatch.setattr(goldset, "external_root", lambda: root)
    yield root


# -- what is committed ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", FETCHED)
def test_fetched_sets_commit_a_manifest_and_no_text(name: str) -> None:
    manifest = json.loads((EXTERNAL / name / "manifest.json").read_text("utf-8"))
    assert manifest["name"] == name and manifest["examples"] == len(manifest["ids"])
    assert len(set(manifest["ids"])) == len(manifest["ids"])
    assert manifest["build"].startswith("python evals/tools/build_wmt")
    assert (ROOT / manifest["build"].split()[1]).is_file()  # the builder is committed
    provenance = (EXTERNAL / name / "PROVENANCE.md").read_text("utf-8")
    assert manifest["build"] in provenance and "shared/" in provenance
    tracked = _git("ls-files", f"evals/external/{name}").split()
    assert f"evals/external/{name}/manifest.json" in tracked
    assert not [path for path in tracked if path.endswith(".jsonl")]
    # a built copy is ignored, so it cannot be committed by accident
    ignored = _git("check-ignore", "--no-index", f"evals/external/{name}/examples.jsonl")
    assert ignored.strip() == f"evals/external/{name}/examples.jsonl"


def test_no_committed_label_carries_fetched_text() -> None:
    """Records of WMT21, WMT20 and WMT19 documents name their text (set, id, SHA-256) instead of
    holding it; records from ``shared/`` keep their text."""
    records = [json.loads(line) for line in labelled_path().read_text("utf-8").splitlines()]
    fetched = [record for record in records if record["source"] in FETCHED_SOURCES]
    assert len(fetched) == 105
    for record in fetched:
        assert "text" not in record and len(record["text_sha256"]) == 64
        manifest = json.loads(
            (EXTERNAL / record["text_from"]["set"] / "manifest.json").read_text("utf-8")
        )
        assert record["text_from"]["id"] in manifest["ids"]
    assert all(isinstance(r["text"], str) for r in records if r["source"] not in FETCHED_SOURCES)


# -- loading a set that is not built -------------------------------------------------------------


def test_a_set_that_is_not_built_says_how_to_build_it(external: Path) -> None:
    assert goldset.find_set("absent") == external / "absent"
    assert goldset.is_built("texts") and not goldset.is_built("absent")
    with pytest.raises(GoldSetNotBuiltError) as raised:
        goldset.load_set("absent")
    assert isinstance(raised.value, GoldSetError)  # callers that catch gold-set errors still do
    assert raised.value.build == "python evals/tools/build_absent.py --mirrors DIR"
    assert "not built" in str(raised.value) and raised.value.build in str(raised.value)
    assert raised.value.kind == "input.goldset.not_built" and raised.value.exit_code == 2
    assert [e.id for e in goldset.load_set("texts")] == ["a", "b"]


def test_a_rebuilt_set_that_differs_is_refused_with_the_build_command(external: Path) -> None:
    examples = external / "texts" / "examples.jsonl"
    examples.write_text(examples.read_text("utf-8").replace("甲乙丙", "甲乙"), "utf-8")
    with pytest.raises(GoldSetError, match=r"build_texts\.py --mirrors DIR"):
        goldset.load_set("texts")


def test_set_listings(external: Path) -> None:
    assert goldset.external_set_names() == ["absent", "texts"]
    assert {"absent", "texts", "seed"} <= set(goldset.evals_set_names())
    assert "texts" not in goldset.shipped_set_names()  # external sets are not shipped


def test_labelled_texts_sets_are_not_walked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "external"
    goldset.write_set(
        root / "labels-only",
        {
            "name": "labels-only",
            "version": "1",
            "description": "d",
            "provenance": "p",
            "license": "MIT",
            "labelled_texts": "held-out-9",
        },
        [_example("x", "一。")],
    )
    monkeypatch.setattr(goldset, "external_root", lambda: root)
    assert goldset.external_set_names() == ["labels-only"]
    assert "labels-only" not in goldset.evals_set_names()


def test_cli_lists_a_set_that_is_not_built_and_refuses_to_run_it(
    external: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["eval", "sets"])
    assert listed.exit_code == 0
    assert "absent\tnot built\tpython evals/tools/build_absent.py --mirrors DIR" in listed.output
    assert any(line.startswith("texts@1#") for line in listed.output.splitlines())
    run = runner.invoke(
        app, ["eval", "run", "--set", "absent", "--engine", "offline", "--out", str(tmp_path / "r")]
    )
    assert run.exit_code == 2
    assert "not built" in run.output and "build_absent.py" in run.output
    assert "Traceback" not in run.output


# -- labels get their text back ------------------------------------------------------------------


def _labels(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def _record(identifier: str, **fields: Any) -> dict[str, Any]:
    return {"id": identifier, "split": "tune", "entities": {"person": []}, **fields}


def test_labels_get_their_text_from_the_built_set(external: Path, tmp_path: Path) -> None:
    path = _labels(
        tmp_path / "entities.jsonl",
        [
            _record("own", text="自带的文字。"),
            _record(
                "a",
                text_from={"set": "texts", "id": "a"},
                text_sha256=text_sha256("甲乙丙。\n丁戊己。"),
            ),
        ],
    )
    loaded = load_labelled(path)
    assert [r["text"] for r in loaded.records] == ["自带的文字。", "甲乙丙。\n丁戊己。"]
    assert loaded.records[1]["text_from"] == {"set": "texts", "id": "a"}
    assert loaded.not_built == []


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            _record("a", text_from={"set": "texts", "id": "a"}, text_sha256="0" * 64),
            "label was written for",
        ),
        (
            _record("z", text_from={"set": "texts", "id": "z"}, text_sha256="0" * 64),
            "has no example 'z'",
        ),
        (_record("a", text_from={"set": "texts"}), "needs 'text'"),
    ],
)
def test_a_label_whose_text_does_not_match_is_refused(
    external: Path, tmp_path: Path, record: dict[str, Any], message: str
) -> None:
    with pytest.raises(GoldSetError, match=message):
        load_labelled(_labels(tmp_path / "entities.jsonl", [record]))


def test_labels_of_a_set_that_is_not_built(
    external: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [
        _record("own", text="自带。"),
        _record("c", text_from={"set": "absent", "id": "c"}, text_sha256=text_sha256("壬癸。")),
        _record("c2", text_from={"set": "absent", "id": "c"}, text_sha256=text_sha256("壬癸。")),
    ]
    path = _labels(tmp_path / "entities.jsonl", records)
    with pytest.raises(GoldSetNotBuiltError, match=r"build_absent\.py"):
        load_labelled(path)
    loaded = load_labelled(path, skip_not_built=True)
    assert [r["id"] for r in loaded.records] == ["own"]
    assert [error.name for error in loaded.not_built] == ["absent"]  # once per set


def test_extraction_benchmark_says_which_labels_are_not_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a clone without the fetched sets, the committed labels load without them."""
    root = tmp_path / "external"
    for name in (
        "wmt21-zhen",
        "wmt20-zhen-held-out-6",
        "wmt20-zhen-held-out-7",
        "wmt20-zhen-held-out-8",
        "wmt19-zhen-held-out-9",
        "wmt19-zhen-held-out-10",
        "wmt19-zhen-held-out-11",
    ):
        (root / name).mkdir(parents=True)
        committed = (EXTERNAL / name / "manifest.json").read_bytes()
        (root / name / "manifest.json").write_bytes(committed)
    monkeypatch.setattr(goldset, "external_root", lambda: root)
    extraction = load_script("extraction_not_built", ROOT / "benchmarks" / "extraction.py")
    records = extraction.load_records()
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "not built: wmt21-zhen (its labelled records are left out): "
        "python evals/tools/build_wmt21.py --mirrors /work/.mirror",
        "not built: wmt20-zhen-held-out-6 (its labelled records are left out): "
        "python evals/tools/build_wmt20.py --mirrors /work/.mirror",
        "not built: wmt20-zhen-held-out-7 (its labelled records are left out): "
        "python evals/tools/build_wmt20.py --mirrors /work/.mirror",
        "not built: wmt20-zhen-held-out-8 (its labelled records are left out): "
        "python evals/tools/build_wmt20.py --mirrors /work/.mirror",
        "not built: wmt19-zhen-held-out-9 (its labelled records are left out): "
        "python evals/tools/build_wmt17_19.py --mirrors /work/.mirror",
        "not built: wmt19-zhen-held-out-10 (its labelled records are left out): "
        "python evals/tools/build_wmt17_19.py --mirrors /work/.mirror",
        "not built: wmt19-zhen-held-out-11 (its labelled records are left out): "
        "python evals/tools/build_wmt17_19.py --mirrors /work/.mirror",
    ]
    assert len(records) == 184 - 105
    assert not {r["source"] for r in records} & set(FETCHED_SOURCES)


def test_every_loaded_label_occurs_in_its_text() -> None:
    """Whatever is loaded here (the shared records always; the fetched ones where their sets are
    built) is the text the labels were written for."""
    from summarizer.text import prepare

    loaded = load_labelled(skip_not_built=True)
    assert len(loaded.records) + 105 * bool(loaded.not_built) >= 184
    for record in loaded.records:
        assert text_sha256(record["text"]) == record.get("text_sha256", text_sha256(record["text"]))
        fetched_splits = (
            "held-out-4",
            "held-out-5",
            "held-out-6",
            "held-out-7",
            "held-out-8",
            "held-out-9",
            "held-out-10",
            "held-out-11",
        )
        if record["split"] in ("tune-3", *fetched_splits):
            prepared = prepare(record["text"]).text
            for labels in record["entities"].values():
                assert all(label in prepared for label in labels), record["id"]


# -- reading pinned files from git ---------------------------------------------------------------


@pytest.fixture(scope="module")
def fetched() -> ModuleType:
    return load_script("fetched", ROOT / "evals" / "tools" / "fetched.py")


@pytest.fixture
def mirror(tmp_path: Path) -> tuple[Path, str]:
    """A git repository ``owner/data`` laid out as fetched snapshots are here, and its commit."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "src.txt").write_text("第一行。\n第二行。\n", "utf-8")
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        data = b"doc\tseg\nnews_a\t1\n"
        info = tarfile.TarInfo("inner.tsv")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    (work / "ratings.tsv.tar.gz").write_bytes(archive.getvalue())
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    _git("init", "-q", cwd=work)
    _git("add", ".", cwd=work)
    _git(*identity, "commit", "-q", "-m", "data", cwd=work)
    commit = _git("rev-parse", "HEAD", cwd=work).strip()
    mirrors = tmp_path / "mirrors"
    (mirrors / "owner+data").mkdir(parents=True)
    _git("clone", "-q", "--bare", str(work), str(mirrors / "owner+data" / "repo"))
    return mirrors, commit


def test_pinned_files_are_read_at_their_commit_and_checked(
    fetched: ModuleType, mirror: tuple[Path, str], tmp_path: Path
) -> None:
    mirrors, commit = mirror
    text = "第一行。\n第二行。\n".encode()
    good = fetched.PinnedFile("owner/data", commit, "src.txt", hashlib.sha256(text).hexdigest())
    assert fetched.read_pinned(mirrors, good) == text
    inner = fetched.PinnedFile(
        "owner/data",
        commit,
        "ratings.tsv.tar.gz",
        hashlib.sha256(b"doc\tseg\nnews_a\t1\n").hexdigest(),
        member="inner.tsv",
    )
    (scratch := tmp_path / "scratch").mkdir()
    paths = fetched.materialize(mirrors, [good, inner], scratch)
    assert [p.name for p in paths] == ["src.txt", "inner.tsv"]
    assert paths[1].read_bytes() == b"doc\tseg\nnews_a\t1\n"
    with pytest.raises(SystemExit, match="not the pinned"):
        fetched.read_pinned(mirrors, fetched.PinnedFile("owner/data", commit, "src.txt", "0" * 64))
    with pytest.raises(SystemExit, match=r"cannot read missing\.txt"):
        fetched.read_pinned(mirrors, fetched.PinnedFile("owner/data", commit, "missing.txt", ""))
    with pytest.raises(SystemExit, match="no copy of owner/other"):
        fetched.read_pinned(mirrors, fetched.PinnedFile("owner/other", commit, "src.txt", ""))


def test_a_build_is_written_only_when_it_is_the_committed_set(
    fetched: ModuleType, tmp_path: Path
) -> None:
    manifest = {"name": "s", "version": "1", "description": "d", "provenance": "p", "license": "l"}
    examples = [_example("a", "一。")]
    committed = tmp_path / "committed"
    goldset.write_set(committed, manifest, examples)
    out = tmp_path / "out"
    with pytest.raises(SystemExit, match="not the committed set, nothing written"):
        fetched.write_verified(out, manifest, [_example("a", "二。")], committed=committed)
    assert not out.exists()
    fetched.write_verified(out, manifest, examples, committed=committed)
    assert (out / "examples.jsonl").read_bytes() == (committed / "examples.jsonl").read_bytes()


# -- the scan for copied prose -------------------------------------------------------------------


def test_scan_finds_long_copied_runs_only(tmp_path: Path) -> None:
    scan = load_script("check_fetched_text", ROOT / "tools" / "check_fetched_text.py")
    index = scan.Index(12, 8)
    index.add("set-a", "今天某县召开了全县农业生产工作推进会议。")
    index.add("set-a", "The county held a long meeting on farm work this spring.")
    (tmp_path / "copy.py").write_text(
        "x = '某县召开了全县农业生产工作推进会议'\n"  # 17 Han characters of the set
        "y = '召开了全县农业'\n"  # too short to count
        "z = 'THE county held a long meeting, on farm work'\n"  # 9 words, case and commas aside
        "w = 'the county held a long meeting'\n",  # 6 words
        "utf-8",
    )
    (tmp_path / "records.jsonl").write_text(
        json.dumps({"a": "The county held a long", "b": "meeting on farm work"}) + "\n", "utf-8"
    )
    hits = scan.scan([tmp_path / "copy.py", tmp_path / "records.jsonl"], index, root=tmp_path)
    assert [(h.path, h.line, h.kind, h.length, h.sets) for h in hits] == [
        ("copy.py", 1, "han", 17, ("set-a",)),
        ("copy.py", 3, "words", 9, ("set-a",)),
    ]  # two JSON values are not one run
