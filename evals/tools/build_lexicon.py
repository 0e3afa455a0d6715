"""Build the statistical translation lexicon of the coverage check from public parallel text.

    python evals/tools/build_lexicon.py --mirrors /work/.mirror --shared ../shared [--out PATH]
        [--sources NAME ...] [--min-probability P] [--top N]

Why: CC-CEDICT glosses miss the words a translator picks for a free but faithful rendering, so
``summarizer/eval/checks/coverage.py`` flags such sentences. A lexicon learnt from how people
actually translated (p(English word | Chinese word), from word alignments) names those words.

How: Chinese lines are segmented by jieba (dictionary words, no HMM, so that the coverage check can
find every entry by looking up substrings of a source paragraph), English lines are lowercased
words; ``eflomal`` (an unsupervised Bayesian word aligner, PyPI, the ``lexicon`` extra) aligns
them in both directions. Each link counts half; p(e|f) is the number of links of Chinese word f
to English word e per occurrence of f (about the share of its occurrences rendered by e; above 1
where one occurrence is linked to e twice, as 南非 to "south" of "South Africa"). Entries are
pruned (``MIN_OCCURRENCES``, ``MIN_LINKS``,
``--min-probability``, ``--top``) so that the shipped table stays small.

The data is read straight out of a git mirror (``git show COMMIT:PATH``) at a pinned commit, and
each input's SHA-256 is checked before use. A training pair is dropped when any of its Chinese
sentences occurs in a gold set under ``evals/`` or in the shared data (compared by SHA-256 of
whitespace-free sentences of six or more characters); the number dropped is recorded. No WMT
newstest text of 2017, 2019, 2020, 2021, 2022 or 2023 is read (blind or evaluation sources).
Only the pruned word table and a provenance file are committed, never a sentence of the corpora.

eflomal samples with a random seed of its own, so a rebuild gives a table close to, not byte for
byte equal to, the shipped one (whose SHA-256 the provenance file records).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from summarizer.eval.checks.lexicon import LEXICON_PATH, PROVENANCE_PATH  # noqa: E402

OPUS_TESTSETS = "Helsinki-NLP/OPUS-MT-testsets"
OPUS_COMMIT = "ac0f19c0be3cb4e0d9450fcb2d7a9847c4bdd180"
_TATOEBA = "datasets/helsinki_nlp/tatoeba/testsets/eng-zho/tatoeba-test-v2021-08-07"
_FLORES = "datasets/facebook/flores/flores200_dataset/devtest"
#: name -> its files (role -> (path, SHA-256 at ``OPUS_COMMIT``)) and terms of use.
SOURCES: dict[str, dict[str, tuple[str, str]]] = {
    "tatoeba": {
        "zh": (
            f"{_TATOEBA}.zho",
            "af2b796d041e916ced5191392bf20ecbeac71e918613079680da1f7646561fd4",
        ),
        "en": (
            f"{_TATOEBA}.eng",
            "75bb1a99ffa2410ae901f0c2aad376effc97fa116e5546b51e1a27793a7fc39e",
        ),
        "labels": (
            f"{_TATOEBA}.zho.labels",
            "3d159dec3d95170a29be1ee861a91901088b85de9ee4f6dfb9b58edca709cec5",
        ),
    },
    "tico19": {
        "zh": (
            "datasets/tico19/testsets/en-zh/tico19-test.zh",
            "1a1e6ec6c9af576d96ac1b1ee2736a5a547ff886c19dfc4aa91f3b7bbcb6437c",
        ),
        "en": (
            "datasets/tico19/testsets/en-zh/tico19-test.en",
            "d26d42b38d0c1c05f33834651eea4b884bf2da447f45c7ead8a6dbfea8ae30de",
        ),
    },
    "flores200-devtest": {
        "zh": (
            f"{_FLORES}/zho_Hans.devtest",
            "b30158b1b76f7cee08530d8127a9769f4512597c7eefe97ae1ccf630d5b6e7fd",
        ),
        "en": (
            f"{_FLORES}/eng_Latn.devtest",
            "612e9fbe87997617c0fa8fa8929654a4f49b728d96738112c2b86ef6a1d78d88",
        ),
    },
    "newstest2018": {
        "zh": (
            "testsets/zh-en/newstest2018.zh",
            "e0eec6040f78169cc9ec9d4a2fa88fbb295be987a0bcb2370bf3f3068c80d5fd",
        ),
        "en": (
            "testsets/zh-en/newstest2018.en",
            "70fbc6b34f64aff7ece36343d05596d52733ac64339d4b04a6ce24382520b275",
        ),
    },
}
TERMS = {
    "tatoeba": "Tatoeba sentences, CC BY 2.0 FR (tatoeba.org); only lines labelled cmn_Hans or "
    "cmn_Hant (Mandarin; traditional converted to simplified by OpenCC t2s)",
    "tico19": "TICO-19 translation benchmark test set, CC0 (the repository's LICENSE-CC0.md)",
    "flores200-devtest": "FLORES-200 devtest (Meta AI), CC BY-SA 4.0 (the repository's "
    "LICENSE-CC-BY-SA)",
    "newstest2018": "WMT18 news test set (statmt.org), released for research with no licence "
    "stated, so it is not among the default (shipped) sources",
}
DEFAULT_SOURCES = ("tatoeba", "tico19", "flores200-devtest")
#: A Chinese word seen fewer times than this has no reliable translation distribution.
MIN_OCCURRENCES = 3
#: ... nor a pair linked fewer times than this.
MIN_LINKS = 2
MIN_PROBABILITY = 0.10
TOP_TRANSLATIONS = 5
#: Chinese sentences shorter than this (whitespace removed) are too common to mean overlap.
MIN_OVERLAP_CHARS = 6
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n")
_ENGLISH_WORD = re.compile(r"[a-z]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_blob(mirrors: Path, path: str) -> bytes:
    """One file of the OPUS test-set mirror at the pinned commit."""
    git_dir = mirrors / OPUS_TESTSETS.replace("/", "+") / "repo"
    result = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{OPUS_COMMIT}:{path}"],
        check=True,
        capture_output=True,
    )
    return result.stdout


def sentence_hashes(text: str) -> Iterator[str]:
    """SHA-256 of each Chinese sentence of ``text`` (whitespace removed) long enough to count."""
    for sentence in _SENTENCE_END.split(text):
        compact = "".join(sentence.split())
        if len(compact) >= MIN_OVERLAP_CHARS and _CJK.search(compact):
            yield sha256(compact.encode())


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def protected_hashes(roots: list[Path]) -> tuple[set[str], int]:
    """Sentence hashes of every text of the gold sets and the shared data (JSON lines files,
    every string field), and the number of files read."""
    hashes: set[str] = set()
    files = sorted(path for root in roots for path in root.rglob("*.jsonl"))
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            for text in _strings(json.loads(line)):
                hashes.update(sentence_hashes(text))
    return hashes, len(files)


def read_pairs(mirrors: Path, name: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(Chinese, English) line pairs of one source, and the SHA-256 of each file read (checked
    against the pinned digests: a different file stops the build)."""
    blobs: dict[str, bytes] = {}
    for role, (path, expected) in SOURCES[name].items():
        blobs[role] = read_blob(mirrors, path)
        if sha256(blobs[role]) != expected:
            raise SystemExit(f"{name}: {path} has SHA-256 {sha256(blobs[role])}, not {expected}")
    digests = {path: expected for path, expected in SOURCES[name].values()}
    chinese = blobs["zh"].decode().splitlines()
    english = blobs["en"].decode().splitlines()
    if len(chinese) != len(english):
        raise SystemExit(f"{name}: {len(chinese)} Chinese lines but {len(english)} English lines")
    if "labels" in blobs:
        import opencc

        to_simplified = opencc.OpenCC("t2s")
        labels = blobs["labels"].decode().splitlines()
        kept = []
        for zh, en, label in zip(chinese, english, labels, strict=True):
            if label == "cmn_Hans":
                kept.append((zh, en))
            elif label == "cmn_Hant":
                kept.append((to_simplified.convert(zh), en))
        return kept, digests
    return list(zip(chinese, english, strict=True)), digests


def tokenize_chinese(text: str) -> list[str]:
    import jieba

    return [token for token in jieba.cut(text, HMM=False) if _CJK.search(token)]


def tokenize_english(text: str) -> list[str]:
    return _ENGLISH_WORD.findall(text.lower())


def _links(path: Path) -> list[list[tuple[int, int]]]:
    rows = []
    for line in path.read_text().splitlines():
        pairs = [item.split("-") for item in line.split()]
        rows.append([(int(a), int(b)) for a, b in pairs])
    return rows


def align(chinese: list[list[str]], english: list[list[str]]) -> Counter[tuple[str, str]]:
    """Link counts (Chinese word, English word): each direction's links count half."""
    import eflomal

    with tempfile.TemporaryDirectory() as work:
        forward, reverse = Path(work, "fwd"), Path(work, "rev")
        eflomal.Aligner().align(
            [" ".join(words) for words in chinese],
            [" ".join(words) for words in english],
            links_filename_fwd=str(forward),
            links_filename_rev=str(reverse),
        )
        counts: Counter[tuple[str, str]] = Counter()
        for links_path in (forward, reverse):
            for zh, en, links in zip(chinese, english, _links(links_path), strict=True):
                for i, j in links:
                    counts[(zh[i], en[j])] += 1
    return counts


def prune(
    links: Counter[tuple[str, str]],
    occurrences: Counter[str],
    min_probability: float,
    top: int,
) -> dict[str, list[tuple[str, float]]]:
    """Chinese word -> its kept English translations with p(e|f) (links per occurrence), most
    linked first."""
    from summarizer.eval.checks.coverage import ignored_word

    by_chinese: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (zh, en), count in links.items():
        half_links = count / 2
        too_short = len(en) < 3  # the coverage check weighs words of three letters or more
        if occurrences[zh] < MIN_OCCURRENCES or half_links < MIN_LINKS or too_short:
            continue
        if ignored_word(en):
            continue
        probability = half_links / occurrences[zh]
        if probability >= min_probability:
            by_chinese[zh].append((en, probability))
    return {
        zh: sorted(pairs, key=lambda pair: (-pair[1], pair[0]))[:top]
        for zh, pairs in sorted(by_chinese.items())
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=LEXICON_PATH)
    parser.add_argument("--sources", nargs="+", choices=sorted(SOURCES), default=DEFAULT_SOURCES)
    parser.add_argument("--min-probability", type=float, default=MIN_PROBABILITY)
    parser.add_argument("--top", type=int, default=TOP_TRANSLATIONS)
    parser.add_argument(
        "--check-overlap-only",
        action="store_true",
        help="count the training pairs that overlap evals/ or shared/data, and train nothing",
    )
    args = parser.parse_args()
    started = time.monotonic()
    if not (args.shared / "data").is_dir():
        raise SystemExit(f"no shared data at {args.shared / 'data'} (give --shared)")
    protected, files_read = protected_hashes([ROOT / "evals", args.shared / "data"])
    if len(protected) < 1000:
        raise SystemExit(f"only {len(protected)} gold-set sentences found to check overlap against")
    print(f"{len(protected)} sentences of {files_read} gold-set and shared files to avoid")
    chinese: list[list[str]] = []
    english: list[list[str]] = []
    record: dict[str, dict[str, object]] = {}
    for name in args.sources:
        pairs, digests = read_pairs(args.mirrors, name)
        overlapping = kept = 0
        for zh, en in pairs:
            if any(digest in protected for digest in sentence_hashes(zh)):
                overlapping += 1
                continue
            if args.check_overlap_only:
                continue
            zh_words, en_words = tokenize_chinese(zh), tokenize_english(en)
            if zh_words and en_words:
                chinese.append(zh_words)
                english.append(en_words)
                kept += 1
        if args.check_overlap_only:
            print(f"{name}: {len(pairs)} pairs, {overlapping} overlapping")
            continue
        record[name] = {
            "repository": OPUS_TESTSETS,
            "commit": OPUS_COMMIT,
            "sha256": digests,
            "terms": TERMS[name],
            "pairs_read": len(pairs),
            "pairs_overlapping_evals_or_shared": overlapping,
            "pairs_used": kept,
        }
        print(f"{name}: {len(pairs)} pairs, {overlapping} overlapping, {kept} used")
    if args.check_overlap_only:
        return 0
    occurrences = Counter(word for words in chinese for word in words)
    table = prune(align(chinese, english), occurrences, args.min_probability, args.top)
    lines = [f"{zh}\t{en}\t{p:.3f}" for zh, pairs in table.items() for en, p in pairs]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    provenance = {
        "built_by": "python evals/tools/build_lexicon.py " + " ".join(sys.argv[1:]),
        "aligner": "eflomal (model 3, default iterations; forward and reverse links, half each)",
        "segmentation": "jieba.cut(HMM=False), Chinese-character tokens only; English [a-z]+",
        "pruning": {
            "min_occurrences": MIN_OCCURRENCES,
            "min_links": MIN_LINKS,
            "min_probability": args.min_probability,
            "top": args.top,
        },
        "overlap_check": f"SHA-256 of whitespace-free Chinese sentences of >= {MIN_OVERLAP_CHARS} "
        f"characters of every string of {files_read} JSON-lines files under evals/ and "
        "shared/data; a training pair with any such sentence is dropped",
        "sources": record,
        "sentence_pairs": len(chinese),
        "chinese_words": len(table),
        "entries": len(lines),
        "table_sha256": sha256(text.encode()),
        "table_licence": "derived from CC BY 2.0 FR, CC0 and CC BY-SA 4.0 data: the table is "
        "distributed under CC BY-SA 4.0 with attribution to Tatoeba, TICO-19 and FLORES-200",
    }
    out_provenance = args.out.with_name(PROVENANCE_PATH.name)
    out_provenance.write_text(json.dumps(provenance, ensure_ascii=False, indent=1) + "\n")
    print(
        f"{len(chinese)} pairs; {len(table)} Chinese words, {len(lines)} entries, "
        f"{len(text.encode()) / 1e6:.2f} MB; {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
