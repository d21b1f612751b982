"""In-process state: one gateway process, zero setup."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence

from .base import (
    Decision,
    HealthOutcome,
    Hold,
    Lease,
    Settlement,
    SharedHealth,
    Window,
    WindowState,
)


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


class MemoryLimitStore:
    """Rate windows in one-second buckets and budget counters, for one process. The same
    algorithm as the Redis store's script, so the two pass one contract suite."""

    degraded: str | None = None

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self._windows: dict[str, dict[int, int]] = {}
        self._budgets: dict[str, tuple[int, str, float]] = {}  # micros, epoch, expires at
        self._calls = 0

    async def admit(
        self, windows: Sequence[Window], holds: Sequence[Hold], window_s: int
    ) -> Decision:
        now = self._wall()
        bucket = int(now)
        self._sweep(bucket, window_s, now)
        states = []
        for index, window in enumerate(windows):
            counts = self._live(window.key, bucket, window_s)
            used = sum(counts.values())
            if used + window.cost > window.limit:
                wait = _wait_s(counts, used, window, bucket, window_s, now)
                return Decision(False, refused=index, retry_after_s=wait)
            oldest = min(counts, default=bucket)
            states.append(
                WindowState(
                    window.limit, window.limit - used - window.cost, oldest + window_s - now
                )
            )
        for index, hold in enumerate(holds):
            counter = self._budgets.get(hold.key)
            if counter is None or counter[2] <= now:
                return Decision(False, unseeded=index)
            if counter[0] + hold.cost > hold.limit:
                return Decision(False, refused=index, over_budget=True)
        for window in windows:
            counts = self._windows.setdefault(window.key, {})
            counts[bucket] = counts.get(bucket, 0) + window.cost
        epochs = []
        for hold in holds:
            micros, epoch, expires = self._budgets[hold.key]
            self._budgets[hold.key] = (micros + hold.cost, epoch, expires)
            epochs.append(epoch)
        return Decision(True, tuple(states), bucket, tuple(epochs))

    def _live(self, key: str, bucket: int, window_s: int) -> dict[int, int]:
        counts = self._windows.get(key)
        if not counts:
            return {}
        for stale in [b for b in counts if b <= bucket - window_s]:
            del counts[stale]
        return counts

    def _sweep(self, bucket: int, window_s: int, now: float) -> None:
        """Now and then, forget windows and counters nobody has used for a while."""
        self._calls += 1
        if self._calls % 4096:
            return
        for key in [k for k, c in self._windows.items() if max(c, default=0) <= bucket - window_s]:
            del self._windows[key]
        for key in [k for k, v in self._budgets.items() if v[2] <= now]:
            del self._budgets[key]

    async def seed(self, key: str, micros: int, ttl_s: int) -> None:
        now = self._wall()
        counter = self._budgets.get(key)
        if counter is None or counter[2] <= now:
            self._budgets[key] = (micros, os.urandom(6).hex(), now + ttl_s)

    async def settle(self, settlement: Settlement, window_s: int) -> None:
        bucket = settlement.bucket
        for key, delta in settlement.windows:
            counts = self._windows.get(key)
            if counts is not None and bucket in counts:
                counts[bucket] += delta
        for key, reserved, actual, epoch in settlement.holds:
            counter = self._budgets.get(key)
            if counter is None or (settlement.same_epoch_only and counter[1] != epoch):
                continue
            change = actual - reserved if counter[1] == epoch else actual
            self._budgets[key] = (counter[0] + change, counter[1], counter[2])

    async def close(self) -> None:
        return None


def _wait_s(
    counts: Mapping[int, int], used: int, window: Window, bucket: int, window_s: int, now: float
) -> float:
    """How long until enough of the window's oldest units expire to let ``cost`` in."""
    freed = 0
    for slot in sorted(counts):
        freed += counts[slot]
        if used - freed + window.cost <= window.limit:
            return slot + window_s - now
    return float(window_s)
