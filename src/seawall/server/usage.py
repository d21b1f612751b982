"""``GET /v1/usage``: a tenant's spend from the ledger.

    GET /v1/usage?start=2026-11-01&end=2026-11-30[&key_id=...][&tenant=... (admins)]

Rows per day, key and model group, their totals, and the budgets that apply to the
caller with what is spent of them in the current period. Defaults: this month so far.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from ..auth.keys import Principal
from ..clock import Clock
from ..config import Settings
from ..errors import BadRequest, Forbidden, StoreUnavailable
from ..limits.admission import Admission
from ..limits.pricing import day_of, period
from ..stores.base import AccountStore, SpendEntry
from .asgi import Exchange
from .parse import iso_time, query_params

log = logging.getLogger("seawall.usage")

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_DAYS = 400


class UsageApi:
    def __init__(
        self, settings: Settings, accounts: AccountStore, admission: Admission, clock: Clock
    ) -> None:
        self._tenants = {t.name: t for t in settings.tenants}
        self._accounts = accounts
        self._admission = admission
        self._clock = clock

    async def __call__(self, x: Exchange) -> None:
        query = query_params(x.scope)
        tenant = self._tenant(x.principal, query.get("tenant"))
        today = day_of(self._clock.wall())
        start = _day(query.get("start"), "start") or today[:8] + "01"
        end = _day(query.get("end"), "end") or today
        if start > end:
            raise BadRequest("'start' must not be after 'end'", param="start")
        first, last = (datetime.strptime(d, "%Y-%m-%d") for d in (start, end))
        if (last - first).days > _MAX_DAYS:
            raise BadRequest(f"at most {_MAX_DAYS} days at a time", param="end")
        key_id = query.get("key_id")
        try:
            await self._admission.drain()  # this replica's latest spend, written
            rows = await self._accounts.usage(tenant, key_id, start, end)
            budgets = await self._budgets(x.principal, tenant)
        except Exception as exc:
            log.error("reading usage failed: %s", exc)
            raise StoreUnavailable("usage cannot be read right now", retry_after=5) from None
        await x.json(
            200,
            {
                "object": "usage",
                "tenant": tenant,
                "start": start,
                "end": end,
                "totals": _totals(rows),
                "data": [
                    {"day": r.day, "key_id": r.key_id, "model": r.model, **_sums(r)} for r in rows
                ],
                "budgets": budgets,
            },
        )

    def _tenant(self, principal: Principal, asked: str | None) -> str:
        if asked is None or asked == principal.tenant:
            return principal.tenant
        if not principal.sees_all_tenants:
            raise Forbidden("a key reads its own tenant's usage only", param="tenant")
        return asked

    async def _budgets(self, principal: Principal, tenant: str) -> list[dict[str, object]]:
        out = []
        wall = self._clock.wall()
        if principal.budget_usd and principal.tenant == tenant:
            p = period(principal.budget_period, wall)
            spent = await self._accounts.spend(
                tenant=None, key_id=principal.key_id, since_day=p.since_day
            )
            out.append(
                _budget(
                    "key",
                    principal.key_id,
                    principal.budget_usd,
                    principal.budget_period,
                    spent,
                    p.ends_at,
                )
            )
        settings = self._tenants.get(tenant)
        if settings is not None and settings.budget is not None:
            p = period(settings.budget.period, wall)
            spent = await self._accounts.spend(tenant=tenant, key_id=None, since_day=p.since_day)
            out.append(
                _budget(
                    "tenant", tenant, settings.budget.usd, settings.budget.period, spent, p.ends_at
                )
            )
        return out


def _day(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    if not _DAY.match(value):
        raise BadRequest(f"'{name}' must be a date as YYYY-MM-DD", param=name)
    try:
        datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise BadRequest(f"'{name}' is not a real date", param=name) from None
    return value


def _sums(row: SpendEntry) -> dict[str, object]:
    return {
        "requests": row.requests,
        "prompt_tokens": row.prompt_tokens,
        "completion_tokens": row.completion_tokens,
        "cached_tokens": row.cached_tokens,
        "cost_usd": row.micros / 1_000_000,
    }


def _totals(rows: list[SpendEntry]) -> dict[str, object]:
    sums = [sum(getattr(r, name) for r in rows) for name in _SUMMED]
    return _sums(SpendEntry("", "", "", "", *sums))


_SUMMED = ("requests", "prompt_tokens", "completion_tokens", "cached_tokens", "micros")


def _budget(
    scope: str, scope_id: str, usd: float, kind: str, micros: int, ends_at: float | None
) -> dict[str, object]:
    spent = micros / 1_000_000
    return {
        "scope": scope,
        "id": scope_id,
        "usd": usd,
        "period": kind,
        "spent_usd": spent,
        "remaining_usd": round(max(usd - spent, 0.0), 6),
        "resets_at": iso_time(ends_at),
    }
