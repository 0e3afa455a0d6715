"""Entity matching decisions: what counts as the same person, organization or place."""

from __future__ import annotations

import pytest

from summarizer.eval.entities import entities_match, prf
from summarizer.eval.outputs import EntityOut

ZHANG = EntityOut("张建华", "Zhang Jianhua")


@pytest.mark.parametrize(
    "other",
    [
        EntityOut("", "Zhang Jianhua"),
        EntityOut("", "zhang jianhua"),
        EntityOut("", "Zhang Jian-hua"),
        EntityOut("", "Zhang Jian Hua"),
        EntityOut("", "Zhāng Jiànhuá"),
        EntityOut("", "Jianhua Zhang"),
        EntityOut("張建華", None),  # traditional script, no English
        EntityOut("张建华", "Chang Chien-hua"),  # same characters, other romanization
    ],
)
def test_same_person(other: EntityOut) -> None:
    assert entities_match(other, ZHANG, person=True)


@pytest.mark.parametrize(
    "other",
    [EntityOut("", "Zhang Jianhu"), EntityOut("", "Zhang Jian"), EntityOut("吴瑕", "Wu Xia")],
)
def test_different_person(other: EntityOut) -> None:
    assert not entities_match(other, ZHANG, person=True)


def test_organizations_fold_case_punctuation_and_leading_the() -> None:
    reference = EntityOut("通州日报", "Tongzhou Daily")
    assert entities_match(EntityOut("", "the Tongzhou daily"), reference, person=False)
    # name order is only flexible for people
    assert not entities_match(EntityOut("", "Daily Tongzhou"), reference, person=False)


def test_prf_is_one_to_one() -> None:
    predicted = [ZHANG, EntityOut("", "Zhang Jianhua"), EntityOut("", "Wu Xia")]
    expected = [ZHANG, EntityOut("吴瑕", "Wu Xia"), EntityOut("陈艳梅", "Chen Yanmei")]
    result = prf(predicted, expected, person=True)
    assert result.true_positives == 2
    assert result.precision == pytest.approx(2 / 3)
    assert result.recall == pytest.approx(2 / 3)


def test_prf_nothing_predicted_is_zero_f1_not_undefined() -> None:
    result = prf([], [ZHANG], person=True)
    assert result.f1 == 0.0 and result.recall == 0.0 and result.precision is None
    assert prf([], [], person=True).f1 is None
