"""What tokens cost, and the calendar of budget periods. Money is counted in integer
micro-dollars: a price in USD per million tokens times a token count is exactly that.

    cost_micros(Price(input=2.5, output=10), Usage(1000, 200))   # 4500 (= $0.0045)
    period("day", wall)   # Period("2026-11-27", since_day="2026-11-27", ends_at=..., ttl_s=...)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..config import Price
from ..types import Usage


def cost_micros(price: Price, usage: Usage) -> int:
    cached = min(usage.cached_tokens, usage.prompt_tokens)
    cached_price = price.input if price.cached_input is None else price.cached_input
    exact = (
        (usage.prompt_tokens - cached) * price.input
        + cached * cached_price
        + usage.completion_tokens * price.output
    )
    return math.ceil(exact - 1e-9)


def day_of(wall: float) -> str:
    return _day(int(wall // 86400))


@functools.lru_cache(maxsize=8)
def _day(epoch_day: int) -> str:
    return datetime.fromtimestamp(epoch_day * 86400, UTC).strftime("%Y-%m-%d")


@dataclass(frozen=True, slots=True)
class Period:
    id: str  # part of the counter's key: "2026-11-27", "2026-11" or "all"
    since_day: str | None  # the ledger rows it covers
    ends_at: float | None  # wall clock; None: never
    ttl_s: int  # how long an idle counter lives before it is rebuilt from the ledger


def period(kind: str, wall: float) -> Period:
    return _period(kind, int(wall // 86400))


@functools.lru_cache(maxsize=64)
def _period(kind: str, epoch_day: int) -> Period:
    now = datetime.fromtimestamp(epoch_day * 86400, UTC)
    if kind == "day":
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        end = start + timedelta(days=1)
        return Period(
            start.strftime("%Y-%m-%d"), start.strftime("%Y-%m-%d"), end.timestamp(), 2 * 86400
        )
    if kind == "month":
        start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        end = (start + timedelta(days=32)).replace(day=1)
        return Period(
            start.strftime("%Y-%m"), start.strftime("%Y-%m-%d"), end.timestamp(), 32 * 86400
        )
    return Period("all", None, None, 7 * 86400)
