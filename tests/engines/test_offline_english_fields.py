"""Offline English fields never carry text that is not English (review10 R5), and organizations
without an English name are named in ``meta.status`` as people are (review10 R3).

R5: the mojibake sample of Java code commented in Chinese was judged English (its identifiers
counted as English words), and the offline engine gave its lines, ``用户id`` and ``事件�``
included, as ``translation`` and key point ``text_en``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from summarizer import summarize
from summarizer.eval.goldset import load_set
from summarizer.schema import ArticleSummary
from summarizer.text.repair.script import detect_language

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "data" / "mojibake_samples.jsonl"
NOT_ENGLISH = re.compile("[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af\ufffd]")


def sample(sample_id: str) -> dict[str, str]:
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["id"] == sample_id:
            return {str(key): str(value) for key, value in record.items()}
    raise LookupError(sample_id)


def english_fields(result: ArticleSummary) -> list[str]:
    """Every English text of an offline result (headline, summary, key points, topics,
    translation)."""
    fields = [result.headline_en or "", result.summary_en or "", *result.topics]
    fields += [point.text_en or "" for point in result.key_points]
    if result.translation is not None:
        fields += result.translation.paragraphs_en
    return fields


@pytest.mark.parametrize("sample_id", ["mojibake_java_event", "mojibake_java_article_domain"])
def test_java_commented_in_chinese_is_not_english(sample_id: str) -> None:
    record = sample(sample_id)
    assert detect_language(record["text"]) == "zh"
    assert detect_language(record["gbk_to_utf8_repair_attempt"]) == "zh"
    result = summarize(record["text"], engine="offline")
    assert result.source.language == "zh"
    assert [field for field in english_fields(result) if NOT_ENGLISH.search(field)] == []


def test_a_code_line_without_a_comment_still_counts_as_written() -> None:
    """Only a comment is cut out of a line of code with Han: a Chinese sentence that merely
    looks like code (an assignment written into it) is kept whole and stays Chinese."""
    assert detect_language("价格=100元，比去年上涨了百分之十。\n销量也增加了。") == "zh"


def test_english_with_chinese_or_lost_characters_gives_no_such_english_field() -> None:
    text = (
        "Ministers agreed to meet again next year in Geneva to review the transport plan.\n\n"
        "The Belt and Road Initiative (一带一路) was discussed at length by the delegates.\n\n"
        "The report said the vote was \ufffd\ufffd delayed by a week."
    )
    result = summarize(text, engine="offline")
    assert result.source.language == "en"
    assert [field for field in english_fields(result) if NOT_ENGLISH.search(field)] == []
    assert result.translation is None
    clean = [p for p in result.key_points if not NOT_ENGLISH.search(p.evidence)]
    assert clean and all(point.text_en == point.evidence for point in clean)
    [warning] = [w for w in result.source.warnings if w.code == "english.withheld"]
    assert "2 of its 3 paragraphs (2, 3)" in warning.message
    assert "U+FFFD" in warning.message
    assert result.meta.status["translation"].startswith(warning.message)


def test_plain_english_is_still_given_as_is() -> None:
    text = "Ministers agreed to meet again next year.\n\nThe plan will be reviewed in Geneva."
    result = summarize(text, engine="offline")
    assert result.translation is not None
    assert result.translation.paragraphs_en == [p for p in text.split("\n\n")]
    assert "english.withheld" not in [w.code for w in result.source.warnings]


def test_english_reference_translations_of_wmt22_stay_english() -> None:
    """Both human references (A and B) of the first three tune documents of wmt22-zhen."""
    splits = json.loads((ROOT / "evals" / "splits.json").read_text(encoding="utf-8"))
    tune = set(splits["wmt22-zhen"]["tune"][:3])
    examples = [e for e in load_set("wmt22-zhen").examples if e.id in tune]
    assert len(examples) == 3
    for example in examples:
        for reference in example.references["translation"]:
            assert detect_language("\n".join(reference)) == "en", example.id
        assert detect_language(example.source) == "zh"


def test_organizations_without_an_english_name_are_named_in_the_status() -> None:
    text = (
        "天津市天文学会理事长张明表示，今年将举办多场科普活动。国际欧亚科学院也派代表参加了活动。"
    )
    result = summarize(text, engine="offline")
    unnamed = [body.name_as_written for body in result.organizations if body.name_en is None]
    assert "天津市天文学会" in unnamed
    note = result.meta.status["organizations"]
    assert f"name_en is null for {'、'.join(unnamed)}" in note
    assert "needs a model" in note
