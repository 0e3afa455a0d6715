"""What is left of an answer still wrong after the last re-ask: the failing items dropped, said.

Grounding errors of one item (a person, organization, place or event whose "as written" text is
not in the article, a date that disagrees with the article) and an unsupported name or year in the
headline or summary do not make the whole summary useless: when they are the only errors left
after ``max_reasks``, the engine keeps the answer without them. Each failing list item is dropped,
as the re-ask told the model to ("or drop the person if not named"); a failing headline or summary
becomes null (the result's fields are nullable for engines that cannot write them). A person whose
``name_en`` the romanization check cannot confirm is kept with ``name_en`` null: the article does
name them, only the English form is doubtful (and it may be an established name the check does
not know); likewise an event whose ``date_iso`` is no date of the article, given without a
written date, is kept with ``date_iso`` null. Every drop is noted in ``meta.status`` under the
field's name, so nothing is dropped silently. Checks run again after each drop, since a
headline naming a dropped person is no longer supported. Any other error (evidence, translation,
JSON, untranslated Chinese) still fails the article with ``OutputValidationError``, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from summarizer.engines.parsing import Problem, errors
from summarizer.schema import ArticleSummary

_ITEM = re.compile(r"^(?P<group>people|organizations|places|events)\[(?P<index>\d+)\]")
_TEXT_FIELDS = ("headline_en", "summary_en")
#: The grounding errors dropping resolves: something the article does not support.
GROUNDING_CODES = frozenset(
    {
        "name.not_in_source",
        "role.not_in_source",
        "name.not_romanized",
        "date.not_in_source",
        "date.conflict",
        "date.unsupported",
        "name.unsupported",
        "year.unsupported",
    }
)
#: The grounding errors of one field of an item: that field becomes null, the item stays.
_FIELD_CODES = frozenset({"name.not_romanized", "date.unsupported"})
#: Drop rounds: a drop can unsupport the headline, whose drop changes nothing further.
_ROUNDS = 3


def droppable(problem: Problem) -> bool:
    """Whether ``problem`` is a grounding error that dropping the item or text it is about
    resolves (other errors, an untranslated headline say, still fail the article)."""
    return problem.code in GROUNDING_CODES and (
        problem.path in _TEXT_FIELDS or _ITEM.match(problem.path) is not None
    )


def all_droppable(problems: Sequence[Problem]) -> bool:
    failed = errors(problems)
    return bool(failed) and all(droppable(problem) for problem in failed)


def drop_failing(
    summary: ArticleSummary, check: Callable[[ArticleSummary], list[Problem]]
) -> ArticleSummary:
    """``summary`` without the items and fields ``check`` still finds errors in, each noted in
    ``meta.status``."""
    notes: dict[str, list[str]] = {}
    for _ in range(_ROUNDS):
        failing = [problem for problem in errors(check(summary)) if droppable(problem)]
        if not failing:
            break
        update: dict[str, object] = {}
        dropped: dict[str, dict[int, Problem]] = {}
        nulled: dict[str, dict[int, Problem]] = {}
        for problem in failing:
            match = _ITEM.match(problem.path)
            if problem.code in _FIELD_CODES and match is not None:
                nulled.setdefault(match["group"], {})[int(match["index"])] = problem
            elif match is None:
                update[problem.path] = None
                notes.setdefault(problem.path, []).append(
                    f"dropped the model's text: it {_reason(problem)}"
                )
            else:
                dropped.setdefault(match["group"], {}).setdefault(int(match["index"]), problem)
        kept: dict[str, list[Any]] = {}
        for group, by_index in nulled.items():
            items = kept[group] = list(getattr(summary, group))
            for index, problem in sorted(by_index.items()):
                if index in dropped.get(group, {}):
                    continue  # the item goes anyway
                field = problem.path.split(".")[-1]
                items[index] = items[index].model_copy(update={field: None})
                notes.setdefault(group, []).append(
                    f"kept {_label(items[index])} with {field} null: {_reason(problem)}"
                )
            update[group] = items
        for group, by_index in dropped.items():
            items = kept.get(group) or list(getattr(summary, group))
            update[group] = [item for index, item in enumerate(items) if index not in by_index]
            notes.setdefault(group, []).extend(
                f"dropped {_label(items[index])}: {problem.path.split('.')[-1]} {_reason(problem)}"
                for index, problem in sorted(by_index.items())
            )
        summary = summary.model_copy(update=update)
    if not notes:
        return summary
    status = {
        **summary.meta.status,
        **{field: "; ".join(lines) for field, lines in notes.items()},
    }
    return summary.model_copy(update={"meta": summary.meta.model_copy(update={"status": status})})


def _reason(problem: Problem) -> str:
    """The problem's first clause (the rest tells the model what to do)."""
    return problem.message.split(";")[0]


def _label(item: object) -> str:
    for attribute in ("name_as_written", "date_as_written", "description_en"):
        value = getattr(item, attribute, None)
        if value:
            return f'"{value}"'
    return "an item"
