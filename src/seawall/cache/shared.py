"""The cache across replicas: every entry in the durable store, exact entries in Redis.

Each replica answers from its own memory (``MemoryCache``: the LRU dict and a vector
matrix per scope), so a lookup never waits on I/O it does not need. What one replica
stores reaches the others two ways:

- the durable log (SQLite in the embedded default, PostgreSQL for scale-out): every
  stored entry, with its vector, and every invalidation, in order. Each replica reads
  what is new every ``sync_s`` and adds it to its memory, and reads the whole live log
  when it starts, so a restarted or new replica warms from it. Until that first read
  is done it serves exact hits only (``warm`` is False and semantic lookups are
  skipped).
- Redis, when ``stores.hot`` is Redis: exact entries, under their TTL, so that the same
  request is a hit on every replica at once rather than after the next sync.

A failing backend never fails a request: a Redis error is a miss, a log that cannot be
written loses that entry for the other replicas (logged), a log that cannot be read is
tried again at the next sync.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import orjson

from ..clock import Clock
from .store import CacheStore, Entry, MemoryCache, Selector, pack

log = logging.getLogger("seawall.cache")

_BATCH = 500  # log rows read per query
_REREAD = 256  # sequence numbers read again at each sync (see Replica.sync)
_EXACT_COOLDOWN_S = 5.0  # after a Redis error, the shared exact store is left alone this long
_WARN_EVERY_S = 60.0


@dataclass(frozen=True, slots=True)
class Change:
    """One row of the log: an entry stored, or an invalidation (``entry`` None)."""

    seq: int
    origin: str  # the replica that wrote it
    entry: Entry | None
    selector: Selector | None = None


class CacheLog(Protocol):
    async def start(self) -> None: ...

    async def append(self, origin: str, entries: Sequence[Entry]) -> None: ...

    async def invalidate(self, origin: str, selector: Selector, now: float) -> list[str]:
        """Removes the stored entries that match and records the invalidation; the
        exact keys of what it removed."""
        ...

    async def changes(
        self, after: int, now: float, limit: int, skip_origin: str = ""
    ) -> list[Change]:
        """Rows after ``after`` in order, leaving out entries expired by ``now`` and the
        rows ``skip_origin`` wrote."""
        ...

    async def purge(self, now: float) -> int:
        """Drops expired entries and old invalidations."""
        ...

    async def close(self) -> None: ...


class ExactStore(Protocol):
    """Entries by exact key, shared by replicas (Redis)."""

    async def get(self, key: str) -> Entry | None: ...

    async def put(self, entry: Entry, ttl_s: float) -> None: ...

    async def delete(self, keys: Sequence[str]) -> None: ...

    async def close(self) -> None: ...


def encode_entry(entry: Entry) -> dict[str, Any]:
    return {
        "key": entry.key,
        "scope": entry.scope,
        "tenant": entry.tenant,
        "key_id": entry.key_id,
        "group": entry.group,
        "namespace": entry.namespace,
        "question": entry.question,
        "answer": orjson.Fragment(entry.answer),  # stored JSON, not parsed again
        "deployment": entry.deployment,
        "expires_at": entry.expires_at,
    }


def decode_entry(data: Mapping[str, Any], vector: bytes | None = None) -> Entry:
    return Entry(
        str(data["key"]),
        str(data["scope"]),
        str(data["tenant"]),
        str(data["key_id"]),
        str(data["group"]),
        str(data["namespace"]),
        str(data["question"]),
        pack(data["answer"]),
        str(data["deployment"]),
        float(data["expires_at"]),
        None if vector is None else np.frombuffer(vector, dtype=np.float32).copy(),
    )


class Replica:
    """This replica's caches (one ``MemoryCache`` per model group) kept in step with the
    log and Redis. ``store(group)`` is the ``CacheStore`` the cache stage uses."""

    def __init__(
        self,
        groups: Mapping[str, int],  # group -> max_entries
        log_store: CacheLog,
        exact: ExactStore | None,
        clock: Clock,
        sync_s: float = 1.0,
    ) -> None:
        self.local = {name: MemoryCache(size, clock) for name, size in groups.items()}
        self.log = log_store
        self.exact = exact
        self._clock = clock
        self.sync_s = sync_s
        self.origin = os.urandom(8).hex()
        self.seq = 0
        self._seen: OrderedDict[int, None] = OrderedDict()
        self.warm = False
        self._task: asyncio.Task[None] | None = None
        self._pending: list[Entry] = []
        self._flushing = asyncio.Lock()
        self._log_trouble: str | None = None
        self._exact_trouble: str | None = None
        self._exact_down_until = 0.0
        self._warned_at = -_WARN_EVERY_S

    @property
    def degraded(self) -> str | None:
        """Why the cache runs degraded right now (for /readyz), or None."""
        if self._exact_trouble and self._clock.now() < self._exact_down_until:
            return self._exact_trouble
        return self._log_trouble

    def _exact_failed(self, exc: Exception) -> None:
        """A Redis error: exact lookups stay local for a few seconds (a server that does
        not answer would otherwise cost every request its timeout), warned once a minute."""
        self._exact_trouble = f"cache: shared exact store: {type(exc).__name__}: {exc}"
        self._exact_down_until = self._clock.now() + _EXACT_COOLDOWN_S
        if self._clock.now() - self._warned_at >= _WARN_EVERY_S:
            self._warned_at = self._clock.now()
            log.warning("%s; exact hits stay per replica meanwhile", self._exact_trouble)

    def _exact_usable(self) -> bool:
        return self.exact is not None and self._clock.now() >= self._exact_down_until

    def store(self, group: str) -> CacheStore:
        return _GroupStore(self, group)

    async def start(self) -> None:
        await self.log.start()
        self._task = asyncio.create_task(self._run(), name="seawall-cache-sync")

    async def _run(self) -> None:
        purge_every = 300.0
        last_purge = 0.0
        while True:
            try:
                await self.sync()
                if not self.warm:
                    self.warm = True
                if self._clock.now() - last_purge > purge_every:
                    last_purge = self._clock.now()
                    await self.log.purge(self._clock.wall())
                self._log_trouble = None
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # tried again at the next sync
                if self._log_trouble is None:
                    log.warning("cache: reading the log failed (retried every sync): %s", exc)
                self._log_trouble = f"cache log: {type(exc).__name__}: {exc}"
            await asyncio.sleep(self.sync_s)

    async def sync(self) -> int:
        """Applies what the log holds that this replica has not seen; the rows applied.

        Sequence numbers are handed out when a row is written but become visible when
        its transaction commits, so a row can appear behind one already read. Each sync
        therefore reads again from ``_REREAD`` numbers back and skips the rows it has
        applied before."""
        await self.flush()
        applied = 0
        after = max(0, self.seq - _REREAD)
        while True:
            rows = await self.log.changes(after, self._clock.wall(), _BATCH, self.origin)
            for change in rows:
                after = change.seq
                if change.seq in self._seen:
                    continue
                self._seen[change.seq] = None
                self.seq = max(self.seq, change.seq)
                applied += 1
                if change.entry is not None:
                    local = self.local.get(change.entry.group)
                    if local is not None:
                        local.put_now(change.entry)
                elif change.selector is not None:
                    for local in self.local.values():
                        await local.delete(change.selector)
            while len(self._seen) > 4 * _REREAD:
                self._seen.popitem(last=False)
            if len(rows) < _BATCH:
                return applied

    async def put(self, entry: Entry) -> None:
        self.local[entry.group].put_now(entry)
        self._pending.append(entry)
        if self.exact is not None and self._exact_usable():
            try:
                await self.exact.put(entry, entry.expires_at - self._clock.wall())
            except Exception as exc:
                self._exact_failed(exc)
        if len(self._pending) >= 64:
            await self.flush()

    async def flush(self) -> None:
        async with self._flushing:
            batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                await self.log.append(self.origin, batch)
            except Exception as exc:  # the other replicas miss these; this one has them
                log.warning("cache: %d entries not written to the log: %s", len(batch), exc)

    async def get(self, group: str, key: str) -> Entry | None:
        local = self.local[group]
        entry = local.get_now(key)
        if entry is not None or self.exact is None or not self._exact_usable():
            return entry
        try:
            shared = await self.exact.get(key)
        except Exception as exc:
            self._exact_failed(exc)
            return None
        if shared is None or shared.group != group or shared.expires_at <= self._clock.wall():
            return None
        local.put_now(shared)  # its vector arrives with the log
        return shared

    async def delete(self, selector: Selector) -> int:
        deleted = 0
        for group, local in self.local.items():
            if selector.group is None or selector.group == group:
                deleted += await local.delete(selector)
        await self.flush()
        keys = await self.log.invalidate(self.origin, selector, self._clock.wall())
        if self.exact is not None and keys:
            await self.exact.delete(keys)  # an invalidation must not half-succeed quietly
        return max(deleted, len(keys))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.flush()
        await self.log.close()
        if self.exact is not None:
            await self.exact.close()


class _GroupStore:
    """One group's view of the replica, as the ``CacheStore`` protocol."""

    def __init__(self, replica: Replica, group: str) -> None:
        self._replica = replica
        self._group = group

    def __len__(self) -> int:
        return len(self._replica.local[self._group])

    async def get(self, key: str) -> Entry | None:
        return await self._replica.get(self._group, key)

    async def nearest(
        self, scope: str, vector: np.ndarray, k: int, floor: float
    ) -> list[tuple[Entry, float]]:
        if not self._replica.warm:
            return []  # a replica still reading the log answers exact hits only
        return await self._replica.local[self._group].nearest(scope, vector, k, floor)

    async def put(self, entry: Entry) -> None:
        await self._replica.put(entry)

    async def delete(self, selector: Selector) -> int:
        return await self._replica.delete(selector)

    async def close(self) -> None:
        return None


class RedisExact:
    """Exact entries in Redis: ``seawall:cache:<key>`` -> the entry as JSON (no vector),
    expiring with the entry."""

    def __init__(self, client: Any) -> None:
        self._redis = client

    async def get(self, key: str) -> Entry | None:
        raw = await self._redis.get(f"seawall:cache:{key}")
        return None if raw is None else decode_entry(orjson.loads(raw))

    async def put(self, entry: Entry, ttl_s: float) -> None:
        if ttl_s > 0:
            body = orjson.dumps(encode_entry(entry))
            await self._redis.set(f"seawall:cache:{entry.key}", body, px=max(1, int(ttl_s * 1000)))

    async def delete(self, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), 500):
            await self._redis.delete(*(f"seawall:cache:{k}" for k in keys[start : start + 500]))

    async def close(self) -> None:
        await self._redis.aclose()
