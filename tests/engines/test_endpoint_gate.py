"""The per-endpoint gate (``summarizer.engines.slots``): how many requests are in flight at once.

The behaviour against real one-at-a-time servers is in
``tests/real_servers/test_one_request_at_a_time.py``; these pin the gate's own rules.
"""

from __future__ import annotations

import asyncio

import pytest

from summarizer.config import ModelConfig, Secret
from summarizer.engines.client import ChatClient
from summarizer.engines.profiles import slots_from_props
from summarizer.engines.slots import (
    WAITING_AT_SERVER,
    WIDEN_AFTER_ANSWERS,
    EndpointGate,
    SlotGate,
    endpoint_gate,
)
from summarizer.errors import ConfigError, DeadlineExceededError
from summarizer.testing import TEST_API_KEY, Reply, ScriptedOpenAIServer


async def test_a_gate_of_one_lets_one_in_at_a_time_first_come_first_served() -> None:
    gate = SlotGate(1)
    order: list[int] = []
    most = 0

    async def use(number: int) -> None:
        nonlocal most
        await gate.acquire()
        most = max(most, gate.in_flight)
        order.append(number)
        await asyncio.sleep(0.01)
        gate.release()

    await asyncio.gather(*(use(number) for number in range(5)))
    assert order == [0, 1, 2, 3, 4] and most == 1 and gate.in_flight == 0


async def test_resizing_keeps_holders_and_wakes_waiters() -> None:
    gate = SlotGate(2)
    await gate.acquire()
    await gate.acquire()
    gate.resize(1)  # smaller: nobody is interrupted
    assert gate.in_flight == 2
    waiter = asyncio.create_task(gate.acquire())
    gate.release()
    await asyncio.sleep(0)
    assert not waiter.done()  # one still holds the only place
    gate.resize(3)
    await asyncio.sleep(0)
    assert waiter.done() and gate.in_flight == 2
    with pytest.raises(ValueError):
        gate.resize(0)


async def test_a_cancelled_waiter_leaves_no_place_taken() -> None:
    gate = SlotGate(1)
    await gate.acquire()
    waiter = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    gate.release()
    assert gate.in_flight == 0
    await asyncio.wait_for(gate.acquire(), 1.0)  # the place is free


async def test_a_timeout_behind_others_halves_the_gate_once_per_size() -> None:
    gate = EndpointGate("127.0.0.1:8080")
    tickets = [await gate.enter() for _ in range(8)]
    assert [ticket.ahead for ticket in tickets] == list(range(8))
    # The first request had nothing of ours ahead of it: its timeout is a slow answer.
    assert gate.leave(tickets[0], answered=False, timed_out=True) is False
    assert gate.capacity is None
    # Behind five others: it may have waited in the server's queue; eight at once halve to 4.
    assert gate.leave(tickets[5], answered=False, timed_out=True) is True
    assert gate.capacity == 4
    # Sent before that halving: queued too, but it halves nothing again...
    assert gate.leave(tickets[7], answered=False, timed_out=True) is True
    assert gate.capacity == 4
    # ...though behind two, it says that no more than two get through in one timeout.
    assert gate.leave(tickets[2], answered=False, timed_out=True) is True
    assert gate.capacity == 2
    for ticket in (tickets[1], tickets[3], tickets[4], tickets[6]):
        gate.leave(ticket, answered=True, timed_out=False)
    assert gate.in_flight == 0


async def test_a_known_slot_count_caps_the_gate_and_a_request_with_a_slot_is_not_queued() -> None:
    """Two slots: two requests work and one more waits in the server's queue (so the server
    never idles between ours); a fourth waits here. A timeout of one with a slot of its own is a
    slow answer; the one waiting at the server, timed out, drops the gate to the slots."""
    gate = EndpointGate("127.0.0.1:8080")
    gate.learn_slots(2, "its /props says total_slots")
    assert gate.capacity == 2 + WAITING_AT_SERVER == 3
    first, second, third = await gate.enter(), await gate.enter(), await gate.enter()
    fourth = asyncio.create_task(gate.enter())
    await asyncio.sleep(0)
    assert not fourth.done()  # two slots and one waiting there are taken by ours
    # The second had a slot of its own (one ahead, two slots): a slow answer, not a queue.
    assert gate.leave(second, answered=False, timed_out=True) is False
    assert gate.capacity == 3
    ticket = await fourth
    # The third waited at the server behind two of ours: its timeout was the queue's.
    assert gate.leave(third, answered=False, timed_out=True) is True
    assert gate.capacity == 2  # the slots: never below them
    gate.leave(first, answered=True, timed_out=False)
    gate.leave(ticket, answered=True, timed_out=False)


async def test_a_one_slot_server_gets_one_request_working_and_one_waiting() -> None:
    gate = EndpointGate("127.0.0.1:8080")
    gate.learn_slots(1, "llama-cpp-python's server runs one generation at a time")
    working, waiting = await gate.enter(), await gate.enter()
    assert (working.ahead, waiting.ahead) == (0, 1) and gate.full
    assert gate.leave(waiting, answered=False, timed_out=True) is True
    assert gate.capacity == 1
    gate.leave(working, answered=True, timed_out=False)
    for _ in range(WIDEN_AFTER_ANSWERS):
        gate.leave(await gate.enter(), answered=True, timed_out=False)
    assert gate.capacity == 2  # one waiting again, never more


async def test_a_request_waits_at_the_gate_no_longer_than_its_timeout() -> None:
    gate = EndpointGate("127.0.0.1:8080")
    gate.learn_slots(1, "test")
    held = [await gate.enter(), await gate.enter()]
    with pytest.raises(TimeoutError):
        await gate.enter(timeout=0.05)
    assert gate.in_flight == 2 and gate.waiting == 0  # it took no place and left no waiter
    gate.leave(held[0], answered=True, timed_out=False)
    assert (await gate.enter(timeout=0.05)).ahead == 1


async def test_a_lowered_gate_widens_back_after_answers_in_a_row() -> None:
    gate = EndpointGate("127.0.0.1:8080")
    tickets = [await gate.enter() for _ in range(4)]
    gate.leave(tickets[3], answered=False, timed_out=True)  # 4 in flight -> 2
    for ticket in tickets[:3]:
        gate.leave(ticket, answered=True, timed_out=False)
    assert gate.capacity == 2
    for _ in range(WIDEN_AFTER_ANSWERS):
        gate.leave(await gate.enter(), answered=True, timed_out=False)
    assert gate.capacity == 3
    for _ in range(5 * WIDEN_AFTER_ANSWERS):
        gate.leave(await gate.enter(), answered=True, timed_out=False)
    assert gate.capacity == 4  # never wider than it was before the timeout


async def test_one_gate_per_endpoint_on_a_loop() -> None:
    first = endpoint_gate("http://127.0.0.1:8080/v1", "127.0.0.1:8080")
    assert endpoint_gate("http://127.0.0.1:8080/v1", "127.0.0.1:8080") is first
    assert endpoint_gate("http://127.0.0.1:8081/v1", "127.0.0.1:8081") is not first


def test_slots_are_read_from_llama_servers_props() -> None:
    assert slots_from_props({"total_slots": 1, "default_generation_settings": {}}) == 1
    assert slots_from_props({"total_slots": 4}) == 4
    for unusable in ({}, {"total_slots": 0}, {"total_slots": True}, {"total_slots": "2"}, None):
        assert slots_from_props(unusable) is None


async def test_timeouts_behind_our_own_requests_are_said_apart_and_lower_the_gate(
    openai_server: ScriptedOpenAIServer,
) -> None:
    """Three calls at once to a server whose answers all come too late (the scripted server; on
    a real one the first answers arrive). The calls that timed out behind another of ours say
    that apart from their slow answer, and the gate sends one at a time after that."""
    openai_server.set_handler(lambda request: Reply.delay(2.0, Reply.json({"answer": "late"})))

    async def no_wait(seconds: float) -> None:
        return None

    config = ModelConfig(
        model="test-model",
        base_url=openai_server.base_url,
        api_key=Secret(TEST_API_KEY),
        request_timeout=0.2,
        max_transport_attempts=2,
    )
    client = ChatClient(config, sleep=no_wait)

    async def call() -> str:
        with pytest.raises(DeadlineExceededError) as raised:
            await client.complete(
                lambda capability: [{"role": "user", "content": "answer"}],
                schema_name="answer",
                schema={"type": "object"},
            )
        assert len(raised.value.attempts) == 2
        return str(raised.value)

    messages = await asyncio.gather(call(), call(), call())
    assert client.endpoint_capacity == 1
    await client.aclose()
    # Which call's retry goes out before the others' timeouts are seen is the event loop's
    # choice: at least the two that started behind the first wrote their wait apart.
    behind = [m for m in messages if "1 more time(s) behind other requests of ours" in m]
    assert len(behind) >= 2, messages
    assert all("0.2 s, 1 time(s) (each attempt starts the answer again)" in m for m in behind)
    assert all("--request-timeout" in message for message in messages)


async def test_a_request_still_waiting_at_the_gate_when_its_deadline_passes_fails_with_it(
    openai_server: ScriptedOpenAIServer,
) -> None:
    """Told the server works on one at a time (``server_slots=1``), the client sends two (one
    working, one waiting in the server's queue); a third call waits here. Before, its wait was
    added back to its deadline: it waited for both answers and was answered past its deadline.
    Now the wait counts: it fails when its deadline passes, with nothing sent and a message
    that says it waited for its turn."""
    openai_server.set_handler(lambda request: Reply.delay(1.0, Reply.json({"answer": "ok"})))
    config = ModelConfig(
        model="test-model",
        base_url=openai_server.base_url,
        api_key=Secret(TEST_API_KEY),
        server_slots=1,
    )
    client = ChatClient(config)

    async def call(deadline_in: float | None = None) -> float:
        started = client.now()
        await client.complete(
            lambda capability: [{"role": "user", "content": "answer"}],
            schema_name="answer",
            schema={"type": "object"},
            deadline_at=None if deadline_in is None else started + deadline_in,
        )
        return client.now() - started

    first, second = asyncio.create_task(call()), asyncio.create_task(call())
    await asyncio.sleep(0.1)
    started = client.now()
    with pytest.raises(DeadlineExceededError) as raised:
        await call(deadline_in=0.3)
    waited = client.now() - started
    assert 0.3 <= waited < 0.9  # at its deadline, not after the answers ahead of it
    assert raised.value.attempts == []
    assert "waited" in str(raised.value) and "for its turn at 127.0.0.1" in str(raised.value)
    assert "--deadline" in str(raised.value)
    assert len(openai_server.chat_requests) == 2  # nothing was sent for it
    await asyncio.gather(first, second)  # the two ahead of it are answered
    assert client.endpoint_capacity == 2
    await client.aclose()


def test_server_slots_override_what_the_server_says_and_bad_values_are_config_errors() -> None:
    config = ModelConfig(model="m", base_url="http://127.0.0.1:9/v1", server="llama-cpp-python")
    assert ChatClient(config).server_slots == 1
    assert ChatClient(config.with_options(server_slots=3)).server_slots == 3
    env = {"SUMMARIZER_SERVER_SLOTS": " 2 "}
    resolved = ModelConfig.resolve(model="m", base_url="http://127.0.0.1:9/v1", environ=env)
    assert resolved is not None and resolved.server_slots == 2
    for bad in (0, -1, True, 1.5):
        with pytest.raises(ConfigError, match="whole number of at least 1"):
            config.with_options(server_slots=bad)
    for text in ("0", "two", "1.5", "-3"):
        with pytest.raises(ConfigError, match="SUMMARIZER_SERVER_SLOTS"):
            ModelConfig.resolve(
                model="m", base_url="http://x/v1", environ={"SUMMARIZER_SERVER_SLOTS": text}
            )


async def test_server_slots_skip_the_props_probe(openai_server: ScriptedOpenAIServer) -> None:
    """A llama-server whose window is given: only its slots would be asked, and they are set."""
    config = ModelConfig(
        model="test-model",
        base_url=openai_server.base_url,
        api_key=Secret(TEST_API_KEY),
        server="llama-server",
        context_window=8192,
        server_slots=3,
    )
    client = ChatClient(config)
    assert await client.learn_server_slots() == 3
    assert client.endpoint_capacity == 3 + WAITING_AT_SERVER
    assert openai_server.requests == []
    await client.aclose()
