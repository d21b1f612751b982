"""The health board: each deployment's breaker and upstream cooldown, held locally so
the hot path reads it without I/O, and exchanged with other replicas in the background
through a :class:`~seawall.stores.base.HealthSync`.

    board = HealthBoard(["chat/0"], BreakerSettings(), LocalHealthSync(), SystemClock())
    if board.usable("chat/0") and board.claim("chat/0"): ...
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..clock import Clock
from ..config import BreakerSettings
from ..stores.base import HealthOutcome, HealthSync
from .breaker import BreakerState, CircuitBreaker

log = logging.getLogger("seawall.health")

Listener = Callable[[str, BreakerState, BreakerState], None]


@dataclass(slots=True)
class _Entry:
    breaker: CircuitBreaker
    cooldown_until: float = 0.0
    last_state: BreakerState = BreakerState.CLOSED
    probe_mine: bool = False  # shared: this replica holds the one half-open probe


@dataclass(slots=True)
class HealthBoard:
    keys: Iterable[str]
    settings: BreakerSettings
    sync: HealthSync
    clock: Clock
    sync_interval_s: float = 0.25
    _entries: dict[str, _Entry] = field(init=False)
    _outbox: list[HealthOutcome] = field(init=False, default_factory=list)
    _listeners: list[Listener] = field(init=False, default_factory=list)
    _pending: list[asyncio.Task[None]] = field(init=False, default_factory=list)
    degraded: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._entries = {k: _Entry(CircuitBreaker(self.settings)) for k in self.keys}

    def listen(self, listener: Listener) -> None:
        """Called as ``listener(key, old_state, new_state)`` on every transition."""
        self._listeners.append(listener)

    def usable(self, key: str) -> bool:
        entry = self._entries[key]
        now = self.clock.wall()
        return (
            now >= entry.cooldown_until
            and entry.breaker.available(now)
            and self._may_probe(entry, now)
        )

    def claim(self, key: str) -> bool:
        """Take the right to send now (in half-open state, the single probe)."""
        entry = self._entries[key]
        now = self.clock.wall()
        allowed = (
            now >= entry.cooldown_until
            and self._may_probe(entry, now)
            and entry.breaker.allows(now)
        )
        self._notice(key, entry, now)
        return allowed

    def _may_probe(self, entry: _Entry, now: float) -> bool:
        # replicas share one probe: only the one that claimed it (in sync_once) sends it
        if not self.sync.shared or entry.breaker.state(now) is not BreakerState.HALF_OPEN:
            return True
        return entry.probe_mine

    def unclaim(self, key: str) -> None:
        """A claim that was not used (no concurrency slot)."""
        self._entries[key].breaker.release_probe()

    def record(self, key: str, ok: bool) -> None:
        entry = self._entries[key]
        now = self.clock.wall()
        if ok:
            entry.breaker.record_success(now)
        else:
            entry.breaker.record_failure(now)
        if self.sync.shared:
            self._outbox.append(HealthOutcome(key, ok, now))
        self._notice(key, entry, now)

    def cool_down(self, key: str, seconds: float) -> None:
        """An upstream asked for ``seconds`` of quiet (Retry-After)."""
        entry = self._entries[key]
        until = self.clock.wall() + seconds
        if until > entry.cooldown_until:
            entry.cooldown_until = until
            if self.sync.shared:
                self._spawn(self.sync.set_cooldown(key, until))

    def cooldown_remaining(self, key: str) -> float:
        return max(0.0, self._entries[key].cooldown_until - self.clock.wall())

    def usable_in(self, key: str) -> float:
        """Seconds until the deployment may be tried again (cooldown or open breaker)."""
        entry = self._entries[key]
        now = self.clock.wall()
        return max(0.0, entry.cooldown_until - now, entry.breaker.open_until - now)

    def state(self, key: str) -> BreakerState:
        return self._entries[key].breaker.state(self.clock.wall())

    def states(self) -> dict[str, BreakerState]:
        now = self.clock.wall()
        return {k: e.breaker.state(now) for k, e in self._entries.items()}

    def _notice(self, key: str, entry: _Entry, now: float) -> None:
        state = entry.breaker.state(now)
        if state is entry.last_state:
            return
        old, entry.last_state = entry.last_state, state
        log.warning("breaker %s: %s -> %s", key, old.value, state.value)
        if self.sync.shared:
            if state is BreakerState.OPEN:
                self._spawn(self.sync.set_open(key, entry.breaker.open_until))
            elif state is BreakerState.CLOSED:
                self._spawn(self.sync.reset(key))
        for listener in self._listeners:
            listener(key, old, state)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._pending.append(task)
        task.add_done_callback(self._settled)

    def _settled(self, task: asyncio.Task[None]) -> None:
        self._pending.remove(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("sharing breaker state failed: %s", task.exception())

    async def run(self) -> None:
        """Exchange outcomes and states with other replicas until cancelled."""
        if not self.sync.shared:
            return
        while True:
            try:
                await self.sync_once()
            except Exception as exc:  # a lost store must not stop the gateway
                if self.degraded is None:
                    log.error("breaker sharing failed, each replica decides alone: %s", exc)
                self.degraded = "breaker state is not shared: the hot store is unreachable"
            else:
                self.degraded = None
            await asyncio.sleep(self.sync_interval_s)

    async def sync_once(self) -> None:
        outbox, self._outbox = self._outbox, []
        window = self.settings.window_s
        if outbox:
            await self.sync.push(outbox, window)
        now = self.clock.wall()
        shared = await self.sync.pull(list(self._entries), window, now)
        for key, view in shared.items():
            entry = self._entries[key]
            entry.breaker.peer_ok = view.successes
            entry.breaker.peer_fail = view.failures
            entry.breaker.reassess(now)
            if view.open_until > now:
                entry.breaker.trip(view.open_until)
            entry.cooldown_until = max(entry.cooldown_until, view.cooldown_until)
            await self._settle_probe(key, entry, view.open_until, now)
            self._notice(key, entry, now)

    async def _settle_probe(self, key: str, entry: _Entry, open_until: float, now: float) -> None:
        state = entry.breaker.state(now)
        if state is not BreakerState.HALF_OPEN:
            entry.probe_mine = False
            return
        if entry.probe_mine:
            return
        if open_until == 0.0:
            # the open mark is gone: another replica's probe succeeded and reset it
            entry.breaker.close()
            return
        entry.probe_mine = await self.sync.claim_probe(key, self.settings.cooldown_s)
