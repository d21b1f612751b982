"""Upstream quotas per deployment (its ``rpm`` and ``tpm``), kept in the same windows
as every other limit, so replicas share them.

    quotas = DeploymentQuotas(settings, store, clock)
    wait_s = await quotas.room("chat/0")   # None: go ahead; else seconds until room
    await quotas.used("chat/0", tokens)
"""

from __future__ import annotations

from ..clock import Clock
from ..config import Settings
from ..stores.base import Decision, LimitStore, Window
from ..stores.failover import is_unreachable


class DeploymentQuotas:
    """Upstream quotas (a deployment's ``rpm`` and ``tpm``), shared like every other
    window. A request is let through while the window has room and its tokens are
    counted when it ends, so a burst in flight can overshoot the token quota a little;
    the upstream's own 429 and Retry-After (honoured as a cooldown) cover that. If the
    shared store is unreachable, quotas are not enforced (and the store is not asked
    again for ``limits.store_retry_s``): the upstream still enforces them."""

    def __init__(self, settings: Settings, store: LimitStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock
        self._window_s = settings.limits.window_s
        self._retry_s = settings.limits.store_retry_s
        self._down_until = 0.0
        self._quotas = {
            d.id: (d.rpm, d.tpm) for g in settings.models for d in g.deployments if d.rpm or d.tpm
        }

    async def room(self, deployment: str) -> float | None:
        quota = self._quotas.get(deployment)
        if quota is None:
            return None
        rpm, tpm = quota
        windows = []
        if rpm:
            windows.append(Window(f"rpm:deployment:{deployment}", rpm, 1))
        if tpm:
            windows.append(Window(f"tpm:deployment:{deployment}", tpm, 1))
        decision = await self._ask(windows)
        if decision is None or decision.admitted:
            return None
        return max(decision.retry_after_s, 0.05)

    def counts(self, deployment: str) -> bool:
        """Whether the tokens this deployment served must be counted against a quota."""
        quota = self._quotas.get(deployment)
        return quota is not None and bool(quota[1])

    async def used(self, deployment: str, tokens: int) -> None:
        quota = self._quotas.get(deployment)
        if quota is not None and quota[1] and tokens > 1:
            await self._ask([Window(f"tpm:deployment:{deployment}", 1 << 62, tokens - 1)])

    async def _ask(self, windows: list[Window]) -> Decision | None:
        if self._clock.now() < self._down_until:
            return None  # not asked again until store_retry_s has passed
        try:
            return await self._store.admit(windows, [], self._window_s)
        except Exception as exc:
            if not is_unreachable(exc):
                raise
            self._down_until = self._clock.now() + self._retry_s
            return None
