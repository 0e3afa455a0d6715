"""Score signatures: how each metric family was computed, on which exact data.

Like sacrebleu's signatures, a signature is a ``key:value|...`` string printed next to every score,
so two numbers are only compared when their signatures agree (same tokenizer, same normalization,
same library version, same set content hash).
"""

from __future__ import annotations

import hashlib
import json

from summarizer._version import __version__
from summarizer.eval.checks import GROUNDING_CHECKS
from summarizer.eval.checks.lexicon import signature_part as lexicon_signature
from summarizer.eval.entities import NORMALIZATION
from summarizer.eval.goldset import GoldSet
from summarizer.eval.rouge import TOKENIZER_NAME
from summarizer.eval.translation import signatures as sacrebleu_signatures
from summarizer.schema import ArticleSummary


def _schema_hash() -> str:
    """Hash of the ``ArticleSummary`` JSON schema (what "schema valid" was checked against)."""
    payload = json.dumps(ArticleSummary.model_json_schema(), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _version() -> str:
    return __version__


def signatures(goldset: GoldSet) -> dict[str, str]:
    """One signature per metric family (the ``family`` of ``summarizer.eval.metrics.Metric``)."""
    common = f"summarizer:{_version()}|set:{goldset.signature}"
    references = max((len(e.translations()) for e in goldset), default=0)
    result = {
        "schema_valid": f"schema:ArticleSummary#{_schema_hash()}|{common}",
        "fill": f"fill:non-empty|{common}",
        "rouge": f"rouge:f1|lcs:sentence|tok:{TOKENIZER_NAME}|stem:no|{common}",
        "entities": f"match:one-to-one|norm:{NORMALIZATION}|{common}",
        "grounding": f"checks:{GROUNDING_CHECKS}{lexicon_signature()}|ref-free|{common}",
        "cost": f"usage:meta|prices:summarizer.batch.pricing|{common}",
    }
    if references:
        for name, signature in sacrebleu_signatures(references).items():
            result[name] = f"sacrebleu|{signature}|doc-as-segment|{common}"
    return result
