"""The replica's handling of a failing shared exact store (Redis): requests go on with
the local cache, the store is left alone for a cooldown, and /readyz is told."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from seawall.cache.shared import Replica
from seawall.cache.store import Entry
from seawall.clock import FakeClock
from seawall.stores.sqlite_cache import SqliteCacheLog


class BrokenExact:
    def __init__(self) -> None:
        self.calls = 0

    async def get(self, key: str) -> Entry | None:
        self.calls += 1
        raise ConnectionError("connection refused")

    async def put(self, entry: Entry, ttl_s: float) -> None:
        self.calls += 1
        raise ConnectionError("connection refused")

    async def delete(self, keys: Sequence[str]) -> None:
        raise ConnectionError("connection refused")

    async def close(self) -> None:
        return None


def entry(clock: FakeClock) -> Entry:
    return Entry("k", "s", "t", "k1", "chat", "", "q", b'{"message": {}}', "d", clock.wall() + 60)


async def test_a_failing_exact_store_is_a_miss_then_left_alone(tmp_path: Path) -> None:
    clock = FakeClock()
    broken = BrokenExact()
    replica = Replica({"chat": 10}, SqliteCacheLog(str(tmp_path / "c.db")), broken, clock)
    await replica.start()
    try:
        store = replica.store("chat")
        assert await store.get("other") is None  # the error is a miss
        assert broken.calls == 1 and replica.degraded and "ConnectionError" in replica.degraded
        await store.put(entry(clock))  # stored locally; Redis not tried in the cooldown
        assert await store.get("k") is not None and await store.get("missing") is None
        assert broken.calls == 1
        clock.advance(6)
        assert replica.degraded is None
        assert await store.get("missing") is None and broken.calls == 2  # tried again
    finally:
        await replica.close()
