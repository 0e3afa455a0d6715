"""Offline engine vs Lead-1 and Lead-3 on human reference summaries: character ROUGE, throughput.

    python benchmarks/offline_rouge.py [--set NAME|PATH ...|--data PATH]
        [--split held-out|tune|all] [--per-article] [--no-throughput]
    python benchmarks/offline_rouge.py --outputs FILE

``--outputs FILE`` instead writes the offline engine's whole summary of every article of every gold
set in ``evals/`` (run latency and library version left out) as JSON lines, one per article in set
and file order: ``cmp`` two such files to show that a change leaves the output alone.

Without ``--set`` it scores every gold set with human summaries (``SUMMARY_SETS``: the ones of
``evals/`` and ``evals/external/`` that have ``summary_zh``; one that is not built here is left out
with a line saying how to build it). That is what ``make bench`` and the docs run record in
``docs/benchmarks.md``::

    python benchmarks/offline_rouge.py

It prints the issue-10 verdict first, as one table, held-out before tune and long before short:
per set and pooled, the item count, the offline key points', Lead-1's and Lead-3's mean ROUGE-L
from the same run, and the per-article comparison with the better lead (better, equal, worse; the
mean difference with its standard error; the engine is deterministic, so there are no seeds). Then
each set's full tables. ``short`` articles are the LCSTS Weibo items, ``long`` everything else; the
split is ``extra.split`` of an example, else ``evals/splits.json`` (tune the engine on ``tune``
only). Only runs that score a held-out split of gold sets are written to ``docs/benchmarks.md``
(``records_figures``): ``--split tune``, ``--data``, ``--outputs`` and ``--help`` runs are not.

Sets: ``zh-news-summaries`` (40 CLTS, CLTS-plus and LCSTS texts with their first ``summary_zh``
reference; any set with ``summary_zh`` works with ``--set``), ``catamaran-nyt-zh``: 20 long New
York Times Chinese-edition articles with the edition's own summaries, and ``textsum-news-zh``: 25
long Chinese news articles with 58-79 character human summaries (``LittleRedLynn/Text-Sum``, by
the CATAMARAN authors). The last two are not shipped (see their ``PROVENANCE.md`` under
``evals/external/`` to build them; their ids, splits and content hashes were committed before any
engine ran on them). ``--data`` takes a shared-format JSONL file instead (``id``, ``article``,
``summary``).

Systems:

* ``offline key points``: the offline engine's key points (evidence spans, title first when there
  is one), concatenated in order, as a user gets them;
* ``lead-1``, ``lead-3``: the first one or three sentences of the prepared document;
* ``offline ranked, budget``: the engine's sentence ranker filling the reference's length (the
  extractive summary of a given length), with ``plain TextRank`` (no lead bias) beside it.

Everything is also scored cut to the reference's length in characters, so that longer extracts are
not rewarded for recall alone. ROUGE is ``summarizer.eval.rouge`` (one token per CJK character).
Throughput is measured in a fresh subprocess pinned to one core that imports the library, then
prepares, analyzes and summarizes all articles: cold start (imports, dictionaries) included.

Issue-10 figures, round 10: engine "8" is engine 7 with four defects fixed, each with a test that
failed on engine 7 (``tests/engines/test_offline_round10.py``,
``tests/text/repair/test_segment.py``): a page's date and source line ("2023-05-20 10:32
来源：人民网") is never a key point (engine 7 gave it as the only point of a short page, and
dropped the lead); a short question or exclamation line
("……为何频频停电？") is the headline, not the lead; a 【bracketed】 headline opening the text is the
title and the lead its own point; a list number straight after Chinese text ("包括1.深层网络") no
longer ends a sentence. The decision rule (``benchmarks/offline_rouge_round10_rule.md``) was
committed before any comparison: defect fixes stay unless tune falls by more than one SE; held-out
is run once and decides nothing. Tune (29 long, 15 short): unchanged, 23.90 vs Lead-3 21.25 and
26.49 = Lead-1 (no tune article has any of the four patterns). Held-out, the one run, ROUGE-L x 100,
``python benchmarks/offline_rouge.py`` (Lead-1 and Lead-3 from the same run):

* pooled long (24): **19.76** vs Lead-3 19.97, BELOW by 0.21 (10 better, 4 equal, 10 worse; SE
  1.38); engine 7 20.04 (meets by 0.07, SE 1.39): a tie either way, now on the wrong side;
* CATAMARAN long (11): 21.51 vs Lead-3 19.75 (engine 7 22.11): two held-out articles have a
  headline ending in "？", which engine 8 now takes as their headline, so their key points are the
  headline and two lead sentences instead of three lead sentences, and longer than the references;
* CLTS long (5) 16.91 and Text-Sum long (8) 19.15: unchanged, both BELOW Lead-3;
* LCSTS short (17): 22.63, the same as Lead-1 on every item (unchanged).

Tried on tune only and not taken (round 10): the title counted against the 150-character budget
(23.53, -0.37, SE 0.32: 5 articles moved, worse) and one lead point instead of two when there is a
title (no article moved). No public Chinese news set with human summaries that the project has not
used could be fetched here (NLPCC 2017 TTNews, CNewSum, NEWSFARM's source side and XL-Sum are all
absent or over the fetch size limit; the CATAMARAN and Text-Sum files are used whole), so no new
held-out set was cut.

Issue-10 figures, round 7: engine "7" is engine 5 with sentences that carry no content for a
summary kept out of the key points: a sentence that only says who chaired, attended or spoke
(``is_procedural``: "张三主持会议并讲话。"; ranked below every sentence of substance), a dash
dateline on the first sentence ("香港——", "BEIJING — "), reporter bylines ("本报记者 张三 报道"),
photo captions that place people ("（左）"), and an exact repeat of a chosen sentence. Designed on
the tune split only (29 long, 15 short), where it moved 14 long articles and scored 23.90 vs
engine 5's 23.84 (+0.06, SE 0.31: 9 better, 15 equal, 5 worse); its one held-out run, ROUGE-L x
100, offline vs the better lead, and vs engine 5 on the same articles:

* CLTS long (5): 16.91 vs Lead-3 20.55, BELOW (1 better, 1 equal, 3 worse; -3.65, SE 4.51);
  unchanged from engine 5;
* CATAMARAN long (11): 22.11 vs Lead-3 19.75 (5/2/4; +2.37, SE 2.06); engine 5 21.85
  (vs engine 5: 3/8/0, +0.26, SE 0.20);
* Text-Sum long (8): 19.15 vs Lead-3 19.92, BELOW (4/1/3; -0.77, SE 1.08); engine 5 19.35
  (vs engine 5: 4/3/1, -0.20, SE 0.40);
* pooled long (24): 20.04 vs Lead-3 19.97, meets by 0.07 (10/4/10; SE 1.39); engine 5 19.99
  (vs engine 5: 7 better, 16 equal, 1 worse; +0.05, SE 0.16): a tie, not a win;
* LCSTS short (17): 22.63, the same as Lead-1 on every item.

Also measured on tune and not taken (round 7): lead sentences with no swap at all (23.00, +1.75
over Lead-3, SE 0.73: the swaps' tune gain comes mostly from one article), budgets of 90-180
characters with the sentence counted when it fits whole or when half of it fits, a minimum of one
or two points, swap margins of 2-6: every setting within about one point of engine 5 on tune,
which 29 articles cannot tell apart, so engine 5's values stay.

Issue-10 figures, round 6 (engine 5 unchanged; ``textsum-news-zh`` added, its split committed in
``123f3e2`` before any engine ran on it). Held-out first, ROUGE-L x 100 vs the better lead:

* blind first run on ``textsum-news-zh`` held-out (8): 19.35 vs Lead-3 19.92, BELOW (2 better,
  3 equal, 3 worse; -0.57, SE 0.85);
* held-out long, three sets pooled (24): 19.99 vs Lead-3 19.97, meets by 0.02 (8 better, 6 equal,
  10 worse; SE 1.34): a tie, not a win; CLTS (5) stays BELOW (16.91 vs 20.55);
* tune long, three sets (29): 23.84 vs Lead-3 21.25 (+2.59, SE 1.00); short items unchanged.

Tried in round 6 and withdrawn (engine "6"): the swap rule scored sentences by the mean number of
other sentences sharing each of their bigrams (length-normalised, SumBasic-style) instead of
TextRank centrality. Designed on the 29 tune articles only (+1.04, SE 0.66 over engine 5 there:
6 better, 21 equal, 2 worse; budgets 120/150/180, margins 1-2 and discounts 0/0.5/1 tried, the
engine-5 values best), then run once on held-out: 19.51 vs Lead-3 19.97, BELOW (CLTS 16.91 ->
15.32, CATAMARAN 21.85 -> 21.54, Text-Sum 19.35 unchanged). The tune gain did not carry over, so
engine 5 stays; its held-out figures above were measured before that run. With 24 held-out long
articles the standard error of a mean difference is about 1.3 points: a change smaller than about
2.6 points cannot be told from noise.

Round-5 figures (character ROUGE-L F1 x 100, offline key points vs the better lead), engine
version 5 (a lead sentence gives way only to a sentence twice as central after a position discount,
``lead_weighted``), designed on the tune halves of both sets only; held-out was run once, after:

* held-out long, both sets pooled (16): 20.31 vs Lead-3 20.00, meets by 0.31 (6 better, 3 equal,
  7 worse; standard error of the difference 1.99): within noise, not a clear win;
* held-out long, CATAMARAN (11): 21.85 vs Lead-3 19.75 (+2.11, SE 1.98); CLTS (5): 16.91 vs
  Lead-3 20.55, BELOW (-3.65, SE 4.51);
* held-out short (17): 22.63, the same as Lead-1 on every item (the key point is the lead);
* tune long (12): 25.45 vs Lead-3 21.80; tune short (15): 26.49, the same as Lead-1.

Engine version 4 on the same data (CATAMARAN's blind first run, before any change): held-out long
CATAMARAN 19.69 vs Lead-3 19.75 (BELOW by 0.06), CLTS 15.23 vs 20.55; tune CATAMARAN 19.41 vs
20.22, CLTS 35.60 vs 26.51. Older versions, CLTS and LCSTS only: engine 2, held-out long 15.46,
short 22.67; before issue 10, held-out long 14.22, short 19.40.

Tried on tune and not taken (CATAMARAN and CLTS tune, 12 long articles, ROUGE-L pooled): budgets
of 60-200 characters (100-150 best, 150 kept); a minimum of one point (no better); swap margins 1.5
and 3 (no better than 2); swaps limited to the first 4-7 sentences or the first 200-600 characters
(worse than the discount) or the first 2-4 paragraphs (25.61 at best against the discount's 25.45:
the same within noise, with one more knob); a discount of ``1/(i+1)`` (24.59, worse than the
square root). Dropping the headline from the key points scored 1.8 points higher on CATAMARAN tune;
it stays, because the headline is what a reader sees first and ``headline_en`` needs a model.

The "short item" rule (at most 300 characters: one key point) was re-examined on tune only (round
4): every tune article is one paragraph, the short ones have 2-5 sentences and 120-132 characters,
the long ones 17-60 sentences and 710-4,667 characters. A sentence-count rule (at most 5, or at most
10 sentences) decides every tune article as the character rule does (35.60 / 26.49); "one
paragraph is short" drops tune long to 13.63; never short drops tune short to 17.22. No rule
helped on tune, so the rule stands and held-out was not re-run for it. CATAMARAN's articles are all
1,200-3,800 characters, so they do not inform the cut-off either.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.engines.offline import ENGINE_VERSION, OfflineEngine, extract  # noqa: E402
from summarizer.errors import GoldSetNotBuiltError  # noqa: E402
from summarizer.eval.goldset import evals_set_names, load_set  # noqa: E402
from summarizer.eval.rouge import rouge_l, rouge_n  # noqa: E402
from summarizer.text import analyze, prepare  # noqa: E402
from summarizer.text.document import Document  # noqa: E402

DEFAULT_SET = "zh-news-summaries"
#: The gold sets with human summaries that a run without ``--set`` scores (``make bench`` and the
#: docs run): named, not found by walking ``evals/``, so no run ever opens a blind split's text.
SUMMARY_SETS = ("zh-news-summaries", "catamaran-nyt-zh", "textsum-news-zh")
SPLITS = ROOT / "evals" / "splits.json"
METRICS = ("R1", "R2", "RL")
#: The systems the issue-10 verdict compares.
VERDICT_SYSTEMS = ("offline key points", "lead-1", "lead-3")

_THROUGHPUT_SCRIPT = """
import json, sys, time
started = time.perf_counter()
from summarizer.engines.offline import OfflineEngine
from summarizer.text import analyze, prepare
engine = OfflineEngine()
records = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
for record in records:
    document = prepare(record["article"])
    engine.summarize_sync(document, analyze(document))
print(len(records), time.perf_counter() - started)
"""


def offline_key_points(document: Document, engine: OfflineEngine) -> str:
    """What a user of the offline engine gets: its key points (title first), concatenated."""
    summary = engine.summarize_sync(document, analyze(document))
    return "".join(point.evidence for point in summary.key_points)


def ranked_within(budget: int, lead_bias: float) -> Callable[[Document], str]:
    """The engine's ranker choosing sentences to fill ``budget`` characters (article order)."""

    def system(document: Document) -> str:
        chosen = extract(
            document, lead_bias=lead_bias, budget_chars=budget, position_weight=lead_bias / 2
        )
        return "".join(span.text for span in chosen.sentences)

    return system


def lead(count: int) -> Callable[[Document], str]:
    """The first ``count`` sentences of the prepared document (Lead-1, Lead-3)."""

    def system(document: Document) -> str:
        return "".join(sentence.text for sentence in document.sentences[:count])

    return system


def splits(path: Path = SPLITS, name: str = DEFAULT_SET) -> dict[str, str]:
    """id -> ``tune`` or ``held-out`` for one set of ``evals/splits.json`` (empty if not listed)."""
    table = json.loads(path.read_text("utf-8")).get(name, {})
    return {identifier: split for split, ids in table.items() for identifier in ids}


def set_records(name_or_path: str) -> tuple[str, list[dict[str, Any]], dict[str, str]]:
    """(set name, records with ``id``/``article``/``summary``, id -> split) of a gold set.

    The split comes from ``extra.split`` when an example carries one, else from
    ``evals/splits.json``; examples without a ``summary_zh`` reference are left out.
    """
    gold = load_set(name_or_path)
    listed = splits(name=gold.name)
    records: list[dict[str, Any]] = []
    split_of: dict[str, str] = {}
    for example in gold:
        references = example.texts("summary_zh")
        if not references:
            continue
        records.append({"id": example.id, "article": example.source, "summary": references[0]})
        split_of[example.id] = str(example.extra.get("split") or listed.get(example.id, "held-out"))
    return gold.signature, records, split_of


def length_class(record: dict[str, Any]) -> str:
    """``short`` for the LCSTS Weibo items, ``long`` for every other article (CLTS, CATAMARAN,
    Text-Sum)."""
    return "short" if record["id"].startswith("lcsts") else "long"


def scores(prediction: str, reference: str) -> dict[str, float]:
    return {
        "R1": rouge_n(prediction, reference, 1).fmeasure,
        "R2": rouge_n(prediction, reference, 2).fmeasure,
        "RL": rouge_l(prediction, reference).fmeasure,
    }


def throughput(data: Path) -> tuple[int, float]:
    """(articles, seconds) for a fresh interpreter on one core, imports included."""
    command = [sys.executable, "-c", _THROUGHPUT_SCRIPT, str(data)]
    if shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    output = subprocess.run(command, capture_output=True, text=True, env=environment)
    if output.returncode != 0:
        raise SystemExit(f"throughput run failed:\n{output.stderr}")
    wall = time.perf_counter() - started
    count = int(output.stdout.split()[0])
    return count, wall


def score_records(
    records: list[dict[str, Any]], engine: OfflineEngine
) -> tuple[dict[str, list[dict[str, float]]], dict[str, list[int]], float]:
    """Per system: the scores and output lengths of every record, and the engine's seconds."""
    table: dict[str, list[dict[str, float]]] = {}
    lengths: dict[str, list[int]] = {}

    def record_score(name: str, prediction: str, reference: str) -> None:
        table.setdefault(name, []).append(scores(prediction, reference))
        lengths.setdefault(name, []).append(len(prediction))

    engine_seconds = 0.0
    for record in records:
        started = time.perf_counter()
        document = prepare(record["article"])
        key_points = offline_key_points(document, engine)
        engine_seconds += time.perf_counter() - started
        reference = record["summary"]
        budget = len(reference)
        record_score("offline key points", key_points, reference)
        record_score("lead-1", lead(1)(document), reference)
        record_score("lead-3", lead(3)(document), reference)
        record_score("offline key points, cut", key_points[:budget], reference)
        record_score("lead-3, cut", lead(3)(document)[:budget], reference)
        for label, bias in (("offline ranked", 1.0), ("plain TextRank", 0.0)):
            record_score(
                f"{label}, budget", ranked_within(budget, bias)(document)[:budget], reference
            )
    return table, lengths, engine_seconds


def paired(ours: list[float], theirs: list[float]) -> str:
    """Per-article comparison: wins, ties, losses and the mean difference with its standard error.

    Deterministic (no resampling), so there are no seeds to report.
    """
    differences = [a - b for a, b in zip(ours, theirs, strict=True)]
    wins = sum(d > 1e-12 for d in differences)
    losses = sum(d < -1e-12 for d in differences)
    mean = statistics.fmean(differences)
    error = statistics.stdev(differences) / len(differences) ** 0.5 if len(differences) > 1 else 0.0
    return (
        f"{wins} better, {len(differences) - wins - losses} equal, {losses} worse; "
        f"mean difference {100 * mean:+.2f} (standard error {100 * error:.2f})"
    )


def verdict(rouge_l_of: dict[str, list[float]]) -> str:
    """The issue-10 verdict: offline key points' mean ROUGE-L against the better of Lead-1/3."""
    means = {name: statistics.fmean(values) for name, values in rouge_l_of.items()}
    best = max(("lead-1", "lead-3"), key=lambda name: means[name])
    ours = means["offline key points"]
    state = "meets" if ours >= means[best] else "BELOW"
    return (
        f"offline RL {100 * ours:.2f} vs best lead ({best}) {100 * means[best]:.2f}: {state}; "
        f"per article vs {best}: {paired(rouge_l_of['offline key points'], rouge_l_of[best])}"
    )


def print_table(
    title: str, table: dict[str, list[dict[str, float]]], lengths: dict[str, list[int]]
) -> None:
    print(title)
    print(f"  {'system':<26}{'chars':>7}" + "".join(f"{metric:>8}" for metric in METRICS))
    for name, rows in table.items():
        means = [statistics.fmean(row[metric] for row in rows) for metric in METRICS]
        median_length = statistics.median(lengths[name])
        print(f"  {name:<26}{median_length:>7}" + "".join(f"{100 * m:>8.2f}" for m in means))
    print("  " + verdict({name: [row["RL"] for row in table[name]] for name in VERDICT_SYSTEMS}))


def per_article(records: list[dict[str, Any]], engine: OfflineEngine) -> None:
    """One row per article: offline key points vs Lead-1 and Lead-3 (ROUGE-L F1 x 100)."""
    for record in records:
        document = prepare(record["article"])
        reference = record["summary"]
        ours = scores(offline_key_points(document, engine), reference)["RL"]
        lead_1 = scores(lead(1)(document), reference)["RL"]
        lead_3 = scores(lead(3)(document), reference)["RL"]
        print(
            f"    {record['id']:<28}{len(record['article']):>6} chars  offline {100 * ours:6.2f}"
            f"  lead-1 {100 * lead_1:6.2f}  lead-3 {100 * lead_3:6.2f}"
        )


def write_outputs(path: Path, engine: OfflineEngine) -> int:
    """Every ``evals/`` article's offline summary as a JSON line (see ``--outputs``); the count.
    An external set that is not built is left out, with one line saying how to build it."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for name in evals_set_names():
            try:
                gold = load_set(name)
            except GoldSetNotBuiltError as error:
                print(f"not built: {name} (left out): {error.build}")
                continue
            for example in gold:
                document = prepare(example.source)
                summary = engine.summarize_sync(document, analyze(document))
                fields = summary.model_dump(mode="json", exclude={"meta": {"latency_ms"}})
                fields["meta"].pop("library_version", None)
                line = {"set": gold.name, "id": example.id, "summary": fields}
                out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
    return count


@dataclass(frozen=True)
class Group:
    """The scores of one set's articles of one split and length class."""

    label: str
    split: str
    length: str
    table: dict[str, list[dict[str, float]]]
    lengths: dict[str, list[int]]
    records: list[dict[str, Any]]

    def rouge_l(self) -> dict[str, list[float]]:
        return {name: [row["RL"] for row in self.table[name]] for name in VERDICT_SYSTEMS}


def score_set(
    label: str,
    records: list[dict[str, Any]],
    split_of: dict[str, str],
    split_choice: str,
    engine: OfflineEngine,
) -> tuple[list[Group], float]:
    """One set's groups (held-out first, then long before short) and the engine's seconds."""
    groups: list[Group] = []
    engine_seconds = 0.0
    for split in ("held-out", "tune") if split_choice == "all" else (split_choice,):
        for length in ("long", "short"):
            chosen = [
                record
                for record in records
                if split_of.get(record["id"], "held-out") == split
                and length_class(record) == length
            ]
            if not chosen:
                continue
            table, lengths, seconds = score_records(chosen, engine)
            engine_seconds += seconds
            groups.append(Group(label, split, length, table, lengths, chosen))
    return groups, engine_seconds


def verdict_rows(groups: list[Group], set_count: int) -> list[str]:
    """The issue-10 verdict as Markdown table rows, held-out first: per set, then pooled.

    Each row gives the item count, the offline key points', Lead-1's and Lead-3's mean ROUGE-L
    (x 100, the same run), and the per-article comparison with the better lead.
    """
    rows = [
        "| split | length | set | items | offline | Lead-1 | Lead-3 | offline - better lead "
        "(SE) | better / equal / worse | verdict |",
        "|---|---|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for split in ("held-out", "tune"):
        for length in ("long", "short"):
            chosen = [g for g in groups if g.split == split and g.length == length]
            if not chosen:
                continue
            labelled = [(g.label.split("@")[0], g.rouge_l()) for g in chosen]
            if set_count > 1 and len(chosen) > 1:
                pooled = {
                    name: [value for _, scores in labelled for value in scores[name]]
                    for name in VERDICT_SYSTEMS
                }
                labelled.append((f"**all {len(chosen)} pooled**", pooled))
            for label, rouge_l_of in labelled:
                rows.append(f"| {split} | {length} | {label} | " + verdict_cells(rouge_l_of))
    return rows


def verdict_cells(rouge_l_of: dict[str, list[float]]) -> str:
    """The cells of one verdict row (see ``verdict_rows``)."""
    means = {name: statistics.fmean(values) for name, values in rouge_l_of.items()}
    best = max(("lead-1", "lead-3"), key=lambda name: means[name])
    ours = rouge_l_of["offline key points"]
    differences = [a - b for a, b in zip(ours, rouge_l_of[best], strict=True)]
    wins = sum(d > 1e-12 for d in differences)
    losses = sum(d < -1e-12 for d in differences)
    error = statistics.stdev(differences) / len(differences) ** 0.5 if len(differences) > 1 else 0.0
    state = "meets" if means["offline key points"] >= means[best] else "BELOW"
    return (
        f"{len(ours)} | {100 * means['offline key points']:.2f} | {100 * means['lead-1']:.2f} | "
        f"{100 * means['lead-3']:.2f} | {100 * statistics.fmean(differences):+.2f} "
        f"({100 * error:.2f}) vs {best} | {wins} / {len(ours) - wins - losses} / {losses} | "
        f"{state} |"
    )


def load_sets(names: list[str]) -> list[tuple[str, list[dict[str, Any]], dict[str, str]]]:
    """The sets' records; a set that is not built here is left out with one line saying how to
    build it (the docs run then still records the others)."""
    sets = []
    for name in names:
        try:
            sets.append(set_records(name))
        except GoldSetNotBuiltError as error:
            print(f"not built: {error.name} (left out): {error.build}")
    return sets


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--set",
        action="append",
        help=(
            "gold set name or folder with summary_zh; repeat for several "
            f"(default: {', '.join(SUMMARY_SETS)})"
        ),
    )
    source.add_argument("--data", type=Path, help="JSONL with id, article, summary instead")
    parser.add_argument("--split", choices=("held-out", "tune", "all"), default="all")
    parser.add_argument("--per-article", action="store_true", help="print each article's scores")
    parser.add_argument("--no-throughput", action="store_true", help="skip the timing run")
    parser.add_argument("--outputs", type=Path, help="write every evals/ summary here instead")
    return parser


def records_figures(argv: list[str]) -> bool:
    """Whether a run with ``argv`` goes into ``docs/benchmarks.md``: only runs that score the
    held-out split of gold sets. A tune-only run, an ad-hoc ``--data`` file, ``--outputs`` and
    ``--help`` are not the figures a reader of that page looks for."""
    if any(
        argument == "-h" or (len(argument) > 2 and "--help".startswith(argument))
        for argument in argv
    ):
        return False
    args, _ = build_parser().parse_known_args(argv)
    return args.outputs is None and args.data is None and args.split != "tune"


def main() -> None:
    args = build_parser().parse_args()
    if args.outputs is not None:
        count = write_outputs(args.outputs, OfflineEngine())
        print(f"{count} offline summaries of the evals/ articles written to {args.outputs}")
        return
    sets: list[tuple[str, list[dict[str, Any]], dict[str, str]]] = []
    if args.data is not None:
        records = [json.loads(line) for line in args.data.read_text("utf-8").splitlines() if line]
        sets.append((args.data.name, records, splits()))
    else:
        sets.extend(load_sets(args.set or list(SUMMARY_SETS)))
    if not sets:
        raise SystemExit("no summary set is built here: nothing to score")
    every_record = [record for _, records, _ in sets for record in records]
    engine = OfflineEngine()
    offline_key_points(prepare(every_record[0]["article"]), engine)  # warm up: dictionaries
    engine_seconds = 0.0
    groups: list[Group] = []
    for label, records, split_of in sets:
        found, seconds = score_set(label, records, split_of, args.split, engine)
        groups.extend(found)
        engine_seconds += seconds
    print(
        f"Issue-10 verdict, engine {ENGINE_VERSION}: character ROUGE-L F1 x 100 of the offline "
        "key points, Lead-1 and Lead-3 (one run), held-out first; SE: standard error of the "
        "per-article difference (deterministic, no seeds)"
    )
    print()
    print("\n".join(verdict_rows(groups, len(sets))))
    print()
    for label, records, _ in sets:
        reference_length = statistics.median(len(record["summary"]) for record in records)
        print(f"{len(records)} articles from {label}; reference median {reference_length} chars")
        for group in (g for g in groups if g.label == label):
            count = len(group.records)
            print_table(
                f"split {group.split}, {group.length} articles: {count}", group.table, group.lengths
            )
            if args.per_article:
                per_article(group.records, engine)
    print("(cut: truncated to the reference's length; budget: sentences chosen by rank to fit it,")
    print(" then truncated; offline ranked = TextRank with the engine's lead bias)")
    if args.no_throughput:
        return
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "articles.jsonl"
        data.write_text(
            "".join(
                json.dumps({"article": r["article"]}, ensure_ascii=False) + "\n"
                for r in every_record
            ),
            encoding="utf-8",
        )
        count, wall = throughput(data)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"throughput: {count} articles in {wall:.2f} s on one core, cold start included "
        f"= {count / wall:.1f} articles/s"
    )
    print(
        f"warm, in this process (prepare + analyze + summarize): "
        f"{len(every_record) / engine_seconds:.1f} articles/s (1-minute load average {load:.1f})"
    )


if __name__ == "__main__":
    from benchdoc import documented  # benchmarks/ is on sys.path when a script runs

    if records_figures(sys.argv[1:]):
        with documented("offline_rouge"):
            main()
    else:  # a comparison file, a tune-only or ad-hoc run, usage: not figures for the docs page
        main()
