"""Text handling in two stages: ``repair`` (``prepare``) then ``analysis`` (``analyze``).

``summarizer.text.repair`` turns raw bytes or text into a clean, traceable ``Document``;
``summarizer.text.analysis`` finds what it mentions (people, bodies, dates, numbers, keywords) as an
``Analysis``. ``document`` holds the types both stages share, and ``chars`` the character classes
used across the package, so neither stage reaches into the other.
"""

from summarizer.text.analysis import analyze
from summarizer.text.document import Analysis, Document
from summarizer.text.repair import prepare

__all__ = ["Analysis", "Document", "analyze", "prepare"]
