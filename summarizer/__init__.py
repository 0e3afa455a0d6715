"""summarizer: validated, structured English summaries and translations of news articles.

    >>> from summarizer import summarize
    >>> result = summarize(open("article.txt", "rb").read())   # doctest: +SKIP
    >>> result.headline_en, result.key_points[0].evidence       # doctest: +SKIP

With ``SUMMARIZER_MODEL`` and ``OPENAI_BASE_URL`` (and ``OPENAI_API_KEY`` where needed) set, any
OpenAI-compatible model does the work; without them the offline engine extracts what it can and says
in ``result.meta.status`` what it could not do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from summarizer._version import __version__
from summarizer.api import asummarize, get_engine, prepare_article, summarize
from summarizer.config import ModelConfig
from summarizer.errors import SummarizerError
from summarizer.schema import ArticleSummary

if TYPE_CHECKING:
    from summarizer.batch import asummarize_many, summarize_many


def __getattr__(name: str) -> Any:
    """Batch entry points load on first use, keeping ``import summarizer`` light."""
    if name in ("summarize_many", "asummarize_many"):
        from summarizer import batch

        return getattr(batch, name)
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")


__all__ = [
    "ArticleSummary",
    "ModelConfig",
    "SummarizerError",
    "__version__",
    "asummarize",
    "asummarize_many",
    "get_engine",
    "prepare_article",
    "summarize",
    "summarize_many",
]
