"""``prepare``: from raw scraped bytes or text to a clean, traceable ``Document``.

The stages run in an order that matters: markup leftovers go first (a stray ``/p>`` would hide a
run's end), mis-decoded runs are repaired before pinyin is removed (their lost-byte markers look
like damaged annotations), and script conversion comes after both (OpenCC would rewrite mojibake
and annotated characters). Every stage is an ``Edit`` list applied through one ``EditTracker``, so
each change is recorded with offsets into both the original and the final text.
"""

from __future__ import annotations

from summarizer.errors import EmptyInputError, InputError
from summarizer.text.document import Document
from summarizer.text.repair import html, mojibake, normalize, pinyin, script, segment
from summarizer.text.repair.decode import decode
from summarizer.text.repair.edits import EditTracker


def prepare(raw: str | bytes, *, source_name: str | None = None) -> Document:
    """Decode, repair, normalize and segment one article.

    ``Document.original`` is the decoded text with line ends normalized to "\\n" (for an HTML page:
    its extracted visible text); every ``Repair`` and ``Document.offset_map`` point into it.
    Raises ``EmptyInputError``, ``BinaryInputError`` or ``UndecodableInputError`` (all
    ``InputError``) with a message that says what to do.
    """
    try:
        decoded = decode(raw)
    except InputError as error:
        if source_name is None:
            raise
        raise type(error)(f"{source_name}: {error.message}") from None
    text = decoded.text
    was_html = html.looks_like_html(text)
    if was_html:
        text = html.html_to_text(text)
        if not text.strip():
            where = f"{source_name}: " if source_name else ""
            raise EmptyInputError(
                f"{where}the HTML page has no visible text; pass the article's page or its text"
            )
    original = text
    script_name = script.detect_script(original)
    tracker = EditTracker(original)
    if was_html:
        tracker.warn("html_extracted", "the input was an HTML page; its visible text was used")
    if decoded.replaced:
        tracker.warn(
            "invalid_bytes",
            f"{decoded.replaced} invalid byte sequence(s) in the {decoded.encoding} input were "
            "replaced by U+FFFD; the text there is lost",
        )
    tracker.apply(normalize.unicode_edits(tracker.text))
    if not was_html:
        tracker.apply(html.stray_markup_edits(tracker.text))
    tracker.apply(mojibake.mojibake_edits(tracker.text))
    tracker.apply(pinyin.annotation_edits(tracker.text))
    conversions = script.simplify_edits(tracker.text)
    tracker.apply(conversions)
    if conversions:
        changed = sum(edit.end - edit.start for edit in conversions)
        tracker.warn(
            "script_converted",
            f"converted {changed} traditional characters to simplified (OpenCC "
            f"{script.OPENCC_CONFIG}); the original script is kept in the repairs",
        )
    tracker.apply(normalize.width_edits(tracker.text))
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
    paragraph_spans = segment.paragraphs(final)
    return Document(
        original=original,
        text=final,
        language=script.detect_language(final),
        script=script_name,
        encoding=decoded.encoding,
        paragraphs=paragraph_spans,
        sentences=segment.sentences(final, paragraph_spans),
        repairs=tracker.repairs(),
        warnings=tracker.warnings(),
        offset_map=tracker.offset_map(),
    )
