"""HTML pages to paragraph text, and stray markup inside plain text.

Scraped articles come either as whole pages (extract the text, one paragraph per block element) or
as text with leftovers of markup (a literal ``</p>``, ``&nbsp;``). The first is a decoding step; the
second is a repair that is recorded like any other.
"""

from __future__ import annotations

import html
import re

from summarizer.text.repair.edits import Edit

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "figure",
        "figcaption",
        "hr",
        "main",
        "aside",
        "nav",
        "address",
    ]
)
_DROPPED_TAGS = ("script", "style", "noscript", "template", "head", "iframe", "svg", "object")
_KNOWN_TAGS = _BLOCK_TAGS | frozenset(
    [
        "a",
        "b",
        "i",
        "u",
        "em",
        "strong",
        "span",
        "font",
        "img",
        "sup",
        "sub",
        "small",
        "big",
        "center",
        "td",
        "th",
        "thead",
        "tbody",
        "html",
        "body",
        "title",
        "meta",
        "link",
        "ruby",
        "rt",
        "rp",
    ]
)

_DOCUMENT_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|article|section)\b",
    re.IGNORECASE | re.DOTALL,
)
#: Attributes with values only: in plain text, ``<b and c>`` is more likely prose than markup.
_ATTRIBUTE = r"""\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_TAG = re.compile(rf"</?([a-zA-Z][a-zA-Z0-9]*)(?:{_ATTRIBUTE})*\s*/?>")
#: A closing tag whose "<" was swallowed with a mis-decoded byte into "?" (``成效?/p>``).
_HALF_TAG = re.compile(r"(?<=\?)/([a-zA-Z][a-zA-Z0-9]*)>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def looks_like_html(text: str) -> bool:
    """A whole HTML page or fragment (not plain text with a stray tag or two)."""
    if _DOCUMENT_START.match(text):
        return True
    tags = [m.group(1).lower() for m in _TAG.finditer(text[:200_000])]
    known = [tag for tag in tags if tag in _KNOWN_TAGS]
    block_openers = sum(1 for tag in known if tag in ("p", "div", "br", "li", "h1", "h2", "h3"))
    return len(known) >= 4 and block_openers >= 2


def html_to_text(markup: str) -> str:
    """Visible text of a page: one line per block element, entities unescaped, scripts dropped."""
    from bs4 import BeautifulSoup
    from bs4.element import (
        Comment,
        Declaration,
        Doctype,
        NavigableString,
        ProcessingInstruction,
        Tag,
    )

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(_DROPPED_TAGS):
        tag.decompose()
    pieces: list[str] = []

    def walk(node: Tag, preformatted: bool) -> None:
        for child in node.children:
            if isinstance(child, Comment | Doctype | Declaration | ProcessingInstruction):
                continue
            if isinstance(child, NavigableString):
                text = str(child)
                pieces.append(text if preformatted else _SPACE.sub(" ", text))
            elif isinstance(child, Tag):
                name = child.name.lower()
                if name in ("rt", "rp"):
                    continue  # ruby annotations (pinyin) are not article text
                block = name in _BLOCK_TAGS
                if block:
                    pieces.append("\n")
                walk(child, preformatted or name == "pre")
                if block:
                    pieces.append("\n")

    walk(soup, False)
    return "".join(pieces)


def stray_markup_edits(text: str) -> list[Edit]:
    """Remove leftover tags and unescape entities found inside plain text, as recorded edits."""
    edits: list[Edit] = []
    for match in _TAG.finditer(text):
        name = match.group(1).lower()
        if name not in _KNOWN_TAGS:
            continue
        start, end = match.span()
        at_line_edge = (start == 0 or text[start - 1] == "\n") or (
            end == len(text) or text[end] == "\n"
        )
        replacement = "\n" if name in _BLOCK_TAGS and not at_line_edge else ""
        edits.append(
            Edit(
                start, end, replacement, "html_tag",
                note=f"removed stray HTML tag {match.group(0)!r}",
                warning=("stray_html", f"removed a stray HTML tag {match.group(0)!r}"),
            )
        )  # fmt: skip
    for match in _HALF_TAG.finditer(text):
        if match.group(1).lower() not in _KNOWN_TAGS:
            continue
        edits.append(
            Edit(
                match.start(), match.end(), "", "html_tag",
                note=f"removed stray HTML tag {match.group(0)!r} (its '<' was lost to '?')",
                warning=("stray_html", f"removed a stray HTML tag {match.group(0)!r} whose '<' "
                         "was lost to '?' with a mis-decoded byte"),
            )
        )  # fmt: skip
    taken = [(edit.start, edit.end) for edit in edits]
    for match in _ENTITY.finditer(text):
        start, end = match.span()
        if any(a <= start < b for a, b in taken):
            continue
        value = html.unescape(match.group(0))
        if value == match.group(0):
            continue
        edits.append(Edit(start, end, value, "html_entity", note=f"unescaped {match.group(0)}"))
    return edits
