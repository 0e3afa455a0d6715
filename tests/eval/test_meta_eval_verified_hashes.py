"""``benchmarks/meta_eval.py`` can list a verified reference error whose flagged text is a whole
sentence of a fetched set by the SHA-256 of that text, so that no fetched prose is committed; a
key by the text itself still works, and a flag of another text or document is not matched."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType

import pytest
from script_modules import load_script

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def meta_eval() -> ModuleType:
    return load_script("meta_eval", ROOT / "benchmarks" / "meta_eval.py")


def test_a_verified_error_keyed_by_the_hash_of_its_text(
    meta_eval: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    sentence = "A sentence of our own that the reference added to its paragraph."
    digest = hashlib.sha256(sentence.encode("utf-8")).hexdigest()[:16]
    verified = {
        ("doc.1", "sentence.unsupported", f"sha256:{digest}"): "added by the translator",
        ("doc.1", "number.unsupported", "42"): "changed number",
    }
    monkeypatch.setattr(meta_eval, "VERIFIED_TRUE_ERRORS", verified)
    pair = meta_eval.Pair("doc.1/A", ["源"], ["English"], "tune")
    other = meta_eval.Pair("doc.2/A", ["源"], ["English"], "tune")
    reason = meta_eval._verified_reason
    assert reason(pair, ("sentence.unsupported", 3, sentence)) == "added by the translator"
    assert reason(pair, ("number.unsupported", 0, "42")) == "changed number"
    assert reason(pair, ("sentence.unsupported", 3, sentence + " More.")) is None
    assert reason(other, ("sentence.unsupported", 3, sentence)) is None
