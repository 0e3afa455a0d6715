"""HTML pages to paragraph text, and stray markup inside plain text.

Scraped articles come either as whole pages (extract the text, one paragraph per block element) or
as text with leftovers of markup (a literal ``</p>``, ``&nbsp;``). The first is a decoding step; the
second is a repair that is recorded like any other.
"""

from __future__ import annotations

import datetime
import html
import logging
import re
from dataclasses import dataclass

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

    soup = BeautifulSoup(ruby_as_parentheses(markup), "html.parser")
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
                    continue  # ruby text left after ``ruby_as_parentheses`` (malformed markup)
                block = name in _BLOCK_TAGS
                if block:
                    pieces.append("\n")
                walk(child, preformatted or name == "pre")
                if block:
                    pieces.append("\n")

    walk(soup, False)
    return "".join(pieces)


_SPACES_ANYWHERE = re.compile(r"\s+")
_WHOLE_PAGE = re.compile(r"<(?:!doctype\s+html|html|body)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PageText:
    """What of an HTML page is used as the article, and how it was found."""

    #: The lines used, joined by "\n"; empty when the page has no text outside its boilerplate.
    text: str
    #: "article" (trafilatura found one), "fragment" (markup without a page: all of it is text),
    #: or "remainder" (no article found: the text outside navigation, footers and link lists).
    found: str
    #: The page's visible text had something (navigation, a footer...), even when ``text`` is empty.
    had_visible_text: bool


#: trafilatura's article is refused when it is at most this many paragraphs, short
#: (``_NOTICE_CHARS``) and all inside what its own rules discard: a cookie or login notice taken
#: for the article. Otherwise it is kept even then: the class rules also match containers that
#: hold real articles ("content-with-sidebar", "Page-ad-margins", "widget Blog": 18 of the 181
#: real pages of Zyte's article extraction benchmark).
_NOTICE_PARAGRAPHS = 2
#: ... and shorter than this (non-space characters): a paywalled page's two-paragraph teaser
#: (WSJ, in the same benchmark) is what there is to summarize.
_NOTICE_CHARS = 300

#: Without a recognised article, less than this many non-space characters outside the page's
#: boilerplate is a login wall, a cookie notice or an error message, not news to summarize.
MIN_REMAINDER_CHARS = 80


def page_text(markup: str) -> PageText:
    """The text of an HTML page or fragment to summarize; empty when there is only boilerplate.

    A page: trafilatura's article (``article_text``), unless it is a paragraph or two all inside
    what trafilatura itself discards as boilerplate (a cookie notice taken for the article); else
    the text left after trafilatura's boilerplate rules and our link-list filter (``remainder``),
    kept only from ``MIN_REMAINDER_CHARS`` non-space characters on. A fragment keeps every
    visible line unless all of them are boilerplate (a ``<nav>`` and a ``<footer>``).
    """
    visible = [line.strip() for line in html_to_text(markup).split("\n") if line.strip()]
    remainder = _non_boilerplate_lines(markup)
    if not _WHOLE_PAGE.search(markup[:5000]):
        text = "\n".join(visible) if remainder else ""
        return PageText(text, "fragment", bool(visible))
    article = article_text(markup)
    if article is not None:
        lines = article.split("\n")
        kept = {_squashed(line) for line in remainder}
        notice = len(lines) <= _NOTICE_PARAGRAPHS and len(_squashed(article)) < _NOTICE_CHARS
        if not notice or any(_squashed(line) in kept for line in lines):
            return PageText(article, "article", True)
    enough = sum(len(_squashed(line)) for line in remainder) >= MIN_REMAINDER_CHARS
    return PageText("\n".join(remainder) if enough else "", "remainder", bool(visible))


def _non_boilerplate_lines(markup: str) -> list[str]:
    """Visible lines outside what trafilatura discards as boilerplate, link lists left out.

    trafilatura's own rules decide what is boilerplate: the elements it always removes
    (``<nav>``, ``<footer>``, ``<aside>``, forms, buttons...) and the containers its discard
    expressions match (navigation, footer, sidebar, cookie notice, share bar, related links...).
    """
    from lxml import etree
    from lxml.html import HtmlElement
    from trafilatura import load_html
    from trafilatura.settings import MANUALLY_CLEANED
    from trafilatura.xpaths import OVERALL_DISCARD_XPATH

    tree = load_html(_for_lxml(markup))
    if not isinstance(tree, HtmlElement):
        return []
    # Not <form>: whole pages are one (ASP.NET), and trafilatura handles forms apart.
    boilerplate = [*tree.iter(*(tag for tag in MANUALLY_CLEANED if tag != "form"))]
    boilerplate += [node for expression in OVERALL_DISCARD_XPATH for node in expression(tree)]
    for node in boilerplate:
        if isinstance(node, HtmlElement) and node.getparent() is not None:
            node.drop_tree()  # keeps the text after the element (its tail)
    pruned = etree.tostring(tree, encoding="unicode", method="html")
    links = _link_texts(pruned)
    lines = [line.strip() for line in html_to_text(pruned).split("\n")]
    return [line for line in lines if line and not _only_links(line, links)]


#: ``</body>`` and ``</html>``, which HTML lets a page leave out: lxml (and so trafilatura) drops
#: all that follows one, and pages assembled from parts can have one in the middle (gov.cn's
#: header template ends with ``</html>``, before the article).
_DOCUMENT_END_TAG = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


def _for_lxml(markup: str) -> str:
    """``markup`` as lxml should read it: ruby as parentheses, no early end of the document."""
    return _DOCUMENT_END_TAG.sub("", ruby_as_parentheses(markup))


def article_text(markup: str) -> str | None:
    """The article of a page without its navigation, sidebars, comments and footer.

    trafilatura (made for exactly this) decides which text is the article; the lines are our own
    (``html_to_text``: one per block, ``<br>`` kept, ruby pinyin dropped), kept when trafilatura
    kept their text, so paragraphs split as before. The headline goes first. None when
    trafilatura finds no article (a page of links) or the markup is a fragment rather than a page:
    then the caller keeps all visible text.
    """
    if not _WHOLE_PAGE.search(markup[:5000]):
        return None  # a fragment (an article's own markup): every line of it is text
    import trafilatura

    # Its fallbacks log a warning for every page they give up on; that is not the user's news.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    extracted = trafilatura.bare_extraction(
        _for_lxml(markup), favor_precision=True, with_metadata=True
    )
    text, title = getattr(extracted, "text", None), getattr(extracted, "title", None)
    if not isinstance(text, str) or not text:
        return None
    kept = _squashed(text)
    title = title.strip() if isinstance(title, str) else ""
    lines = [line.strip() for line in html_to_text(markup).split("\n")]
    links = _link_texts(markup)
    article = [
        line for line in lines if line and _squashed(line) in kept and not _only_links(line, links)
    ]
    if not article:
        return None
    if title and _squashed(title) not in _squashed(article[0]):
        heading = next((line for line in lines if line and _squashed(line) == _squashed(title)), "")
        if heading:
            article.insert(0, heading)
    return "\n".join(article)


def publication_date(markup: str) -> datetime.date | None:
    """The page's publication date from its markup, when it states one.

    htmldate reads what pages state (``article:published_time`` and other meta tags, JSON-LD
    ``datePublished``, ``<time>`` elements); its extensive search, which guesses from any date in
    the text or the URL, is off: a deadline quoted in the article is no publication date.
    """
    if not _WHOLE_PAGE.search(markup[:5000]):
        return None
    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        found = find_date(markup, extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None
    try:
        return datetime.date.fromisoformat(found) if found else None
    except ValueError:
        return None


#: What separates menu entries on a line: nothing of the article is left once links are gone.
_MENU_PUNCTUATION = re.compile(r"[|｜>＞»/·•、,，:：\[\]【】()（）\-—_]+")


def _link_texts(markup: str) -> list[str]:
    """The texts of the page's links, longest first (menus, headlines of other articles)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    texts = {_squashed(anchor.get_text()) for anchor in soup.find_all("a")}
    return sorted((text for text in texts if text), key=len, reverse=True)


def _only_links(line: str, links: list[str]) -> bool:
    """Whether ``line`` is made of link texts and menu punctuation only."""
    rest = _squashed(line)
    for link in links:
        if link in rest:
            rest = rest.replace(link, "")
            if not rest:
                return True
    return not _MENU_PUNCTUATION.sub("", rest)


def _squashed(text: str) -> str:
    return _SPACES_ANYWHERE.sub("", text)


_RUBY_PARENTHESES = re.compile(r"<rp\b[^>]*>.*?</rp\s*>", re.IGNORECASE | re.DOTALL)
_RUBY_TEXT = re.compile(r"<rt\b[^>]*>(.*?)</rt\s*>", re.IGNORECASE | re.DOTALL)
_PINYIN_LETTERS = re.compile(r"[a-zA-ZāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜÜ' ]+")


def ruby_as_parentheses(markup: str) -> str:
    """``<ruby>區<rt>qū</rt></ruby>`` as ``區(qū)``; other ruby text (bopomofo, kana) dropped.

    Whether pinyin is a scraping leftover or printed for readers is the pinyin stage's decision
    (it removes the former as recorded repairs and keeps the latter), so markup hands it over
    in the form it knows instead of dropping it unseen.
    """
    if "<rt" not in markup and "<RT" not in markup:
        return markup
    markup = _RUBY_PARENTHESES.sub("", markup)

    def rewrite(match: re.Match[str]) -> str:
        reading = html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()
        return f"({reading})" if reading and _PINYIN_LETTERS.fullmatch(reading) else ""

    return _RUBY_TEXT.sub(rewrite, markup)


#: A script or style element with its content: code, never article text. Attributes may be bare
#: (``<script async src=...>``).
_CODE_ELEMENT = re.compile(
    r"""<(script|style)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|"""
    r"""[^\s"'=<>`]+))?)*)\s*>(.*?)</\1\s*>""",
    re.IGNORECASE | re.DOTALL,
)


def _on_its_own_lines(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` has nothing but spaces before it and after it on its lines."""
    before = text[text.rfind("\n", 0, start) + 1 : start]
    line_end = text.find("\n", end)
    after = text[end : len(text) if line_end < 0 else line_end]
    return not before.strip() and not after.strip()


def code_element_edits(text: str, *, named_html: bool = False) -> list[Edit]:
    """Remove ``<script>``/``<style>`` elements (tags and code) left in plain text.

    An article about web security may quote one inside a sentence (``在评论里写入<script>alert(1)
    </script>``, or an XSS sample with an ``<img onerror>`` beside it): that is kept. One is taken
    for a page's leftover when it stands on lines of its own, when the text has the layout of a
    page left over (a block tag such as ``</p>``, ``<br>`` or ``<div>``, an entity such as
    ``&nbsp;``: an HTML fragment), or in a file named ``.html``/``.htm`` (prose in HTML escapes it
    as ``&lt;script&gt;``). A lone ``<script>`` without its end is always prose.
    """
    elements = list(_CODE_ELEMENT.finditer(text))
    if not elements:
        return []
    spans = [match.span() for match in elements]

    def outside(position: int) -> bool:
        return not any(a <= position < b for a, b in spans)

    fragment = (
        named_html
        or any(
            match.group(1).lower() in _BLOCK_TAGS and outside(match.start())
            for match in _TAG.finditer(text)
        )
        or any(outside(match.start()) for match in _ENTITY.finditer(text))
    )
    edits: list[Edit] = []
    for match in elements:
        start, end = match.span()
        if not (fragment or _on_its_own_lines(text, start, end)):
            continue
        name = match.group(1).lower()
        code = len(match.group(3).strip())
        edits.append(
            Edit(
                start, end, "", "html_tag",
                note=f"removed a <{name}> element ({code} characters of code)",
                warning=("stray_html", f"removed a <{name}> element left from a web page "
                         f"({code} characters of code, not article text)"),
            )
        )  # fmt: skip
    return edits


def stray_markup_edits(text: str, *, named_html: bool = False) -> list[Edit]:
    """Remove leftover tags and unescape entities found inside plain text, as recorded edits;
    script and style elements go whole (``code_element_edits``)."""
    edits = code_element_edits(text, named_html=named_html)
    code = [(edit.start, edit.end) for edit in edits]
    for match in _TAG.finditer(text):
        if any(a <= match.start() < b for a, b in code):
            continue
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
        if any(a <= match.start() < b for a, b in code):
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
