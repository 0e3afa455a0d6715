"""The offline engine says plainly when it cannot translate a language, and never passes a
Russian or Japanese text off as English."""

from __future__ import annotations

import pytest

from summarizer import summarize
from summarizer.text.repair.script import detect_language

RUSSIAN = (
    "Правительство Москвы объявило о новом транспортном плане. Мэр сказал, что это поможет жителям."
)
JAPANESE = "東京都は今日、新しい交通計画を発表しました。知事は市民に役立つと述べた。"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("北京市政府今天宣布新的交通规划。", "zh"),
        ("The city announced a new transport plan today.", "en"),
        (JAPANESE, "ja"),
        ("서울시는 오늘 새로운 교통 계획을 발표했다.", "ko"),
        (RUSSIAN, "und"),
        ("Правительство NATO и ООН объявило о плане.", "und"),  # a few Latin words: not English
        ("中国和日本的アニメ文化交流活动在北京举行，吸引了大量观众。", "zh"),  # a kana loanword
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "named"), [(RUSSIAN, "neither Chinese nor English"), (JAPANESE, "Japanese")]
)
def test_an_unsupported_language_is_not_presented_as_english(text: str, named: str) -> None:
    result = summarize(text, engine="offline")
    assert result.translation is None and result.headline_en is None and result.summary_en is None
    assert all(point.text_en is None for point in result.key_points)
    assert result.topics == []
    status = result.meta.status["translation"]
    assert "English" in status and named in status and "the source is English" not in status
    assert "language.unsupported" in [warning.code for warning in result.source.warnings]


def test_english_is_still_given_as_is() -> None:
    text = "The city announced a new transport plan today. The mayor said it would help."
    result = summarize(text, engine="offline")
    assert result.translation is not None
    assert result.meta.status["translation"] == "the source is English; the text is given as is"
