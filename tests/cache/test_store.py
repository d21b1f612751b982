"""The in-process store: TTL, LRU bound, per-scope search, invalidation."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from seawall.cache import ann
from seawall.cache.store import Entry, MemoryCache, Selector
from seawall.clock import FakeClock


def unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return v / np.linalg.norm(v)


def entry(
    key: str,
    scope: str = "s",
    tenant: str = "acme",
    ttl: float = 60.0,
    seed: int = 0,
    clock: FakeClock | None = None,
    namespace: str = "",
) -> Entry:
    now = (clock or FakeClock()).wall()
    return Entry(
        key,
        scope,
        tenant,
        "k1",
        "chat",
        namespace,
        f"q {key}",
        b'{"message": {}}',
        "chat/0",
        now + ttl,
        unit(seed),
    )


async def test_entries_expire_after_their_ttl() -> None:
    clock = FakeClock()
    cache = MemoryCache(10, clock)
    cache.put_now(entry("a", clock=clock, ttl=30))
    assert await cache.get("a") is not None
    clock.advance(31)
    assert await cache.get("a") is None
    assert await cache.nearest("s", unit(0), 4, 0.5) == []
    assert len(cache) == 0


async def test_the_least_recently_used_goes_first() -> None:
    cache = MemoryCache(2, FakeClock())
    cache.put_now(entry("a", seed=1))
    cache.put_now(entry("b", seed=2))
    await cache.get("a")  # a is now the most recent
    cache.put_now(entry("c", seed=3))
    assert await cache.get("b") is None and await cache.get("a") and await cache.get("c")
    assert cache.evicted == 1
    assert [e.key for e, _ in await cache.nearest("s", unit(2), 4, -1.0)] != ["b"]


async def test_nearest_stays_in_its_scope_and_above_the_floor() -> None:
    cache = MemoryCache(100, FakeClock())
    for i in range(20):
        cache.put_now(entry(f"k{i}", scope="s" if i % 2 else "t", seed=i))
    found = await cache.nearest("s", unit(3), 4, 0.99)
    assert [(e.key, round(s, 3)) for e, s in found] == [("k3", 1.0)]
    assert all(e.scope == "s" for e, _ in await cache.nearest("s", unit(4), 10, -1.0))
    assert await cache.nearest("nobody", unit(3), 4, -1.0) == []


async def test_growing_and_reusing_rows_keeps_search_right() -> None:
    cache = MemoryCache(1000, FakeClock())
    for i in range(50):
        cache.put_now(entry(f"k{i}", seed=i))
    await cache.delete(Selector(tenant="acme"))
    for i in range(50, 70):
        cache.put_now(entry(f"k{i}", seed=i))
    found = await cache.nearest("s", unit(60), 1, 0.5)
    assert [e.key for e, _ in found] == ["k60"]
    assert len(cache) == 20


async def test_delete_by_selector() -> None:
    cache = MemoryCache(100, FakeClock())
    cache.put_now(entry("a", tenant="acme", seed=1))
    cache.put_now(entry("b", tenant="globex", seed=2))
    cache.put_now(entry("c", tenant="acme", seed=3, namespace="faq"))
    assert await cache.delete(Selector(tenant="acme", namespace="faq")) == 1
    assert await cache.delete(Selector(tenant="acme")) == 1
    assert [e.key for e, _ in await cache.nearest("s", unit(2), 4, 0.5)] == ["b"]


async def wait_built(cache: MemoryCache, scope: str = "s") -> None:
    """Until the scope's graph is built and has applied every insert and removal."""
    graph = cache._scopes[scope].graph
    assert graph is not None, "the scope should have a graph past ann_from"
    await asyncio.wrap_future(graph.built)
    loop = asyncio.get_running_loop()
    for _ in range(500):  # a drain re-queues itself while operations remain
        await loop.run_in_executor(ann._executor(), lambda: None)
        if not graph.behind:
            break
    await loop.run_in_executor(ann._executor(), lambda: None)


async def graph_finds(cache: MemoryCache, key: str, vector: np.ndarray) -> bool:
    """Whether the graph itself (not the exact fallback) finds ``key`` nearest."""
    index = cache._scopes["s"]
    assert index.graph is not None and index.graph.ready and not index.graph.behind
    rows = await index.graph.search(vector, 4)
    return bool(rows) and index.keys[rows[0]] == key


async def test_a_large_scope_is_searched_through_its_graph() -> None:
    cache = MemoryCache(10_000, FakeClock(), ann_from=200)
    for i in range(150):
        cache.put_now(entry(f"k{i}", seed=i))
    assert cache._scopes["s"].graph is None  # small: exact only
    for i in range(150, 600):
        cache.put_now(entry(f"k{i}", seed=i))
    await wait_built(cache)
    for i in (3, 170, 599):  # before, during and after the build
        assert await graph_finds(cache, f"k{i}", unit(i)), i
        found = await cache.nearest("s", unit(i), 4, 0.9)
        assert [e.key for e, _ in found] == [f"k{i}"], i
        assert found[0][1] == pytest.approx(1.0, abs=1e-5)


async def test_the_graph_follows_removals_and_reused_rows() -> None:
    cache = MemoryCache(10_000, FakeClock(), ann_from=50)
    for i in range(100):
        cache.put_now(entry(f"k{i}", tenant="acme" if i % 2 else "globex", seed=i))
    await wait_built(cache)
    graph = cache._scopes["s"].graph
    assert await cache.delete(Selector(tenant="acme")) == 50
    assert cache._scopes["s"].graph is graph  # the scope lives on, with its graph
    assert await cache.nearest("s", unit(7), 4, 0.5) == []  # removed
    assert [e.key for e, _ in await cache.nearest("s", unit(8), 4, 0.9)] == ["k8"]
    for i in range(100, 200):  # new keys, in the freed rows first
        cache.put_now(entry(f"k{i}", seed=i))
    await wait_built(cache)
    assert await cache.nearest("s", unit(7), 4, 0.5) == []
    for i in (101, 150, 199):
        assert await graph_finds(cache, f"k{i}", unit(i)), i
        assert [e.key for e, _ in await cache.nearest("s", unit(i), 4, 0.9)] == [f"k{i}"]
