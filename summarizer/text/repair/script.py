"""Which script the article is written in, conversion to simplified, and the language.

Conversion uses OpenCC ``t2s`` (character and phrase level) rather than ``tw2sp``: the articles are
mainland news that happen to be in traditional characters, and ``tw2sp`` also rewrites Taiwanese
vocabulary into mainland words (軟體 -> 软件), which would change the author's wording and break
evidence spans; ``t2s`` only changes the script. Names come out right (瞿鎮輔 -> 瞿镇辅).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.text.chars import HAN_RANGES, HAN_RUN
from summarizer.text.document import Checkpoint, run_to_end
from summarizer.text.repair import lexicon
from summarizer.text.repair.edits import Edit
from summarizer.text.repair.lexicon import OPENCC_CONFIG

__all__ = [
    "OPENCC_CONFIG",
    "chinese_repairs_apply",
    "detect_language",
    "detect_script",
    "japanese_spans",
    "simplify_edits",
]

_CJK_RUN = HAN_RUN
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_LATIN_RUN = re.compile("[A-Za-z\u00c0-\u024f]+")
_KANA_RUN = re.compile("[\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff]+")
_HANGUL_RUN = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+")
#: Letters of every script (``\w`` minus digits and the underscore).
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_CHANGED_RUN = re.compile(b"\x01+")
_NONZERO_TO_ONE = bytes([0] + [1] * 255)


def detect_script(text: str) -> str:
    """``traditional``, ``simplified``, ``mixed``, ``latin`` or ``none`` for ``text``."""
    han = "".join(_CJK_RUN.findall(text))
    if not han:
        return "latin" if _LATIN.search(text) else "none"
    distinct = set(han)
    to_simplified = lexicon.char_conversions(distinct)
    changed = [char for char in distinct if to_simplified[char] != char]
    if not changed:
        return "simplified"  # includes text whose characters are common to both scripts
    traditional = _occurrences(changed, han)
    to_traditional = lexicon.char_conversions(distinct, to_traditional=True)
    simplified = _occurrences([char for char in distinct if to_traditional[char] != char], han)
    if traditional >= 4 * simplified:
        return "traditional"
    if simplified >= 4 * traditional:
        return "simplified"
    return "mixed"


def _occurrences(chars: list[str], text: str) -> int:
    """How many characters of ``text`` are among ``chars`` (counted in runs, in C)."""
    if not chars:
        return 0
    pattern = re.compile(f"[{re.escape(''.join(sorted(chars)))}]+")
    return sum(map(len, pattern.findall(text)))


#: What the script conversion tells its checkpoint, every ``RUNS_PER_CHECKPOINT`` runs.
CONVERTING = "while its text was converted to simplified script"
RUNS_PER_CHECKPOINT = 1_000


def simplify_edits(
    text: str, keep: Sequence[tuple[int, int]] = (), checkpoint: Checkpoint = run_to_end
) -> list[Edit]:
    """Edits converting traditional characters to simplified, one per run of changed characters.

    Spans in ``keep`` (text that still looks mis-decoded) are left as they are: OpenCC would
    rewrite garbage as if it were traditional script, and report it as a script change.
    """
    checkpoint(CONVERTING)
    converted = _kept(text, lexicon.to_simplified_aligned(text), keep)
    if converted == text:
        return []
    note = f"traditional to simplified (OpenCC {lexicon.OPENCC_CONFIG})"
    edits: list[Edit] = []
    for m in _CHANGED_RUN.finditer(_changed_mask(text, converted)):
        if len(edits) % RUNS_PER_CHECKPOINT == 0:
            checkpoint(CONVERTING)
        edits.append(Edit(m.start(), m.end(), converted[m.start() : m.end()], "script", note=note))
    return edits


def _kept(text: str, converted: str, keep: Sequence[tuple[int, int]]) -> str:
    """``converted`` (as long as ``text``) with the ``keep`` spans (may overlap) taken from
    ``text``, joined once: a copy of the whole text per span was quadratic on a long page."""
    if not keep:
        return converted
    parts, cursor = [], 0
    for start, end in sorted(keep):
        start = max(start, cursor)
        if end <= start:
            continue
        parts += [converted[cursor:start], text[start:end]]
        cursor = end
    parts.append(converted[cursor:])
    return "".join(parts)


def _changed_mask(text: str, converted: str) -> bytes:
    """One byte per character of two equally long texts: 1 where they differ, else 0.

    Built from whole-string operations: walking a CJK string character by character creates an
    object per character, which costs more than everything else here.
    """
    size = len(text)
    a = int.from_bytes(text.encode("utf-32-le", "surrogatepass"), "little")
    b = int.from_bytes(converted.encode("utf-32-le", "surrogatepass"), "little")
    differing_bytes = (a ^ b).to_bytes(4 * size, "little").translate(_NONZERO_TO_ONE)
    # A code point fits in the low three of its four bytes: OR them into one byte per character.
    mask = 0
    for low in range(3):
        mask |= int.from_bytes(differing_bytes[low::4], "little")
    return mask.to_bytes(size, "little")


#: A run of Japanese writing: Han, kana (with ``ー``, ``・`` and the iteration marks) and
#: half-width katakana. Chinese punctuation and everything else ends it.
_JAPANESE_PIECE = re.compile(f"[{HAN_RANGES}\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]+")
#: Kana letters (not ``ー``, ``・`` or iteration marks, which Chinese uses in names too).
_KANA_LETTER = re.compile("[\u3041-\u3096\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9d]")
_HIRAGANA = re.compile("[\u3041-\u3096]")
#: A piece needs this many kana letters to be Japanese (one may be a stray ``の``), and at least
#: this share of kana letters among its characters (mis-decoded Chinese shows a kana here and
#: there among many Han characters; Japanese, even kanji-heavy, rarely has fewer).
_MIN_KANA = 2
_MIN_KANA_SHARE = 1 / 6
#: A piece without enough kana is Japanese too when a Japanese piece follows or precedes it
#: across ``、``, or across one bracket when it has a kana itself (``記者会見で「``), or when a
#: hiragana particle follows it across a closing bracket (``「新聞」を``).
_LIST_MARK = "\u3001"
_CLOSING = "\u300d\u300f\uff09)"
_BRACKETS = "\u300c\u300d\u300e\u300f"


def japanese_spans(text: str) -> list[tuple[int, int]]:
    """Spans of Japanese quoted in (Chinese) ``text``: kana-bearing runs and the kanji with them.

    Kept from Chinese repairs: OpenCC would rewrite their kanji as traditional Chinese (東京 to
    东京), and GBK re-reading would take the kana for mis-decoded bytes. A run counts when kana
    letters are a good share of it (and it is not mis-decoded Chinese); the Han words attached to
    it (in it, listed with it by ``、``, or quoted in brackets and followed by a particle) count
    with it.
    """
    if not _KANA_LETTER.search(text):
        return []
    pieces = [match.span() for match in _JAPANESE_PIECE.finditer(text)]
    japanese = [_looks_japanese(text[start:end]) for start, end in pieces]
    for index in range(len(pieces) - 1):
        end, after = pieces[index][1], pieces[index + 1][0]
        if after == end + 1 and text[end] in _CLOSING and _HIRAGANA.match(text, after):
            japanese[index] = japanese[index + 1] = True  # ``「新聞」を``: quoted, then a particle
    between = [text[pieces[k][1] : pieces[k + 1][0]] for k in range(len(pieces) - 1)]

    def joins(index: int, separator: str) -> bool:
        """Whether piece ``index`` joins a Japanese neighbour across ``separator``."""
        if separator == _LIST_MARK:
            return True
        return separator in _BRACKETS and _KANA_LETTER.search(text, *pieces[index]) is not None

    for index in range(1, len(pieces)):  # along each chain, forwards, then backwards
        if not japanese[index] and japanese[index - 1]:
            japanese[index] = joins(index, between[index - 1])
    for index in range(len(pieces) - 2, -1, -1):
        if not japanese[index] and japanese[index + 1]:
            japanese[index] = joins(index, between[index])
    return [span for span, keep in zip(pieces, japanese, strict=True) if keep]


def _looks_japanese(piece: str) -> bool:
    """Enough kana, and not UTF-8 read as GBK (whose GBK bytes re-decode as Chinese)."""
    kana = len(_KANA_LETTER.findall(piece))
    if kana < _MIN_KANA or kana < _MIN_KANA_SHARE * len(piece):
        return False
    redecoded = piece.encode("gbk", errors="replace").decode("utf-8", errors="replace")
    lost = redecoded.count("\ufffd") + redecoded.count("?")
    han = sum(map(len, HAN_RUN.findall(redecoded)))
    return not (han >= 2 and lost * 2 <= len(redecoded))


def detect_language(text: str) -> str:
    """``zh`` when Han characters dominate, ``ja`` when they come with kana, ``ko`` for Hangul,
    ``en`` when Latin letters of English prose dominate, else ``und`` (Cyrillic, Greek, Arabic,
    French, Spanish, ... or nothing).

    Between Chinese and English the sentences vote (see ``_sentence_votes``): a Chinese article
    quoting a long English sentence, or giving a URL, an e-mail address or a code listing, is
    still Chinese. Addresses and code lines never count as English letters.
    """
    prose = _prose(text)
    counts = _ScriptCounts.of(prose)
    if not (counts.han and counts.latin):  # one of the two scripts only: nothing to vote on
        language = _language(counts)
    else:
        language = _language(counts, _sentence_votes(prose))
    if language == "en" and not _reads_as_english(prose):
        return "und"  # French, Spanish, Vietnamese, pinyin...: Latin letters, not English
    return language


#: The commonest English words: in English prose (news included) about a third of the words, in
#: French, German, Spanish, Italian, Vietnamese or pinyin prose almost none.
# fmt: off
_ENGLISH_FUNCTION_WORDS = frozenset({
    "the", "of", "and", "to", "in", "a", "an", "is", "are", "was", "were", "be", "been", "has",
    "have", "had", "it", "its", "that", "this", "for", "on", "with", "as", "by", "at", "from",
    "or", "but", "not", "he", "she", "they", "his", "her", "their", "which", "who", "will",
    "would", "said", "after", "than", "more", "also", "into", "over", "about",
})
# fmt: on
#: The commonest words of French, Spanish, Portuguese, Italian and German that English lacks.
# fmt: off
_OTHER_FUNCTION_WORDS = frozenset({
    "le", "la", "les", "des", "du", "au", "aux", "et", "est", "un", "une", "de", "en", "que",
    "qui", "dans", "pour", "pas", "sur", "par", "el", "los", "las", "del", "y", "una", "por",
    "con", "para", "se", "lo", "al", "da", "do", "dos", "das", "os", "uma", "com", "não", "il",
    "di", "che", "per", "della", "dei", "delle", "gli", "der", "die", "und", "ist", "den",
    "dem", "von", "zu", "mit", "nicht", "auf", "sich", "im",
})
# fmt: on
#: Fewer Latin words than this are taken as English as they are (a headline, a short item).
_MIN_WORDS_TO_JUDGE = 12
#: English prose has far more function words than this share; other Latin-script languages less.
_MIN_ENGLISH_SHARE = 0.1
#: Letters with diacritics (é, ñ, ü, ạ) beyond this share mark a language other than English.
_MAX_ENGLISH_ACCENTED_SHARE = 0.01


def _reads_as_english(prose: str) -> bool:
    """Whether Latin-script ``prose`` is English rather than another Latin-script language.

    ``detect_language`` tells scripts apart; without this, a French or Spanish article was
    "English", and the offline engine passed it off as its own English translation. Not English
    needs both few English function words and a sign of another language (its function words or
    letters with diacritics), so that an English list of names stays English.
    """
    words = [word.lower() for word in _LATIN_RUN.findall(prose)]
    if len(words) < _MIN_WORDS_TO_JUDGE:
        return True
    english = sum(1 for word in words if word in _ENGLISH_FUNCTION_WORDS)
    if english >= _MIN_ENGLISH_SHARE * len(words):
        return True
    other = sum(1 for word in words if word in _OTHER_FUNCTION_WORDS)
    letters = sum(map(len, words))
    accented = sum(1 for word in words for letter in word if not letter.isascii())
    foreign = other >= _MIN_ENGLISH_SHARE * len(words)
    return not (foreign or accented > _MAX_ENGLISH_ACCENTED_SHARE * letters)


#: A URL (with a scheme or ``www.``), an e-mail address, or a bare domain name: letters that are
#: no language's words. The characters are those a URL may hold, so that a URL run into Chinese
#: text without a space (``见https://a.com/x。更多``) ends where the Chinese begins.
_ADDRESS = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|org|net|edu|gov|int|io|cn|hk|tw|uk|us|de|fr|jp"
    r"|info|biz)\b(?:/[A-Za-z0-9\-._~/?#%=&]*)?"
)
#: A line of program code (no Han in it): braces, an assignment or comparison, a call written
#: against its name (``print(x)``, unlike prose's ``word (aside)``), a statement-ending ``;``, or
#: a line opening with a keyword in lower case.
_CODE_LINE = re.compile(
    r"^[^\n]*(?:[{}=]|[A-Za-z0-9_]\(|;[ \t]*$)[^\n]*$"
    r"|^[ \t]*(?:def|class|import|from|return|function|const|let|var|public|private|#include)\b"
    r"[^\n]*$",
    re.MULTILINE,
)
#: Where a sentence ends, for the vote: Chinese and Western sentence punctuation, a Western full
#: stop before a space, or a line break. Not semicolons, which split long English quotes into
#: several votes (an abbreviation splitting an English sentence only adds an English vote to an
#: English sentence's).
_SENTENCE_END = re.compile(r"[\u3002\uff01\uff1f!?\n]+|\.(?=\s|$)")


#: Where a comment opens in a line of code: ``//``, ``/*``, ``<!--``, or ``#`` after a space.
_CODE_COMMENT = re.compile(r"//|/\*|<!--|(?:^|\s)#")


def _prose(text: str) -> str:
    """``text`` without addresses, without lines of code that have no Han in them, and with
    only the comment of a line of code that has Han in one (``int use_id; // 用户id``).

    Identifiers and keywords are no language's words: counted as English, they made a Java
    listing commented in Chinese "English", and the offline engine gave its lines as their own
    English translation.
    """
    without_addresses = _ADDRESS.sub(" ", text)
    if not _CODE_LINE.search(without_addresses):
        return without_addresses
    return _CODE_LINE.sub(_code_line_prose, without_addresses)


def _code_line_prose(line: re.Match[str]) -> str:
    """What a line of code says in words: nothing without Han, else its comment (the whole line
    when no comment opens in it: a Chinese sentence that only looks like code)."""
    text = line.group()
    if not _CJK_RUN.search(text):
        return ""
    comment = _CODE_COMMENT.search(text)
    return text[comment.end() :] if comment is not None else text


def _sentence_votes(text: str) -> tuple[int, int]:
    """How many sentences of ``text`` are Chinese and how many English.

    A sentence is Chinese when it has at least as many Han characters as Latin words: a Han
    character carries less than a word, but the Latin words of a Chinese sentence are mostly
    names (``苹果发布iPhone 16 Pro Max``), while the Han characters of an English sentence are
    quoted terms. Sentences, not letters, decide the article: three short Chinese sentences
    around a forty-word English quote are a Chinese article quoting English.
    """
    chinese = english = 0
    for sentence in _SENTENCE_END.split(text):
        han = sum(map(len, _CJK_RUN.findall(sentence)))
        words = len(_LATIN_RUN.findall(sentence))
        if han and han >= words:
            chinese += 1
        elif words:
            english += 1
    return chinese, english


def chinese_repairs_apply(text: str) -> bool:
    """Whether the GBK mojibake repairs and OpenCC conversion may touch ``text``.

    Judged on the whole text's dominant script, not on any occurrence: Japanese kanji are not
    traditional Chinese to simplify and kana are not mis-decoded Han, Hangul and Cyrillic words
    score as implausible Chinese; yet a Chinese article quoting a Japanese or Russian name (or
    whose garbage happens to include kana or Cyrillic, both in GBK) is still repaired as Chinese.
    """
    counts = _ScriptCounts.of(text)
    language = _language(counts)
    if language in ("ja", "ko"):
        return False
    # ``und`` with letters of another script (Cyrillic, Greek, Arabic, ...) dominating them, or
    # more of those letters than Han characters (English text quoting Macedonian: mis-decoded
    # Chinese is mostly Han, while the GBK repair would read the Cyrillic words as garbage).
    return not (language == "und" and counts.other > 0) and counts.other <= counts.han


@dataclass(frozen=True)
class _ScriptCounts:
    """Letters of ``text`` per script."""

    han: int
    latin: int
    kana: int
    hangul: int
    other: int

    @classmethod
    def of(cls, text: str) -> _ScriptCounts:
        # Runs, not single characters: far fewer strings to build for the same counts.
        han = sum(map(len, _CJK_RUN.findall(text)))
        latin = sum(map(len, _LATIN_RUN.findall(text)))
        kana = sum(map(len, _KANA_RUN.findall(text)))
        hangul = sum(map(len, _HANGUL_RUN.findall(text)))
        letters = sum(map(len, _LETTER_RUN.findall(text)))
        # Letters of any other script (Cyrillic, Greek, Arabic, ...): never English.
        other = max(0, letters - han - latin - kana - hangul)
        return cls(han, latin, kana, hangul, other)


def _language(counts: _ScriptCounts, votes: tuple[int, int] | None = None) -> str:
    """The language ``detect_language`` reports for these counts and sentence ``votes``
    (Chinese, English); without votes, or when they tie, the letters decide."""
    han, latin, kana, hangul, other = (
        counts.han,
        counts.latin,
        counts.kana,
        counts.hangul,
        counts.other,
    )
    if kana >= 2 and kana * 5 >= han + kana:  # Japanese: kana are a fifth of its CJK or more
        return "ja"
    if hangul >= 2 and hangul * 3 >= max(han * 3, latin, other):
        return "ko"
    if han == 0 and latin == 0:
        return "und"
    if votes is not None and votes[0] != votes[1]:
        chinese = votes[0] > votes[1]
    else:  # a Han character carries about as much as a short Latin word: weigh them accordingly
        chinese = han * 3 >= latin
    if chinese:
        return "zh" if han >= 2 and han * 3 >= other else "und"
    return "en" if latin >= other else "und"
