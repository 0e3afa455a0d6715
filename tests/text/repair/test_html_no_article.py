"""An HTML page without an article is refused, not summarized from its menus and footer.

trafilatura's own boilerplate rules (the elements and containers it discards) decide what is
boilerplate; what is left, without links-only lines, is the page's text. A page with nothing
left is a ``NoArticleError``; one with some text but no recognised article gives a warning.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.errors import EmptyInputError, InputError, NoArticleError
from summarizer.text import prepare
from summarizer.text.repair.html import MIN_REMAINDER_CHARS

NAV = (
    "<nav><ul><li><a href='/'>首页</a></li><li><a href='/news'>新闻</a></li>"
    "<li><a href='/finance'>财经</a></li></ul></nav>"
)
FOOTER = (
    "<footer><p><a href='/about'>关于我们</a> | <a href='/contact'>联系我们</a></p>"
    "<p>版权所有 © 2025 未经授权禁止转载 京ICP备12345678号</p></footer>"
)


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><title>新闻中心</title></head><body>{body}</body></html>"


BOILERPLATE_ONLY = {
    "navigation and footer": page(NAV + FOOTER),
    "navigation and footer, no page around them": NAV + FOOTER,
    "cookie notice": page(
        NAV + "<div class='cookie-banner'><p>本网站使用cookie以改善您的浏览体验。继续浏览即表示"
        "您同意我们使用cookie。</p><button>同意</button></div>" + FOOTER
    ),
    "cookie notice in English": page(
        "<div id='cookie-consent'><p>We use cookies to improve your experience on our site. "
        "By continuing to browse you agree to our use of cookies.</p>"
        "<button>Accept</button></div>" + FOOTER
    ),
    "login wall": page(
        "<header><a href='/'>首页</a></header><div class='login'><h2>请登录后查看全文</h2>"
        "<form><input name='user'><input type='password'><button>登录</button></form>"
        "<p>还没有账号？<a href='/register'>立即注册</a></p></div>" + FOOTER
    ),
    "sidebar of other headlines": page(
        NAV + "<div class='sidebar'><h3>热点新闻</h3><ul>"
        "<li><a href='/1'>市政府召开常务会议研究部署冬季安全生产工作</a></li>"
        "<li><a href='/2'>全市经济运行情况通报会召开</a></li></ul></div>" + FOOTER
    ),
}


@pytest.mark.parametrize("markup", BOILERPLATE_ONLY.values(), ids=BOILERPLATE_ONLY.keys())
def test_a_page_of_boilerplate_only_is_refused(markup: str) -> None:
    with pytest.raises(NoArticleError) as caught:
        prepare(markup.encode("utf-8"), source_name="page.html")
    error = caught.value
    assert isinstance(error, EmptyInputError) and isinstance(error, InputError)
    assert error.exit_code == 2 and error.kind == "input.no_article"
    assert str(error).startswith("page.html: no article text was found in the HTML page")
    assert "\n" not in str(error)


ARTICLE = (
    "<div class='article-content'>"
    "<p>12月13日，区委召开务虚会暨调研成果交流会，深入学习贯彻党的二十届四中全会精神，"
    "重点围绕时期发展及明年工作进行研讨交流。</p>"
    "<p>会议指出，要进一步统一思想、开拓思路，为下一步发展谋篇布局，推动现代化建设不断迈上"
    "新台阶，全力以赴抓好明年各项工作。</p></div>"
)


def test_the_same_page_with_its_article_gives_the_article_only() -> None:
    document = prepare(page(NAV + "<h1>区委召开务虚会</h1>" + ARTICLE + FOOTER))
    assert document.text.startswith("区委召开务虚会\n12月13日")
    for boilerplate in ("首页", "新闻\n", "版权所有", "关于我们"):
        assert boilerplate not in document.text
    assert [w.code for w in document.warnings] == ["html_extracted"]


def test_an_article_inside_a_cookie_notice_is_not_an_article() -> None:
    """trafilatura may take the only paragraph for the article; its own rules say it is not."""
    notice = "<div class='cookie-notice'><p>" + "本网站使用cookie。" * 12 + "</p></div>"
    with pytest.raises(NoArticleError):
        prepare(page(NAV + notice + FOOTER))


HEADLINES = [
    ("区委召开务虚会暨调研成果交流会", "深入学习贯彻党的二十届四中全会精神"),
    ("全市经济运行情况通报会召开", "前三季度地区生产总值同比增长百分之五点二"),
    ("市政府召开常务会议", "研究部署冬季安全生产和保供稳价工作"),
    ("区人大常委会举行会议", "审议通过多项决议并听取专项工作报告"),
]


def test_text_outside_boilerplate_without_an_article_is_used_with_a_warning() -> None:
    items = "".join(
        f"<li><a href='/{number}'>{headline}</a> {summary}</li>"
        for number, (headline, summary) in enumerate(HEADLINES)
    )
    document = prepare(page(NAV + f"<div class='list'><ul>{items}</ul></div>" + FOOTER))
    assert document.text.splitlines() == [f"{h} {s}" for h, s in HEADLINES]
    assert [w.code for w in document.warnings] == ["html_extracted", "no_article"]
    warning = document.warnings[1]
    assert f"the {len(''.join(document.text.split()))} character(s)" in warning.message


def test_too_little_text_outside_boilerplate_is_refused() -> None:
    """Without an article, a line or two left (a login prompt) is not news to summarize."""
    markup = BOILERPLATE_ONLY["login wall"]
    left = "请登录后查看全文还没有账号？立即注册"
    assert len(left) < MIN_REMAINDER_CHARS
    with pytest.raises(NoArticleError):
        prepare(markup)


def test_a_fragment_with_text_keeps_every_line() -> None:
    """An article's own markup (no page around it) is all text, short or not."""
    document = prepare(NAV + "<p>短句一。</p><p>短句二。</p><p>短句三。</p>")
    assert document.text.splitlines() == [
        "首页",
        "新闻",
        "财经",
        "短句一。",
        "短句二。",
        "短句三。",
    ]
    assert [w.code for w in document.warnings] == ["html_extracted"]


def test_the_cli_refuses_a_page_without_an_article_in_one_line(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_text(page(NAV + FOOTER), encoding="utf-8")
    for command in ("normalize", "summarize"):
        engine = ["--engine", "offline"] if command == "summarize" else []
        completed = subprocess.run(
            [sys.executable, "-m", "summarizer", command, str(saved), *engine],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 2, completed.stderr
        assert completed.stdout == ""
        lines = completed.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in completed.stderr
        assert "no article text was found in the HTML page" in lines[0]


def test_an_end_of_document_tag_in_the_middle_does_not_hide_the_article() -> None:
    """Pages assembled from templates (gov.cn) can close ``</html>`` after their header."""
    header = "<html><head><title>中国政府网</title></head><body>" + NAV + "</body></html>\n"
    markup = (
        "<!DOCTYPE html>" + header + "<div class='content'><h1>区委召开务虚会</h1>" + ARTICLE
        + "</div>" + FOOTER + "</body></html>"
    )  # fmt: skip
    document = prepare(markup)
    assert document.text.startswith("区委召开务虚会\n12月13日")
    assert "首页" not in document.text and "版权所有" not in document.text
    assert [w.code for w in document.warnings] == ["html_extracted"]
    assert "article text was used" in document.warnings[0].message
