"""A statistical zh->en translation lexicon: English words translators chose for Chinese words.

CC-CEDICT lists what a word means; it misses many words a translator picks for a free but
faithful rendering. This table was learnt by word alignment (``eflomal``) from public parallel
text that no evaluation split uses (``evals/tools/build_lexicon.py``; sources, licences and
digests in ``data/coverage_lexicon.provenance.json``). Each line is
``Chinese<TAB>English<TAB>rate``: the links between the two words per occurrence of the Chinese
word in the training text (about p(English | Chinese); above 1 for the 8 entries whose English
word is often linked twice to one occurrence, as "south" for 南非); the table is pruned to a
word's most linked translations.

``SUMMARIZER_COVERAGE_LEXICON`` switches it into the coverage check (``on``/``off``). It is off by
default: by the rule written before the comparison (``evals/tools/coverage_lexicon_decision.md``)
it had to lower false alarms on 3 of the 4 design splits, and it lowered them on 2 (fresh-7
18 -> 16 of 70 references, fresh-4 8 -> 7 of 80; fresh-6 and fresh-5 unchanged), raising none
and costing inserted sentences at most 0.4 points at the worst seed
(``benchmarks/coverage_lexicon.py``).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from summarizer.config import env_switch

_DATA = files("summarizer.eval.checks").joinpath("data")
LEXICON_PATH = Path(str(_DATA.joinpath("coverage_lexicon.tsv")))
PROVENANCE_PATH = Path(str(_DATA.joinpath("coverage_lexicon.provenance.json")))
ENV_VAR = "SUMMARIZER_COVERAGE_LEXICON"
DEFAULT_ENABLED = False


def lexicon_enabled() -> bool:
    """Whether the coverage check uses the lexicon: ``SUMMARIZER_COVERAGE_LEXICON`` if set, else
    ``DEFAULT_ENABLED``. Raises ``ConfigError`` on any other value."""
    return env_switch(ENV_VAR, default=DEFAULT_ENABLED)


@lru_cache(maxsize=1)
def translations() -> dict[str, tuple[str, ...]]:
    """Chinese word -> the English words the lexicon links it to, most probable first."""
    found: dict[str, list[str]] = {}
    for line in LEXICON_PATH.read_text(encoding="utf-8").splitlines():
        chinese, english, _probability = line.split("\t")
        found.setdefault(chinese, []).append(english)
    return {chinese: tuple(english) for chinese, english in found.items()}


@lru_cache(maxsize=1)
def longest_word() -> int:
    """Characters of the lexicon's longest Chinese word (how far a source lookup must reach)."""
    return max((len(word) for word in translations()), default=0)


@lru_cache(maxsize=1)
def _table_digest() -> str:
    return hashlib.sha256(LEXICON_PATH.read_bytes()).hexdigest()[:12]


def signature_part() -> str:
    """What the grounding signature adds when the lexicon is in use: the table's identity, so
    figures with and without it (or with another build of it) are never compared."""
    return f"+coverage-lexicon@{_table_digest()}" if lexicon_enabled() else ""
