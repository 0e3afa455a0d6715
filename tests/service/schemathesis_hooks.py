"""Checks of our own for the schemathesis run (loaded through ``SCHEMATHESIS_HOOKS``).

schemathesis's ``not_a_server_error`` refuses every 5xx, but two are part of the contract: 502
when the model endpoint fails and 504 when the article's deadline passes (a fuzzed
``options.deadline`` of a few microseconds is honoured, also by the offline engine). Anything
else at 5xx, or a 502/504 without the typed error body, is still a failure.
"""

from __future__ import annotations

from typing import Any

import schemathesis

#: Server errors the API documents, with the error kinds each may carry.
DOCUMENTED_SERVER_ERRORS: dict[int, tuple[str, ...]] = {
    502: ("transport", "model_output"),
    504: ("transport.deadline",),
}


@schemathesis.check
def only_documented_server_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 5xx must be a documented one (502, 504) with a typed ``{"error": {"kind"}}`` body."""
    status = response.status_code
    if status < 500:
        return None
    expected = DOCUMENTED_SERVER_ERRORS.get(status)
    if expected is None:
        raise AssertionError(f"undocumented server error {status}: {response.text[:300]}")
    try:
        kind = response.json()["error"]["kind"]
    except (ValueError, KeyError, TypeError) as error:
        body = response.text[:300]
        raise AssertionError(f"{status} without a typed error body: {body}") from error
    if not str(kind).startswith(expected):
        raise AssertionError(f"{status} with error kind {kind!r}, expected one of {expected}")
    return None
