"""Rebuild the shipped gold sets from their sources (run from the repository root).

    python evals/tools/build_sets.py [--shared ../shared]

Reads the seed article and the public data in ``shared/`` plus the project team's seed references
(``evals/tools/seed_reference.json``), and writes ``evals/<set>/examples.jsonl`` and
``manifest.json`` (with the content hash). The output is deterministic: rerunning it on unchanged
inputs leaves the files byte for byte the same.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from summarizer.eval.goldset import write_set

EVALS = Path(__file__).resolve().parent.parent

WMT_PROVENANCE = (
    "WMT22 general-domain test set (generaltest2022, zh-en), from the public repository "
    "wmt-conference/wmt22-news-systems at commit 20240a2e96a50e823ea8cdf37fd8af52547146e3: "
    "txt/sources/generaltest2022.zh-en.src.zh with the two independent human reference "
    "translations ref.A (en_ref) and ref.B (en_ref_B); document boundaries recovered from the "
    "official human-evaluation batches. See PROVENANCE.md in this folder."
)
WMT_LICENSE = (
    "WMT test sets are released by the WMT organisers for research and evaluation use; no other "
    "licence is stated."
)
CLTS_PROVENANCE = (
    "CLTS (Liu et al., NLPCC 2020): ThePaper.cn article with its editor-written summary, from the "
    "samples.txt of the public repository {repo} at commit {commit}. See PROVENANCE.md."
)
CLTS_LICENSE = "No licence stated; published by the CLTS authors as samples for research use."
LCSTS_PROVENANCE = (
    "LCSTS (Hu et al., EMNLP 2015) PART_III test item with human quality label >= 4, from "
    "wangle1218/text-summarization data/PART_III.txt at commit "
    "6a903d527884718019a664e94a7d3faa06fdaacb. See PROVENANCE.md."
)
LCSTS_LICENSE = "LCSTS is distributed for research use."


def build_seed(shared: Path) -> None:
    spec = json.loads((EVALS / "tools" / "seed_reference.json").read_text(encoding="utf-8"))
    source = (shared / spec["source_file"]).read_text(encoding="utf-8")
    example = {
        "id": spec["id"],
        "source": source,
        "source_clean": spec["source_clean"],
        "provenance": spec["provenance"],
        "license": spec["license"],
        "references": spec["references"],
        "extra": {
            "language": spec["language"],
            "source_provenance": spec["source_provenance"],
            "published": "2025-12",
            "note": "source is the scraped original (repairing it is the product's job); "
            "source_clean is the team's repaired simplified reading, paragraph for paragraph",
        },
    }
    write_set(
        EVALS / "seed",
        {
            "name": "seed",
            "version": "1",
            "description": "The project's seed article (Tongzhou District Party Committee meeting, "
            "2025-12-13) as scraped, with references for every output field.",
            "provenance": spec["provenance"],
            "license": spec["license"],
        },
        [example],
    )


def build_wmt(shared: Path) -> None:
    examples: list[dict[str, Any]] = []
    for line in (
        (shared / "data" / "wmt22_zhen_docs.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        doc = json.loads(line)
        examples.append(
            {
                "id": doc["id"],
                "source": "\n".join(doc["zh"]),
                "provenance": WMT_PROVENANCE,
                "license": WMT_LICENSE,
                "references": {"translation": [doc["en_ref"], doc["en_ref_B"]]},
                "extra": {
                    "doc_id": doc["doc_id"],
                    "doc_complete": doc["doc_complete"],
                    "note": doc.get("note", ""),
                    "source_set": doc["source_set"],
                    "alignment": "one source sentence per line = one paragraph",
                },
            }
        )
    folder = EVALS / "wmt22-zhen"
    write_set(
        folder,
        {
            "name": "wmt22-zhen",
            "version": "1",
            "description": "15 Chinese news documents from the WMT22 zh-en test set, one sentence "
            "per paragraph, with two independent human English references (A and B).",
            "provenance": WMT_PROVENANCE,
            "license": WMT_LICENSE,
        },
        examples,
    )
    shutil.copyfile(shared / "data" / "PROVENANCE.md", folder / "PROVENANCE.md")


def build_summaries(shared: Path) -> None:
    examples: list[dict[str, Any]] = []
    path = shared / "data" / "zh_news_summaries.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        identifier = record["id"]
        if identifier.startswith("lcsts"):
            provenance, license_ = LCSTS_PROVENANCE, LCSTS_LICENSE
        elif identifier.startswith("cltsplus"):
            provenance = CLTS_PROVENANCE.format(
                repo="lxj5957/CLTS-plus-Dataset", commit="56fc0940ca1ee398fac387b936623b360a881b0b"
            )
            license_ = CLTS_LICENSE
        else:
            provenance = CLTS_PROVENANCE.format(
                repo="lxj5957/CLTS-Dataset", commit="c83048bee2878de52bc45c68ebc323e99565e7d2"
            )
            license_ = CLTS_LICENSE
        extra = {"source_set": record["source_set"]}
        if "human_label" in record:
            extra["human_label"] = record["human_label"]
        if "summary_cltsplus_paraphrase" in record:
            # CLTS+ paraphrases are machine-made (back-translation): kept, never scored against.
            extra["summary_cltsplus_paraphrase"] = record["summary_cltsplus_paraphrase"]
        examples.append(
            {
                "id": identifier,
                "source": record["article"],
                "provenance": provenance,
                "license": license_,
                "references": {"summary_zh": [record["summary"]]},
                "extra": extra,
            }
        )
    folder = EVALS / "zh-news-summaries"
    write_set(
        folder,
        {
            "name": "zh-news-summaries",
            "version": "1",
            "description": "40 Chinese news texts (7 ThePaper.cn articles from CLTS, 33 Weibo news "
            "items from LCSTS) with human-written CHINESE reference summaries. Scored on the "
            "Chinese side of an output (key-point evidence spans) with character ROUGE.",
            "provenance": "CLTS samples (lxj5957/CLTS-Dataset, lxj5957/CLTS-plus-Dataset) and "
            "LCSTS PART_III (wangle1218/text-summarization); see PROVENANCE.md",
            "license": f"CLTS: {CLTS_LICENSE} LCSTS: {LCSTS_LICENSE}",
        },
        examples,
    )
    shutil.copyfile(shared / "data" / "PROVENANCE.md", folder / "PROVENANCE.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=EVALS.parent.parent / "shared")
    args = parser.parse_args()
    build_seed(args.shared)
    build_wmt(args.shared)
    build_summaries(args.shared)
    print("rebuilt seed, wmt22-zhen, zh-news-summaries in", EVALS)


if __name__ == "__main__":
    main()
