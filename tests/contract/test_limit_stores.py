"""One contract for the limit stores (rate windows and budget counters), over memory
and the real Redis server. Two Redis store objects act as two replicas."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from seawall.stores.base import Hold, LimitStore, Settlement, Window
from seawall.stores.memory import MemoryLimitStore
from seawall.stores.redis_limits import RedisLimitStore

REDIS_URL = "redis://127.0.0.1:6379/0"


class Stores:
    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.prefix = f"seawall-test:{uuid.uuid4().hex[:12]}:"
        self._memory = MemoryLimitStore()
        self._made: list[LimitStore] = []

    def replica(self) -> LimitStore:
        if self.backend == "memory":
            return self._memory
        store = RedisLimitStore(Redis.from_url(REDIS_URL), prefix=self.prefix)
        self._made.append(store)
        return store

    async def close(self) -> None:
        for store in self._made:
            await store.close()


@pytest.fixture(params=["memory", "redis"])
async def stores(request) -> AsyncIterator[Stores]:
    made = Stores(request.param)
    yield made
    await made.close()


async def test_a_window_admits_exactly_its_limit_across_replicas(stores):
    first, second = stores.replica(), stores.replica()
    window = [Window("rpm:key:a", 100, 1)]

    async def one(store: LimitStore) -> bool:
        return (await store.admit(window, [], 60)).admitted

    results = await asyncio.gather(*(one(first if i % 2 else second) for i in range(160)))
    assert sum(results) == 100
    refused = await first.admit(window, [], 60)
    assert not refused.admitted and refused.refused == 0
    assert 58 < refused.retry_after_s <= 60


async def test_admitted_requests_report_what_remains(stores):
    store = stores.replica()
    decision = await store.admit([Window("tpm:key:a", 1000, 300)], [], 60)
    assert decision.admitted and decision.windows[0].remaining == 700
    assert decision.windows[0].limit == 1000 and 0 < decision.windows[0].reset_s <= 60


async def test_all_or_nothing_when_one_window_refuses(stores):
    store = stores.replica()
    assert (await store.admit([Window("rpm:tenant:t", 1, 1)], [], 60)).admitted
    both = [Window("rpm:key:k", 5, 1), Window("rpm:tenant:t", 1, 1)]
    refused = await store.admit(both, [], 60)
    assert not refused.admitted and refused.refused == 1
    alone = await store.admit([Window("rpm:key:k", 5, 1)], [], 60)
    assert alone.windows[0].remaining == 4  # the refused request charged nothing


async def test_settling_replaces_the_reserved_tokens(stores):
    store = stores.replica()
    admitted = await store.admit([Window("tpm:key:k", 1000, 900)], [], 60)
    assert not (await store.admit([Window("tpm:key:k", 1000, 200)], [], 60)).admitted
    await store.settle(Settlement((("tpm:key:k", 100 - 900),), admitted.bucket, ()), 60)
    after = await store.admit([Window("tpm:key:k", 1000, 200)], [], 60)
    assert after.admitted and after.windows[0].remaining == 700


async def test_a_missing_budget_counter_must_be_seeded_first(stores):
    store = stores.replica()
    hold = Hold("usd:key:k:2026-11", 1_000_000, 300_000, 3600)
    missing = await store.admit([Window("rpm:key:k", 10, 1)], [hold], 60)
    assert not missing.admitted and missing.unseeded == 0
    await store.seed(hold.key, 500_000, 3600)
    await stores.replica().seed(hold.key, 0, 3600)  # a late seeder does not reset it
    first = await store.admit([], [hold], 60)
    assert first.admitted and len(first.epochs) == 1
    second = await store.admit([], [hold], 60)
    assert not second.admitted and second.over_budget and second.refused == 0


async def test_a_budget_is_never_overrun_by_concurrent_holds(stores):
    replicas = [stores.replica(), stores.replica()]
    hold = Hold("usd:tenant:t:all", 1_000_000, 70_000, 3600)
    await replicas[0].seed(hold.key, 0, 3600)
    decisions = await asyncio.gather(*(replicas[i % 2].admit([], [hold], 60) for i in range(40)))
    assert sum(d.admitted for d in decisions) == 14  # 14 * 70_000 <= 1_000_000 < 15 * 70_000


async def test_settling_a_budget_depends_on_its_epoch(stores):
    store = stores.replica()
    hold = Hold("usd:key:k:all", 1_000_000, 400_000, 3600)
    await store.seed(hold.key, 0, 3600)
    admitted = await store.admit([], [hold], 60)
    (epoch,) = admitted.epochs
    # same epoch: the hold (400k) is replaced by the actual cost (100k)
    await store.settle(Settlement((), admitted.bucket, ((hold.key, 400_000, 100_000, epoch),)), 60)
    probe = Hold(hold.key, 1_000_000, 900_000, 3600)
    assert (await store.admit([], [probe], 60)).admitted  # 100k + 900k fits exactly
    # another epoch (the counter was rebuilt): only the actual cost is added
    await store.settle(Settlement((), 0, ((hold.key, 400_000, 1, "other"),)), 60)
    assert not (await store.admit([], [Hold(hold.key, 1_000_000, 0, 3600)], 60)).admitted
