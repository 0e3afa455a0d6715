"""Length checks: a paragraph much longer than its source predicts holds something unsupported.

Headlines and other lines without a sentence end (。！？) are rendered freely: an idiomatic
headline becomes a longer English phrase without anything being added. For them the much-longer
signature needs the larger ``HEADLINE_RATIO_FACTOR``; and since a headline is not a sentence, an
English headline holding a sentence end (an inserted sentence ends in one) counts as having more
sentences than its source.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Sequence

from summarizer.eval.checks.flags import Flag
from summarizer.eval.checks.sentences import english_sentences
from summarizer.text.chars import HAN_CHAR

#: A paragraph is a length outlier when its English is longer than the document's own
#: English/Chinese ratio predicts by more than chance allows for a paragraph of its size (and by
#: at least ``LENGTH_MIN_EXCESS_WORDS``). A short paragraph's ratio varies more than a long one's:
#: one freely rendered idiom moves 18 words by half, 100 words hardly. Over the human references
#: of the design half ``fresh-2-tune`` (982 paragraphs), the squared deviation of the ratio from
#: the prediction is ``LENGTH_VARIANCE_PER_WORD / expected + LENGTH_VARIANCE_FLOOR`` on average
#: (least squares; ``python benchmarks/meta_eval.py --length-factors fresh-2-tune``), and no
#: paragraph lies more than 4.41 of those standard deviations above it; ``LENGTH_DEVIATIONS`` is
#: that, rounded up. It replaced one factor for every size (1.84, the 99.9% quantile of the
#: ratios, which flagged short faithful paragraphs and spared long padded ones).
LENGTH_VARIANCE_PER_WORD = 0.405
LENGTH_VARIANCE_FLOOR = 0.0219
LENGTH_DEVIATIONS = 4.5
LENGTH_MIN_EXCESS_WORDS = 8


def much_longer_factor(expected_words: float) -> float:
    """How many times its predicted length a paragraph of ``expected_words`` may run by chance."""
    spread = math.sqrt(LENGTH_VARIANCE_PER_WORD / expected_words + LENGTH_VARIANCE_FLOOR)
    return 1 + LENGTH_DEVIATIONS * spread


#: ... or when it has more sentences than its source paragraph and is longer than predicted by this
#: smaller factor (and by ``SENTENCE_MIN_EXCESS_WORDS``): the signature of an inserted sentence.
#: Set the same way: the quantile of the ratios of design-half paragraphs with more sentences
#: than their source that leaves the same share (0.1%) of all paragraphs above it (it was 1.2).
#: Since a stray full stop ("numbers. .") no longer counts as a sentence, that quantile is 1.19;
#: the factor is left at the more cautious 1.30.
SENTENCE_RATIO_FACTOR = 1.30
#: Headlines (no sentence end in the source line) are rendered freely: an idiomatic four-character
#: phrase becomes a clause. The longest headline of a human reference on the tune split is 1.42
#: times its prediction; an inserted sentence of 8 or more words doubles a headline.
HEADLINE_RATIO_FACTOR = 2.0
SENTENCE_MIN_EXCESS_WORDS = 5
_WORDS = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_HAN_CHAR = HAN_CHAR
_ZH_SENTENCE_END = re.compile(r"[。！？!?]+[”」』）)]*")
_EN_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*(?=\s|$)")


#: What makes a piece between sentence ends a sentence: a letter, digit or Han character (not
#: the closing quote left after 。 ” ).
_SENTENCE_CONTENT = re.compile(r"[^\W_]")


def _sentences(text: str, ends: re.Pattern[str]) -> int:
    return max(1, sum(1 for part in ends.split(text) if _SENTENCE_CONTENT.search(part)))


#: Abbreviated party and government bodies (省委, 常委, 区委): two characters that English writes
#: out as a name of several words ("the CPC Provincial Committee", "Standing Committee member").
_ABBREVIATED_BODY = re.compile(r"[省市区县州党纪政常军]委")
ABBREVIATED_BODY_EXTRA_UNITS = 3


def _source_units(text: str) -> int:
    """Length of a source paragraph: Han characters plus Latin words, plus the English words
    that abbreviated bodies (省委) expand into (chosen on the tune split of meta_eval.py)."""
    return (
        len(_HAN_CHAR.findall(text))
        + len(_WORDS.findall(text))
        + ABBREVIATED_BODY_EXTRA_UNITS * len(_ABBREVIATED_BODY.findall(text))
    )


def source_sentence_count(text: str) -> int:
    """Sentences of a Chinese paragraph (at least one)."""
    return _sentences(text, _ZH_SENTENCE_END)


def is_headline(text: str) -> bool:
    """A line with no sentence end: a headline or subheading, which translators render freely."""
    return not _ZH_SENTENCE_END.search(text.strip())


def _sizes_and_median(
    english: Sequence[str], source: Sequence[str]
) -> tuple[list[tuple[int, int]], float] | None:
    """(English words, source units) per paragraph pair, and the document's median words-per-unit
    ratio over the pairs long enough to judge; None when fewer than two are: one paragraph sets
    no ratio of its own. Shared so the calibration and the check measure alike."""
    pairs = [
        (len(_WORDS.findall(en)), _source_units(zh))
        for en, zh in zip(english, source, strict=False)
    ]
    ratios = [words / units for words, units in pairs if units >= 5 and words]
    if len(ratios) < 2:
        return None
    return pairs, statistics.median(ratios)


def length_ratios(english: Sequence[str], source: Sequence[str]) -> list[tuple[float, bool, float]]:
    """(English words over the document's prediction, more sentences than the source, predicted
    words) for each non-headline paragraph long enough to judge: what the length model is set
    from."""
    measured = _sizes_and_median(english, source)
    if measured is None:
        return []
    pairs, median = measured
    return [
        (
            words / (median * units),
            max(1, len(english_sentences(english[index])))
            > _sentences(source[index], _ZH_SENTENCE_END),
            median * units,
        )
        for index, (words, units) in enumerate(pairs)
        if units >= 5 and not is_headline(source[index])
    ]


def check_lengths(
    english: Sequence[str],
    source: Sequence[str],
    *,
    renders_source: Callable[[int], bool] | None = None,
) -> list[Flag]:
    """Paragraphs longer than the document's own English/Chinese ratio predicts (see above).

    Translators split a long Chinese sentence into several English ones and explain as they go
    ("... by plane and by high-speed train. Demand for star hotels and B&Bs is growing." for one
    source sentence): more sentences than the source, and longer, but each sentence renders the
    source, which an inserted sentence does not. ``renders_source(index)``, when given (from the
    coverage check), tells whether every sentence of English paragraph ``index`` renders its
    source paragraph; such a paragraph is then no outlier by the more-sentences signature alone.
    Headlines keep it: a sentence appended to a headline without a full stop runs on into it
    as one sentence, whose coverage the headline's own words then lift.
    """
    measured = _sizes_and_median(english, source)
    if measured is None:
        return []
    pairs, median = measured
    flags = []
    for index, (words, units) in enumerate(pairs):
        if units < 5:
            continue
        expected = median * units
        excess = words - expected
        factor = (
            HEADLINE_RATIO_FACTOR if is_headline(source[index]) else much_longer_factor(expected)
        )
        much_longer = words > expected * factor and excess >= LENGTH_MIN_EXCESS_WORDS
        more_sentences = (
            bool(_EN_SENTENCE_END.search(english[index]))  # a headline is not a sentence
            if is_headline(source[index])
            else max(1, len(english_sentences(english[index])))
            > _sentences(source[index], _ZH_SENTENCE_END)
        )
        extra_sentence = (
            more_sentences
            and words > expected * SENTENCE_RATIO_FACTOR
            and excess >= SENTENCE_MIN_EXCESS_WORDS
            and not (
                renders_source is not None
                and not much_longer
                and not is_headline(source[index])
                and renders_source(index)
            )
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
                    weak=not much_longer,
                )
            )
    return flags
