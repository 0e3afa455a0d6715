"""Entity precision/recall/F1 (people, organizations, places) after normalization.

Decisions (tested in ``tests/eval/test_eval_entities.py``):

* Two entities match when their names as written agree after NFKC and traditional-to-simplified
  conversion (张建華 == 张建华), or when their English names agree after folding.
* English folding: NFKD with tone marks removed (Zhāng == Zhang), lowercased, a leading "the"
  dropped, and every non-alphanumeric character removed, so case, whitespace, hyphens and
  apostrophes never matter: "Zhang Jianhua" == "zhang jian-hua" == "Zhang Jian Hua".
* Personal names also match in given-name-first order: "Jianhua Zhang" == "Zhang Jianhua" (the last
  word moved to the front). Nothing fuzzier: "Zhang Jianhu" is a different person.
* Matching is one-to-one (greedy in reference order); duplicates in a prediction count as false
  positives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import opencc

from summarizer.eval.outputs import EntityOut

NORMALIZATION = "nfkc+t2s|en:fold-tones-case-punct+given-first"
_NON_ALNUM = re.compile(r"[\W_]+")
_CONVERTER = opencc.OpenCC("t2s")


@dataclass(frozen=True)
class PRF:
    precision: float | None
    recall: float | None
    f1: float | None
    true_positives: int
    predicted: int
    expected: int


@lru_cache(maxsize=4096)
def fold_chinese(name: str) -> str:
    return _NON_ALNUM.sub("", _CONVERTER.convert(unicodedata.normalize("NFKC", name))).lower()


@lru_cache(maxsize=4096)
def fold_english(name: str) -> str:
    text = (
        "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
        .lower()
        .strip()
    )
    text = re.sub(r"^the\s+", "", text)
    return _NON_ALNUM.sub("", text)


def english_keys(name: str | None, *, person: bool) -> frozenset[str]:
    if not name or not name.strip():
        return frozenset()
    keys = {fold_english(name)}
    words = [w for w in re.split(r"[\s]+", name.strip()) if w]
    if person and len(words) >= 2:
        keys.add(fold_english(" ".join([words[-1], *words[:-1]])))
        keys.add(fold_english(" ".join([*words[1:], words[0]])))
    return frozenset(k for k in keys if k)


def _keys(name: str, name_en: str | None, *, person: bool) -> tuple[str, frozenset[str]]:
    return fold_chinese(name) if name else "", english_keys(name_en, person=person)


def entities_match(a: EntityOut, b: EntityOut, *, person: bool) -> bool:
    zh_a, en_a = _keys(a.name, a.name_en, person=person)
    zh_b, en_b = _keys(b.name, b.name_en, person=person)
    if zh_a and zh_a == zh_b:
        return True
    # A name given only in English on one side still matches the other side's name as written.
    if not en_a and a.name:
        en_a = english_keys(a.name, person=person)
    if not en_b and b.name:
        en_b = english_keys(b.name, person=person)
    return bool(en_a & en_b)


def prf(predicted: Sequence[EntityOut], expected: Sequence[EntityOut], *, person: bool) -> PRF:
    """Precision/recall/F1 with one-to-one matching; None where undefined (nothing to divide)."""
    used: set[int] = set()
    hits = 0
    for reference in expected:
        for index, candidate in enumerate(predicted):
            if index not in used and entities_match(candidate, reference, person=person):
                used.add(index)
                hits += 1
                break
    precision = hits / len(predicted) if predicted else None
    recall = hits / len(expected) if expected else None
    if recall is not None and not predicted:
        f1 = 0.0  # predicting nothing when there is something to find scores zero, not n/a
    elif precision is None or recall is None:
        f1 = None
    elif precision + recall == 0:
        f1 = 0.0
    else:
        f1 = 2 * precision * recall / (precision + recall)
    return PRF(precision, recall, f1, hits, len(predicted), len(expected))


def reference_entities(items: Iterable[Mapping[str, Any]]) -> list[EntityOut]:
    return [
        EntityOut(str(item.get("name") or ""), item.get("name_en"), None)
        for item in items
        if isinstance(item, Mapping)
    ]
