"""``summarizer serve``: the library as an HTTP service (FastAPI), embedded by default.

Layout: ``app`` (routes, auth, limits, errors), ``models`` (the API's pydantic models, source of
the OpenAPI document), ``store`` (the ``Store`` protocol: jobs, leases, results, keys),
``sqlite_store`` (the embedded store), ``workers`` (in-process asyncio workers), ``keys`` (API keys
and quotas), ``metrics`` (Prometheus) and ``batch_bridge`` (the one door to batch internals).
Needs the ``service`` extra: ``pip install 'summarizer[service]'``.
"""

from __future__ import annotations

from summarizer.service.app import ServiceSettings, create_app
from summarizer.service.sqlite_store import SQLiteStore
from summarizer.service.store import Store
from summarizer.service.workers import EngineSettings

__all__ = ["EngineSettings", "SQLiteStore", "ServiceSettings", "Store", "create_app"]
