"""Train the character CRF entity tagger (``summarizer/text/analysis/crf_tagger.py``) from public
Chinese news NER data, and score it on MSRA's own test split.

    python evals/tools/train_ner.py --mirrors /work/.mirror [--out PATH] [--max-iterations N]
        [--c1 X] [--c2 Y] [--minfreq N] [--sources NAME ...] [--cluener-addresses] [--limit N]

The data is read straight out of git mirrors of public repositories (``git show COMMIT:PATH``),
so the model can be rebuilt byte for byte from the same commits; the corpora themselves are not
committed here (their terms: see ``summarizer/text/analysis/data/ner_crf.provenance.json``):

* MSRA NER (SIGHAN 2006 bakeoff), BIO, the whole training part (``msra-train``: 50,658 sentences,
  2,169,879 characters): ``SophonPlus/ChineseNlpCorpus`` keeps it zipped (``dh_msra.zip``, under the
  mirror's 4 MiB limit), as the train file of ``Determined22/zh-NER-TF`` followed by MSRA's test
  split (the last 4,631 sentences, 172,601 characters), which is cut off and never read for
  training; the 3,000-sentence validation part of ``lemonhu/NER-BERT-pytorch`` (``msra-val``) is a
  subset of it;
* MSRA's test split as ``lemonhu/NER-BERT-pytorch`` keeps it (3,442 sentences): the in-domain test;
* People's Daily 1998 NER, BIO: the dev (2,318) and test (4,636) files of ``zjy-ucas/ChineseNER``
  (its train file is over the mirror's size limit);
* CLUENER 2020 (``cluener-train``), fine-grained types mapped to PER/ORG/LOC.

MSRA's test split is never trained on (nor any sentence equal to one of it): it gives the
in-domain figures. Training is single-threaded (crfsuite's L-BFGS); ``c1`` (L1) prunes features.

The default sources (``DEFAULT_SOURCES``) with ``--max-iterations 70 --cluener-addresses`` were
trained in the eighth round: 61,906 sentences (msra-train 50,616, People's Daily 542 not already
in MSRA, CLUENER 10,748), 277,499 features, 537 s of features and 1,540 s of training on one core
shared with other jobs (load 7-8, nice 5); a 15.7 MB model with MSRA test exact-span P .888 /
R .811 / F1 .847 (PER .856, ORG .787, LOC .870). It is not shipped: none of its votes beat the
rules on the validation splits (``crf_vote``). The shipped model is the round-7 one (the command
is in its provenance file).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from summarizer.text.analysis.crf_tagger import (  # noqa: E402
    MODEL_PATH,
    char_features,
    spans_of_tags,
)
from summarizer.text.analysis.glossary import default_glossary  # noqa: E402
from summarizer.text.analysis.jieba_setup import pos_cut  # noqa: E402

Sentence = tuple[str, list[str]]

MSRA_TERMS = (
    "MSRA NER data of the SIGHAN 2006 bakeoff (Levow 2006), distributed for research; the "
    "repository states no licence for the data (its MIT licence covers its code)"
)
#: Sentences of ``dh_msra.txt`` that are MSRA's training part (the test split follows them).
MSRA_TRAIN_SENTENCES = 50_658
MSRA_TRAIN_CHARS = 2_169_879
PEOPLE_DAILY = "People's Daily 1998 NER set (BIO), as the repository ships it"
PEOPLES_DAILY_TERMS = PEOPLE_DAILY + "; the repository states no licence (research use)"
#: (name, repository, commit, path, format, terms) of every source read. Only the trained
#: weights are committed (feature strings are characters, bigrams, trigrams and words of at most
#: four characters, with weights), never a sentence of the corpora.
SOURCES: dict[str, dict[str, str]] = {
    "msra-train": {
        "repo": "SophonPlus/ChineseNlpCorpus",
        "commit": "a0b781d72158bde242c0626c9e354d2b328865ff",
        "path": "datasets/dh_msra/dh_msra.zip",
        "member": "dh_msra.txt",
        "format": "zip of one 'char TAG' per line, blank line between sentences; the first "
        f"{MSRA_TRAIN_SENTENCES} sentences are MSRA's training part (the rest, MSRA's test "
        "split, is not read)",
        "terms": MSRA_TERMS + "; SophonPlus/ChineseNlpCorpus states no licence and gives "
        "Determined22/zh-NER-TF as the origin",
    },
    "msra-val": {
        "repo": "lemonhu/NER-BERT-pytorch",
        "commit": "5f7577b78020dc5867cc3a4dbb7a2db44bae1fc8",
        "path": "data/msra/val",
        "format": "sentences.txt + tags.txt, space-separated characters and BIO tags",
        "terms": MSRA_TERMS,
    },
    "msra-test": {
        "repo": "lemonhu/NER-BERT-pytorch",
        "commit": "5f7577b78020dc5867cc3a4dbb7a2db44bae1fc8",
        "path": "data/msra/test",
        "format": "sentences.txt + tags.txt, space-separated characters and BIO tags",
        "terms": MSRA_TERMS,
    },
    "peoples-daily-dev": {
        "repo": "zjy-ucas/ChineseNER",
        "commit": "48e1007e60194c13377f8ce612c505d484b18c7d",
        "path": "data/example.dev",
        "format": "one 'char TAG' per line, blank line between sentences",
        "terms": PEOPLES_DAILY_TERMS,
    },
    "peoples-daily-test": {
        "repo": "zjy-ucas/ChineseNER",
        "commit": "48e1007e60194c13377f8ce612c505d484b18c7d",
        "path": "data/example.test",
        "format": "one 'char TAG' per line, blank line between sentences",
        "terms": PEOPLES_DAILY_TERMS,
    },
    "cluener-train": {
        "repo": "DSXiangLi/ChineseNER",
        "commit": "4c0280487206d8c21a6a7dbf8269009cbc1f25a3",
        "path": "data/cluener/train.json",
        "format": "JSON lines: text and character spans per fine-grained type",
        "terms": "CLUENER 2020 (CLUEbenchmark), published for research; the repository states no "
        "licence",
    },
}
#: CLUENER's types that are one of ours (others, such as book or position, are left untagged).
CLUENER_TYPES = {
    "name": "PER",
    "company": "ORG",
    "government": "ORG",
    "organization": "ORG",
    "scene": "LOC",
}
#: CLUENER's addresses are whole postal addresses (北京市海淀区中关村大街), where MSRA and People's
#: Daily tag each place: with ``--cluener-addresses`` they are LOC, else left untagged.
CLUENER_ADDRESS = "address"


def _git_dir(mirrors: Path, repo: str) -> Path:
    base = mirrors / repo.replace("/", "+") / "repo"
    return base / ".git" if (base / ".git").is_dir() else base


def git_bytes(mirrors: Path, repo: str, commit: str, path: str) -> bytes:
    """The bytes of ``path`` at ``commit`` in the mirror of ``repo`` under ``mirrors``."""
    result = subprocess.run(
        ["git", f"--git-dir={_git_dir(mirrors, repo)}", "show", f"{commit}:{path}"],
        capture_output=True,
        check=True,
    )
    return result.stdout


def git_show(mirrors: Path, repo: str, commit: str, path: str) -> str:
    """The text of ``path`` at ``commit`` in the mirror of ``repo`` under ``mirrors``."""
    return git_bytes(mirrors, repo, commit, path).decode("utf-8")


def blob_hash(mirrors: Path, name: str) -> str:
    """The git blob id of a source's file (what provenance records beside the commit)."""
    source = SOURCES[name]
    paths = (
        [source["path"] + "/sentences.txt", source["path"] + "/tags.txt"]
        if name.startswith("msra-") and "member" not in source
        else [source["path"]]
    )
    ids = []
    for path in paths:
        result = subprocess.run(
            [
                "git",
                f"--git-dir={_git_dir(mirrors, source['repo'])}",
                "rev-parse",
                f"{source['commit']}:{path}",
            ],
            capture_output=True,
            check=True,
            text=True,
        )
        ids.append(result.stdout.strip())
    return " ".join(ids)


def _conll(text: str) -> list[Sentence]:
    """Sentences of a 'char TAG' per line file, blank lines between sentences."""
    sentences: list[Sentence] = []
    chars: list[str] = []
    tags: list[str] = []
    for line in [*text.splitlines(), ""]:
        parts = line.split()
        if len(parts) == 2:
            chars.append(parts[0])
            tags.append(parts[1])
        elif chars:
            sentences.append(("".join(chars), tags))
            chars, tags = [], []
    return sentences


def read_source(mirrors: Path, name: str, addresses: bool = False) -> list[Sentence]:
    """The labelled sentences of one source, as (text, BIO tags per character)."""
    source = SOURCES[name]
    repo, commit, path = source["repo"], source["commit"], source["path"]
    if "member" in source:
        archive = zipfile.ZipFile(io.BytesIO(git_bytes(mirrors, repo, commit, path)))
        every = _conll(archive.read(source["member"]).decode("utf-8"))
        train = every[:MSRA_TRAIN_SENTENCES]
        size = sum(len(text) for text, _tags in train)
        if size != MSRA_TRAIN_CHARS:
            raise ValueError(f"{path}: {size} characters before the test split, not the expected")
        return train
    if name.startswith("msra"):
        lines = git_show(mirrors, repo, commit, path + "/sentences.txt").splitlines()
        tag_lines = git_show(mirrors, repo, commit, path + "/tags.txt").splitlines()
        sentences = []
        for chars, tags in zip(lines, tag_lines, strict=True):
            char_list, tag_list = chars.split(), tags.split()
            if char_list and len(char_list) == len(tag_list):
                sentences.append(("".join(char_list), tag_list))
        return sentences
    if name.startswith("peoples-daily"):
        return _conll(git_show(mirrors, repo, commit, path))
    sentences = []
    for line in git_show(mirrors, repo, commit, path).splitlines():
        record = json.loads(line)
        text: str = record["text"]
        tag_list = ["O"] * len(text)
        for kind, names in record.get("label", {}).items():
            ours = "LOC" if kind == CLUENER_ADDRESS and addresses else CLUENER_TYPES.get(kind)
            if ours is None:
                continue
            for places in names.values():
                for start, end in places:
                    tag_list[start] = "B-" + ours
                    for k in range(start + 1, end + 1):
                        tag_list[k] = "I-" + ours
        sentences.append((text, tag_list))
    return sentences


#: What the shipped model is trained on (see the provenance beside it).
DEFAULT_SOURCES = ("msra-train", "peoples-daily-dev", "peoples-daily-test", "cluener-train")


def featurize(sentence: str) -> list[list[str]]:
    """``char_features`` of ``sentence`` with jieba's words as the analysis tags them."""
    return char_features(sentence, pos_cut(sentence, default_glossary()))


def score(gold: list[Sentence], predicted: list[list[str]]) -> dict[str, dict[str, float | int]]:
    """Exact-span precision, recall and F1 per type (and ``all``)."""
    counts: dict[str, Counter[str]] = {}
    for (_text, tags), guess in zip(gold, predicted, strict=True):
        true_spans = set(spans_of_tags(tags))
        guess_spans = set(spans_of_tags(guess))
        for kind in ("PER", "ORG", "LOC", "all"):
            truth = {s for s in true_spans if kind in ("all", s[2])}
            found = {s for s in guess_spans if kind in ("all", s[2])}
            bucket = counts.setdefault(kind, Counter())
            bucket["tp"] += len(truth & found)
            bucket["gold"] += len(truth)
            bucket["found"] += len(found)
    result: dict[str, dict[str, float | int]] = {}
    for kind, bucket in counts.items():
        precision = bucket["tp"] / bucket["found"] if bucket["found"] else 0.0
        recall = bucket["tp"] / bucket["gold"] if bucket["gold"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[kind] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "gold": bucket["gold"],
        }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--max-iterations", type=int, default=150)
    parser.add_argument("--c1", type=float, default=0.1, help="L1 weight (prunes features)")
    parser.add_argument("--c2", type=float, default=0.01, help="L2 weight")
    parser.add_argument("--minfreq", type=float, default=2, help="drop rarer features")
    parser.add_argument(
        "--sources",
        nargs="+",
        choices=[name for name in SOURCES if name != "msra-test"],
        default=list(DEFAULT_SOURCES),
        help="training sources, in this order (a sentence seen before is skipped)",
    )
    parser.add_argument("--cluener-addresses", action="store_true")
    parser.add_argument("--limit", type=int, default=0, help="train on this many sentences")
    args = parser.parse_args(argv)

    import pycrfsuite

    started = time.perf_counter()
    test = read_source(args.mirrors, "msra-test")
    held = {text for text, _tags in test}
    names = list(args.sources)
    train: list[Sentence] = []
    seen: set[str] = set()
    per_source: dict[str, int] = {}
    for name in names:
        for text, tags in read_source(args.mirrors, name, args.cluener_addresses):
            if text not in held and text not in seen:
                seen.add(text)
                train.append((text, tags))
                per_source[name] = per_source.get(name, 0) + 1
    if args.limit:
        train = train[: args.limit]
    print(f"train {len(train)} sentences, {sum(len(t) for t, _ in train)} chars; test {len(test)}")

    trainer: Any = pycrfsuite.Trainer(verbose=False)
    for text, tags in train:
        trainer.append(featurize(text), tags)
    featurized = time.perf_counter()
    print(f"features: {featurized - started:.0f} s")
    trainer.set_params(
        {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.max_iterations,
            "feature.minfreq": args.minfreq,
            "feature.possible_transitions": True,
        }
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    trained = time.perf_counter()
    print(f"training: {trained - featurized:.0f} s; model {args.out.stat().st_size} bytes")

    tagger: Any = pycrfsuite.Tagger()
    tagger.open(str(args.out))
    predicted = [tagger.tag(featurize(text)) for text, _tags in test]
    figures = score(test, predicted)
    print(json.dumps(figures, indent=1))
    info = tagger.info()
    provenance = {
        "model": args.out.name,
        "trained_with": "evals/tools/train_ner.py",
        "params": {
            "c1": args.c1,
            "c2": args.c2,
            "max_iterations": args.max_iterations,
            "feature.minfreq": args.minfreq,
            "limit": args.limit,
            "cluener_addresses": args.cluener_addresses,
        },
        "train_sources": {
            name: {**SOURCES[name], "blob": blob_hash(args.mirrors, name)} for name in names
        },
        "train_sentences": len(train),
        "train_sentences_per_source": per_source,
        "train_chars": sum(len(t) for t, _ in train),
        "features": len(info.state_features),
        "test_source": {**SOURCES["msra-test"], "blob": blob_hash(args.mirrors, "msra-test")},
        "test_sentences": len(test),
        "msra_test_exact_span": figures,
        "seconds": {"features": round(featurized - started), "train": round(trained - featurized)},
        "mirror_note": "files of 4 MiB and more are not in the stored mirrors: MSRA's training "
        "part is read from a zip that is under that size; People's Daily's train file is not "
        "stored anywhere found",
        "committed": "only the weights: feature strings (characters, bigrams, trigrams, jieba "
        "words of at most four characters) with their weights; no sentence of the corpora",
        "rebuild": "PYTHONPATH=. python evals/tools/train_ner.py --mirrors MIRRORS (git mirrors "
        "of the repositories above, as OWNER+NAME/repo)",
    }
    args.out.with_suffix(".provenance.json").write_text(
        json.dumps(provenance, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
