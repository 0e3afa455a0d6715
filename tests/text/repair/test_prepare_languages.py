"""prepare() leaves Russian, Japanese and Korean text alone: the GBK and OpenCC repairs are Chinese.

Cyrillic words score as implausible Chinese and were flagged as mis-decoded; Japanese kana and
kanji were "repaired" as shifted GBK and the kanji converted to simplified Chinese.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from summarizer import summarize
from summarizer.cli import app
from summarizer.text import prepare
from summarizer.text.repair.script import chinese_repairs_apply

RUSSIAN = (
    "Президент России провёл встречу с министрами в Москве. Обсуждались вопросы экономики, "
    "бюджета и поддержки регионов; решения будут опубликованы в пятницу."
)
JAPANESE = (
    "東京都は新しい経済対策を発表し、企業の支援を強化すると述べました。"
    "対策の規模は約三千億円で、来年度の予算に盛り込まれる見通しです。"
)
#: Korean news still prints some words in Hanja (韓美 = Korea-US), which OpenCC would simplify.
KOREAN = "대통령은 서울에서 경제 장관들과 회의를 열었다고 밝혔다. 韓美 정상회담은 다음 달 열린다."

REPAIR_WARNINGS = {"mojibake_suspected", "mojibake_repaired", "script_converted"}


@pytest.mark.parametrize(
    ("text", "language"),
    [(RUSSIAN, "und"), (JAPANESE, "ja"), (KOREAN, "ko")],
    ids=["russian", "japanese", "korean"],
)
def test_non_chinese_text_is_kept_byte_for_byte(text: str, language: str) -> None:
    document = prepare(text)
    assert document.text == text
    assert document.language == language
    assert [repair.kind for repair in document.repairs] == []
    assert {warning.code for warning in document.warnings} & REPAIR_WARNINGS == set()


def test_normalize_cli_reports_nothing_for_russian() -> None:
    result = CliRunner().invoke(
        app, ["normalize", "-", "--format", "json"], input=RUSSIAN.encode("utf-8")
    )
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["text"] == RUSSIAN
    assert report["warnings"] == []


def test_chinese_quoting_russian_and_japanese_names_is_still_repaired_as_chinese() -> None:
    """The gate is the whole text's dominant script, not any kana or Cyrillic in it."""
    text = (
        "鏂囩珷鎸囧嚭，俄羅斯總統普京（Путин）週二在莫斯科與日本首相岸田文雄（きしだ ふみお）會面，"
        "雙方討論了經濟合作問題。"
    )
    document = prepare(text)
    assert document.language == "zh"
    assert document.text.startswith("文章指出，俄罗斯总统普京（Путин）周二")
    assert "经济合作问题" in document.text
    assert "きしだ ふみお" in document.text
    kinds = {repair.kind for repair in document.repairs}
    assert {"mojibake", "script"} <= kinds
    # The quoted names are words of their own script, not garbage.
    assert [w for w in document.warnings if w.code == "mojibake_suspected"] == []


@pytest.mark.parametrize(
    ("text", "applies"),
    [
        (RUSSIAN, False),
        (JAPANESE, False),
        (KOREAN, False),
        ("國務院總理主持召開常務會議。", True),
        ("鏂囩珷", True),
        # Nothing Chinese in it: no GBK repair to read the Cyrillic name as garbage.
        ("The minister met Путин in Moscow.", False),
        ("The minister met 鏂囩珷 in Moscow.", True),
        ("2025-12-13", True),
    ],
)
def test_chinese_repairs_apply_follows_the_dominant_script(text: str, applies: bool) -> None:
    assert chinese_repairs_apply(text) is applies


def test_english_text_with_macedonian_sentences_is_not_repaired() -> None:
    # Real shape: a message catalog half translated; the GBK repair took "ако" for mojibake.
    text = (
        "A shorter label that may be used on toolbar buttons. TRUE ако процесот на печатење "
        "може да тече асинхроно. The label used for menu items and buttons that activate this "
        "action. Дали да овозможи анимации на алатниците, каналот и сликата."
    )
    document = prepare(text)
    assert document.text == text
    assert not document.repairs
    assert not document.warnings


FRENCH = (
    "Le président a annoncé à Paris que l'économie était forte. Les ministres se réuniront "
    "demain pour discuter du budget de l'année prochaine."
)
SPANISH = (
    "El presidente del Gobierno anunció hoy en Madrid un nuevo plan de inversiones para las "
    "regiones afectadas por las inundaciones del pasado mes."
)
GERMAN = (
    "Der Bundeskanzler hat am Dienstag in Berlin ein neues Klimapaket vorgestellt, das vor allem "
    "die Industrie und den Verkehr betreffen soll."
)
VIETNAMESE = (
    "Thủ tướng Chính phủ đã chủ trì cuộc họp với các bộ ngành để bàn về kế hoạch phát triển "
    "kinh tế xã hội năm tới."
)


@pytest.mark.parametrize(
    "text", [FRENCH, SPANISH, GERMAN, VIETNAMESE], ids=["french", "spanish", "german", "vietnamese"]
)
def test_latin_script_that_is_not_english_is_not_called_english(text: str) -> None:
    """A French article was "en": the offline engine gave it back as its own English summary
    and translation ("the source is English; the text is given as is")."""
    assert prepare(text).language == "und"
    result = summarize(text, engine="offline")
    assert result.translation is None and result.headline_en is None and result.summary_en is None
    assert all(point.text_en is None for point in result.key_points)
    assert "language.unsupported" in {warning.code for warning in result.source.warnings}


@pytest.mark.parametrize(
    "text",
    [
        "The city announced a new transport plan today. Officials said buses will run more often "
        "and fares will stay the same for the rest of the year.",
        "Speakers: John Smith, Mary Jones, Peter Brown, Anne Green, Tom White, Jim Black, Sue "
        "Grey, Bob Stone, Al Gore, Ed Wood",  # names only: no function words of any language
        "Le Monde and El País reported on Tuesday that the summit in Zürich had been postponed "
        "until after the elections in both countries.",
    ],
    ids=["prose", "name-list", "foreign-names"],
)
def test_english_stays_english(text: str) -> None:
    assert prepare(text).language == "en"
