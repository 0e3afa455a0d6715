"""The result of one eval run: what ``run`` produces and what the reports render and write.

It sits apart from both so that the runner and the reports each import it and neither imports the
other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer._version import __version__
from summarizer.eval.goldset import GoldSet
from summarizer.eval.metrics import direction
from summarizer.eval.outputs import Prediction
from summarizer.eval.scoring import ExampleScore
from summarizer.eval.stats import Estimate


@dataclass
class RunResult:
    goldset: GoldSet
    predictions: list[Prediction]
    scores: list[ExampleScore]
    summary: dict[str, Estimate]
    #: Run-level scores (corpus chrF/BLEU, cost totals); ``None``: no example had the output.
    corpus: dict[str, float | None]
    signatures: dict[str, str]
    engine: dict[str, str]
    counts: dict[str, int]
    elapsed_s: float
    gates: list[dict[str, Any]] = field(default_factory=list)
    #: How many examples each corpus score covers.
    corpus_n: dict[str, int] = field(default_factory=dict)
    out_dir: Path | None = None

    @property
    def gate_failed(self) -> bool:
        return any(not gate["passed"] for gate in self.gates)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "summarizer-eval-run/1",
            "library_version": __version__,
            "set": {
                "name": self.goldset.name,
                "version": self.goldset.version,
                "content_hash": self.goldset.content_hash,
                "signature": self.goldset.signature,
                "examples": len(self.goldset),
                "provenance": self.goldset.provenance,
                "license": self.goldset.license,
            },
            "engine": self.engine,
            "counts": self.counts,
            "elapsed_s": round(self.elapsed_s, 3),
            "summary": {name: estimate.to_json() for name, estimate in self.summary.items()},
            "directions": {name: direction(name).value for name in self.summary},
            "corpus": self.corpus,
            "corpus_n": self.corpus_n,
            "signatures": self.signatures,
            "gates": self.gates,
        }
