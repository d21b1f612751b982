"""The cache stage's writer: answers are embedded and stored off the request path, and
when the embedder cannot keep up they are stored for exact lookups rather than lost."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np

from seawall.cache import stage
from seawall.cache.stage import CacheStage
from seawall.cache.store import MemoryCache
from seawall.cache.verify import shipped
from seawall.clock import FakeClock
from seawall.trace.metrics import Metrics

from .test_store import entry


class CountingEmbedder:
    """Embeds in calls it counts; each call takes a moment, as the model does."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    async def aembed(self, texts: list[str], background: bool = False) -> np.ndarray:
        assert background  # stored answers never go before a lookup
        self.calls.append(len(texts))
        await asyncio.sleep(0.01)
        return np.ones((len(texts), 384), dtype=np.float32) / np.sqrt(384)


def writer(embedder: Any) -> tuple[CacheStage, MemoryCache, Metrics]:
    clock = FakeClock()
    store = MemoryCache(10_000, clock)
    metrics = Metrics()
    cache = CacheStage({}, {"chat": store}, embedder, shipped(), clock, metrics, {})
    return cache, store, metrics


def question(i: int) -> Any:
    """An answer to store that wants its question embedded."""
    return entry(f"k{i}")._replace(vector=None)


def vectors(store: MemoryCache) -> int:
    return sum(len(index.rows) for index in store._scopes.values())


def count(metrics: Metrics, result: str) -> float:
    return (
        metrics.registry.get_sample_value(
            "seawall_cache_lookups_total", {"model": "chat", "result": result}
        )
        or 0.0
    )


async def test_answers_are_embedded_in_small_calls_and_stored():
    embedder = CountingEmbedder()
    cache, store, metrics = writer(embedder)
    for i in range(20):
        cache._enqueue(question(i), True)
    await cache._queue.join()
    assert embedder.calls == [8, 8, 4]
    assert len(store) == 20 and vectors(store) == 20
    assert count(metrics, "store-exact-only") == 0


async def test_a_writer_far_behind_stores_for_exact_lookups_and_loses_nothing():
    embedder = CountingEmbedder()
    cache, store, metrics = writer(embedder)
    waiting = stage._BEHIND + 300
    for i in range(waiting):
        cache._enqueue(question(i), True)
    await cache._queue.join()
    assert len(store) == waiting and count(metrics, "store-dropped") == 0
    embedded = vectors(store)
    assert sum(embedder.calls) == embedded
    assert 0 < count(metrics, "store-exact-only") == waiting - embedded
    # once it has caught up, answers get their vectors again
    cache._enqueue(question(waiting), True)
    await cache._queue.join()
    assert vectors(store) == embedded + 1
