"""In-process state: one gateway process, zero setup."""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Mapping, Sequence

from .base import HealthOutcome, Lease, SharedHealth


class MemorySlotStore:
    """Concurrency slots with a FIFO of bounded waiters."""

    def __init__(self) -> None:
        self._held: dict[str, int] = {}
        self._waiters: dict[str, deque[asyncio.Future[None]]] = {}
        self._tokens = itertools.count()

    async def acquire(self, key: str, limit: int, wait_s: float) -> Lease | None:
        held = self._held.get(key, 0)
        if held < limit and not self._waiters.get(key):
            self._held[key] = held + 1
            return Lease(key, str(next(self._tokens)))
        if wait_s <= 0:
            return None
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue = self._waiters.setdefault(key, deque())
        queue.append(waiter)
        try:
            async with asyncio.timeout(wait_s):
                await waiter  # a release hands its slot over: the count stays the same
        except TimeoutError:
            if not (waiter.done() and not waiter.cancelled()):
                return None  # else the slot arrived just as the wait ran out: keep it
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._hand_over(key)  # the slot arrived as we were cancelled: pass it on
            raise
        finally:
            if waiter in queue:
                queue.remove(waiter)
        return Lease(key, str(next(self._tokens)))

    async def release(self, lease: Lease) -> None:
        self._hand_over(lease.key)

    def _hand_over(self, key: str) -> None:
        queue = self._waiters.get(key)
        while queue:
            waiter = queue.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._held[key] = max(0, self._held.get(key, 0) - 1)

    def in_flight(self, key: str) -> int:
        return self._held.get(key, 0)

    @property
    def degraded(self) -> str | None:
        return None

    async def close(self) -> None:
        return None


class LocalHealthSync:
    """A single process has nobody to exchange breaker state with."""

    shared = False

    async def push(self, outcomes: Sequence[HealthOutcome], window_s: float) -> None:
        return None

    async def pull(
        self, keys: Sequence[str], window_s: float, now_wall: float
    ) -> Mapping[str, SharedHealth]:
        return {}

    async def set_open(self, key: str, until: float) -> None:
        return None

    async def set_cooldown(self, key: str, until: float) -> None:
        return None

    async def reset(self, key: str) -> None:
        return None

    async def claim_probe(self, key: str, ttl_s: float) -> bool:
        return True

    async def close(self) -> None:
        return None
