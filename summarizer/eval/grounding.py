"""Reference-free checks of an English translation against its Chinese source.

These need no reference and no model, so they run on every output, in CI and in production
monitoring. Each check raises ``Flag``s; a clean translation raises none. What they catch, and how:

* **paragraphs / untranslated Chinese**: ``engines.validation.check_translation`` (the check the
  engine re-asks on): one English paragraph per source paragraph, no Han characters in English.
* **numbers**: every number the English states (digits, "15th", "eight", "twenty-one", "1.2
  million", "15%") must be a value its source paragraph states (Arabic digits, Chinese numerals
  read with cn2an, 万/亿 scales, "十五五" = 15th Five-Year Plan, "二〇二一" = 2021); ordinals may
  come from anywhere in the document. "one", "two", "first", "second" and "once" are not checked:
  English uses them where Chinese has no numeral ("two students" for "A、B"). Against its aligned
  paragraph a number may not be stated more often than the paragraph states it (三大 ... 四抗
  changed into "four technologies ... four-against"), unless the paragraph gives it to each of
  several things (各１名: "1 music teacher, 1 art teacher and 1 PE teacher"). The same number
  written another way is the same (2万4801 = 24,801, 30余万 = "300 thousand", 四成 = 40%, 双十二 =
  "Double Twelve", 2千 = 2,000, 半年 = "six months", 八十年代 = "the 1980s", 三十余年 = "three
  decades", 1万亩 = "667 hectares" or "1,647 acres", 斤 in kilograms, 公里 in miles); a year inside
  an event's name ("the Beijing 2022 Winter Olympics") needs no support when the source paragraph
  writes no year, nor does a year added to a date ("BEIJING, July 26, 2020" for 7月26日电) when
  the paragraph writes none and the document states that year or none, or when the translation
  adds that one year to two or more such dates (the report's own year). Clock times are read as
  hours and minutes ("17:07", "20: 00"): the minutes must be minutes the source writes, and
  the hour an hour it writes (on either clock), when it writes any. 上下册 is "Volumes 1 & 2"; a
  misspelt scale ("6 billon") is still a scale. Two neighbouring digits are an approximate
  number (五六百米 "about 500 meters", 四五厘米 "4-5cm"); 半米 is "0.5 meters", 两个半小时 "2.5
  hours", 90后 "born in the 1990s", 全天候 "24/7" or "24-hour", 20里 "10 kilometers"; "Thirty
  two" is 32 and "820,000kw" one number. A year a document states is one written with 年 (2000公里
  is a distance).
  Round 6: 7万8千 = 78,000, 1亿2千万 = 120 million, 三分之一 = "33%", 近半 = "nearly 50%",
  一万六七千 = "16,000 to 17,000", 九二共识 = "the 1992 Consensus", a scale after a hyphen
  ("200-billion-dollar") or written once for a range ("4 to 6 million"), a number rounded to
  three or more figures ("19.93 million" for 1993.03万), 同比 written out as the year before a
  year the paragraph states, 立体 as "three-dimensional", 北京时间 as "GMT+8"; a count may be
  named again when the English refers back to it ("four halls ... the four halls"), and a
  number once more for each converse (反之: "above 50% ... below 50%").
* **dates**: every English month-day ("December 13", "13 December", both ends of "December 10 to
  12") must be a date of its source paragraph (12月13日, or a bare 13日 / 今（13）日 / 本月13日
  whose month is that of a full date written before it in the paragraph or of the dateline; a
  Chinese-calendar date lends no month), and not be named more often than the source names it,
  once more for each 当日 ("that day") the paragraph refers back with. A bare day that nothing
  before it dates takes the month of a same-day full date, else of a reported (not scheduled)
  date; else its month is open. 昨天 / 今日 / 明天 may be written out as the exact date the
  dateline gives them (beside that date too: 今天（7月26日） as "(July 26) On July 26"), and 当天
  in a paragraph that dates nothing itself as the date written last before it. A day written
  as an ordinal ("on the 21st and the 22nd") must be a day of its own paragraph, not just a
  number found elsewhere in the document.
  Spaces inside a Chinese date (12 月 13 日, 2 月13日) are read through (round 6).
* **names**: a pair of capitalized words that reads as a Chinese personal name in Hanyu Pinyin
  (a common surname next to a 1-3 syllable given name, either order, hyphens allowed) must match
  the pinyin of consecutive characters of the source; a pair that matches only after one letter
  edit is a misspelling. Per paragraph, a person may be named only as often as the aligned source
  paragraph names them, plus once per 他/她/其 whose antecedent (the person named last before it)
  they are (``checks.mentions``): a name swapped for another person of the document is caught.
  Function words, months and weekdays ("The Chongqing", "In Ningxia"), exonyms inside compounds
  ("Hong Kong-Macao"), English words of several syllables ("Police Fang") and pairs that run on
  into a word neither pinyin nor English ("Lei Yue Mun Park", Cantonese) are no names; ü may be
  written u, v or yu ("Lu", "Lv", "Lyu" for 吕). A name in Wade-Giles, its passport forms or Hong
  Kong Cantonese romanization of the source's characters is the source's name ("Chen Chi-mai",
  "Chiling Tong", "Cheng Yuet-ngor"), and an ethnic group's official English name ("Ximeng Va"
  for 西盟佤族) is no person. A name reads across a space a byline puts between its characters
  ("颜 欢"), a pair after "Hong Kong" ("Hong Kong Lu Xinning") is no "Kong Lu", company
  abbreviations ("Co", "Ltd") are no name parts, and a three-word romanized name ("Ko Suk Tan"
  for 柯淑丹) is the source's. A paragraph whose Chinese has no subject, no pronoun and no person
  of its own may name, once, the person the paragraph before names last when that person speaks
  there (赵春山指出 ... then "Zhao Chunshan said"); whether the Chinese names a person is also
  decided from the Chinese (jieba), since a swapped name leaves no English trace of the person
  it replaced.
* **length**: a paragraph whose English is far longer than its Chinese predicts (relative to the
  document's own ratio), or longer and with more sentences than its source, probably holds an
  inserted, unsupported sentence. How much longer is allowed depends on the paragraph's size:
  a short paragraph's ratio varies more by chance. Headlines are rendered freely, so they need a
  larger factor. A stray full stop is no sentence. A paragraph with more sentences than its
  source, every one of which renders the source (coverage, below), is a split sentence, not an
  insertion: only the much-longer signature applies to it.
* **coverage**: an English sentence most of whose content words are neither dictionary glosses
  (CC-CEDICT) of words of its source paragraph nor pinyin of its characters says something the
  source does not: an inserted sentence, even in a paragraph too long for the length check. So
  does one that only single characters' long gloss lists cover, hardly any source word of two
  or more characters (headlines, rendered freely, aside). Sentences are found with ``pysbd``
  ("a.m.", "U.S.", "JD.com", "No.3" and closing quotes end no sentence). The parts of a foreign
  name written with a middle dot (凯莉安·康威) cover capitalized words ("Kellyanne Conway").
  A paragraph with no more English sentences than source sentences has no room for an added
  one: there only a sentence that renders almost nothing of its source is flagged.

Round 7 (designed on ``fresh-5``, ``fresh-4`` and ``fresh-3``): a clock time the source writes in
Chinese numerals (三时三十分, 八点一刻), "five hundred thousand" as one number, a number named again
with its label ("Line 1 ... Line 1" for one 1号线; not a month or weekday), a year added to an
agreement ("the 2015 nuclear deal") where the paragraph writes no year, Malaysian honorifics
("Datuk Seri") as no name parts, a Vietnamese name after a Vietnamese surname ("Hoang Hai Linh"
for 黄海林), and dictionary words of up to eight characters (sayings such as 解铃还须系铃人).

Round 8 (designed on ``fresh-6``, ``fresh-5`` and ``fresh-4``, only classes seen on two of them):
a count named again with its noun ("for 3 months ... for 3 months") or by a partitive ("one of
the 45"); months restored for bare days that only background events' dates lend a month to are
judged together, by whether they fit one report (three "September 27" stand; a "June 27" among
them is flagged). Flags carry their strength: length outliers by the more-sentences signature and
sentences that still render some of the source are weak (``Flag.weak``); ``strong_evidence``
gives the flags a decision that needs strong evidence counts, a measured view beside the default.

Round 9 (designed on the flags and missed name swaps of ``fresh-7``): a name written with pinyin's
syllable-dividing apostrophe ("Wang Zhi'an" for 王志安) is read whole, not as "Wang Zhi"; a source
word before a source name ("Xing'an Yuan Longping" for 兴安盟袁隆平) is no name pair of its own;
and a pronoun (其, 他, 她) no longer licenses a name beyond the source's count where a person
the source paragraph names is missing from the English paragraph: a pronoun written as its name
adds a name and takes none away, a swap takes one away.

When the paragraph counts differ, numbers, dates and names are checked against the whole source.
How well this works is measured, not assumed: ``benchmarks/meta_eval.py`` plants known errors in
human reference translations and reports the share caught and the false-alarm rate.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarizer.engines.validation import check_translation
from summarizer.eval.checks.coverage import check_coverage, every_sentence_renders
from summarizer.eval.checks.dates import (
    check_dates,
    check_restored_months,
    dates_en,
    dates_zh,
)
from summarizer.eval.checks.flags import Flag
from summarizer.eval.checks.lengths import check_lengths
from summarizer.eval.checks.mentions import check_name_mentions
from summarizer.eval.checks.names import check_names, segment_pinyin, verified_names
from summarizer.eval.checks.numbers import (
    NumberHit,
    added_date_years,
    check_numbers,
    numbers_en,
    numbers_zh,
)
from summarizer.text.chars import HAN_CHAR

_HAN_CHAR = HAN_CHAR

#: Han characters used as punctuation in headlines (丨 as a separator); not untranslated Chinese.
_HAN_PUNCTUATION = frozenset("丨")


def check_translation_grounding(
    paragraphs_en: Sequence[str], source_paragraphs: Sequence[str]
) -> list[Flag]:
    """Every reference-free flag of an English translation against its source paragraphs.

    When the paragraph counts match, numbers, dates, name counts and sentence coverage are checked
    against the aligned source paragraph (see the module docstring); otherwise numbers, dates and
    names against the whole source.
    """
    flags = [
        Flag(problem.code, _paragraph_of(problem.path), problem.path, problem.message)
        for problem in check_translation(paragraphs_en, source_paragraphs)
        if not _only_han_punctuation(problem.code, problem.path, paragraphs_en)
    ]
    whole_source = "\n".join(source_paragraphs)
    if len(paragraphs_en) != len(source_paragraphs):
        for index, english in enumerate(paragraphs_en):
            flags.extend(check_numbers(english, whole_source, index))
            flags.extend(check_dates(english, whole_source, index))
            flags.extend(check_names(english, whole_source, index))
        return flags
    flags.extend(
        check_lengths(
            paragraphs_en,
            source_paragraphs,
            renders_source=lambda index: every_sentence_renders(
                paragraphs_en[index], source_paragraphs[index]
            ),
        )
    )
    for index, english in enumerate(paragraphs_en):
        aligned = source_paragraphs[index]
        flags.extend(check_numbers(english, aligned, index, document=whole_source))
        flags.extend(
            check_dates(english, aligned, index, document=whole_source, months_judged_together=True)
        )
        flags.extend(check_names(english, whole_source, index))
        flags.extend(check_coverage(english, aligned, index))
    flags.extend(check_name_mentions(paragraphs_en, source_paragraphs))
    flags.extend(check_restored_months(paragraphs_en, source_paragraphs))
    return _without_report_year(flags, paragraphs_en, source_paragraphs)


def strong_evidence(flags: Sequence[Flag]) -> list[Flag]:
    """The flags a reference-level decision that needs strong evidence counts (round 8): every
    flag that is not weak (``Flag.weak``), and weak ones only where a second check agrees in
    the same paragraph (a length outlier whose paragraph also has an unsupported sentence).

    A measured alternative view, not the default: ``benchmarks/meta_eval.py`` reports it beside
    the any-flag decision, and the default stays until it detects every error kind as well."""
    weak_codes: dict[int | None, set[str]] = {}
    for flag in flags:
        if flag.weak:
            weak_codes.setdefault(flag.paragraph, set()).add(flag.code)
    return [flag for flag in flags if not flag.weak or len(weak_codes[flag.paragraph]) >= 2]


#: How many dates must carry the same added year before it is taken as the report's own year.
REPORT_YEAR_MIN_DATES = 2


def _without_report_year(
    flags: list[Flag], paragraphs_en: Sequence[str], source_paragraphs: Sequence[str]
) -> list[Flag]:
    """Flags less those on the report's own year: when a translation adds a year to the dates
    the source writes without one ("July 26, 2020" for 7月26日) and adds the same year every time,
    at least ``REPORT_YEAR_MIN_DATES`` times, that is the year the report was written, which the
    translator knows and the source never needs to say; it contradicts nothing even where the
    document speaks of other years (在2018年首届进博会). Two different added years are not
    consistent, so a year changed at one of its places is still flagged."""
    added = {
        index: found
        for index, english in enumerate(paragraphs_en)
        if (found := added_date_years(english, source_paragraphs[index]))
    }
    distinct = {year for paragraph_years in added.values() for year in paragraph_years}
    if len(distinct) != 1 or sum(map(len, added.values())) < REPORT_YEAR_MIN_DATES:
        return flags
    (report_year,) = distinct
    return [
        flag
        for flag in flags
        if not (
            flag.code == "number.unsupported"
            and flag.text == report_year
            and flag.paragraph in added
        )
    ]


def _only_han_punctuation(code: str, path: str, paragraphs_en: Sequence[str]) -> bool:
    index = _paragraph_of(path)
    if code != "english.untranslated" or index is None or index >= len(paragraphs_en):
        return False
    return all(char in _HAN_PUNCTUATION for char in _HAN_CHAR.findall(paragraphs_en[index]))


def check_text_grounding(english: str, source: str) -> list[Flag]:
    """Number, date and name flags of free English text (summary, key point) against a source."""
    return [
        *check_numbers(english, source, None),
        *check_dates(english, source, None),
        *check_names(english, source, None),
    ]


def _paragraph_of(path: str) -> int | None:
    match = re.search(r"\[(\d+)\]$", path)
    return int(match.group(1)) if match else None


__all__ = [
    "Flag",
    "NumberHit",
    "check_coverage",
    "check_dates",
    "check_lengths",
    "check_name_mentions",
    "check_names",
    "check_numbers",
    "check_text_grounding",
    "check_translation_grounding",
    "dates_en",
    "dates_zh",
    "numbers_en",
    "numbers_zh",
    "segment_pinyin",
    "strong_evidence",
    "verified_names",
]
