from __future__ import annotations

import asyncio
import random
from collections import deque

import pytest

from seawall.clock import SystemClock
from seawall.config import BreakerSettings, RetrySettings, TimeoutSettings
from seawall.errors import (
    NoRouteAvailable,
    Overloaded,
    ProviderRateLimited,
    ProviderUnavailable,
    StreamBroken,
    UpstreamRejected,
)
from seawall.resilience.dispatch import Deployment, Dispatcher, DispatchOptions, Group, NullObserver
from seawall.resilience.health import HealthBoard
from seawall.resilience.retry import RetryPolicy
from seawall.stores.memory import LocalHealthSync, MemorySlotStore
from seawall.types import ChatRequest, Chunk, Completion

REQUEST = ChatRequest({"model": "g", "messages": []}, "g")


class Scripted:
    """A provider that plays a script: "ok", an exception, or ("hang",)."""

    def __init__(self, id: str, *script: object) -> None:
        self.id = id
        self.script = deque(script)
        self.calls = 0

    async def _next(self) -> None:
        self.calls += 1
        step = self.script.popleft() if self.script else "ok"
        if isinstance(step, Exception):
            raise step
        if step == "hang":
            await asyncio.Event().wait()

    async def complete(self, request, headers):
        await self._next()
        return Completion({"choices": []}, deployment=self.id)

    async def stream(self, request, headers):
        await self._next()
        for i in range(3):
            if i == 1 and self.script and self.script[0] == "break":
                raise ProviderUnavailable("reset")
            yield Chunk({"i": i})

    async def embed(self, request, headers):
        raise NotImplementedError

    async def close(self):
        return None


def dispatcher(groups: dict[str, list[Scripted]], fallbacks=None, attempts=3, limit=4, **timeouts):
    built = {
        name: Group(
            name,
            tuple(Deployment(p.id, 1.0, limit, name, p) for p in providers),
            tuple((fallbacks or {}).get(name, ())),
            "least_busy",
        )
        for name, providers in groups.items()
    }
    keys = [p.id for providers in groups.values() for p in providers]
    board = HealthBoard(keys, BreakerSettings(min_requests=50), LocalHealthSync(), SystemClock())
    options = DispatchOptions(
        RetryPolicy(RetrySettings(attempts=attempts, backoff_ms=1, max_backoff_ms=2)),
        TimeoutSettings(**timeouts),
        SystemClock(),
        random.Random(0),
    )
    return Dispatcher(built, board, MemorySlotStore(), options)


def call(d: Dispatcher, model: str = "g"):
    return d.call(model, {}, NullObserver())


async def test_another_deployment_is_tried_after_a_failure():
    a, b = Scripted("a", ProviderUnavailable("down")), Scripted("b", ProviderUnavailable("down"))
    d = dispatcher({"g": [a, b]})
    result = await d.complete(call(d), REQUEST)
    assert a.calls + b.calls == 3 and result.deployment in ("a", "b")


async def test_attempts_then_fallback_group():
    a = Scripted("a", *[ProviderUnavailable("down")] * 3)
    f = Scripted("f")
    d = dispatcher({"g": [a], "fb": [f]}, fallbacks={"g": ["fb"]})
    c = call(d)
    result = await d.complete(c, REQUEST)
    assert (a.calls, f.calls, result.deployment) == (3, 1, "f")
    assert (c.retries, c.fallbacks) == (2, 1)


async def test_fallback_cycles_are_walked_once():
    a, b = (
        Scripted("a", *[ProviderUnavailable("x")] * 9),
        Scripted("b", *[ProviderUnavailable("x")] * 9),
    )
    d = dispatcher({"g": [a], "h": [b]}, fallbacks={"g": ["h"], "h": ["g"]})
    with pytest.raises(NoRouteAvailable) as caught:
        await d.complete(call(d), REQUEST)
    assert (a.calls, b.calls) == (3, 3)
    assert caught.value.status == 502 and "a: unavailable" in caught.value.message


async def test_a_rejected_request_is_not_retried():
    a, f = Scripted("a", UpstreamRejected(400, "bad")), Scripted("f")
    d = dispatcher({"g": [a], "fb": [f]}, fallbacks={"g": ["fb"]})
    with pytest.raises(UpstreamRejected):
        await d.complete(call(d), REQUEST)
    assert (a.calls, f.calls) == (1, 0)


async def test_retry_after_cools_the_deployment_down():
    a = Scripted("a", ProviderRateLimited("slow down", retry_after=5))
    d = dispatcher({"g": [a]})
    with pytest.raises(NoRouteAvailable) as caught:
        await d.complete(call(d), REQUEST)
    assert a.calls == 1
    assert 4 < caught.value.retry_after <= 5
    assert "a: rate_limited (slow down)" in caught.value.message
    with pytest.raises(NoRouteAvailable) as again:
        await d.complete(call(d), REQUEST)
    assert a.calls == 1
    assert "a: skipped:unhealthy (cooling down 5.0s)" in again.value.message


async def test_timeouts_everywhere_is_504():
    d = dispatcher({"g": [Scripted("a", "hang")]}, total_s=0.05)
    with pytest.raises(NoRouteAvailable) as caught:
        await d.complete(call(d), REQUEST)
    assert (caught.value.status, caught.value.code) == (504, "upstream_timeout")


async def test_full_deployments_shed_load():
    a = Scripted("a", "hang")
    d = dispatcher({"g": [a]}, limit=1, queue_s=0.01)
    first = asyncio.create_task(d.complete(call(d), REQUEST))
    await asyncio.sleep(0.01)
    with pytest.raises(Overloaded) as caught:
        await d.complete(call(d), REQUEST)
    assert caught.value.status == 503 and caught.value.retry_after == 1.0
    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    assert d.slots.in_flight("a") == 0


async def test_stream_without_first_token_moves_on():
    a, b = Scripted("a", "hang"), Scripted("b")
    d = dispatcher({"g": [a, b]}, first_token_s=0.05)
    stream = await d.stream(call(d), REQUEST)
    assert stream.deployment in ("a", "b")
    assert [c.data["i"] async for c in stream] == [0, 1, 2]
    assert d.slots.in_flight("a") == d.slots.in_flight("b") == 0


async def test_stream_failure_after_first_chunk_is_broken_not_retried():
    a = Scripted("a", "ok", "break")
    d = dispatcher({"g": [a]})
    stream = await d.stream(call(d), REQUEST)
    with pytest.raises(StreamBroken):
        async for _ in stream:
            pass
    assert a.calls == 1 and d.slots.in_flight("a") == 0


async def test_abandoned_stream_frees_its_slot_even_unread():
    d = dispatcher({"g": [Scripted("a")]})
    stream = await d.stream(call(d), REQUEST)
    assert d.slots.in_flight("a") == 1
    await stream.close()
    assert d.slots.in_flight("a") == 0
