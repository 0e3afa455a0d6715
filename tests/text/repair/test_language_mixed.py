"""A Chinese article quoting English, or giving a URL, an e-mail address or code, is Chinese; an
English article quoting Chinese is English. Letters used to decide (Latin letters over three
times the Han characters meant English, URLs included), so a short Chinese report around a long
English quote came out as English: Chinese sentences in ``summary_en``, no entities."""

from __future__ import annotations

import pytest

from summarizer import summarize
from summarizer.text.repair.script import detect_language

#: Three short Chinese sentences and a forty-word English quote (the tester's shape).
CHINESE_QUOTING_ENGLISH = (
    "苹果公司周二发布新款iPhone。库克介绍了新芯片。分析人士看好其销量。\n"
    '"We are thrilled to bring the most advanced iPhone we have ever built to customers around '
    "the world, with a chip that is faster than anything in a smartphone today and a camera system "
    'that professionals will love," Cook said.'
)
CHINESE_WITH_CODE = (
    "近日，某公司发布了新版开发工具。下面是示例代码：\n"
    "import requests\n"
    "def fetch(url):\n"
    "    response = requests.get(url, timeout=10)\n"
    "    return response.json()\n"
    'for item in fetch("https://api.example.com/v1/items"):\n'
    '    print(item["name"])\n'
    "开发者可以通过邮件 dev-support@example.com 反馈问题。"
)
ENGLISH_QUOTING_CHINESE = (
    "Posters reading 为人民服务 (Serve the People) hung in the hall. The delegates arrived on "
    "Monday and met the mayor. 欢迎各位代表莅临指导。 The meeting ended with a dinner for all "
    "guests, the organisers said."
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (CHINESE_QUOTING_ENGLISH, "zh"),
        (
            "苹果发布iPhone 16 Pro Max。详情见 https://www.apple.com/newsroom/2024/09/"
            "apple-debuts-iphone-16-pro-and-iphone-16-pro-max/",
            "zh",
        ),
        (
            "联系方式：press.office@example-university.edu.cn，网址 www.example-university.edu.cn",
            "zh",
        ),
        (
            "详情见https://example.com/a-very-long-path/with-many-words/in-it。更多内容请关注。",
            "zh",
        ),
        (CHINESE_WITH_CODE, "zh"),
        (ENGLISH_QUOTING_CHINESE, "en"),
        (
            "The company released its new phone on Tuesday, see https://www.apple.com/newsroom.",
            "en",
        ),
        # Sentences tie: the letters decide, as before.
        ("苹果发布新手机。Apple released a new phone on Tuesday in California.", "en"),
    ],
)
def test_sentences_decide_between_chinese_and_english(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_a_chinese_article_quoting_english_is_summarized_as_chinese() -> None:
    result = summarize(CHINESE_QUOTING_ENGLISH, engine="offline")
    assert result.source.language == "zh"
    assert result.summary_en is None and result.translation is None
    assert all(point.text_en is None for point in result.key_points)
    assert "the source is English" not in result.meta.status["translation"]
    assert "covers Chinese text only" not in result.meta.status.get("people", "")
    assert "thrilled" not in result.topics
    assert any("苹果" in org.name_as_written for org in result.organizations)


def test_a_chinese_line_with_a_url_keeps_english_fields_empty() -> None:
    text = "苹果发布iPhone 16 Pro Max。详情见 https://www.apple.com/newsroom/2024/09/apple-debuts/"
    result = summarize(text, engine="offline")
    assert result.source.language == "zh"
    assert result.summary_en is None
