"""Japanese quoted in a Chinese article is kept as written: no script conversion, no GBK guesses.

The whole text is Chinese, so the Chinese repairs run; before, they ran over the quote too: OpenCC
turned 東京電力 into 东京电力, and the out-of-step GBK repair rewrote は新たな経 as 护闲陇郡式U.
"""

from __future__ import annotations

import pytest

from summarizer.text import prepare
from summarizer.text.repair.script import japanese_spans

TRADITIONAL_ARTICLE = "日本媒體報導稱「{quote}」。這是國會開幕後的第一項決定，東京股市隨即上漲。"
QUOTES = [
    "岸田首相は新たな経済対策を発表した",
    "東京電力は福島第一原発の処理水を海に放出する計画を発表した",
    "東京、大阪、京都で新しい電車を走らせる",
    "記者会見で「新聞」を読み上げた",
]


@pytest.mark.parametrize("quote", QUOTES)
def test_a_japanese_quote_in_a_traditional_article_is_kept_and_the_rest_converted(
    quote: str,
) -> None:
    document = prepare(TRADITIONAL_ARTICLE.format(quote=quote))
    assert quote in document.text
    assert "这是国会开幕后的第一项决定，东京股市随即上涨。" in document.text
    assert document.text.startswith("日本媒体报导称")
    assert not [w for w in document.warnings if w.code.startswith("mojibake")]
    assert not [r for r in document.repairs if r.kind == "mojibake"]


def test_a_japanese_quote_in_a_simplified_article_is_left_byte_for_byte() -> None:
    text = (
        "日本媒体报道称“東京電力は福島第一原発の処理水を海に放出する計画を発表した”。"
        "这是东京电力公司的最新决定。"
    )
    document = prepare(text)
    assert document.text == text
    assert not document.repairs
    assert not document.warnings


def test_a_katakana_name_is_kept_but_the_chinese_around_it_is_converted() -> None:
    document = prepare("新華社東京電 「ソニー」公司表示將在日本開設新工廠。")
    assert document.text == "新华社东京电 「ソニー」公司表示将在日本开设新工厂。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("他说“東京、大阪、京都で会う”。", ["東京", "大阪", "京都で会う"]),
        ("他在「新聞」を読む。", ["新聞", "を読む"]),
        # Chinese uses the katakana middle dot in foreign names: that is not Japanese.
        ("迈克尔・乔丹・杰克逊来了。", []),
        # One stray kana is not enough.
        ("我の天，真好。", []),
        # A Chinese word before the brackets is not attached to the quote.
        ("公司表示「ソニー」将来访。", ["ソニー"]),
    ],
)
def test_japanese_spans(text: str, expected: list[str]) -> None:
    assert [text[start:end] for start, end in japanese_spans(text)] == expected


def test_mis_decoded_chinese_showing_kana_is_not_taken_for_japanese() -> None:
    # UTF-8 read as GBK shows kana here and there (ぇ, ュ, コ): its GBK bytes re-decode as Chinese.
    clean = "将大白菜叶放入锅中，加入适量清水，大火烧开后转小火煮到浓稠。"
    shown = clean.encode("utf-8").decode("gbk", errors="replace")
    assert any("\u3041" <= char <= "\u30fa" for char in shown)
    assert japanese_spans(shown) == []


def test_a_quote_in_several_runs_is_not_flagged_as_mis_decoded() -> None:
    # Its rare kanji and kana, across the 、 between its two runs, looked like a mis-decoded
    # cluster to the final check.
    quote = "空の配列値のスライスに代入するには、スライスの範囲は完全に指定する必要があります。"
    text = (
        "据新华社报道，国务院新闻办公室今天举行新闻发布会，介绍今年前三季度国民经济运行情况。"
        "国家统计局新闻发言人表示，前三季度经济总体保持恢复态势，就业和物价基本稳定。"
        f"一位日本工程师在说明文档中写道：「{quote}」"
        "发言人还说，下一阶段将继续做好稳增长、稳就业、稳物价工作，推动经济持续健康发展。"
    )
    document = prepare(text)
    assert document.text == text
    assert not document.warnings


def test_a_rare_chinese_character_after_a_quote_does_not_make_it_look_mis_decoded() -> None:
    quote = "ドライバの提供元によるサポートとライセンス条項を確認してください。"
    text = (
        "据新华社报道，国务院新闻办公室今天举行新闻发布会，介绍今年前三季度国民经济运行情况。"
        "国家统计局新闻发言人表示，前三季度经济总体保持恢复态势，就业和物价基本稳定。"
        f"一家日本公司在说明中写道：「{quote}」溧阳市的经销商随后作出回应。"
        "发言人还说，下一阶段将继续做好稳增长、稳就业、稳物价工作，推动经济持续健康发展。"
    )
    document = prepare(text)
    assert document.text == text
    assert not document.warnings
