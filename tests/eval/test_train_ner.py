"""``evals/tools/train_ner.py``: reads the NER corpora out of git mirrors in their three formats,
keeps MSRA's test split out of training, trains a model that tags, and writes its provenance."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from script_modules import load_script

from summarizer.text.analysis.crf_tagger import crf_read, load_model
from summarizer.text.analysis.glossary import default_glossary
from summarizer.text.analysis.view import pos_tags

pytest.importorskip("pycrfsuite", reason="python-crfsuite (the [ner] extra) is not installed")

ROOT = Path(__file__).resolve().parents[2]

# Made-up sentences in the corpora's formats (no corpus text is used).
MSRA_TRAIN = [
    ("林青在南湖市工作。", "B-PER I-PER O B-LOC I-LOC I-LOC O O O"),
    ("东湖电力公司在北岭建厂。", "B-ORG I-ORG I-ORG I-ORG I-ORG I-ORG O B-LOC I-LOC O O O"),
]
MSRA_TEST = [("林青在南湖市工作。", "B-PER I-PER O B-LOC I-LOC I-LOC O O O")]
DAILY = [
    ("王山去了西林县。", ["B-PER", "I-PER", "O", "O", "B-LOC", "I-LOC", "I-LOC", "O"]),
    ("北岭矿业集团成立。", ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O", "O"]),
]
CLUENER = {
    "text": "南湖银行行长林青说",
    "label": {"company": {"南湖银行": [[0, 3]]}, "name": {"林青": [[6, 7]]}},
}


def _conll(rows: list[tuple[str, list[str]]]) -> str:
    return "\n\n".join(
        "\n".join(f"{char} {tag}" for char, tag in zip(text, tags, strict=True))
        for text, tags in rows
    )


def _msra(rows: list[tuple[str, str]]) -> tuple[str, str]:
    return (
        "\n".join(" ".join(text) for text, _ in rows) + "\n",
        "\n".join(tags for _, tags in rows) + "\n",
    )


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def _mirror(root: Path, repo: str, files: dict[str, str | bytes]) -> str:
    """A git repository at ``root/OWNER+NAME/repo`` holding ``files``; returns its commit."""
    work = root / repo.replace("/", "+") / "repo"
    for path, content in files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        (work / path).write_bytes(data)
    _git(work.parent, "init", "-q", "repo")
    _git(work, "add", "-A")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "data")
    return _git(work, "rev-parse", "HEAD")


@pytest.fixture()
def tool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    module = load_script("train_ner", ROOT / "evals" / "tools" / "train_ner.py")
    train_sentences, train_tags = _msra(MSRA_TRAIN)
    test_sentences, test_tags = _msra(MSRA_TEST)
    daily = _conll(DAILY)
    # MSRA's training part followed by its test split, zipped, as SophonPlus keeps them
    whole = _conll([(text, tags.split()) for text, tags in [*MSRA_TRAIN, *MSRA_TEST]])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as packed:
        packed.writestr("dh_msra.txt", whole)
    sophon = _mirror(
        tmp_path,
        "SophonPlus/ChineseNlpCorpus",
        {"datasets/dh_msra/dh_msra.zip": archive.getvalue()},
    )
    monkeypatch.setattr(module, "MSRA_TRAIN_SENTENCES", len(MSRA_TRAIN))
    monkeypatch.setattr(module, "MSRA_TRAIN_CHARS", sum(len(text) for text, _ in MSRA_TRAIN))
    lemonhu = _mirror(
        tmp_path,
        "lemonhu/NER-BERT-pytorch",
        {
            "data/msra/val/sentences.txt": train_sentences,
            "data/msra/val/tags.txt": train_tags,
            "data/msra/test/sentences.txt": test_sentences,
            "data/msra/test/tags.txt": test_tags,
        },
    )
    daily_commit = _mirror(
        tmp_path,
        "zjy-ucas/ChineseNER",
        {"data/example.dev": daily + "\n", "data/example.test": ""},
    )
    clue = _mirror(
        tmp_path,
        "DSXiangLi/ChineseNER",
        {"data/cluener/train.json": json.dumps(CLUENER, ensure_ascii=False) + "\n"},
    )
    commits = {
        "lemonhu": lemonhu,
        "zjy-ucas": daily_commit,
        "DSXiangLi": clue,
        "SophonPlus": sophon,
    }
    sources = {
        name: {**source, "commit": commits[source["repo"].split("/")[0]]}
        for name, source in module.SOURCES.items()
    }
    monkeypatch.setattr(module, "SOURCES", sources)
    return module


def test_reads_msra_training_part_from_the_zip_without_its_test_split(
    tool: ModuleType, tmp_path: Path
) -> None:
    train = tool.read_source(tmp_path, "msra-train")
    assert train == [(text, tags.split()) for text, tags in MSRA_TRAIN]


def test_a_changed_msra_zip_is_refused(
    tool: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tool, "MSRA_TRAIN_SENTENCES", 1)  # the cut would fall elsewhere
    with pytest.raises(ValueError, match="characters before the test split"):
        tool.read_source(tmp_path, "msra-train")


def test_reads_each_format(tool: ModuleType, tmp_path: Path) -> None:
    msra = tool.read_source(tmp_path, "msra-val")
    assert msra[0] == ("林青在南湖市工作。", MSRA_TRAIN[0][1].split())
    daily = tool.read_source(tmp_path, "peoples-daily-dev")
    assert daily == [(text, tags) for text, tags in DAILY]
    clue = tool.read_source(tmp_path, "cluener-train")
    assert clue == [
        (
            "南湖银行行长林青说",
            ["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "O", "B-PER", "I-PER", "O"],
        )
    ]


def test_scores_exact_spans(tool: ModuleType) -> None:
    gold = [("林青在南湖市", ["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "I-LOC"])]
    figures = tool.score(gold, [["B-PER", "I-PER", "O", "B-LOC", "I-LOC", "O"]])
    assert figures["PER"]["f1"] == 1.0
    assert figures["LOC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "gold": 1}
    assert figures["all"]["precision"] == 0.5 and figures["all"]["recall"] == 0.5


def test_trains_a_model_that_tags_and_records_provenance(
    tool: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "model" / "tiny.crfsuite"
    assert (
        tool.main(
            [
                "--mirrors",
                str(tmp_path),
                "--out",
                str(out),
                "--max-iterations",
                "30",
                "--minfreq",
                "0",
                "--c1",
                "0",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    # the test sentence is also in the training part: it is kept out of training
    assert "train 4 sentences" in printed and "test 1" in printed
    provenance = json.loads(out.with_suffix(".provenance.json").read_text(encoding="utf-8"))
    assert provenance["train_sentences"] == 4
    assert provenance["train_sentences_per_source"] == {
        "msra-train": 1,
        "peoples-daily-dev": 2,
        "cluener-train": 1,
    }
    assert list(provenance["train_sources"]) == list(tool.DEFAULT_SOURCES)
    zipped = provenance["train_sources"]["msra-train"]
    mirror = tmp_path / "SophonPlus+ChineseNlpCorpus" / "repo"
    assert zipped["blob"] == _git(mirror, "rev-parse", f"HEAD:{zipped['path']}")
    assert len(provenance["test_source"]["blob"].split()) == 2  # sentences.txt and tags.txt
    assert provenance["msra_test_exact_span"]["all"]["gold"] == 2
    text = "王山去了西林县。"  # a training sentence: the model learnt it
    spans = crf_read(text, pos_tags(text, default_glossary()), load_model(out))
    assert {(text[s.start : s.end], s.kind) for s in spans} == {
        ("王山", "person"),
        ("西林县", "place"),
    }
