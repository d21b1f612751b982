"""A circuit breaker as a pure state machine over a sliding window.

    breaker = CircuitBreaker(BreakerSettings())
    if breaker.allows(now): ...; breaker.record_failure(now)

It opens when, within ``window_s``, at least ``min_requests`` outcomes were seen and
the failure share reached ``failure_rate``. After ``cooldown_s`` one probe is let
through (half-open); its success closes the breaker, its failure opens it again.
"""

from __future__ import annotations

import enum

from ..config import BreakerSettings

_BUCKETS = 10


class BreakerState(str, enum.Enum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    __slots__ = (
        "_epoch",
        "_fail",
        "_ok",
        "_open_until",
        "_probe_since",
        "_settings",
        "_state",
        "_width",
        "peer_fail",
        "peer_ok",
    )

    def __init__(self, settings: BreakerSettings) -> None:
        self._settings = settings
        self._width = settings.window_s / _BUCKETS
        self._ok = [0] * _BUCKETS
        self._fail = [0] * _BUCKETS
        self._epoch = [-1] * _BUCKETS
        self._state = BreakerState.CLOSED
        self._open_until = 0.0
        self._probe_since: float | None = None
        # outcomes other replicas saw in the window (kept fresh by the health board)
        self.peer_ok = 0
        self.peer_fail = 0

    def state(self, now: float) -> BreakerState:
        if self._state is BreakerState.OPEN and now >= self._open_until:
            return BreakerState.HALF_OPEN
        return self._state

    @property
    def open_until(self) -> float:
        return self._open_until if self._state is BreakerState.OPEN else 0.0

    def available(self, now: float) -> bool:
        """Whether :meth:`allows` would say yes, without claiming a probe."""
        state = self.state(now)
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.OPEN:
            return False
        return self._probe_since is None or now - self._probe_since >= self._settings.cooldown_s

    def allows(self, now: float) -> bool:
        """May a request go through now? In half-open state this claims the probe."""
        if not self.available(now):
            return False
        if self.state(now) is BreakerState.HALF_OPEN:
            self._state = BreakerState.HALF_OPEN
            self._probe_since = now
        return True

    def release_probe(self) -> None:
        """A claimed probe was never sent (no slot): let another request probe."""
        self._probe_since = None

    def record_success(self, now: float) -> None:
        if self._state is BreakerState.HALF_OPEN:
            self._close()
            return
        self._ok[self._slot(now)] += 1

    def record_failure(self, now: float) -> None:
        if self._state is BreakerState.HALF_OPEN:
            self.trip(now + self._settings.cooldown_s)
            return
        self._fail[self._slot(now)] += 1
        if self._state is BreakerState.CLOSED and self._should_open(now):
            self.trip(now + self._settings.cooldown_s)

    def reassess(self, now: float) -> None:
        """Open if the window, peers' outcomes included, now calls for it."""
        if self._state is BreakerState.CLOSED and self._should_open(now):
            self.trip(now + self._settings.cooldown_s)

    def close(self) -> None:
        """Adopt another replica's decision that the deployment recovered."""
        self._close()

    def trip(self, until: float) -> None:
        """Open until ``until`` (also used to adopt another replica's decision)."""
        current = self._open_until if self._state is BreakerState.OPEN else 0.0
        self._state = BreakerState.OPEN
        self._open_until = max(until, current)
        self._probe_since = None

    def counts(self, now: float) -> tuple[int, int]:
        """(successes, failures) in the window, this replica's and its peers'."""
        current = int(now // self._width)
        ok = fail = 0
        for i in range(_BUCKETS):
            if current - self._epoch[i] < _BUCKETS:
                ok += self._ok[i]
                fail += self._fail[i]
        return ok + self.peer_ok, fail + self.peer_fail

    def _should_open(self, now: float) -> bool:
        ok, fail = self.counts(now)
        total = ok + fail
        return total >= self._settings.min_requests and fail / total >= self._settings.failure_rate

    def _close(self) -> None:
        self._state = BreakerState.CLOSED
        self._open_until = 0.0
        self._probe_since = None
        self._ok = [0] * _BUCKETS
        self._fail = [0] * _BUCKETS
        self.peer_ok = self.peer_fail = 0

    def _slot(self, now: float) -> int:
        epoch = int(now // self._width)
        index = epoch % _BUCKETS
        if self._epoch[index] != epoch:
            self._epoch[index] = epoch
            self._ok[index] = 0
            self._fail[index] = 0
        return index
