"""Process-wide settings of a long-running service process (``summarizer serve``/``worker``)."""

from __future__ import annotations

import gc

#: Net new container objects between collections of the youngest generation (Python's is 700).
YOUNG_COLLECTION_THRESHOLD = 20_000


def settle_heap() -> None:
    """Tune the cyclic garbage collector for serving, once start-up is done.

    Everything made so far (modules, routes, schemas, the engine) lives as long as the process:
    it is collected once and frozen, so that full collections only scan what requests made since
    (unfrozen, a full collection scanned ~300,000 objects, about 80 ms of one request). And the
    youngest generation is collected every 20,000 net allocations instead of 700: a summary
    request allocates thousands of container objects, nearly all freed by reference counting
    right after, and at 700 the collector ran ten times per request, rescanning the survivors
    each time (about 1.4 ms of a request's CPU; 0.2 ms after).
    """
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)
