"""Text handling: decode, repair, normalize, segment (``prepare``) and analyze."""

from summarizer.text.analyze import analyze
from summarizer.text.prepare import prepare

__all__ = ["analyze", "prepare"]
