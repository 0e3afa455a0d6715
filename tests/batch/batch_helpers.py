"""Batch test helpers: synthetic articles and a scripted model that answers each one validly.

(A uniquely named module, not ``conftest``, so that imports never meet another folder's conftest.)
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from summarizer.api import prepare_article
from summarizer.testing import RecordedRequest, Reply, valid_draft

CITIES = ("北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "重庆")
TOPICS = ("交通", "教育", "医疗", "环保", "文化", "科技", "农业", "住房", "就业", "旅游")
TAG = re.compile(r"art-\d{5}")


def article_text(number: int) -> str:
    """A short two-paragraph Chinese news item carrying a unique ASCII tag (``art-00042``)."""
    city, topic = CITIES[number % 10], TOPICS[number // 10 % 10]
    return (
        f"{city}市召开{topic}工作会议（art-{number:05d}）。会议部署了下一阶段的重点任务。\n"
        f"会议要求各部门坚持问题导向，切实解决群众关心的{topic}问题。"
        f"与会人员表示将认真落实会议精神。"
    )


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    return path


def article_rows(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {"id": f"a{number}", "text": article_text(number), "source": "test"}
        for number in range(start, start + count)
    ]


def read_output(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


class DraftingModel:
    """A chat handler that answers every article (found by its tag) with a valid draft.

    ``invalid_first`` names tags whose first answer is unusable (so a re-ask or the online path
    must fix it).
    """

    def __init__(self) -> None:
        self._drafts: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.invalid_first: set[str] = set()
        self.answered: list[str] = []

    def draft_for(self, tag: str) -> dict[str, Any]:
        with self._lock:
            if tag not in self._drafts:
                document, _ = prepare_article(article_text(int(tag[4:])))
                self._drafts[tag] = valid_draft(document)
            return self._drafts[tag]

    def __call__(self, request: RecordedRequest) -> Reply:
        found = TAG.search(request.user_text)
        if found is None:
            return Reply.error(400, "no article tag in the prompt")
        tag = found.group()
        with self._lock:
            self.answered.append(tag)
            if tag in self.invalid_first:
                self.invalid_first.discard(tag)
                return Reply.json({"headline_en": "incomplete"})
        return Reply.json(self.draft_for(tag))
