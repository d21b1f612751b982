"""The retry decision, pure: given what happened so far, attempt, sleep, or give up.

    policy = RetryPolicy(RetrySettings(attempts=3))
    action = policy.next_action(tries=1, fresh=False, usable=True, remaining_s=30, rand=0.5)

``attempts`` is the total number of tries per model group. Another healthy deployment
that this request has not tried yet is tried at once; trying a deployment again waits
an exponential backoff with full jitter. A deployment in cooldown (an upstream
Retry-After) or behind an open breaker is never "usable", so it is never retried early.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import RetrySettings


@dataclass(frozen=True, slots=True)
class Attempt:
    pass


@dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float


@dataclass(frozen=True, slots=True)
class GiveUp:
    reason: str


Action = Attempt | Sleep | GiveUp


class RetryPolicy:
    __slots__ = ("_base", "_cap", "attempts")

    def __init__(self, settings: RetrySettings) -> None:
        self.attempts = settings.attempts
        self._base = settings.backoff_ms / 1000
        self._cap = settings.max_backoff_ms / 1000

    def backoff(self, tries: int, rand: float) -> float:
        """Full jitter: uniform in [0, min(cap, base * 2 ** (tries - 1)))."""
        ceiling = min(self._cap, self._base * (2.0 ** max(0, tries - 1)))
        return rand * ceiling

    def next_action(
        self, *, tries: int, fresh: bool, usable: bool, remaining_s: float, rand: float
    ) -> Action:
        """``fresh``: a usable deployment this request has not tried; ``usable``: any
        deployment that may be tried now."""
        if tries >= self.attempts:
            return GiveUp("attempts spent")
        if remaining_s <= 0:
            return GiveUp("deadline passed")
        if fresh:
            return Attempt()
        if not usable:
            return GiveUp("no usable deployment")
        wait = self.backoff(tries, rand)
        if wait >= remaining_s:
            return GiveUp("backoff past the deadline")
        return Sleep(wait)
