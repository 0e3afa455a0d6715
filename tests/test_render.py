"""Markdown rendering keeps article and model text from becoming Markdown/HTML structure."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from typer.testing import CliRunner

from summarizer.cli import app
from summarizer.render import repairs_to_text, summary_to_markdown
from summarizer.schema import ArticleSummary, KeyPoint, NamedEntity, Person, RunMeta, SourceInfo
from summarizer.testing import ScriptedOpenAIServer, answering
from summarizer.text import prepare

SEED_DIR = Path(__file__).resolve().parent.parent / "examples"


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


# --- rendered by a real Markdown library ------------------------------------------------------

PAYLOAD = "<img src=x onerror=alert(1)>"
#: Other ways to smuggle markup through Markdown: an entity-encoded tag, a javascript: link, an
#: autolink, a raw block and an image.
VARIANTS = (
    PAYLOAD,
    "&lt;img src=x onerror=alert(2)&gt;",
    "[click](javascript:alert(3))",
    "<https://evil.example/4>",
    "\n\n<div onclick=alert(5)>block</div>\n\n",
    "![x](https://evil.example/6.png)",
)
ALLOWED_TAGS = {"h1", "h2", "p", "ul", "li", "strong", "em", "blockquote", "br", "code"}


#: Fields the validator checks against the article or a format (the payload would be rejected).
KEEP = frozenset({"evidence", "date_iso", "name_as_written", "role_as_written", "date_as_written"})


def _inject(answer: dict[str, object]) -> None:
    """Every English string the model writes carries every payload."""
    hostile = " ".join(VARIANTS)

    def poison(value: object) -> object:
        if isinstance(value, dict):
            return {key: item if key in KEEP else poison(item) for key, item in value.items()}
        if isinstance(value, list):
            return [poison(item) for item in value]
        if isinstance(value, str):
            return f"{value} {hostile}"
        return value

    for key in list(answer):
        answer[key] = poison(answer[key])
    answer["people"] = [
        {
            "name_as_written": "张建华",
            "name_en": f"Zhang {hostile}",
            "role_as_written": None,
            "role_en": hostile,
            "organization_en": hostile,
        }
    ]
    answer["topics"] = [hostile]


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_markdown_from_a_hostile_model_renders_without_a_live_tag(
    openai_server: ScriptedOpenAIServer,
) -> None:
    """``summarize -f markdown`` escapes HTML in model output, rendered by markdown-it-py with
    raw HTML enabled (as notebooks and static sites do): no tag but Markdown's own."""
    openai_server.set_handler(answering(_inject))
    article = SEED_DIR / "tongzhou_2025-12-13_scraped.txt"
    result = CliRunner().invoke(
        app,
        [
            *("summarize", str(article), "-f", "markdown", "--model", "m"),
            *("--base-url", openai_server.base_url, "--max-reasks", "0"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    markdown = result.stdout
    assert "onerror=alert(1)" in markdown  # the payload is there, as text
    parser = MarkdownIt("commonmark")  # html=True: raw HTML would pass through
    tokens = parser.parse(markdown)
    inline_types = {child.type for token in tokens for child in token.children or []}
    assert not {token.type for token in tokens} & {"html_block"}
    assert not inline_types & {"html_inline", "link_open", "image"}
    collector = _TagCollector()
    collector.feed(parser.render(markdown))
    assert {tag for tag, _ in collector.tags} <= ALLOWED_TAGS
    assert all(not attrs for _, attrs in collector.tags), collector.tags
    assert "&lt;img src=x onerror=alert(1)&gt;" in parser.render(markdown)


def test_the_same_payload_in_the_article_is_escaped_too() -> None:
    markdown = summary_to_markdown(make_summary("Plain", " ".join(VARIANTS)))
    tokens = MarkdownIt("commonmark").parse(markdown)
    inline_types = {child.type for token in tokens for child in token.children or []}
    assert "html_block" not in {token.type for token in tokens}
    assert not inline_types & {"html_inline", "link_open", "image"}


def test_whole_text_warnings_have_no_offsets() -> None:
    document = prepare("這是繁體中文的新聞報道。")
    report = repairs_to_text(document)
    assert "None" not in report
    assert "warning script_converted:" in report


def test_a_name_without_english_says_so_in_words() -> None:
    """A bare "?" for a null ``name_en`` read like a character lost to mis-decoding."""
    summary = make_summary("Plain", "全国社保基金理事会和桑德斯。")
    summary.people = [
        Person(
            name_as_written="桑德斯",
            name_en=None,
            role_as_written=None,
            role_en=None,
            organization_en=None,
        )
    ]
    summary.organizations = [NamedEntity(name_as_written="全国社保基金理事会", name_en=None)]
    summary.places = [NamedEntity(name_as_written="北京", name_en="Beijing")]
    markdown = summary_to_markdown(summary)
    lines = markdown.splitlines()
    assert "- **桑德斯** (no English name)" in lines
    assert "- 全国社保基金理事会 (no English name)" in lines
    assert "- Beijing (北京)" in lines
    assert "?" not in markdown
