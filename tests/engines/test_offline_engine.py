"""The offline engine: a valid, grounded, deterministic ArticleSummary without a model."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from summarizer.engines.base import Engine
from summarizer.engines.offline import (
    KEY_POINT_BUDGET_CHARS,
    OfflineEngine,
    is_editor_note,
    tables_digest,
    title_line,
    trim_dateline,
)
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
    assert set(fingerprint) == {"engine", "engine_version", "glossary", "surnames", "data"}
    # a user glossary entry changes the output, so it changes the cache key too
    extended = OfflineEngine(load_glossary(extra=[Entry("星湖", "Xinghu Lake", "place")]))
    assert extended.fingerprint()["glossary"] != fingerprint["glossary"]
    assert extended.fingerprint()["surnames"] == fingerprint["surnames"]


def test_the_cache_key_follows_every_shipped_table(tmp_path: Path) -> None:
    """foreign_places.tsv and known_names.tsv shape the output too, not only the glossary."""
    shipped = resources.files("summarizer.text.analysis").joinpath("data")
    for table in shipped.iterdir():
        if table.is_file():
            (tmp_path / table.name).write_bytes(table.read_bytes())
    assert tables_digest(tmp_path) == OfflineEngine().fingerprint()["data"]
    for name in ("foreign_places.tsv", "known_names.tsv"):
        copy = tmp_path / name
        original = copy.read_bytes()
        copy.write_bytes(original + "亚庇\tKota Kinabalu\n".encode())
        assert tables_digest(tmp_path) != OfflineEngine().fingerprint()["data"], name
        copy.write_bytes(original)


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
        "Member of the Standing Committee of the Nantong Municipal Party Committee; "
        "Secretary of the Tongzhou District Party Committee"
    )
    assert people["吴瑕"].name_en == "Wu Xia"
    assert people["吴瑕"].role_en == (
        "Deputy Secretary of the Tongzhou District Party Committee; Tongzhou District Mayor"
    )
    assert people["陈艳梅"].name_en == "Chen Yanmei"
    assert people["成宾"].name_en == "Cheng Bin"
    assert people["吴冰冰"].name_en == "Wu Bingbing"
    assert people["张建华"].organization_en == "Tongzhou District Party Committee"
    assert people["葛燕"].role_en == "Reporter"
    organizations = {entity.name_as_written: entity.name_en for entity in summary.organizations}
    assert organizations["区委"] == "Tongzhou District Party Committee"
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


async def test_long_article_key_points_fit_the_budget_and_start_from_the_lead() -> None:
    lead = "南通港今年货物吞吐量突破3亿吨，创历史新高。"
    text = (
        "南通港吞吐量创新高\n"
        + lead
        + "集装箱运量增长最快，同比增长百分之十二。"
        + "".join(f"第{n}个码头介绍了装卸作业的安排和效率提升的做法。" for n in range(1, 12))
    )
    summary = await run(prepare(text))
    body = [point.evidence for point in summary.key_points[1:]]
    assert summary.key_points[0].evidence == "南通港吞吐量创新高"
    assert body[0] == lead
    assert len(body) >= 2 and sum(len(point) for point in body) <= KEY_POINT_BUDGET_CHARS


async def test_numbered_list_stays_one_key_point() -> None:
    text = (
        "人工智能教育论坛举行\n"
        "论坛讨论了三个方向：1.深层网络；2.游戏化；3.个性化学习。"
        + "与会专家认为，人工智能将改变课堂。"
        + "多所学校介绍了试点经验，学生参与度明显提高。"
        + "主办方表示，明年将扩大试点范围，覆盖更多地区的中小学。"
        + "专家建议加强教师培训，让教师掌握新的教学工具和方法。"
        + "论坛还发布了人工智能教育白皮书，总结了过去一年的进展。"
        + "".join(f"第{n}所试点学校介绍了课堂上使用智能助教的做法和效果。" for n in range(1, 9))
    )
    assert len(text) > 300  # a long article: several key points
    summary = await run(prepare(text))
    evidence = [point.evidence for point in summary.key_points]
    assert len(set(evidence)) == len(evidence)
    assert not any(point in ("1.", "2.", "3.") or point.startswith("游戏化") for point in evidence)
    assert any("1.深层网络；2.游戏化；3.个性化学习。" in point for point in evidence)


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


def test_trailing_source_note_is_trimmed_from_evidence() -> None:
    text = "雄安新区启动第二批征迁安置工作。（原题为《雄安新区第二批征迁安置工作启动》）"
    trimmed = trim_dateline(Span(5, 5 + len(text), text))
    assert trimmed.text == "雄安新区启动第二批征迁安置工作。"
    assert trimmed.start == 5


def test_editor_notes_and_captions_are_recognised() -> None:
    for note in (
        "(本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP)",
        "（原题为《雄安新区第二批征迁安置工作启动》）",
        "责任编辑：王明",
        "图为活动现场。",
        "（新华社记者 李明 摄）",
        "（完）",
    ):
        assert is_editor_note(note), note
    for story in ("工作人员正在现场拍摄。", "会议指出，要加强图书馆建设。", "完成任务后大家返回。"):
        assert not is_editor_note(story), story


async def test_editor_notes_never_become_key_points() -> None:
    text = (
        "图为发布会现场。"
        + "国务院联防联控机制17日举行新闻发布会，介绍医疗救治工作进展情况。"
        + "".join(f"专家介绍了第{n}批恢复期血浆采集和使用的做法。" for n in range(1, 12))
        + "(本文来自澎湃新闻，更多原创资讯请下载“澎湃新闻”APP)"
    )
    summary = await run(prepare(text))
    evidence = [point.evidence for point in summary.key_points]
    assert evidence[0].startswith("国务院联防联控机制17日举行新闻发布会")
    assert not any("澎湃新闻" in point or point.startswith("图为") for point in evidence)


def test_source_and_date_lines_are_not_headlines() -> None:
    for first in ("来源：通州日报", "2025-12-13 10:20", "作者：张三"):
        assert title_line(prepare(first + "\n区委召开务虚会。会议讨论了明年的工作。")) is None
    assert title_line(prepare("区委务虚会召开\n区委召开务虚会。")) is not None
