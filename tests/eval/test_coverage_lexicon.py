"""The trained translation lexicon of the coverage check (``checks.lexicon``) and its builder
(``evals/tools/build_lexicon.py``): a free rendering it covers is no longer flagged, an inserted
sentence still is, the shipped table is the one its provenance describes, and the builder trains
on pinned, overlap-checked data. Every sentence here is made up."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from script_modules import load_script

from summarizer.errors import ConfigError
from summarizer.eval.checks.coverage import check_coverage
from summarizer.eval.checks.lexicon import (
    ENV_VAR,
    LEXICON_PATH,
    PROVENANCE_PATH,
    lexicon_enabled,
    translations,
)
from summarizer.eval.goldset import load_set
from summarizer.eval.signature import signatures

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "卫生部门负责人指出，该病的致死率仍在升高。"
#: Split into two sentences, so the check judges each for an added one. "mortality" and
#: "elevated" are not in CC-CEDICT's glosses of 致死率 and 升高; the lexicon learnt them.
FREE_RENDERING = (
    "The health department's chief spoke on Monday. "
    "Mortality from the disease remains elevated, he said."
)
INSERTED = (
    "The health chief spoke. The football team won the league title on a late goal by its captain."
)


def test_a_free_rendering_the_dictionary_flags_is_covered_by_the_lexicon(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV_VAR, "off")
    flagged = check_coverage(FREE_RENDERING, SOURCE, 0)
    assert [flag.text for flag in flagged] == [
        "Mortality from the disease remains elevated, he said."
    ]
    monkeypatch.setenv(ENV_VAR, "on")
    assert check_coverage(FREE_RENDERING, SOURCE, 0) == []


@pytest.mark.parametrize("setting", ["off", "on"])
def test_an_inserted_sentence_is_flagged_with_or_without_the_lexicon(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv(ENV_VAR, setting)
    flags = check_coverage(INSERTED, SOURCE, 0)
    assert [flag.text for flag in flags] == [
        "The football team won the league title on a late goal by its captain."
    ]
    assert not flags[0].weak


def test_an_unknown_setting_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "sometimes")
    with pytest.raises(ConfigError, match=ENV_VAR):
        lexicon_enabled()
    monkeypatch.setenv(ENV_VAR, "On")
    assert lexicon_enabled()


def test_the_grounding_signature_names_the_lexicon_when_it_is_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = load_set("seed")
    monkeypatch.setenv(ENV_VAR, "off")
    without = signatures(seed)["grounding"]
    monkeypatch.setenv(ENV_VAR, "on")
    with_lexicon = signatures(seed)["grounding"]
    digest = hashlib.sha256(LEXICON_PATH.read_bytes()).hexdigest()[:12]
    assert f"+coverage-lexicon@{digest}|" in with_lexicon
    assert "coverage-lexicon" not in without
    assert with_lexicon.replace(f"+coverage-lexicon@{digest}", "") == without


def test_the_shipped_table_is_the_one_its_provenance_describes() -> None:
    data = LEXICON_PATH.read_bytes()
    provenance = json.loads(PROVENANCE_PATH.read_text(encoding="utf-8"))
    assert hashlib.sha256(data).hexdigest() == provenance["table_sha256"]
    lines = data.decode().splitlines()
    assert len(lines) == provenance["entries"]
    assert len(data) < 2_000_000
    pruning = provenance["pruning"]
    rates: dict[str, list[float]] = {}
    for line in lines:
        chinese, english, rate = line.split("\t")
        assert len(english) >= 3 and english.isascii() and english.islower()
        assert float(rate) >= pruning["min_probability"]
        rates.setdefault(chinese, []).append(float(rate))
    assert all(found == sorted(found, reverse=True) for found in rates.values())
    assert len(translations()) == provenance["chinese_words"]
    assert max(len(english) for english in translations().values()) <= pruning["top"]
    for source in provenance["sources"].values():
        assert source["pairs_overlapping_evals_or_shared"] == 0
        assert "newstest2017" not in json.dumps(source)
        assert "newstest2019" not in json.dumps(source)


# --- the builder, on a made-up mirror ------------------------------------------------------------

PAIRS = [
    ("我 喜欢 苹果", "i like apples"),
    ("他 喜欢 苹果", "he likes apples"),
    ("她 买 了 苹果", "she bought apples"),
    ("苹果 很 好吃", "apples are tasty"),
    ("我 买 了 香蕉", "i bought bananas"),
    ("他 喜欢 香蕉", "he likes bananas"),
    ("香蕉 很 好吃", "bananas are tasty"),
    ("她 喜欢 香蕉", "she likes bananas"),
] * 3
#: A training line that is also a sentence of a gold set: the builder must drop it.
GOLD_LINE = "这是金标准集里的一句话。"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout.strip()


def _fake_setup(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A mirror with one made-up parallel source, a repository root whose evals/ holds the gold
    line, and a shared/ with data."""
    work = tmp_path / "work"
    work.mkdir()
    files = {
        "made-up.zh": ("\n".join([zh.replace(" ", "") for zh, _ in PAIRS] + [GOLD_LINE]) + "\n"),
        "made-up.en": "\n".join([en for _, en in PAIRS] + ["this is a gold sentence"]) + "\n",
    }
    for name, text in files.items():
        (work / name).write_text(text, encoding="utf-8")
    _git(work, "init", "-q")
    _git(work, "add", ".")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "data")
    mirrors = tmp_path / "mirrors"
    bare = mirrors / "Helsinki-NLP+OPUS-MT-testsets" / "repo"
    _git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    root = tmp_path / "root"
    (root / "evals" / "some-set").mkdir(parents=True)
    gold = {"id": "x", "source": f"第一句。{GOLD_LINE}", "reference": "..."}
    (root / "evals" / "some-set" / "examples.jsonl").write_text(json.dumps(gold) + "\n")
    shared = tmp_path / "shared"
    (shared / "data").mkdir(parents=True)
    (shared / "data" / "docs.jsonl").write_text(json.dumps({"zh": "共享数据里的另一句话。"}) + "\n")
    return mirrors, root, {name: text.encode() for name, text in files.items()}


def _builder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, digest_of: dict[str, bytes]
) -> ModuleType:
    pytest.importorskip("eflomal", reason="eflomal (the [lexicon] extra) is not installed")
    builder = load_script("build_lexicon", ROOT / "evals" / "tools" / "build_lexicon.py")
    bare = tmp_path / "mirrors" / "Helsinki-NLP+OPUS-MT-testsets" / "repo"
    monkeypatch.setattr(builder, "OPUS_COMMIT", _git(bare, "rev-parse", "HEAD"))
    monkeypatch.setattr(
        builder,
        "SOURCES",
        {
            "made-up": {
                role: (name, hashlib.sha256(digest_of[name]).hexdigest())
                for role, name in (("zh", "made-up.zh"), ("en", "made-up.en"))
            }
        },
    )
    monkeypatch.setattr(builder, "TERMS", {"made-up": "made up for the test"})
    monkeypatch.setattr(builder, "ROOT", tmp_path / "root")
    return builder


def _run(monkeypatch: pytest.MonkeyPatch, builder: ModuleType, tmp_path: Path) -> int:
    out = tmp_path / "out" / "coverage_lexicon.tsv"
    monkeypatch.setattr(
        sys,
        "argv",
        [
            "build_lexicon.py",
            "--mirrors",
            str(tmp_path / "mirrors"),
            "--shared",
            str(tmp_path / "shared"),
            "--out",
            str(out),
            "--sources",
            "made-up",
            "--min-probability",
            "0.3",
        ],
    )
    result: int = builder.main()
    return result


def test_the_builder_learns_translations_and_drops_gold_set_lines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mirrors, _root, contents = _fake_setup(tmp_path)
    builder = _builder(monkeypatch, tmp_path, contents)
    # the made-up gold set is far smaller than the real ones: the builder's floor is for them
    monkeypatch.setattr(builder, "protected_hashes", _small_protected(builder))
    assert _run(monkeypatch, builder, tmp_path) == 0
    out = tmp_path / "out"
    table = {
        (zh, en): float(p)
        for zh, en, p in (
            line.split("\t")
            for line in (out / "coverage_lexicon.tsv").read_text(encoding="utf-8").splitlines()
        )
    }
    assert table[("苹果", "apples")] >= 0.5
    assert table[("香蕉", "bananas")] >= 0.5
    assert ("苹果", "bananas") not in table
    assert not any(en == "this" or en == "gold" for _zh, en in table)
    provenance = json.loads((out / "coverage_lexicon.provenance.json").read_text())
    made_up = provenance["sources"]["made-up"]
    assert made_up["pairs_read"] == len(PAIRS) + 1
    assert made_up["pairs_overlapping_evals_or_shared"] == 1
    assert made_up["pairs_used"] == len(PAIRS)
    tsv = (out / "coverage_lexicon.tsv").read_bytes()
    assert provenance["table_sha256"] == hashlib.sha256(tsv).hexdigest()
    assert mirrors.is_dir()


def _small_protected(builder: ModuleType) -> object:
    real = builder.protected_hashes

    def protected(roots: list[Path]) -> tuple[set[str], int]:
        hashes, count = real(roots)
        assert len(hashes) == 2  # the gold line and the shared line (第一句 is too short)
        return hashes | {f"padding-{n}" for n in range(1000)}, count

    return protected


def test_the_builder_refuses_a_file_whose_digest_changed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _mirrors, _root, contents = _fake_setup(tmp_path)
    builder = _builder(monkeypatch, tmp_path, contents)
    sources = builder.SOURCES
    path, _digest = sources["made-up"]["en"]
    sources["made-up"]["en"] = (path, "0" * 64)
    with pytest.raises(SystemExit, match=r"made-up\.en has SHA-256"):
        builder.read_pairs(tmp_path / "mirrors", "made-up")
