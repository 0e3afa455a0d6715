"""The offline engine: a valid, grounded, deterministic ArticleSummary without a model."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.engines.base import Engine
from summarizer.engines.offline import OfflineEngine, key_point_count, trim_dateline
from summarizer.schema import ArticleSummary
from summarizer.text import analyze, prepare
from summarizer.text.analysis.glossary import Entry, load_glossary
from summarizer.text.document import Document, Span

SEED = Path(__file__).resolve().parents[2] / "examples" / "tongzhou_2025-12-13_scraped.txt"
ENGLISH = (
    "Port traffic hits record\n"
    "The port of Nantong handled a record 300 million tonnes of cargo in 2024. "
    "Officials said container volumes grew fastest. "
    "The city plans a new airport by 2030.\n"
    "Exporters welcomed the news. Cargo growth is expected to slow next year."
)


@pytest.fixture(scope="module")
def seed() -> Document:
    return prepare(SEED.read_text("utf-8"))


async def run(document: Document, year_hint: int | None = None) -> ArticleSummary:
    return await OfflineEngine().summarize(document, analyze(document, year_hint=year_hint))


def test_implements_the_engine_protocol() -> None:
    engine = OfflineEngine()
    assert isinstance(engine, Engine)
    assert engine.name == "offline"
    fingerprint = engine.fingerprint()
    assert fingerprint["engine"] == "offline"
    assert set(fingerprint) == {"engine", "engine_version", "glossary", "surnames"}
    # a user glossary entry changes the output, so it changes the cache key too
    extended = OfflineEngine(load_glossary(extra=[Entry("星湖", "Xinghu Lake", "place")]))
    assert extended.fingerprint()["glossary"] != fingerprint["glossary"]
    assert extended.fingerprint()["surnames"] == fingerprint["surnames"]


async def test_seed_summary_validates_and_is_grounded(seed: Document) -> None:
    summary = await run(seed, year_hint=2025)
    ArticleSummary.model_validate(summary.model_dump())  # round-trips through the schema
    assert 3 <= len(summary.key_points) <= 8
    for point in summary.key_points:
        assert point.evidence in seed.text
        assert point.text_en is None
    # the article's own headline comes first
    assert summary.key_points[0].evidence.startswith("区委务虚会暨调研成果交流会召开")
    # the byline is not part of any key point
    assert not any("通讯员" in point.evidence for point in summary.key_points)


async def test_seed_people_titles_and_dates(seed: Document) -> None:
    summary = await run(seed, year_hint=2025)
    people = {person.name_as_written: person for person in summary.people}
    assert people["张建华"].name_en == "Zhang Jianhua"
    assert people["张建华"].role_en == (
        "Member of the Standing Committee of the Municipal Party Committee; "
        "Secretary of the District Party Committee"
    )
    assert people["吴瑕"].name_en == "Wu Xia"
    assert people["吴瑕"].role_en == (
        "Deputy Secretary of the District Party Committee; District Mayor"
    )
    assert people["陈艳梅"].name_en == "Chen Yanmei"
    assert people["成宾"].name_en == "Cheng Bin"
    assert people["吴冰冰"].name_en == "Wu Bingbing"
    assert people["张建华"].organization_en == "District Party Committee"
    assert people["葛燕"].role_en == "Reporter"
    organizations = {entity.name_as_written: entity.name_en for entity in summary.organizations}
    assert organizations["区委"] == "District Party Committee"
    places = {entity.name_as_written: entity.name_en for entity in summary.places}
    assert places["江苏"] == "Jiangsu"
    assert ("12月13日", "2025-12-13") in [(e.date_as_written, e.date_iso) for e in summary.events]
    assert summary.topics and all(topic.isascii() for topic in summary.topics)


async def test_seed_says_what_needs_a_model(seed: Document) -> None:
    summary = await run(seed)
    assert summary.headline_en is None and summary.summary_en is None
    assert summary.translation is None
    assert summary.meta.status["translation"] == (
        "translation needs a model; set SUMMARIZER_MODEL and OPENAI_BASE_URL (see README)"
    )
    assert "headline_en" in summary.meta.status and "summary_en" in summary.meta.status
    assert summary.meta.engine == "offline"
    assert summary.meta.attempts == 0
    assert summary.meta.latency_ms > 0
    assert summary.source.normalized_text == seed.text
    # without a year hint the year of 12月13日 is unknown, and the warning reaches the user
    assert "date_year_unknown" in [warning.code for warning in summary.source.warnings]


async def test_deterministic(seed: Document) -> None:
    first, second = await run(seed), await run(seed)
    first.meta.latency_ms = second.meta.latency_ms = 0.0
    assert first.model_dump() == second.model_dump()


async def test_english_input_is_extracted_as_is() -> None:
    document = prepare(ENGLISH)
    summary = await run(document)
    assert summary.headline_en == "Port traffic hits record"
    assert summary.summary_en
    for point in summary.key_points:
        assert point.evidence in document.text
        assert point.text_en == point.evidence
    assert summary.translation is not None
    assert summary.translation.paragraphs_en == [p.text for p in document.paragraphs]
    assert [(e.date_as_written, e.date_iso) for e in summary.events] == [
        ("2024", "2024"),
        ("2030", "2030"),
    ]
    assert summary.people == []
    assert "Chinese text only" in summary.meta.status["people"]


def test_key_point_count_scales_with_length() -> None:
    assert key_point_count(2) == 2
    assert key_point_count(10) == 3
    assert key_point_count(25) == 5
    assert key_point_count(200) == 7


def test_dateline_and_byline_are_trimmed_but_evidence_stays_exact() -> None:
    text = "新华社北京12月1日电（记者张三）国务院常务会议1日召开。"
    trimmed = trim_dateline(Span(10, 10 + len(text), text))
    assert trimmed.text == "国务院常务会议1日召开。"
    assert trimmed.start == 10 + text.index("国务院")
    untouched = Span(0, 8, "会议今天召开。")
    assert trim_dateline(untouched) == untouched
    # 讯 inside a word is not a dateline
    word = Span(0, 9, "通讯技术快速发展。")
    assert trim_dateline(word) == word
    bare = "新华社北京12月11日电 12月11日，国家主席习近平致贺信。"
    assert trim_dateline(Span(0, len(bare), bare)).text == "12月11日，国家主席习近平致贺信。"
