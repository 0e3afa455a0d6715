"""An article's deadline is honoured inside its text handling, not only after it.

The offline engine used to check its deadline only once preparation and analysis were done: a
650,000-character article with ``--deadline 0.5`` ran a whole minute of repair, tagging and entity
rules before failing. Now ``prepare_article`` takes a ``checkpoint`` that text handling calls at
the head of its long loops (per repaired run, per paragraph, per tagged block, between entity
rules); the library, the batch runner and the service build it from the engine's deadline.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import summarizer
from summarizer.api import prepare_article
from summarizer.batch.runner import run_records
from summarizer.cli import app
from summarizer.engines.deadline import article_clock, deadline_checkpoint
from summarizer.engines.offline import OfflineEngine
from summarizer.engines.openai import OpenAIEngine
from summarizer.errors import DeadlineExceededError
from summarizer.text.analysis.analyze import ANALYZING
from summarizer.text.analysis.view import FINDING_ENTITIES, TAGGING, TOKENS_PER_CHECKPOINT
from summarizer.text.repair.edits import LISTING_REPAIRS
from summarizer.text.repair.mojibake import REPAIRING_MISDECODED
from summarizer.text.repair.pinyin import REMOVING_PINYIN
from summarizer.text.repair.prepare import REPAIRING
from summarizer.text.repair.script import CONVERTING
from summarizer.text.repair.segment import SEGMENTING

SEED = Path(__file__).resolve().parents[2] / "examples" / "tongzhou_2025-12-13_scraped.txt"
SHORT = "区委召开全体会议，部署明年重点工作。会议要求各部门切实抓好落实。"
#: Every phrase a checkpoint inside text handling is called with.
STAGES = (
    REPAIRING,
    REPAIRING_MISDECODED,
    REMOVING_PINYIN,
    CONVERTING,
    SEGMENTING,
    LISTING_REPAIRS,
    ANALYZING,
    TAGGING,
    FINDING_ENTITIES,
)
#: The deadline's message for a stop inside text handling (not the engine's own check after it).
INSIDE_TEXT_HANDLING = re.compile(
    "passed (" + "|".join(re.escape(stage) for stage in STAGES) + r"), before "
)


#: Characters whose text handling outlasts a deadline of 0.3 s on any machine the suite runs on:
#: 120,000 took 1.4 s on the fastest one seen (so 600,000 take about 7 s: 23 times 0.3 s), and
#: the checkpoint ends the work at the deadline, so the size costs only the text's first pass
#: before the first checkpoint (0.05 s here; 0.5 s for 1,900,000). A slower machine only stops
#: it sooner, still inside text handling (its first checkpoint is the first repair).
OUTLASTS_A_SHORT_DEADLINE = 600_000
#: The same for the batch's deadline of 1.5 s: about 22 s on the fastest machine (15 times 1.5 s),
#: under the library's 2,000,000-character input limit.
OUTLASTS_A_BATCH_DEADLINE = 1_900_000


def long_article(chars: int) -> str:
    """The scraped seed article (mis-decoded runs, pinyin, traditional script) repeated."""
    seed = SEED.read_text("utf-8")
    return "\n\n".join([seed] * (chars // len(seed) + 1))[:chars]


class Stop(Exception):
    pass


def test_text_handling_calls_its_checkpoint_in_every_long_stage() -> None:
    text = long_article(12_000)
    stages: list[str] = []
    document, analysis = prepare_article(text, checkpoint=stages.append)
    assert set(stages) == set(STAGES)
    # Segmentation: once per paragraph; tagging once per 256 tokens (no word is 4 characters
    # on average).
    assert stages.count(SEGMENTING) == len(document.paragraphs) > 10
    assert stages.count(TAGGING) >= len(document.text) // (4 * TOKENS_PER_CHECKPOINT) >= 5
    # A checkpoint changes nothing about the result.
    assert (document, analysis) == prepare_article(text)


@pytest.mark.parametrize("stop_at", [REPAIRING_MISDECODED, SEGMENTING, TAGGING, FINDING_ENTITIES])
def test_what_the_checkpoint_raises_stops_the_work_there(stop_at: str) -> None:
    stages: list[str] = []

    def stop(stage: str) -> None:
        stages.append(stage)
        if stage == stop_at:
            raise Stop(stage)

    with pytest.raises(Stop):
        prepare_article(long_article(12_000), checkpoint=stop)
    assert stages[-1] == stop_at and stages.count(stop_at) == 1  # nothing ran after it


def test_the_engines_deadline_makes_the_checkpoint() -> None:
    with article_clock(time.monotonic() - 5):  # the article arrived 5 s ago
        late = deadline_checkpoint(OfflineEngine(deadline=2))
        in_time = deadline_checkpoint(OfflineEngine(deadline=600))
        model = deadline_checkpoint(
            OpenAIEngine(summarizer.ModelConfig(model="m", base_url="http://x/v1", deadline=1))
        )
    in_time(TAGGING)
    with pytest.raises(DeadlineExceededError, match="passed while its text was tagged, before the"):
        late(TAGGING)
    with pytest.raises(DeadlineExceededError, match="before any model call"):
        model(TAGGING)


def test_summarize_stops_a_long_article_inside_its_text_handling() -> None:
    prepare_article(SHORT)  # dictionaries loaded: what is measured is the article
    with pytest.raises(DeadlineExceededError) as raised:
        summarizer.summarize(
            long_article(OUTLASTS_A_SHORT_DEADLINE), engine="offline", deadline=0.3
        )
    assert INSIDE_TEXT_HANDLING.search(str(raised.value)), str(raised.value)


def test_the_cli_stops_a_long_article_inside_its_text_handling(tmp_path: Path) -> None:
    article = tmp_path / "long.txt"
    article.write_text(long_article(OUTLASTS_A_SHORT_DEADLINE), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["summarize", str(article), "--engine", "offline", "--deadline", "0.3"]
    )
    assert result.exit_code == 4, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert INSIDE_TEXT_HANDLING.search(result.stderr), result.stderr


def test_a_batch_writes_the_stopped_article_as_an_error_line_and_goes_on() -> None:
    prepare_article(SHORT)  # dictionaries loaded
    engine = OfflineEngine(deadline=1.5)
    # The long article is prepared in the runner's worker thread (OFF_LOOP_CHARS). Its text
    # handling takes 15 times the deadline even on the fastest machine seen (120,000 characters,
    # once used here, finished there before the deadline), so the stop falls inside it; the
    # checkpoint ends the work at the deadline whatever the size. The short article needs
    # milliseconds: 1.5 s leaves it a hundredfold margin on a loaded machine.
    long_text = long_article(OUTLASTS_A_BATCH_DEADLINE)
    report = run_records([("long", long_text), ("short", SHORT)], engine)
    by_id = {line["id"]: line for line in report.results}
    assert by_id["short"]["status"] == "ok", by_id["short"]
    error = by_id["long"]["error"]
    assert by_id["long"]["status"] == "error" and error["kind"] == "transport.deadline", error
    assert INSIDE_TEXT_HANDLING.search(error["message"]), error["message"]
