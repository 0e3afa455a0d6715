"""``prepare``: from raw scraped bytes or text to a clean, traceable ``Document``.

The stages run in an order that matters: UTF-8 read as a single-byte code page (Windows-1252,
Latin-1, Windows-1251, KOI8-R...) is repaired before control characters go (its C1 controls are
bytes the repair needs); markup leftovers go before the GBK repairs (a stray ``/p>`` would hide
a run's end); mis-decoded runs are repaired before pinyin is removed (their lost-byte markers look
like damaged annotations); script conversion comes after both, and never inside what still looks
mis-decoded or was lost (OpenCC would rewrite garbage as if it were traditional script). What
cannot be repaired is said: lost text (``text_lost``), suspected mis-decoding
(``mojibake_suspected``), pinyin kept as intentional (``pinyin_kept``). Every stage is an ``Edit``
list applied through one ``EditTracker``, so each change is recorded with offsets into both the
original and the final text.
"""

from __future__ import annotations

import re

from summarizer.errors import EmptyInputError, InputError, NoArticleError
from summarizer.text.document import Checkpoint, Document, run_to_end
from summarizer.text.published import publication_date_in_text
from summarizer.text.repair import (
    codepage_mojibake,
    html,
    mojibake,
    normalize,
    pinyin,
    script,
    segment,
)
from summarizer.text.repair.decode import decode
from summarizer.text.repair.edits import EditTracker

#: Characters already lost when the input arrived: U+FFFD runs, with up to three stray characters
#: between them (GBK bytes read as UTF-8 leave a few valid but meaningless characters).
_LOST_RUN = re.compile("\ufffd(?:[^\n\ufffd]{0,3}\ufffd)*")


def _warn_lost_text(tracker: EditTracker) -> None:
    """A located warning for every stretch the input already lost (nothing can repair it)."""
    for match in _LOST_RUN.finditer(tracker.text):
        count = match.group(0).count("\ufffd")
        tracker.warn(
            "text_lost",
            f"{count} character(s) here arrived as U+FFFD (bytes that were not valid in the "
            "encoding they were read with, typically GBK read as UTF-8): that text is lost and "
            "was not repaired; check the source",
            match.start(),
            match.end(),
        )


#: Characters next to lost bytes that are likely garbled too (up to three uncommon ones, up to a
#: space, ASCII or punctuation): a mis-decoding rarely ends exactly where the decoder gave up.
_GARBLED_NEIGHBOURS = 3
_UNCOMMON = -10.0
_NOT_GARBLE = re.compile(r"[\x00-\x7f\s\u3000-\u303f\uff01-\uff5e\u2018-\u201d]")


def _with_garbled_neighbours(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of lost bytes widened by the characters beside it that may be garbled."""
    for _ in range(_GARBLED_NEIGHBOURS):
        if start > 0 and _garbled(text[start - 1]):
            start -= 1
    for _ in range(_GARBLED_NEIGHBOURS):
        if end < len(text) and _garbled(text[end]):
            end += 1
    return start, end


def _garbled(char: str) -> bool:
    """An uncommon character (judged on its simplified form) that is not punctuation."""
    return not _NOT_GARBLE.match(char) and mojibake.score(char) < _UNCOMMON


#: A whole word in Cyrillic or in kana: a Russian or Japanese name quoted in a Chinese article.
#: Mis-decoded GBK can show such letters, but not as a run of them standing alone as a word.
_FOREIGN_WORD = re.compile("[\u0400-\u04ff]{2,}|[\u3040-\u30ff]{2,}")


def _foreign_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole word of Cyrillic or kana letters."""
    if not _FOREIGN_WORD.fullmatch(text, start, end):
        return False
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalpha() and not after.isalpha()


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` blanked out (same length), so no cluster of rare characters found
    in it runs from Japanese quoted in the article into the Chinese next to it."""
    if not spans:
        return text
    parts, cursor = [], 0
    for start, end in spans:
        parts += [text[cursor:start], " " * (end - start)]
        cursor = end
    parts.append(text[cursor:])
    return "".join(parts)


def _japanese(text: str, start: int, end: int, japanese: list[tuple[int, int]]) -> bool:
    """Whether every letter of ``text[start:end]`` lies in Japanese quoted in the article (the
    span may run over the ``、`` between two Japanese runs)."""
    overlapping = [(a, b) for a, b in japanese if a < end and start < b]
    rest, cursor = [], start
    for a, b in overlapping:  # sorted, as found
        rest.append(text[cursor : max(cursor, a)])
        cursor = max(cursor, min(b, end))
    rest.append(text[cursor:end])
    return bool(overlapping) and not any(char.isalpha() for char in "".join(rest))


def _unrepaired_spans(
    tracker: EditTracker, japanese: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """What still looks mis-decoded or lost after repair: warned about, and kept from OpenCC.

    Japanese quoted in the article (``japanese``) is not suspected: its kanji are rare in Chinese.
    """
    suspected = [
        span
        for span in mojibake.suspected_spans(_masked(tracker.text, japanese))
        if not _foreign_word(tracker.text, *span) and not _japanese(tracker.text, *span, japanese)
    ]
    for start, end in suspected:
        tracker.warn(
            "mojibake_suspected",
            f"{tracker.text[start:end]!r} looks mis-decoded but could not be repaired; it is kept "
            "as it is (not converted) and should not be trusted",
            start,
            end,
        )
    lost = [
        _with_garbled_neighbours(tracker.text, *m.span()) for m in _LOST_RUN.finditer(tracker.text)
    ]
    flagged = [
        (warning.start, warning.end)
        for warning in tracker.warnings()
        if warning.code == "mojibake_suspected" and warning.start is not None
        and warning.end is not None
    ]  # fmt: skip
    return sorted(suspected + lost + flagged)


def _warn_html(tracker: EditTracker, page: html.PageText) -> None:
    """Say which text of the page was used; a page without a recognised article warns apart."""
    if page.found == "article":
        tracker.warn(
            "html_extracted",
            "the input was an HTML page; its article text was used (navigation, sidebars, "
            "comments and footer left out)",
        )
    elif page.found == "fragment":
        tracker.warn(
            "html_extracted",
            "the input was HTML without a page around it (an article's own markup); all its "
            "visible text was used",
        )
    else:
        tracker.warn(
            "html_extracted",
            "the input was an HTML page in which no article was recognised; its text outside "
            "navigation, footers and link lists was used",
        )
        chars = len(re.sub(r"\s+", "", page.text))
        tracker.warn(
            "no_article",
            f"no article was recognised in the HTML page: the {chars} character(s) of text used "
            "(outside its navigation, footers and link lists) may not be one; check them",
        )


#: What ``prepare`` tells its checkpoint it was doing (the deadline's message goes on with it).
REPAIRING = "while its text was repaired"


def prepare(
    raw: str | bytes, *, source_name: str | None = None, checkpoint: Checkpoint = run_to_end
) -> Document:
    """Decode, repair, normalize and segment one article.

    ``Document.original`` is the decoded text with line ends normalized to "\\n" (for an HTML page:
    its extracted visible text); every ``Repair`` and ``Document.offset_map`` point into it.
    Raises ``EmptyInputError``, ``BinaryInputError`` or ``UndecodableInputError`` (all
    ``InputError``) with a message that says what to do. ``checkpoint`` is called between the
    stages and inside the long ones (per run, per paragraph); what it raises stops the work.
    """
    try:
        decoded = decode(raw)
    except InputError as error:
        if source_name is None:
            raise
        raise type(error)(f"{source_name}: {error.message}") from None
    text = decoded.text
    was_html = html.looks_like_html(text)
    page: html.PageText | None = None
    published = html.publication_date(text) if was_html else None
    if was_html:
        page = html.page_text(text)
        text = page.text
        where = f"{source_name}: " if source_name else ""
        if not page.had_visible_text:
            raise EmptyInputError(
                f"{where}the HTML page has no visible text; pass the article's page or its text"
            )
        if not text.strip():
            raise NoArticleError(
                f"{where}no article text was found in the HTML page (only navigation, footers, "
                "link lists or notices such as a login or cookie prompt); pass the article's "
                "page or its text"
            )
    original = text
    checkpoint(REPAIRING)
    script_name = script.detect_script(original)
    tracker = EditTracker(original, checkpoint)
    if page is not None:
        _warn_html(tracker, page)
    if decoded.replaced:
        tracker.warn(
            "invalid_bytes",
            f"{decoded.replaced} invalid byte sequence(s) in the {decoded.encoding} input were "
            "replaced by U+FFFD; the text there is lost",
        )
    _warn_lost_text(tracker)
    # Before control characters go: C1 controls are bytes of UTF-8 read as Latin-1 (or ISO 8859).
    tracker.apply(codepage_mojibake.codepage_mojibake_edits(tracker.text))
    checkpoint(REPAIRING)
    tracker.apply(normalize.unicode_edits(tracker.text))
    if not was_html:
        named_html = (source_name or "").lower().endswith((".html", ".htm"))
        tracker.apply(html.stray_markup_edits(tracker.text, named_html=named_html))
    # GBK mis-decoding and OpenCC are Chinese repairs: Japanese, Korean or Russian text is left as
    # it is (kanji are not traditional Chinese, kana, Hangul and Cyrillic are not garbage).
    chinese = script.chinese_repairs_apply(tracker.text)
    if chinese:
        # Japanese quoted in a Chinese article is neither GBK garbage nor traditional Chinese.
        japanese = script.japanese_spans(tracker.text)
        tracker.apply(mojibake.mojibake_edits(tracker.text, japanese, checkpoint=checkpoint))
    checkpoint(REPAIRING)
    annotations, decision = pinyin.annotation_edits_and_decision(tracker.text, checkpoint)
    tracker.apply(annotations)
    if decision.annotations and not decision.remove:
        tracker.warn(
            "pinyin_kept",
            f"kept {decision.annotations} pinyin annotation(s): only {decision.traditional_only} "
            "annotate traditional-only characters, so they read as ruby printed for readers "
            "(a text for learners, a note on how a character is read), not as scraping leftovers",
        )
    checkpoint(REPAIRING)
    conversions = []
    if chinese:
        japanese = script.japanese_spans(tracker.text)
        keep = sorted(_unrepaired_spans(tracker, japanese) + japanese)
        conversions = script.simplify_edits(tracker.text, keep, checkpoint)
    checkpoint(REPAIRING)
    tracker.apply(conversions)
    if conversions:
        changed = sum(edit.end - edit.start for edit in conversions)
        tracker.warn(
            "script_converted",
            f"converted {changed} traditional characters to simplified (OpenCC "
            f"{script.OPENCC_CONFIG}); the original script is kept in the repairs",
        )
    checkpoint(REPAIRING)
    tracker.apply(normalize.width_edits(tracker.text))
    checkpoint(REPAIRING)
    tracker.apply(normalize.space_edits(tracker.text))
    tracker.apply(normalize.collapse_edits(tracker.text))
    tracker.apply(normalize.trim_edits(tracker.text))
    tracker.apply(normalize.blank_line_edits(tracker.text))
    final = tracker.text
    if not final.strip():
        where = f"{source_name}: " if source_name else ""
        raise EmptyInputError(
            f"{where}the input has no text left after removing markup and invisible characters; "
            "pass the article's text"
        )
    published = published or publication_date_in_text(final)
    paragraph_spans = segment.paragraphs(final)
    sentences = segment.sentences(final, paragraph_spans, checkpoint)
    repairs = tracker.repairs(checkpoint)
    checkpoint(REPAIRING)
    warnings = tracker.warnings()
    checkpoint(REPAIRING)
    language = script.detect_language(final)
    checkpoint(REPAIRING)
    return Document(
        original=original,
        text=final,
        language=language,
        script=script_name,
        encoding=decoded.encoding,
        paragraphs=paragraph_spans,
        sentences=sentences,
        repairs=repairs,
        warnings=warnings,
        offset_map=tracker.offset_map(),
        published=published.isoformat() if published else None,
    )
