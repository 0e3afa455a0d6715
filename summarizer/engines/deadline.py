"""One deadline per article, preparation included, for every engine.

The caller opens an ``article_clock`` when the article enters the library (``summarize()``, the
batch runner and the service's workers do); an engine then counts the time already spent
(decoding, repairs, analysis) against its deadline. Kept apart from the model engine so that the
offline engine checks the same clock without importing the HTTP stack.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

from summarizer.errors import DeadlineExceededError
from summarizer.text.document import Checkpoint, run_to_end

__all__ = [
    "ARTICLE_STARTED",
    "ArticleDeadline",
    "article_clock",
    "deadline_checkpoint",
    "engine_deadline",
    "seconds_spent_in_article",
]

#: When (``time.monotonic()``) the article being summarized entered the library, if known.
ARTICLE_STARTED: ContextVar[float | None] = ContextVar("summarizer_article_started", default=None)

HOW_TO_RAISE = "raise it with --deadline (or SUMMARIZER_DEADLINE)"


@contextlib.contextmanager
def article_clock(started: float | None = None) -> Iterator[None]:
    """Count the time since ``started`` (``time.monotonic()``; default now) against the deadline
    of the article summarized inside this block: one deadline covers preparation and the engine.
    """
    token = ARTICLE_STARTED.set(time.monotonic() if started is None else started)
    try:
        yield
    finally:
        ARTICLE_STARTED.reset(token)


def seconds_spent_in_article() -> float:
    """Seconds the article has already spent in the library (0 without an ``article_clock``)."""
    started = ARTICLE_STARTED.get()
    return 0.0 if started is None else max(0.0, time.monotonic() - started)


class ArticleDeadline:
    """An engine's deadline for one article, running from the ``article_clock`` (else from now).

    ``check`` costs one clock read: engines call it between their stages.
    """

    __slots__ = ("seconds", "started")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.started = ARTICLE_STARTED.get() or time.monotonic()

    def check(self, stage: str) -> None:
        """A ``DeadlineExceededError`` saying where the time went, once the deadline has passed.

        ``stage`` completes "the article's deadline of N s passed ...", e.g. "while its text
        was prepared and analyzed".
        """
        elapsed = time.monotonic() - self.started
        if elapsed >= self.seconds:
            raise DeadlineExceededError(
                f"the article's deadline of {self.seconds:g} s passed {stage} ({elapsed:.1f} s "
                f"in all); {HOW_TO_RAISE}"
            )


def engine_deadline(engine: object) -> float | None:
    """The seconds ``engine`` allows one article (its ``deadline``: the offline and the model
    engine both have one), or None for an engine that states none (a third party's)."""
    seconds = getattr(engine, "deadline", None)
    if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds > 0:
        return float(seconds)
    return None


def deadline_checkpoint(engine: object) -> Checkpoint:
    """A checkpoint for the article's text handling (``prepare_article(checkpoint=...)``) that
    raises ``DeadlineExceededError`` once ``engine``'s deadline has passed, counted from the
    ``article_clock`` open now (else from now): a 650,000-character article with a 0.5 s deadline
    stops while its text is repaired instead of after a minute of analysis.

    Make it inside the article's ``article_clock`` (the clock is read now, so the checkpoint may
    then run on another thread).
    """
    seconds = engine_deadline(engine)
    if seconds is None:
        return run_to_end
    deadline = ArticleDeadline(seconds)
    offline = getattr(engine, "name", None) == "offline"
    before = "before the offline engine ran" if offline else "before any model call"

    def check(stage: str) -> None:
        if time.monotonic() - deadline.started >= seconds:  # the message only when it is due
            deadline.check(f"{stage}, {before}")

    return check
