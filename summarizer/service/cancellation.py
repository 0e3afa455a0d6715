"""Cancellation that a Redis call swallowed, honoured anyway.

redis-py 8 runs every command under ``asyncio.wait_for`` (its default ``socket_timeout``), and on
Python < 3.12 ``wait_for`` drops a ``CancelledError`` that arrives as the reply does. A loop around
such calls (rate-limit admission, queue heartbeats, reconciling) would then never end, and a
worker's shutdown would hang on it or leave it running. The task still counts the cancellation
request, so each loop checks after its Redis call.
"""

from __future__ import annotations

import asyncio


def raise_if_cancel_was_swallowed() -> None:
    """Raise ``CancelledError`` if this task was asked to cancel and the request got lost."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError
