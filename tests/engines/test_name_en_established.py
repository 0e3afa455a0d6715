"""A person's established English name is their name_en; only another name's syllables are not.

Against the scripted server through the real SDK: "Carrie Lam" for 林郑月娥 or "Lee Hsien Loong"
for 李显龙 costs no re-ask (the surname is romanized, the given name is Western or romanized in
another system); "Zhang Jianhua" for 张伟 (the given name another person's pinyin) is re-asked;
a model that insists keeps the person, with ``name_en`` null and a note in ``meta.status``.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_runs import run

from summarizer.config import ModelConfig
from summarizer.testing import ScriptedOpenAIServer
from summarizer.testing.answers import Change, answering, bad_then_good
from summarizer.text.romanization import romanizes

#: Established English names newsrooms write, and Chinese names in other systems.
ESTABLISHED = [
    ("林郑月娥", "Carrie Lam"),  # married double surname, Cantonese surname, Western given name
    ("林郑月娥", "Lam Cheng Yuet-ngor"),
    ("林郑月娥", "Carrie Lam Cheng Yuet-ngor"),
    ("黎智英", "Jimmy Lai"),
    ("蔡英文", "Tsai Ing-wen"),  # Wade-Giles passport spelling
    ("李显龙", "Lee Hsien Loong"),  # Singaporean: 龙 "Loong" is no syllable of any table
    ("马云", "Jack Ma"),
    ("马化腾", "Pony Ma"),
    ("黄之锋", "Joshua Wong"),
    ("吴作栋", "Goh Chok Tong"),  # Hokkien surname spelling (the dialect table)
    ("欧阳修", "Ouyang Xiu"),  # compound surnames, in pinyin, Cantonese and Wade-Giles
    ("欧阳修", "Au Yeung Sau"),
    ("司马南", "Szu-ma Nan"),
    ("张伟", "Wei Zhang"),
]


def article(name: str) -> str:
    return f"区委召开会议。{name}出席会议并讲话。"


def naming(name: str, name_en: str, headline: str | None = None) -> Change:
    def change(answer: dict[str, Any]) -> None:
        answer["people"] = [
            {
                "name_as_written": name,
                "name_en": name_en,
                "role_as_written": None,
                "role_en": None,
                "organization_en": None,
            }
        ]
        if headline is not None:
            answer["headline_en"] = headline

    return change


@pytest.mark.parametrize(("name", "name_en"), ESTABLISHED)
def test_an_established_english_name_costs_no_reask(
    openai_server: ScriptedOpenAIServer, config: ModelConfig, name: str, name_en: str
) -> None:
    openai_server.set_handler(answering(naming(name, name_en)))
    summary = run(config, article(name))
    assert summary.meta.reasks == 0, openai_server.chat_requests[-1].messages[-1]
    assert [(p.name_as_written, p.name_en) for p in summary.people] == [(name, name_en)]
    assert summary.meta.status == {}


def test_a_headline_naming_the_established_name_is_supported(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    headline = "Lee Hsien Loong attends a district meeting"
    openai_server.set_handler(answering(naming("李显龙", "Lee Hsien Loong", headline)))
    summary = run(config, article("李显龙"))
    assert summary.meta.reasks == 0, openai_server.chat_requests[-1].messages[-1]
    assert summary.headline_en == headline


def test_another_names_pinyin_for_the_given_name_is_still_reasked(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    openai_server.set_handler(bad_then_good(naming("张伟", "Zhang Jianhua")))
    # The good answer has no people: the re-ask's answer is accepted as it stands.
    summary = run(config, article("张伟"))
    assert summary.meta.reasks == 1
    reask = str(openai_server.chat_requests[1].messages[-1]["content"])
    assert 'people[0].name_en: "Zhang Jianhua" is not a romanization of "张伟"' in reask, reask
    assert '"Zhang Wei"' in reask


def test_an_insisting_model_keeps_the_person_without_the_doubtful_name_en(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    openai_server.set_handler(answering(naming("张伟", "Zhang Jianhua")))
    summary = run(config, article("张伟"))
    assert summary.meta.reasks == config.max_reasks == 2
    assert [(p.name_as_written, p.name_en) for p in summary.people] == [("张伟", None)]
    note = summary.meta.status["people"]
    assert note.startswith('kept "张伟" with name_en null'), note
    assert '"Zhang Jianhua" is not a romanization of "张伟"' in note


def test_a_headline_repeating_the_doubtful_name_goes_the_person_stays(
    openai_server: ScriptedOpenAIServer, config: ModelConfig
) -> None:
    openai_server.set_handler(
        answering(naming("张伟", "Li Qiang", "Li Qiang speaks at a district meeting"))
    )
    summary = run(config, article("张伟"))
    assert [(p.name_as_written, p.name_en) for p in summary.people] == [("张伟", None)]
    assert summary.headline_en is None
    assert "Li Qiang" in summary.meta.status["headline_en"]


@pytest.mark.parametrize(
    ("name_en", "name"),
    [
        ("Zhang Jianhua", "张伟"),  # another given name's pinyin
        ("Jack Zhang Jianhua", "张伟"),  # a Western name does not excuse it
        ("Zhang Hua", "张建华"),  # half the given name is not the name
        ("Zhang Wei", "张建华"),
        ("Li Qiang", "张建华"),  # another surname
        ("Carrie Wong", "林郑月娥"),
        ("Lam Yuet-ngor", "林伟"),  # Cantonese syllables of other characters
    ],
)
def test_swapped_syllables_are_still_refused(name_en: str, name: str) -> None:
    assert romanizes(name_en, name) is False
