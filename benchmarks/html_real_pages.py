"""Do real saved news pages still give their article, and are pages without one refused?

Run: ``python benchmarks/html_real_pages.py DIR [DIR ...]``: each DIR holds saved pages
(``*.html``); when it also holds a ``ground-truth.json`` in the form of Zyte's article extraction
benchmark (``{page id: {"articleBody": ...}}``), the share of its article lines found is measured.

No page is shipped with the project (their terms do not allow it, or are unclear). The figures in
the README came from the 65 Chinese news pages (163, Sina, ThePaper, Xinhua, People's Daily,
WeChat, Toutiao...) in the ``tests``/``visiable_test`` folders of GeneralNewsExtractor and the
181 English pages of scrapinghub/article-extraction-benchmark, saved outside the repository.

For every page two inputs are prepared:

* the page as saved: it should give its article (``article``), not a refusal;
* the same page without its article (``chrome``): every element whose whole text lies in the
  article ``prepare`` gave is removed, leaving navigation, sidebars, link lists and footers, as
  a page arrives when its body is rendered by a script or held behind a login. It should be
  refused (``NoArticleError``) or warned about (``no_article``), never summarized as if it
  were an article.

Outcomes: ``article`` (used as the article), ``warned`` (used, with a warning that no article was
recognised), ``refused`` (an ``InputError``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from summarizer.errors import InputError
from summarizer.text import prepare

_SPACE = re.compile(r"\s+")
#: Text shorter than this (non-space characters) is kept when deriving the page without its
#: article: a short link ("News") may happen to occur in the article too.
_MIN_REMOVED = 10


def _squashed(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def outcome(raw: bytes) -> tuple[str, str]:
    """(``article`` | ``warned`` | ``refused``, the prepared text or the error message)."""
    try:
        document = prepare(raw)
    except InputError as error:
        return "refused", str(error)
    codes = {warning.code: warning.message for warning in document.warnings}
    if "no_article" in codes or "no article was recognised" in codes.get("html_extracted", ""):
        return "warned", document.text
    return "article", document.text


def without_article(raw: bytes, article: str) -> bytes | None:
    """The page with every element whose whole text lies in ``article`` removed."""
    from lxml import etree
    from lxml.html import HtmlElement
    from trafilatura import load_html

    tree = load_html(raw)
    if not isinstance(tree, HtmlElement):
        return None
    kept = _squashed(article)
    removed = 0

    def walk(element: HtmlElement) -> None:
        nonlocal removed
        for child in list(element):
            if not isinstance(child, HtmlElement):
                continue
            text = _squashed(child.text_content())
            if len(text) >= _MIN_REMOVED and text in kept:
                child.drop_tree()
                removed += 1
            else:
                walk(child)

    walk(tree)
    return etree.tostring(tree, encoding="utf-8", method="html") if removed else None


def recall(text: str, body: str) -> float:
    """Share of the ground truth's lines (squashed) found in ``text``."""
    lines = [_squashed(line) for line in body.split("\n") if _squashed(line)]
    found = _squashed(text)
    return sum(line in found for line in lines) / len(lines) if lines else 1.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--list", action="store_true", help="one line per page")
    args = parser.parse_args(argv)
    for folder in args.folders:
        truth_file = folder / "ground-truth.json"
        truth = json.loads(truth_file.read_text("utf-8")) if truth_file.is_file() else {}
        pages = sorted(folder.glob("*.html"))
        saved: Counter[str] = Counter()
        chrome: Counter[str] = Counter()
        recalls: list[float] = []
        for page in pages:
            raw = page.read_bytes()
            kind, text = outcome(raw)
            saved[kind] += 1
            body = truth.get(page.stem, {}).get("articleBody")
            if kind != "refused" and isinstance(body, str):
                recalls.append(recall(text, body))
            stripped = without_article(raw, text) if kind != "refused" else None
            chrome_kind = outcome(stripped)[0] if stripped is not None else "-"
            chrome[chrome_kind] += 1
            if args.list:
                print(f"  {page.name}: saved {kind} ({len(text)} chars), chrome {chrome_kind}")
        print(f"{folder}: {len(pages)} pages")
        print(f"  saved page:       {dict(sorted(saved.items()))}")
        print(f"  without article:  {dict(sorted(chrome.items()))}  ('-': nothing to remove)")
        if recalls:
            mean = sum(recalls) / len(recalls)
            print(f"  ground-truth line recall: mean {mean:.3f} over {len(recalls)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
