"""The review page of ``summarizer serve``: read a summary next to its source, fix it, and save it
as a gold example that ``summarizer eval run --set NAME`` reads.

Layout: ``routes`` (the page at ``/``, its static files and API), ``models`` (the API's pydantic
models), ``goldsets`` (reviewed examples written into the user's eval sets, with provenance) and
``static/`` (``index.html``, ``review.js``, ``review.css``; no build step).
"""

from __future__ import annotations

from summarizer.service.review.goldsets import ReviewedSets
from summarizer.service.review.routes import create_review_router

__all__ = ["ReviewedSets", "create_review_router"]
