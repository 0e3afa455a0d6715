"""Build ``evals/wmt22-zhen-fresh``: the 8 WMT22 zh-en news documents no other set holds.

    python evals/tools/build_fresh.py PATH/TO/wmttest2022.zh-en.all.xml

The XML is the official WMT22 test-set file of the public repository
``wmt-conference/wmt22-news-systems`` (``xml/wmttest2022.zh-en.all.xml``, blob
``f2d8d35e25a492a5aee9f267e04421c5b0346c26``, first stored at commit
``dcb465e5b8eb77a4300c27cea716a14694cb5b25``). Every news document of its ``general`` collection
(sources Xinhua, VOA Chinese, Nhan Dan, Hunan Daily, International Times, Economic Observer,
Macao/DW Chinese) that is in neither ``wmt22-zhen`` nor ``wmt22-zhen-more`` is taken whole, with
both human references. Why a set of its own: the held-out halves of the other two sets have been
looked at while rules were changed, so these 8 documents are the project's blind data. They are
all held-out (split ``fresh``): decided on 2026-12-01 before anyone read them; no rule or threshold
may be tuned on them.
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from summarizer.eval.goldset import write_set

EVALS = Path(__file__).resolve().parent.parent
NEWS_PREFIXES = (
    "chinese.",
    "hunan_ribao-zh.",
    "international_times-zh.",
    "jingji_guancha_bao-zh-01.",
    "nhan_dan-zh.",
    "voa-voachinese.",
    "xinhua-zh-01.",
)
PROVENANCE = (
    "WMT22 general-domain test set (generaltest2022, zh-en), official test-set XML "
    "xml/wmttest2022.zh-en.all.xml (blob f2d8d35e25a492a5aee9f267e04421c5b0346c26) of the public "
    "repository wmt-conference/wmt22-news-systems: whole <doc> elements with their source segments "
    "and the two independent human reference translations (translator A = en_ref, B = en_ref_B). "
    "See PROVENANCE.md in this folder."
)
LICENSE = (
    "WMT test sets are released by the WMT organisers for research and evaluation use; no other "
    "licence is stated."
)


def _segments(element: ET.Element | None) -> list[str]:
    if element is None:
        return []
    return [(seg.text or "").strip() for seg in element.iter("seg")]


def _used_doc_ids() -> set[str]:
    used: set[str] = set()
    for name in ("wmt22-zhen", "wmt22-zhen-more"):
        for line in (EVALS / name / "examples.jsonl").read_text(encoding="utf-8").splitlines():
            used.add(json.loads(line)["extra"]["doc_id"])
    return used


def fresh_examples(xml_path: Path) -> list[dict[str, Any]]:
    """Every unused news document of the XML's ``general`` collection, in file order."""
    root = ET.parse(xml_path).getroot()
    used = _used_doc_ids()
    examples: list[dict[str, Any]] = []
    for collection in root.iter("collection"):
        if collection.get("id") != "general":
            continue
        for doc in collection.iter("doc"):
            doc_id = doc.get("id", "")
            if not doc_id.startswith(NEWS_PREFIXES) or doc_id in used:
                continue
            refs = {ref.get("translator"): _segments(ref) for ref in doc.findall("ref")}
            source = _segments(doc.find("src"))
            if len(refs.get("A", [])) != len(source) or len(refs.get("B", [])) != len(source):
                raise SystemExit(f"{doc_id}: references do not align with the source")
            examples.append(
                {
                    "id": f"wmt22.zh-en.{doc_id}",
                    "source": "\n".join(source),
                    "provenance": PROVENANCE,
                    "license": LICENSE,
                    "references": {"translation": [refs["A"], refs["B"]]},
                    "extra": {
                        "doc_id": doc_id,
                        "doc_complete": True,
                        "note": "complete document",
                        "source_set": "generaltest2022",
                        "alignment": "one source sentence per line = one paragraph",
                        "split": "fresh",
                    },
                }
            )
    return examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("xml", type=Path, help="wmttest2022.zh-en.all.xml")
    args = parser.parse_args()
    examples = fresh_examples(args.xml)
    folder = EVALS / "wmt22-zhen-fresh"
    write_set(
        folder,
        {
            "name": "wmt22-zhen-fresh",
            "version": "1",
            "description": f"{len(examples)} Chinese news documents of the WMT22 zh-en test set "
            "that neither wmt22-zhen nor wmt22-zhen-more holds, complete, one sentence per "
            "paragraph, with two independent human English references (A and B). All are "
            "held-out (split 'fresh'): blind data, never tuned on.",
            "provenance": PROVENANCE,
            "license": LICENSE,
        },
        examples,
    )
    print(f"wrote {len(examples)} documents to {folder}")


if __name__ == "__main__":
    main()
