"""One contract for the hot stores (SlotStore, HealthSync), run over every backend:
memory always, Redis against the real server at ``REDIS_URL``. CI starts Redis, so an
unreachable server fails the Redis cases instead of skipping them.

Each case gets a ``Replicas`` factory: the stores it makes act as separate gateway
replicas (memory has one process, so its replicas share the one store)."""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from seawall.clock import SystemClock
from seawall.config import BreakerSettings
from seawall.resilience.breaker import BreakerState
from seawall.resilience.health import HealthBoard
from seawall.stores.base import HealthOutcome, HealthSync, SharedHealth, SlotStore
from seawall.stores.memory import LocalHealthSync, MemorySlotStore
from seawall.stores.redis import RedisHealthSync, RedisSlotStore

REDIS_URL = "redis://127.0.0.1:6379/0"
NOT_SHARED = "LocalHealthSync serves one process: there is no other replica to share with"
NO_TTL = "memory slots live and die with their process: there is no lease to expire"

CRASHING_REPLICA = """
import asyncio, sys
from redis.asyncio import Redis
from seawall.stores.redis import RedisSlotStore

async def main():
    store = RedisSlotStore(Redis.from_url(sys.argv[1]), prefix=sys.argv[2], ttl_s=1.0)
    assert await store.acquire(sys.argv[3], 2, 0.0)
    print("holding", flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


class Replicas:
    """Makes stores over one backend; ``close`` closes them and drops the test's keys."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.prefix = f"seawall-test:{uuid.uuid4().hex[:12]}:"
        self._memory = MemorySlotStore()
        self._made: list[SlotStore | HealthSync] = []

    def slots(self, ttl_s: float = 30.0) -> SlotStore:
        if self.backend == "memory":
            return self._memory
        store = RedisSlotStore(Redis.from_url(REDIS_URL), prefix=self.prefix, ttl_s=ttl_s)
        self._made.append(store)
        return store

    def health(self) -> HealthSync:
        sync: HealthSync = LocalHealthSync()
        if self.backend == "redis":
            sync = RedisHealthSync(Redis.from_url(REDIS_URL), prefix=self.prefix)
        self._made.append(sync)
        return sync

    def require_shared(self, reason: str) -> None:
        if self.backend == "memory":
            pytest.skip(reason)

    async def close(self) -> None:
        for store in self._made:
            await store.close()
        if self.backend == "redis":
            admin = Redis.from_url(REDIS_URL)
            keys = [key async for key in admin.scan_iter(match=self.prefix + "*")]
            if keys:
                await admin.delete(*keys)
            await admin.aclose()


@pytest.fixture(params=["memory", "redis"])
async def replicas(request: pytest.FixtureRequest) -> AsyncIterator[Replicas]:
    made = Replicas(request.param)
    if made.backend == "redis":
        admin = Redis.from_url(REDIS_URL)
        await admin.ping()  # no Redis: an error here, on purpose not a skip
        await admin.aclose()
    yield made
    await made.close()


# -- SlotStore ------------------------------------------------------------------------


async def test_acquire_up_to_the_limit_then_none(replicas: Replicas) -> None:
    store = replicas.slots()
    leases = [await store.acquire("chat/0", 3, 0.0) for _ in range(3)]
    assert all(leases)
    assert await store.acquire("chat/0", 3, 0.0) is None
    assert await store.acquire("chat/1", 3, 0.0) is not None  # keys do not share slots


async def test_release_frees_a_slot(replicas: Replicas) -> None:
    store = replicas.slots()
    first = await store.acquire("chat/0", 2, 0.0)
    assert first and await store.acquire("chat/0", 2, 0.0)
    await store.release(first)
    assert await store.acquire("chat/0", 2, 0.0) is not None
    assert await store.acquire("chat/0", 2, 0.0) is None


async def test_a_waiting_acquire_gets_a_slot_released_meanwhile(replicas: Replicas) -> None:
    store = replicas.slots()
    held = await store.acquire("chat/0", 1, 0.0)
    assert held is not None
    waiter = asyncio.create_task(store.acquire("chat/0", 1, 2.0))
    await asyncio.sleep(0.05)
    await store.release(held)
    started = time.monotonic()
    assert await waiter is not None
    assert time.monotonic() - started < 0.5


async def test_a_waiting_acquire_is_refused_after_wait_s(replicas: Replicas) -> None:
    store = replicas.slots()
    assert await store.acquire("chat/0", 1, 0.0)
    started = time.monotonic()
    assert await store.acquire("chat/0", 1, 0.15) is None
    assert 0.14 <= time.monotonic() - started < 0.5


async def test_in_flight_counts_held_slots(replicas: Replicas) -> None:
    store = replicas.slots()
    first = await store.acquire("chat/0", 5, 0.0)
    assert first and await store.acquire("chat/0", 5, 0.0) and await store.acquire("chat/1", 5, 0.0)
    assert (store.in_flight("chat/0"), store.in_flight("chat/1"), store.in_flight("x")) == (2, 1, 0)
    await store.release(first)
    assert store.in_flight("chat/0") == 1


async def test_racing_replicas_never_exceed_the_limit(replicas: Replicas) -> None:
    stores = [replicas.slots(), replicas.slots()]
    holding = peak = 0

    async def request(store: SlotStore) -> None:
        nonlocal holding, peak
        lease = await store.acquire("chat/0", 10, 3.0)
        assert lease is not None
        holding += 1
        peak = max(peak, holding)
        await asyncio.sleep(0.01)
        holding -= 1
        await store.release(lease)

    await asyncio.gather(*(request(stores[i % 2]) for i in range(50)))
    assert 1 < peak <= 10
    assert [s.in_flight("chat/0") for s in stores] == [0, 0]


async def test_a_crashed_replicas_lease_expires_and_a_live_one_is_renewed(
    replicas: Replicas,
) -> None:
    replicas.require_shared(NO_TTL)
    live = replicas.slots(ttl_s=1.0)
    assert await live.acquire("chat/0", 2, 0.0)
    crashed = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CRASHING_REPLICA,
        REDIS_URL,
        replicas.prefix,
        "chat/0",
        stdout=asyncio.subprocess.PIPE,
    )
    assert crashed.stdout is not None
    assert await asyncio.wait_for(crashed.stdout.readline(), 5.0) == b"holding\n"
    crashed.kill()  # SIGKILL: no release, no renewal
    await crashed.wait()
    other = replicas.slots(ttl_s=1.0)
    assert await other.acquire("chat/0", 2, 0.0) is None
    assert await other.acquire("chat/0", 2, 2.0) is not None  # the crashed one's TTL ran out
    assert await other.acquire("chat/0", 2, 0.0) is None  # the live one's was renewed


async def test_close_returns_held_slots(replicas: Replicas) -> None:
    replicas.require_shared(NO_TTL)
    leaving, staying = replicas.slots(), replicas.slots()
    assert await leaving.acquire("chat/0", 1, 0.0)
    await leaving.close()
    assert await staying.acquire("chat/0", 1, 0.0) is not None


async def test_release_of_a_cancelled_waiter_does_not_leak(replicas: Replicas) -> None:
    store = replicas.slots()
    held = await store.acquire("chat/0", 1, 0.0)
    assert held is not None
    waiter = asyncio.create_task(store.acquire("chat/0", 1, 2.0))
    await asyncio.sleep(0.03)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    await store.release(held)
    assert await store.acquire("chat/0", 1, 0.5) is not None


# -- HealthSync -----------------------------------------------------------------------


def outcomes(key: str, ok: int, failed: int, at: float) -> list[HealthOutcome]:
    return [HealthOutcome(key, True, at)] * ok + [HealthOutcome(key, False, at)] * failed


async def view(sync: HealthSync, key: str, now: float, window_s: float = 10.0) -> SharedHealth:
    return (await sync.pull([key], window_s, now)).get(key, SharedHealth())


async def test_pull_leaves_out_this_replicas_own_outcomes(replicas: Replicas) -> None:
    sync, now = replicas.health(), time.time()
    await sync.push(outcomes("chat/0", 1, 3, now), 10.0)
    assert await view(sync, "chat/0", now) == SharedHealth()


async def test_outcomes_reach_the_other_replicas(replicas: Replicas) -> None:
    replicas.require_shared(NOT_SHARED)
    a, b, now = replicas.health(), replicas.health(), time.time()
    await a.push(outcomes("chat/0", 1, 3, now), 10.0)
    await b.push(outcomes("chat/0", 2, 0, now), 10.0)
    assert await view(b, "chat/0", now) == SharedHealth(successes=1, failures=3)
    assert await view(a, "chat/0", now) == SharedHealth(successes=2, failures=0)
    assert await view(b, "chat/1", now) == SharedHealth()


async def test_outcomes_outside_the_window_are_not_counted(replicas: Replicas) -> None:
    replicas.require_shared(NOT_SHARED)
    a, b, now = replicas.health(), replicas.health(), time.time()
    await a.push(outcomes("chat/0", 0, 2, now - 11.0) + outcomes("chat/0", 0, 1, now - 5.0), 10.0)
    assert (await view(b, "chat/0", now)).failures == 1


async def test_open_and_cooldown_marks_keep_the_latest(replicas: Replicas) -> None:
    replicas.require_shared(NOT_SHARED)
    a, b, now = replicas.health(), replicas.health(), time.time()
    await a.set_open("chat/0", now + 10)
    await b.set_open("chat/0", now + 5)
    await b.set_cooldown("chat/0", now + 7)
    await a.set_cooldown("chat/0", now + 3)
    seen = await view(a, "chat/0", now)
    assert (seen.open_until, seen.cooldown_until) == (now + 10, now + 7)
    await b.set_open("chat/0", now + 20)
    assert (await view(a, "chat/0", now)).open_until == now + 20


async def test_reset_forgets_the_window_and_the_open_mark(replicas: Replicas) -> None:
    replicas.require_shared(NOT_SHARED)
    a, b, now = replicas.health(), replicas.health(), time.time()
    await a.push(outcomes("chat/0", 1, 4, now), 10.0)
    await a.set_open("chat/0", now + 10)
    await b.reset("chat/0")
    assert await view(b, "chat/0", now) == SharedHealth()
    await a.push(outcomes("chat/0", 0, 1, now), 10.0)  # counting starts again
    assert (await view(b, "chat/0", now)).failures == 1


async def test_claim_probe_is_exclusive_until_its_ttl(replicas: Replicas) -> None:
    replicas.require_shared(NOT_SHARED)
    a, b = replicas.health(), replicas.health()
    assert await a.claim_probe("chat/0", 0.2)
    assert not await b.claim_probe("chat/0", 0.2)
    assert not await a.claim_probe("chat/0", 0.2)
    assert await b.claim_probe("chat/1", 0.2)
    await asyncio.sleep(0.25)
    assert await b.claim_probe("chat/0", 0.2)


# -- HealthBoard over a shared HealthSync ---------------------------------------------

BREAKER = BreakerSettings(min_requests=4, failure_rate=0.5, window_s=10, cooldown_s=5)


def board(sync: HealthSync) -> HealthBoard:
    return HealthBoard(["chat/0"], BREAKER, sync, SystemClock())


async def test_failures_on_one_replica_open_the_breaker_on_another(replicas: Replicas) -> None:
    replicas.require_shared(NOT_SHARED)
    a, b = board(replicas.health()), board(replicas.health())
    for _ in range(4):
        a.record("chat/0", ok=False)
    assert a.state("chat/0") is BreakerState.OPEN
    await a.sync_once()
    for _ in range(20):  # A publishes its open mark in the background, as in production
        await b.sync_once()
        if b.state("chat/0") is BreakerState.OPEN:
            break
        await asyncio.sleep(0.01)
    assert b.state("chat/0") is BreakerState.OPEN
    assert not b.usable("chat/0")


async def test_failures_split_over_replicas_add_up(replicas: Replicas) -> None:
    replicas.require_shared(NOT_SHARED)
    a, b = board(replicas.health()), board(replicas.health())
    a.record("chat/0", ok=False)
    a.record("chat/0", ok=False)
    await a.sync_once()
    await b.sync_once()
    assert b.state("chat/0") is BreakerState.CLOSED  # 2 of min 4
    b.record("chat/0", ok=False)
    b.record("chat/0", ok=False)
    assert b.state("chat/0") is BreakerState.OPEN
    assert a.state("chat/0") is BreakerState.CLOSED


QUICK = BreakerSettings(min_requests=4, failure_rate=0.5, window_s=10, cooldown_s=0.3)


async def half_open_pair(replicas: Replicas) -> tuple[HealthBoard, HealthBoard]:
    """Two replicas whose shared breaker opened on the first and has cooled down; the
    replica that claimed the probe comes first."""
    a = HealthBoard(["chat/0"], QUICK, replicas.health(), SystemClock())
    b = HealthBoard(["chat/0"], QUICK, replicas.health(), SystemClock())
    for _ in range(4):
        a.record("chat/0", ok=False)
    await asyncio.sleep(0.05)  # the open mark is published in the background
    await a.sync_once()
    await b.sync_once()
    assert b.state("chat/0") is BreakerState.OPEN
    await asyncio.sleep(0.35)
    await a.sync_once()
    await b.sync_once()
    usable = [a.usable("chat/0"), b.usable("chat/0")]
    assert usable.count(True) == 1  # exactly one replica may send the probe
    return (a, b) if usable[0] else (b, a)


async def test_replicas_share_one_half_open_probe(replicas: Replicas) -> None:
    replicas.require_shared(NOT_SHARED)
    owner, other = await half_open_pair(replicas)
    assert not other.claim("chat/0")
    assert owner.claim("chat/0")
    owner.record("chat/0", ok=True)
    assert owner.state("chat/0") is BreakerState.CLOSED
    await asyncio.sleep(0.05)  # the owner resets the shared marks in the background
    await other.sync_once()
    assert other.state("chat/0") is BreakerState.CLOSED
    assert other.usable("chat/0")


async def test_a_failed_shared_probe_reopens_everywhere(replicas: Replicas) -> None:
    replicas.require_shared(NOT_SHARED)
    owner, other = await half_open_pair(replicas)
    assert owner.claim("chat/0")
    owner.record("chat/0", ok=False)
    assert owner.state("chat/0") is BreakerState.OPEN
    await asyncio.sleep(0.05)
    await other.sync_once()
    assert other.state("chat/0") is BreakerState.OPEN
    assert not other.usable("chat/0")
