"""Human-readable renderings of results (Markdown for people, JSON for machines)."""

from __future__ import annotations

import re

from summarizer.schema import ArticleSummary, InputWarning, Repair
from summarizer.text.chars import CONTROL_CHARACTERS
from summarizer.text.document import Document


def summary_to_json(summary: ArticleSummary, *, indent: int | None = 2) -> str:
    return summary.model_dump_json(indent=indent)


#: Shown where a name has no English form (``name_en`` null): the offline engine's glossary does
#: not know the body, or a transliterated foreign name cannot be romanized by pinyin.
NO_ENGLISH_NAME = "(no English name)"

#: Characters that can start Markdown structure or raw HTML anywhere in a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|!~&])")
#: What makes a line a heading, list item, quote or setext underline when it starts it.
_MD_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+[.)])")


def _visible_controls(text: str) -> str:
    """Control characters as ``\\xNN`` text: a terminal showing the Markdown runs no escape
    sequence from an article or a model."""
    return CONTROL_CHARACTERS.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _md_escape(text: str) -> str:
    """Article or model text as inert Markdown: no HTML, links, emphasis or block structure.

    Everything that could open a tag (``<``), an entity (``&``), a link or image (``[``, ``!``),
    code, emphasis or a table is backslash-escaped, which CommonMark renders as the character
    itself; line breaks are folded into spaces so that no line of it can start a block; control
    characters are written out as ``\\xNN``.
    """
    text = _visible_controls(" ".join(text.split()))
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


def summary_to_markdown(summary: ArticleSummary) -> str:
    lines: list[str] = []
    meta = summary.meta
    lines.append(f"# {_md_escape(summary.headline_en or '(no English headline)')}")
    lines.append("")
    if summary.summary_en:
        lines += [_md_escape(summary.summary_en), ""]
    if summary.key_points:
        lines.append("## Key points")
        for point in summary.key_points:
            text = _md_escape(point.text_en) if point.text_en else "(extracted)"
            lines.append(f"- {text}  \n  > {_md_escape(point.evidence)}")
        lines.append("")
    if summary.people:
        lines.append("## People")
        for person in summary.people:
            role = f": {_md_escape(person.role_en)}" if person.role_en else ""
            written = _md_escape(person.name_as_written)
            role_written = (
                f" ({_md_escape(person.role_as_written)})" if person.role_as_written else ""
            )
            if person.name_en:
                name = f"**{_md_escape(person.name_en)}** {written}"
            else:  # said in words: a bare "?" reads like a character lost to mis-decoding
                name = f"**{written}** {NO_ENGLISH_NAME}"
            lines.append(f"- {name}{role}{role_written}")
        lines.append("")
    for title, entities in (("Organizations", summary.organizations), ("Places", summary.places)):
        if entities:
            lines.append(f"## {title}")
            for entity in entities:
                written = _md_escape(entity.name_as_written)
                if entity.name_en:
                    lines.append(f"- {_md_escape(entity.name_en)} ({written})")
                else:
                    lines.append(f"- {written} {NO_ENGLISH_NAME}")
            lines.append("")
    if summary.events:
        lines.append("## Events")
        for event in summary.events:
            when = event.date_iso or event.date_as_written or "undated"
            lines.append(
                f"- {_md_escape(when)}: {_md_escape(event.description_en or '(no English)')}"
            )
        lines.append("")
    if summary.topics:
        lines += ["## Topics", ", ".join(_md_escape(topic) for topic in summary.topics), ""]
    if summary.translation is not None:
        lines.append("## Translation")
        for paragraph in summary.translation.paragraphs_en:
            lines += [_md_escape(paragraph), ""]
    if summary.source.warnings:
        lines.append("## Input warnings")
        for warning in summary.source.warnings:
            lines.append(f"- {_md_escape(warning.code)}: {_md_escape(warning.message)}")
        lines.append("")
    if meta.status:
        lines.append("## Not done")
        for field, reason in meta.status.items():
            lines.append(f"- {_md_escape(field)}: {_md_escape(reason)}")
        lines.append("")
    model = f", model {meta.model}" if meta.model else ""
    prompt = (
        f", prompt {meta.prompt_template}@{meta.prompt_version}" if meta.prompt_template else ""
    )
    calls = f"; call log: {', '.join(meta.call_ids)}" if meta.call_ids else ""
    made = (
        f"engine {meta.engine}{model}{prompt}; {meta.attempts} call(s), "
        f"{meta.usage.total_tokens} tokens, {meta.latency_ms:.0f} ms{calls}"
    )
    lines.append(f"*{_md_escape(made)}*")
    return "\n".join(lines) + "\n"


def repairs_to_text(document: Document) -> str:
    """The repair list of ``summarizer normalize``: one line per change, with both offsets."""
    lines = [f"# {len(document.repairs)} repair(s), {len(document.warnings)} warning(s)"]
    lines += [_repair_line(repair) for repair in document.repairs]
    lines += [_warning_line(warning) for warning in document.warnings]
    return "\n".join(lines) + "\n"


def _warning_line(warning: InputWarning) -> str:
    """``warning CODE at 10-12: message``; whole-text warnings have no offsets to show."""
    if warning.start is None:
        where = ""
    elif warning.end is None or warning.end == warning.start:
        where = f" at {warning.start}"
    else:
        where = f" at {warning.start}-{warning.end}"
    return f"warning {warning.code}{where}: {warning.message}"


def _repair_line(repair: Repair) -> str:
    certainty = "" if repair.certain else " (uncertain)"
    return (
        f"{repair.kind}{certainty} original[{repair.original_start}:{repair.original_end}]"
        f" {repair.original!r} -> normalized[{repair.normalized_start}:{repair.normalized_end}]"
        f" {repair.replacement!r}" + (f" : {repair.note}" if repair.note else "")
    )
