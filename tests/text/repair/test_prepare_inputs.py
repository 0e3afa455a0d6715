"""prepare() on the kinds of input users send: HTML pages, legacy encodings, bad input."""

from __future__ import annotations

import pytest

from summarizer.errors import BinaryInputError, EmptyInputError, UndecodableInputError
from summarizer.text import prepare

PAGE = """<!DOCTYPE html>
<html><head><title>标题</title><style>p { color: red }</style>
<script>var x = "<p>不是正文</p>";</script></head>
<body>
  <h1>通州日报讯</h1>
  <div class="content">
    <p>区委召开务虚会暨调研成果交流会&nbsp;&mdash;深入学习。</p>
    <p>第二段<br>换行后的内容&amp;更多。</p>
    <ul><li>第一项</li><li>第二项</li></ul>
  </div>
</body></html>"""


def test_html_page_becomes_paragraphs() -> None:
    document = prepare(PAGE.encode("utf-8"))
    assert [p.text for p in document.paragraphs] == [
        "通州日报讯",
        "区委召开务虚会暨调研成果交流会 —深入学习。",
        "第二段",
        "换行后的内容&更多。",
        "第一项",
        "第二项",
    ]
    assert "不是正文" not in document.text and "color" not in document.text
    assert any(w.code == "html_extracted" for w in document.warnings)


def test_html_in_gbk_decodes() -> None:
    document = prepare(PAGE.encode("gbk"))
    assert document.encoding == "gbk"
    assert "区委召开务虚会暨调研成果交流会" in document.text


def test_html_ruby_pinyin_is_dropped() -> None:
    page = "<html><body><p><ruby>區<rt>qū</rt></ruby>委書記張建華講話。</p></body></html>"
    document = prepare(page)
    assert document.text == "区委书记张建华讲话。"
    assert [r.original for r in document.repairs if r.kind == "pinyin_annotation"] == ["(qū)"]


def test_html_ruby_for_learners_is_kept() -> None:
    poem = "".join(
        f"<ruby>{char}<rp>(</rp><rt>{reading}</rt><rp>)</rp></ruby>"
        for char, reading in zip(
            "床前明月光", ["chuáng", "qián", "míng", "yuè", "guāng"], strict=True
        )
    )
    document = prepare(f"<html><body><p>{poem}</p><p>疑是地上霜。</p></body></html>")
    assert document.text.startswith("床(chuáng)前(qián)明(míng)月(yuè)光(guāng)")
    assert "pinyin_kept" in [w.code for w in document.warnings]


def test_html_without_visible_text_is_empty_input() -> None:
    with pytest.raises(EmptyInputError):
        prepare("<html><head><script>var a = 1;</script></head><body>  </body></html>")


def test_stray_tags_and_entities_in_plain_text_are_recorded() -> None:
    document = prepare("第一句话。</p>\n第二句<br>第三句&amp;结束。")
    assert document.text == "第一句话。\n第二句\n第三句&结束。"
    kinds = [r.kind for r in document.repairs]
    assert kinds.count("html_tag") == 2 and kinds.count("html_entity") == 1
    assert any(w.code == "stray_html" for w in document.warnings)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("區委書記張建華講話。", "big5"),
        ("区委书记张建华讲话。", "gbk"),
        ("区委书记张建华讲话。", "gb18030"),
        ("区委书记张建华讲话。", "utf-16"),
    ],
)
def test_encoded_inputs_prepare_to_simplified(text: str, encoding: str) -> None:
    document = prepare(text.encode(encoding))
    assert document.text == "区委书记张建华讲话。"
    assert document.script == ("traditional" if encoding == "big5" else "simplified")


@pytest.mark.parametrize("raw", [b"", "   ", "\n\n\t", "\u200b\u200b", b"\xef\xbb\xbf  \r\n"])
def test_empty_inputs(raw: str | bytes) -> None:
    with pytest.raises(EmptyInputError) as caught:
        prepare(raw)
    assert "pass the article" in str(caught.value)


def test_binary_and_undecodable_inputs() -> None:
    with pytest.raises(BinaryInputError):
        prepare(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(UndecodableInputError):
        prepare(bytes([0xFF, 0x80, 0xFE, 0x81]) * 40)


def test_english_text() -> None:
    document = prepare("The U.S. economy grew 3.5 percent. Officials were pleased.")
    assert document.language == "en" and document.script == "latin"
    assert [s.text for s in document.sentences] == [
        "The U.S. economy grew 3.5 percent.",
        "Officials were pleased.",
    ]
    assert document.repairs == () and document.offset_map == ()


def test_mixed_script_detection() -> None:
    assert prepare("這是繁體字的內容。这是简体字的内容。").script == "mixed"
    assert prepare("12345 !!!").script == "none"
    assert prepare("12345 !!!").language == "und"


def test_errors_name_the_source() -> None:
    with pytest.raises(EmptyInputError) as caught:
        prepare(b"  ", source_name="article.txt")
    assert str(caught.value).startswith("article.txt: ")


def test_script_conversion_is_summarized_in_a_warning() -> None:
    document = prepare("區委書記張建華講話。")
    (warning,) = [w for w in document.warnings if w.code == "script_converted"]
    assert "7 traditional characters" in warning.message and warning.start is None
    assert not [w for w in prepare("区委书记").warnings if w.code == "script_converted"]


def test_big5_hkscs_characters() -> None:
    text = "香港特區政府宣佈，啲市民"  # 啲 exists only in the HKSCS extension
    document = prepare(text.encode("big5hkscs"))
    assert document.encoding == "big5hkscs"
    assert document.text == "香港特区政府宣布，啲市民"


def test_angle_brackets_in_prose_are_not_tags() -> None:
    assert prepare("如果 x <b and y> z 成立").text == "如果 x <b and y> z 成立"
    assert prepare('文字<p class="a">段落</p>结束').text == "文字\n段落\n结束"


def test_corrupt_bytes_are_warned_about() -> None:
    raw = ("区委书记张建华讲话。" * 30).encode("utf-8")
    document = prepare(raw[:100] + b"\xff" + raw[100:])
    assert [w.code for w in document.warnings] == ["invalid_bytes", "text_lost"]
    assert "\ufffd" in document.text
    located = document.warnings[1]
    assert located.start is not None and located.end is not None
    assert set(document.text[located.start : located.end]) == {"\ufffd"}


NEWS_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>区委召开务虚会_新闻中心</title></head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/n">新闻</a></li>
<li><a href="/c">财经</a></li><li><a href="/s">体育</a></li></ul></div>
<div class="crumb"><a href="/">首页</a> &gt; <a href="/n">新闻</a> &gt; 正文</div>
<div class="main"><div class="left"><h1>区委召开务虚会</h1>
<div class="article-content">
<p>12月13日，区委召开务虚会暨调研成果交流会，深入学习贯彻党的二十届四中全会精神，重点围绕时期发展及明年工作进行研讨交流。</p>
<p>会议指出，要进一步统一思想、开拓思路，为下一步发展谋篇布局，推动现代化建设不断迈上新台阶，全力以赴抓好明年各项工作。</p>
<p>会议强调，各级各部门要坚持问题导向，聚焦重点领域和关键环节，以实打实的成效回应群众期盼，确保各项目标任务落到实处。</p>
</div></div>
<div class="right"><h3>相关新闻</h3><ul>
<li><a href="/1">市政府召开常务会议研究部署冬季安全生产工作</a></li>
<li><a href="/2">全市经济运行情况通报会召开</a></li></ul></div></div>
<div class="footer"><p>关于我们 | 联系我们 | 网站地图</p><p>版权所有 © 2025 未经授权禁止转载</p>
<p>京ICP备12345678号</p></div></body></html>"""


def test_html_page_keeps_the_article_not_its_navigation() -> None:
    document = prepare(NEWS_PAGE)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "区委召开务虚会"
    assert len(paragraphs) == 4
    assert all(p.startswith(("区委", "12月13日", "会议")) for p in paragraphs)
    for boilerplate in ("首页", "相关新闻", "常务会议", "版权所有", "ICP", "网站地图"):
        assert boilerplate not in document.text
    (warning,) = [w for w in document.warnings if w.code == "html_extracted"]
    assert "article text was used" in warning.message


def test_html_without_an_article_keeps_all_visible_text() -> None:
    document = prepare("<div><p>短句一。</p><p>短句二。</p><br><p>短句三。</p><li>四</li></div>")
    assert [p.text for p in document.paragraphs] == ["短句一。", "短句二。", "短句三。", "四"]
