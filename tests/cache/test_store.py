"""The in-process store: TTL, LRU bound, per-scope search, invalidation."""

from __future__ import annotations

import numpy as np

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
        {"message": {}},
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
