"""How many requests to one server are in flight at once: a gate per endpoint.

Why: a local server often works on one request at a time (llama-cpp-python always; llama-server
with ``-np 1``; Ollama by default) and queues the rest, and a queued request's ``request_timeout``
runs while it waits. Eight articles sent at once to such a server wait 1x..7x one answer each,
so the later ones time out without being slow, are sent again (adding load), and fail. Every
HTTP attempt of this process to an endpoint therefore passes an ``EndpointGate``:

* its size is the server's slot count when known (llama-server's ``GET /props`` says
  ``total_slots``; llama-cpp-python's server always has one; ``--server-slots`` overrides both)
  plus ``WAITING_AT_SERVER`` (one request waits in the server's own queue, so the server starts
  it the moment a slot frees instead of idling while we answer, prepare and send; measured in
  ``benchmarks/single_slot_batch.py``), else unlimited;
* a request that timed out while others of ours were ahead of it at the server (it may have
  spent its time in the server's queue, not generating) halves the gate, once per size (requests
  sent before a halving do not halve it again), and never leaves it wider than the number that
  were ahead of it (they and it did not fit in one timeout), nor narrower than the server's known
  slots; it is retried without counting as a slow generation (``ChatClient`` keeps the two counts
  apart);
* after ``WIDEN_AFTER_ANSWERS`` answers in a row it widens by one, up to what it started from, so
  a burst of load on a shared server does not serialize the process for good.

Time spent waiting at the gate never counts towards a request's timeout (the request is not sent
yet), but it does count towards the caller's deadline (``engines.deadline``): a request still
waiting when the deadline passes fails with ``DeadlineExceededError`` instead of waiting on.
Gates are per event loop (asyncio primitives belong to one) and per process: two
processes, or another program, sharing a server are not seen.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque
from dataclasses import dataclass

__all__ = ["EndpointGate", "SlotGate", "Ticket", "endpoint_gate", "learn_endpoint_slots"]

log = logging.getLogger(__name__)

#: Answers in a row (no timeout behind others) after which a lowered gate widens by one.
WIDEN_AFTER_ANSWERS = 32

#: Requests kept waiting in the server's own queue beyond its slots. A server that works on one
#: at a time idles between our requests when we send the next only after the previous answer;
#: with one already waiting it goes straight on. On llama-cpp-python (2 shared, loaded cores) 8
#: articles took 54 s and 31 s so, against 102 s and 65 s one at a time, the server spending
#: twice the CPU on the same prompts (``benchmarks/single_slot_batch.py``, load 6). One waiting
#: costs at most one generation of its request timeout; a timeout there lowers the gate to the
#: slots (see ``leave``).
WAITING_AT_SERVER = 1


class SlotGate:
    """An asyncio semaphore whose size may change while it is used (``None``: no limit).

    Waiters are served first come, first served; a smaller size never interrupts holders, it
    only keeps new ones waiting until enough have left.
    """

    def __init__(self, capacity: int | None = None) -> None:
        self._capacity = _checked(capacity)
        self.in_flight = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def capacity(self) -> int | None:
        return self._capacity

    def resize(self, capacity: int | None) -> None:
        self._capacity = _checked(capacity)
        self._wake()

    def _has_room(self) -> bool:
        return self._capacity is None or self.in_flight < self._capacity

    @property
    def full(self) -> bool:
        """Whether an ``acquire`` now would wait (no place, or others wait before it)."""
        return bool(self._waiters) or not self._has_room()

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()

    async def acquire(self) -> None:
        if not self._waiters and self._has_room():
            self.in_flight += 1
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release()  # granted, then cancelled before it could be used
            else:
                self._waiters.remove(waiter)
            raise

    def release(self) -> None:
        self.in_flight -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiters and self._has_room():
            waiter = self._waiters.popleft()
            if not waiter.done():
                self.in_flight += 1
                waiter.set_result(None)


def _checked(capacity: int | None) -> int | None:
    if capacity is not None and capacity < 1:
        raise ValueError("a gate's capacity is at least 1 (None for no limit)")
    return capacity


@dataclass(frozen=True)
class Ticket:
    """One attempt through the gate: what was in flight when it was sent, and the gate's size
    generation then (a timeout halves the gate only once per generation)."""

    ahead: int
    generation: int


class EndpointGate(SlotGate):
    """The attempts of this process (on one event loop) to one endpoint; see the module."""

    def __init__(self, host: str) -> None:
        super().__init__(None)
        self.host = host
        #: The server's slots, when it said (or its kind implies) how many it has.
        self.slots: int | None = None
        #: What the size may widen back to: the slots, else the most in flight before a halving.
        self.ceiling: int | None = None
        self.generation = 0
        self.peak = 0
        self._answers_in_a_row = 0

    def learn_slots(self, slots: int, source: str) -> None:
        """The server serves ``slots`` requests at once (``source`` says how that is known): the
        gate lets that many in, and ``WAITING_AT_SERVER`` more to wait in the server's queue."""
        if self.slots == slots:
            return
        self.slots = slots
        size = slots + WAITING_AT_SERVER
        self.ceiling = size
        if self.capacity is None or self.capacity > size:
            self.resize(size)
            self.generation += 1
        log.info("%s works on %d request(s) at once (%s)", self.host, slots, source)

    @property
    def waiting(self) -> int:
        """Requests of ours waiting here for a place."""
        return sum(1 for waiter in self._waiters if not waiter.done())

    async def enter(self, timeout: float | None = None) -> Ticket:
        """A place for one attempt; ``TimeoutError`` when none freed within ``timeout`` seconds
        (the caller's deadline), and then no place is taken."""
        if timeout is None or not self.full:
            await self.acquire()
        else:
            async with asyncio.timeout(max(0.0, timeout)):
                await self.acquire()
        self.peak = max(self.peak, self.in_flight)
        return Ticket(ahead=self.in_flight - 1, generation=self.generation)

    def leave(self, ticket: Ticket, *, answered: bool, timed_out: bool) -> bool:
        """Release the attempt's place; True when it timed out behind other requests of ours
        (so it may have spent its time waiting in the server's queue)."""
        self.release()
        if answered:
            self._answered()
            return False
        if not timed_out or ticket.ahead < (self.slots or 1):
            return False  # nothing of ours ahead of it, or a slot of its own: a slow answer
        self._answers_in_a_row = 0
        current = self.capacity if self.capacity is not None else max(self.peak, ticket.ahead + 1)
        if self.ceiling is None:
            self.ceiling = current
        # Halved once per size; and never more at once than fitted: ``ahead`` of ours plus this
        # one did not get through in one timeout, so at most ``ahead`` do. Never below the
        # server's known slots: a request with a slot of its own is not queued.
        halved = current // 2 if ticket.generation == self.generation else current
        lowered = max(self.slots or 1, min(halved, ticket.ahead))
        if lowered < current:
            self.resize(lowered)
            self.generation += 1
            log.warning(
                "%s: a request timed out behind %d other(s) of ours (a server that works on "
                "fewer at once queues the rest, and the wait counts in --request-timeout); "
                "sending at most %d at once from now on",
                self.host,
                ticket.ahead,
                lowered,
            )
        return True

    def _answered(self) -> None:
        self._answers_in_a_row += 1
        if (
            self._answers_in_a_row >= WIDEN_AFTER_ANSWERS
            and self.capacity is not None
            and self.ceiling is not None
            and self.capacity < self.ceiling
        ):
            self._answers_in_a_row = 0
            self.resize(self.capacity + 1)
            self.generation += 1


_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, EndpointGate]] = (
    weakref.WeakKeyDictionary()
)


def endpoint_gate(endpoint: str, host: str) -> EndpointGate:
    """The gate of ``endpoint`` (its base URL) on the running event loop, made on first use."""
    gates = _GATES.setdefault(asyncio.get_running_loop(), {})
    gate = gates.get(endpoint)
    if gate is None:
        gate = gates[endpoint] = EndpointGate(host)
    return gate


async def learn_endpoint_slots(engine: object) -> tuple[int | None, int | None]:
    """Ask ``engine``'s server, once, how many requests it works on at once (``server_slots``);
    returns that and the requests this process now sends it at once (``endpoint_capacity``;
    ``None``: no limit). ``(None, None)`` for an engine without a server (the offline one).

    Call it before the first request the engine sends: llama-cpp-python answers the probe only
    between generations."""
    probe = getattr(engine, "server_slots", None)
    if not callable(probe):
        return None, None
    slots = await probe()
    capacity = getattr(engine, "endpoint_capacity", None)
    return slots, capacity() if callable(capacity) else None
