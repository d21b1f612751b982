"""One contract for the cache across replicas, run over every backend: the log in SQLite
and in PostgreSQL (real server), with and without Redis for exact entries (real server).
Each case makes replicas over one database, as gateway processes would."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import orjson
import psycopg
import pytest
from redis.asyncio import Redis

from seawall.cache.shared import RedisExact, Replica
from seawall.cache.store import Entry, Selector
from seawall.clock import FakeClock
from seawall.stores.registry import open_cache_log

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


def unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal(384).astype(np.float32)
    return v / np.linalg.norm(v)


class Backends:
    def __init__(self, log: str, redis: bool, tmp_path: Path) -> None:
        self.log, self.redis = log, redis
        self.schema = f"seawall_test_{uuid.uuid4().hex[:12]}"
        self.url = f"sqlite:///{tmp_path}/cache.db"
        if log == "postgresql":
            self.url = f"{POSTGRES_URL}?options=-csearch_path%3D{self.schema}"
        self.clock = FakeClock()
        self.made: list[Replica] = []
        self.prefix = uuid.uuid4().hex[:8]

    async def replica(self, size: int = 100, start: bool = True) -> Replica:
        exact = RedisExact(Redis.from_url(REDIS_URL)) if self.redis else None
        made = Replica({"chat": size}, open_cache_log(self.url), exact, self.clock, sync_s=3600)
        if start:
            await made.start()
            await made.sync()
            made.warm = True
        self.made.append(made)
        return made

    def entry(self, n: int, tenant: str = "acme", ttl: float = 600.0, **kw: str) -> Entry:
        return Entry(
            f"{self.prefix}-{n}",
            kw.get("scope", "s"),
            tenant,
            kw.get("key_id", "k1"),
            "chat",
            kw.get("namespace", ""),
            f"question {n}",
            orjson.dumps({"message": {"content": f"answer {n}"}}),
            "chat/0",
            self.clock.wall() + ttl,
            unit(n),
        )

    async def admin(self, statement: str) -> None:
        async with await psycopg.AsyncConnection.connect(POSTGRES_URL, autocommit=True) as conn:
            await conn.execute(statement.encode())


@pytest.fixture(
    params=[("sqlite", False), ("sqlite", True), ("postgresql", False), ("postgresql", True)],
    ids=["sqlite", "sqlite+redis", "postgresql", "postgresql+redis"],
)
async def backends(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backends]:
    made = Backends(*request.param, tmp_path)
    if made.log == "postgresql":
        await made.admin(f"CREATE SCHEMA {made.schema}")
    yield made
    for replica in made.made:
        await replica.close()
    if made.log == "postgresql":
        await made.admin(f"DROP SCHEMA {made.schema} CASCADE")


async def test_an_entry_reaches_the_other_replica(backends: Backends) -> None:
    one, two = await backends.replica(), await backends.replica()
    await one.store("chat").put(backends.entry(1))
    if backends.redis:  # exact entries are shared at once
        hit = await two.store("chat").get(backends.entry(1).key)
        assert hit is not None and hit.reply()["message"]["content"] == "answer 1"
    await one.flush()
    assert await two.sync() >= 1
    found = await two.store("chat").nearest("s", unit(1), 4, 0.9)
    assert [e.key for e, _ in found] == [backends.entry(1).key]
    assert found[0][0].reply() == {"message": {"content": "answer 1"}}


async def test_a_new_replica_warms_from_the_log(backends: Backends) -> None:
    one = await backends.replica()
    for n in range(30):
        await one.store("chat").put(backends.entry(n))
    await one.flush()
    late = await backends.replica(start=False)
    assert await late.store("chat").nearest("s", unit(3), 4, 0.9) == []  # not warm yet
    await late.start()
    await late.sync()
    late.warm = True
    assert len(late.local["chat"]) == 30
    assert [e.key for e, _ in await late.store("chat").nearest("s", unit(3), 4, 0.9)] == [
        backends.entry(3).key
    ]


async def test_expired_entries_are_not_replayed(backends: Backends) -> None:
    one = await backends.replica()
    await one.store("chat").put(backends.entry(1, ttl=5))
    await one.store("chat").put(backends.entry(2, ttl=600))
    await one.flush()
    backends.clock.advance(10)
    two = await backends.replica()
    assert [e.key for e in two.local["chat"].entries()] == [backends.entry(2).key]
    await one.log.purge(backends.clock.wall())  # a replica's own loop may have done it
    rows = await one.log.changes(0, 0.0, 100)  # now=0: expired rows too, were any left
    assert [c.entry.key for c in rows if c.entry] == [backends.entry(2).key]


async def test_invalidation_reaches_every_replica(backends: Backends) -> None:
    one, two = await backends.replica(), await backends.replica()
    await one.store("chat").put(backends.entry(1, tenant="acme"))
    await one.store("chat").put(backends.entry(2, tenant="globex"))
    await one.flush()
    await two.sync()
    assert await two.store("chat").delete(Selector(tenant="acme")) == 1
    assert await two.store("chat").get(backends.entry(1).key) is None
    await one.sync()
    assert await one.store("chat").get(backends.entry(1).key) is None
    assert await one.store("chat").get(backends.entry(2).key) is not None
    fresh = await backends.replica()  # the log no longer holds it either
    assert [e.tenant for e in fresh.local["chat"].entries()] == ["globex"]


async def test_a_newer_answer_replaces_the_older(backends: Backends) -> None:
    one, two = await backends.replica(), await backends.replica()
    first = backends.entry(1)
    await one.store("chat").put(first)
    await one.flush()
    first = first._replace(answer=orjson.dumps({"message": {"content": "corrected"}}))
    await one.store("chat").put(first)
    await one.flush()
    await two.sync()
    assert two.local["chat"].get_now(first.key).reply() == {"message": {"content": "corrected"}}
    fresh = await backends.replica()
    assert len(fresh.local["chat"]) == 1


async def test_each_replica_keeps_its_own_bound(backends: Backends) -> None:
    one = await backends.replica(size=100)
    for n in range(20):
        await one.store("chat").put(backends.entry(n))
    await one.flush()
    small = await backends.replica(size=5)
    assert len(small.local["chat"]) == 5  # the most recent five
    assert small.local["chat"].get_now(backends.entry(19).key) is not None
