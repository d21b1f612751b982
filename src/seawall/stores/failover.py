"""A shared slot store that degrades instead of failing: when the shared store cannot
be reached, slots are counted in-process for a while (fail open), and the gateway
reports itself degraded. A concurrency limit that briefly counts per replica is a far
smaller harm than refusing every request because Redis is down.

    slots = FailoverSlotStore(RedisSlotStore(client), retry_after_s=5.0)
"""

from __future__ import annotations

import logging
import time

from .base import Lease, SlotStore
from .memory import MemorySlotStore

log = logging.getLogger("seawall.stores")

_LOCAL = "local:"


class FailoverSlotStore:
    def __init__(self, shared: SlotStore, *, retry_after_s: float = 5.0) -> None:
        self._shared = shared
        self._local = MemorySlotStore()
        self._retry_after_s = retry_after_s
        self._down_until = 0.0

    @property
    def degraded(self) -> str | None:
        if time.monotonic() < self._down_until:
            return "hot store unreachable: concurrency limits are counted per replica"
        return None

    async def acquire(self, key: str, limit: int, wait_s: float) -> Lease | None:
        if time.monotonic() >= self._down_until:
            try:
                return await self._shared.acquire(key, limit, wait_s)
            except Exception as exc:
                if not is_unreachable(exc):
                    raise
                self._fail(exc)
        lease = await self._local.acquire(key, limit, wait_s)
        return None if lease is None else Lease(lease.key, _LOCAL + lease.token)

    async def release(self, lease: Lease) -> None:
        if lease.token.startswith(_LOCAL):
            await self._local.release(Lease(lease.key, lease.token[len(_LOCAL) :]))
            return
        try:
            await self._shared.release(lease)
        except Exception as exc:  # the lease's TTL frees it; never hide the request's result
            log.warning("releasing a shared slot failed (its lease will expire): %s", exc)

    def in_flight(self, key: str) -> int:
        return self._shared.in_flight(key) + self._local.in_flight(key)

    async def close(self) -> None:
        try:
            await self._shared.close()
        except Exception as exc:  # closing a dead connection must not stop shutdown
            log.warning("closing the shared slot store failed: %s", exc)

    def _fail(self, exc: BaseException) -> None:
        if time.monotonic() >= self._down_until:
            log.error("hot store unreachable, counting slots per replica: %s", exc)
        self._down_until = time.monotonic() + self._retry_after_s


def is_unreachable(exc: BaseException) -> bool:
    """A store that cannot be reached (as opposed to a bug or a refused command), in
    the standard library's terms or a client library's own error tree."""
    if isinstance(exc, (OSError, ConnectionError, TimeoutError)):
        return True
    names = {cls.__name__ for cls in type(exc).__mro__}
    return bool(names & {"ConnectionError", "TimeoutError", "BusyLoadingError"})
