"""Reviewed examples and the user's eval-sets folder, without the HTTP layer.

Where user sets live and how names resolve (shipped sets first), the field-level diff, the mapping
of a reviewed summary onto gold references, and concurrent saves into one set under the file lock.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import NotFoundError
from summarizer.eval.goldset import (
    GoldSetError,
    find_set,
    load_set,
    user_set_names,
    user_sets_root,
    write_set,
)
from summarizer.schema import KeyPoint, Person, Translation
from summarizer.service.review.goldsets import (
    ReviewedSets,
    check_set_name,
    field_changes,
    references_from,
)
from summarizer.service.review.models import ReviewedSummary

MANIFEST = {"version": "1", "description": "d", "provenance": "p", "license": "l"}


def _example(identifier: str) -> dict[str, Any]:
    return {"id": identifier, "source": "文章。", "provenance": "p", "license": "l"}


def test_user_sets_live_in_the_env_folder_else_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SUMMARIZER_EVAL_SETS", raising=False)
    assert user_sets_root().name == "eval-sets"
    assert "summarizer" in user_sets_root().parts
    monkeypatch.setenv("SUMMARIZER_EVAL_SETS", str(tmp_path))
    assert user_sets_root() == tmp_path
    write_set(tmp_path / "mine", {"name": "mine", **MANIFEST}, [_example("a")])
    write_set(tmp_path / ".mine.writing", {"name": "x", **MANIFEST}, [_example("a")])
    assert user_set_names() == ["mine"]
    assert find_set("mine") == tmp_path / "mine"
    assert load_set("mine").signature.startswith("mine@1#")


def test_shipped_sets_win_and_names_never_climb_out_of_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARIZER_EVAL_SETS", str(tmp_path / "sets"))
    write_set(tmp_path / "sets" / "seed", {"name": "seed", **MANIFEST}, [_example("a")])
    write_set(tmp_path / "outside", {"name": "outside", **MANIFEST}, [_example("a")])
    assert find_set("seed") != tmp_path / "sets" / "seed"
    with pytest.raises(GoldSetError) as refused:
        find_set("../outside")
    assert "user sets live in" in str(refused.value) and "seed" in str(refused.value)


@pytest.mark.parametrize("name", ["", ".hidden", "a/b", "a..b", "x" * 65, "名字", "a b"])
def test_set_names_are_plain(name: str) -> None:
    with pytest.raises(GoldSetError):
        check_set_name(name)


def test_field_changes_name_each_leaf_including_added_and_removed_items() -> None:
    before = ReviewedSummary(
        headline_en="Old",
        key_points=[
            KeyPoint(text_en="One", evidence="一二三四"),
            KeyPoint(text_en="Two", evidence="五六七八"),
        ],
    )
    after = ReviewedSummary(
        headline_en="New",
        key_points=[KeyPoint(text_en="One", evidence="一二三四")],
        people=[
            Person(
                name_as_written="张三",
                name_en="Zhang San",
                role_as_written=None,
                role_en=None,
                organization_en=None,
            )
        ],
    )
    changes = {c.field: (c.before, c.after) for c in field_changes(before, after)}
    assert changes == {
        "headline_en": ("Old", "New"),
        "key_points[1].text_en": ("Two", None),
        "key_points[1].evidence": ("五六七八", None),
        # An empty list filled in is one change of the whole list, never "became null".
        "people": ([], [ZHANG_SAN]),
    }
    assert field_changes(after, after) == []


ZHANG_SAN = {
    "name_as_written": "张三",
    "name_en": "Zhang San",
    "role_as_written": None,
    "role_en": None,
    "organization_en": None,
}


def test_a_list_emptied_or_filled_is_one_change_of_the_whole_list() -> None:
    person = Person(**ZHANG_SAN)
    empty, filled = ReviewedSummary(people=[]), ReviewedSummary(people=[person])
    (filled_in,) = field_changes(empty, filled)
    assert (filled_in.field, filled_in.before, filled_in.after) == ("people", [], [ZHANG_SAN])
    (emptied,) = field_changes(filled, empty)
    assert (emptied.field, emptied.before, emptied.after) == ("people", [ZHANG_SAN], [])
    assert all(change.after is not None for change in field_changes(empty, filled))


def test_references_keep_what_the_reviewer_filled_in() -> None:
    reviewed = ReviewedSummary(
        headline_en="  ",
        summary_en="A summary.",
        key_points=[KeyPoint(text_en=None, evidence="一二三四")],
        people=[
            Person(
                name_as_written="吴瑕",
                name_en="Wu Xia",
                role_as_written="区委副书记、区长",
                role_en="Deputy Secretary; District Mayor",
                organization_en=None,
            )
        ],
        translation=Translation(paragraphs_en=["", ""]),
    )
    references = references_from(reviewed)
    assert "headline" not in references and "key_points" not in references
    assert "translation" not in references
    assert references["summary"] == ["A summary."]
    assert references["people"] == [
        {
            "name": "吴瑕",
            "name_en": "Wu Xia",
            "titles": ["区委副书记", "区长"],
            "titles_en": ["Deputy Secretary", "District Mayor"],
        }
    ]
    assert references["organizations"] == [] and references["events"] == []


def test_concurrent_saves_into_one_set_lose_nothing(tmp_path: Path) -> None:
    sets = ReviewedSets(tmp_path)
    errors: list[BaseException] = []

    def save(worker: int) -> None:
        try:
            for number in range(10):
                sets.save("shared", _example(f"w{worker}-{number}"), description=None)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=save, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    goldset = load_set(tmp_path / "shared")
    assert sorted(e.id for e in goldset.examples) == sorted(
        f"w{w}-{n}" for w in range(4) for n in range(10)
    )
    assert goldset.version == "40"
    assert [s.name for s in sets.list_sets()] == ["shared"]
    with pytest.raises(NotFoundError):
        sets.export_zip("absent")
