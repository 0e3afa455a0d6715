"""Script and style elements left in plain text are code, not article text; an article that
quotes ``<script>`` in a sentence keeps it.

A ``.html`` file that is plain text (no page around it, so it is not read as HTML) used to keep
a page's leftover ``<script>…</script>`` as paragraphs of the article.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.api import prepare_article
from summarizer.cli import app
from summarizer.text import prepare

FIRST = "12月13日，区委召开全体会议，部署明年重点工作。"
SECOND = "会议要求各部门切实抓好落实，确保各项任务按时完成。"
TRACKER = (
    '<script type="text/javascript">\n'
    "var _hmt = _hmt || [];\n"
    "(function() { var hm = document.createElement('script'); hm.src = '/t.js'; })();\n"
    "</script>"
)
STYLE = "<style>\n.article p { line-height: 1.8; color: #333; }\n</style>"


def test_a_plain_text_html_file_loses_its_script_block_with_a_warning(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text(f"{FIRST}\n{TRACKER}\n{SECOND}\n{STYLE}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["normalize", str(page), "--format", "json"])
    assert result.exit_code == 0, result.output
    normalized = json.loads(result.stdout)
    assert FIRST in normalized["text"] and SECOND in normalized["text"]
    for code in ("_hmt", "createElement", "script", "line-height", "style"):
        assert code not in normalized["text"], code
    said = [w["message"] for w in normalized["warnings"] if w["code"] == "stray_html"]
    assert any("<script> element" in message for message in said), said
    assert any("<style> element" in message for message in said), said


def test_inline_script_in_a_fragment_with_other_leftovers_goes() -> None:
    document = prepare(f"{FIRST}</p><script>var a = 1; track(a);</script><p>{SECOND}")
    assert document.text == f"{FIRST}\n{SECOND}"
    assert "track" not in document.text


@pytest.mark.parametrize(
    "prose",
    [
        "黑客在评论里写入<script>alert(1)</script>，浏览器便会执行这段代码，窃取用户的登录信息。",
        "专家提醒，网站应当过滤<script>标签，防止跨站脚本攻击。",
        "The attacker posted <script>alert('XSS')</script> in a comment, and browsers ran it.",
    ],
)
def test_an_article_that_quotes_script_in_a_sentence_keeps_it(prose: str) -> None:
    document = prepare(f"{FIRST}\n{prose}\n{SECOND}")
    assert prose in document.text
    assert not [w for w in document.warnings if w.code == "stray_html"]


def test_in_a_file_named_html_an_inline_script_element_is_code() -> None:
    text = f"{FIRST}网站统计<script>var a = 1; track(a);</script>{SECOND}"
    named = prepare_article(text.encode(), source_name="page.html")[0]
    assert "track" not in named.text and f"{FIRST}网站统计{SECOND}" in named.text
    unnamed = prepare(text)  # no name and no other markup: a sentence that quotes code
    assert "<script>var a = 1; track(a);</script>" in unnamed.text


def test_an_xss_sample_beside_an_inline_tag_is_kept() -> None:
    # An <img onerror> is no page layout: the sentence quotes attacks, and its script stays.
    sample = '<script>window.x = 1; alert("s")</script>'
    document = prepare(
        f"{FIRST}\n标语上写着：{sample}<img src=x onerror=\"alert('i')\">。\n{SECOND}"
    )
    assert sample in document.text
