"""Markdown rendering keeps article and model text from becoming Markdown/HTML structure."""

from __future__ import annotations

import re

from summarizer.render import summary_to_markdown
from summarizer.schema import ArticleSummary, KeyPoint, RunMeta, SourceInfo


def make_summary(headline: str, evidence: str) -> ArticleSummary:
    source = SourceInfo(
        language="zh",
        script="simplified",
        encoding="str",
        normalized_text=evidence,
        paragraphs=[evidence],
    )
    return ArticleSummary(
        headline_en=headline,
        summary_en=None,
        key_points=[KeyPoint(text_en="A point.", evidence=evidence)],
        people=[],
        organizations=[],
        places=[],
        events=[],
        topics=[],
        translation=None,
        source=source,
        meta=RunMeta(engine="offline"),
    )


def test_html_and_links_in_article_text_are_escaped() -> None:
    markdown = summary_to_markdown(
        make_summary("<script>alert(1)</script>", "[click](http://evil) <img src=x onerror=1>")
    )
    assert re.search(r"(?<!\\)[<\]]", markdown) is None  # every < and ] is escaped
    assert "\\<script\\>" in markdown


def test_a_headline_cannot_start_a_new_heading_or_list() -> None:
    markdown = summary_to_markdown(make_summary("Plain", "# not a heading"))
    assert "> \\# not a heading" in markdown
    assert markdown.startswith("# Plain\n")
