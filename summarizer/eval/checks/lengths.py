"""Length checks: a paragraph much longer than its source predicts holds something unsupported."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from summarizer.eval.checks.flags import Flag
from summarizer.text.chars import HAN_CHAR

#: A paragraph is a length outlier when its English is longer than the document's own
#: English/Chinese ratio predicts by this factor (and by at least ``LENGTH_MIN_EXCESS_WORDS``) ...
LENGTH_RATIO_FACTOR = 1.6
LENGTH_MIN_EXCESS_WORDS = 8
#: ... or when it has more sentences than its source paragraph and is longer than predicted by this
#: smaller factor (and by ``SENTENCE_MIN_EXCESS_WORDS``): the signature of an inserted sentence.
#: Both factors were chosen on the shipped human references (benchmarks/meta_eval.py) as the
#: lowest that raise no flag on them.
SENTENCE_RATIO_FACTOR = 1.2
SENTENCE_MIN_EXCESS_WORDS = 5
_WORDS = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_HAN_CHAR = HAN_CHAR
_ZH_SENTENCE_END = re.compile(r"[。！？!?]+[”」』）)]*")
_EN_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s|$)")


def _sentences(text: str, ends: re.Pattern[str]) -> int:
    return max(1, sum(1 for part in ends.split(text) if part.strip()))


def _source_units(text: str) -> int:
    """Length of a source paragraph: Han characters plus Latin words."""
    return len(_HAN_CHAR.findall(text)) + len(_WORDS.findall(text))


#: English states these where Chinese has no numeral ("two students" for "A、B"; "both").


def check_lengths(english: Sequence[str], source: Sequence[str]) -> list[Flag]:
    """Paragraphs longer than the document's own English/Chinese ratio predicts (see above)."""
    pairs = [
        (len(_WORDS.findall(en)), _source_units(zh))
        for en, zh in zip(english, source, strict=False)
    ]
    ratios = [words / units for words, units in pairs if units >= 5 and words]
    if len(ratios) < 2:
        return []
    median = statistics.median(ratios)
    flags = []
    for index, (words, units) in enumerate(pairs):
        if units < 5:
            continue
        expected = median * units
        excess = words - expected
        much_longer = words > expected * LENGTH_RATIO_FACTOR and excess >= LENGTH_MIN_EXCESS_WORDS
        extra_sentence = (
            _sentences(english[index], _EN_SENTENCE_END)
            > _sentences(source[index], _ZH_SENTENCE_END)
            and words > expected * SENTENCE_RATIO_FACTOR
            and excess >= SENTENCE_MIN_EXCESS_WORDS
        )
        if much_longer or extra_sentence:
            flags.append(
                Flag(
                    "length.outlier",
                    index,
                    english[index][:80],
                    f"{words} words where about {expected:.0f} are expected"
                    f"{' and more sentences than the source' if extra_sentence else ''}: "
                    "possibly an unsupported insertion",
                )
            )
    return flags
