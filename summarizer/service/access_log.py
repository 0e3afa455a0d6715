"""The server's access log without credentials: query values that carry a key are redacted.

Keys belong in the ``Authorization`` header, but a client that sends one in the URL
(``?api_key=sk-sum-...``, a habit from other APIs) gets a 401 and, before this filter, its key
printed in full on uvicorn's access line. The filter rewrites the logged path: a parameter named
like a credential (``api_key``, ``key``, ``token``, ``access_token``, ``password``...) or holding a
value shaped like a key (``sk-...``, ``Bearer ...``) is logged as ``name=***``.
"""

from __future__ import annotations

import logging
from urllib.parse import unquote_plus

from summarizer.config import is_credential_name, redact

#: uvicorn's access logger; a record's args: client, method, path and query, HTTP version, status.
ACCESS_LOGGER = "uvicorn.access"
_PATH_ARG = 2


def redact_path(path: str) -> str:
    """``path`` (with its query string) with every credential in the query replaced by ``***``."""
    base, separator, query = path.partition("?")
    if not separator:
        return path
    parts = []
    for part in query.split("&"):
        name, equals, value = part.partition("=")
        decoded = unquote_plus(value)
        if equals and (is_credential_name(unquote_plus(name)) or redact(decoded) != decoded):
            part = f"{name}=***"
        parts.append(part)
    return f"{base}?{'&'.join(parts)}"


class RedactCredentialsFilter(logging.Filter):
    """Rewrites an access record's path with ``redact_path``; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) > _PATH_ARG:
            path = args[_PATH_ARG]
            if isinstance(path, str):
                record.args = (*args[:_PATH_ARG], redact_path(path), *args[_PATH_ARG + 1 :])
        return True


def install() -> None:
    """Redact the access log (after uvicorn configured its loggers)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, RedactCredentialsFilter) for existing in logger.filters):
        logger.addFilter(RedactCredentialsFilter())
