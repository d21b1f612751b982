"""Admission: may this request run, and what does it hold while it does?

At admission every limit of the caller is checked and charged at once: the key's and
its tenant's requests per minute, tokens per minute (the prompt plus the most the
answer may take) and budgets (that many tokens at the dearest price the request could
be served at). When the request ends, :meth:`Admission.settle` replaces what was held
by what was used, priced at the deployment that served it, and adds it to the ledger.
So a budget cannot be overrun by requests in flight, and a streamed request costs what
its non-streamed twin does.

Budget counters live in the hot store; when one is missing (first use, a new period,
or Redis lost it) it is rebuilt from the ledger. When the shared store is unreachable,
each tenant's ``on_store_failure`` decides: ``fail_closed`` refuses with 503,
``fail_open`` counts on this replica and pays back into the shared counters when the
store returns.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..auth.keys import Principal
from ..clock import Clock
from ..config import GroupSettings, Price, Settings, TenantSettings
from ..errors import BudgetExceeded, LimitsUnavailable, RateLimited
from ..stores.base import Decision, Hold, LimitStore, Settlement, SpendEntry, Window
from ..stores.failover import is_unreachable
from ..tokens import TokenCounter
from ..types import ChatRequest, EmbeddingRequest, Usage
from .headers import duration, rate_headers
from .ledger import Ledger
from .pricing import cost_micros, day_of, period
from .quotas import DeploymentQuotas

log = logging.getLogger("seawall.limits")


@dataclass(frozen=True, slots=True)
class _Scope:
    kind: str  # "key" or "tenant"
    id: str
    rpm: int | None
    tpm: int | None
    budget_usd: float | None
    period: str

    @property
    def label(self) -> str:
        return f"{self.kind} {self.id}"


@dataclass(frozen=True, slots=True)
class _Seed:
    """Whose budget a counter holds, and the ledger days to rebuild it from."""

    scope: _Scope
    since_day: str | None


@dataclass(slots=True)
class Ticket:
    """What one admitted request holds, until it is settled."""

    principal: Principal
    model: str
    body: dict[str, Any]
    count_prompt: Counter
    day: str  # the ledger day: the day it was admitted, as its holds
    store: LimitStore | None = None  # None: no limit applied, nothing held
    bucket: int = 0
    token_windows: tuple[tuple[str, int], ...] = ()  # (window key, tokens held)
    holds: tuple[tuple[str, int, str], ...] = ()  # (counter key, micros held, epoch)
    prompt_tokens: int = 0  # counted at admission, when a limit needed it
    headers: list[tuple[str, str]] = field(default_factory=list)
    # answers paid for upstream that the client did not get (a tier's answer that was
    # escalated): (deployment, usage), charged with the one it got
    discarded: list[tuple[str, Usage]] = field(default_factory=list)
    settled: bool = False


class Counter(Protocol):
    def __call__(self, body: dict[str, Any], *, exact: bool = ...) -> int: ...


class LimitMetrics(Protocol):
    def refused(self, scope: str, reason: str) -> None: ...

    def spent(self, tenant: str, model: str, micros: int) -> None: ...


@dataclass(frozen=True, slots=True)
class LimitStores:
    shared: LimitStore
    # makes the in-process store that stands in while the shared one is unreachable
    local: Callable[[], LimitStore] | None = None


class Admission:
    def __init__(
        self,
        settings: Settings,
        stores: LimitStores,
        ledger: Ledger,
        tokens: TokenCounter,
        clock: Clock,
        metrics: LimitMetrics,
        quotas: DeploymentQuotas,
    ) -> None:
        self._settings = settings
        self._stores = stores
        self._ledger = ledger
        self._tokens = tokens
        self._clock = clock
        self._window_s = settings.limits.window_s
        self._tenants = {t.name: t for t in settings.tenants}
        self._prices = {d.id: d.price for g in settings.models for d in g.deployments}
        self._dearest = {g.name: _dearest(settings, g) for g in settings.models}
        # a router that escalates may be charged for more than one answer
        self._calls = {g.name: g.router.most_calls for g in settings.models if g.router}
        self._caps = {g.name: g.max_output_tokens for g in settings.models}
        self._down_until = 0.0
        self._local: LimitStore | None = None  # this outage's stand-in
        self._owed: dict[str, int] = {}  # micros charged locally, to pay into shared counters
        self._epochs: dict[str, str] = {}
        self._pending: set[asyncio.Task[None]] = set()
        self._metrics = metrics
        self._quotas = quotas

    @property
    def degraded(self) -> str | None:
        if self._clock.now() < self._down_until:
            return (
                "limit store unreachable: fail_open tenants are counted per replica, "
                "fail_closed tenants refused"
            )
        return None

    # admission

    async def admit(self, principal: Principal, request: ChatRequest) -> Ticket:
        output = _output_cap(request.body, self._caps.get(request.model, 4096))
        prompt = self._tokens.messages
        return await self._admit(principal, request.model, request.body, prompt, output)

    async def admit_embedding(self, principal: Principal, request: EmbeddingRequest) -> Ticket:
        return await self._admit(principal, request.model, request.body, self._tokens.inputs, 0)

    async def _admit(
        self,
        principal: Principal,
        model: str,
        body: dict[str, Any],
        prompt: Counter,
        output: int,
    ) -> Ticket:
        day = day_of(self._clock.wall())
        ticket = Ticket(principal, model, body, count_prompt=prompt, day=day)
        scopes = self._scopes(principal)
        if not scopes:
            return ticket
        if any(s.tpm or s.budget_usd for s in scopes):
            # an upper estimate, cheap whatever the size; settling puts the real count in
            ticket.prompt_tokens = prompt(body, exact=False)
        tokens = ticket.prompt_tokens + output
        windows = self._windows(scopes, tokens)
        dear = self._dearest.get(model, Price())
        held = cost_micros(dear, Usage(ticket.prompt_tokens, output)) * self._calls.get(model, 1)
        holds, seeds = self._holds(scopes, held)
        fail_open = self._fail_open(principal.tenant)
        decision, store = await self._decide(windows, holds, seeds, fail_open)
        self._refuse(decision, windows, holds, seeds)
        ticket.store, ticket.bucket = store, decision.bucket
        ticket.token_windows = tuple((w.key, w.cost) for w in windows if w.key.startswith("tpm"))
        ticket.holds = tuple(
            (h.key, h.cost, e) for h, e in zip(holds, decision.epochs, strict=True)
        )
        ticket.headers = rate_headers(windows, decision)
        return ticket

    def limited(self, principal: Principal) -> bool:
        """Whether any limit or budget applies (if not, admission does no I/O)."""
        return bool(self._scopes(principal))

    def _scopes(self, principal: Principal) -> list[_Scope]:
        scopes = []
        if principal.rpm or principal.tpm or principal.budget_usd:
            scopes.append(
                _Scope(
                    "key",
                    principal.key_id,
                    principal.rpm,
                    principal.tpm,
                    principal.budget_usd,
                    principal.budget_period,
                )
            )
        tenant = self._tenants.get(principal.tenant)
        if tenant is not None and (tenant.rpm or tenant.tpm or tenant.budget):
            scopes.append(_tenant_scope(tenant))
        return scopes

    def _windows(self, scopes: Sequence[_Scope], tokens: int) -> list[Window]:
        windows = []
        for scope in scopes:
            if scope.rpm:
                windows.append(Window(f"rpm:{scope.kind}:{scope.id}", scope.rpm, 1))
            if scope.tpm:
                if tokens > scope.tpm:
                    raise RateLimited(
                        f"this request may use {tokens} tokens (prompt plus max_tokens), more "
                        f"than the {scope.tpm} tokens per minute of {scope.label}; "
                        "lower max_tokens",
                        should_retry=False,
                    )
                windows.append(Window(f"tpm:{scope.kind}:{scope.id}", scope.tpm, tokens))
        return windows

    def _holds(self, scopes: Sequence[_Scope], held: int) -> tuple[list[Hold], list[_Seed]]:
        """The budget holds, and for each what to rebuild its counter from."""
        holds, seeds = [], []
        wall = self._clock.wall()
        for scope in scopes:
            if scope.budget_usd:
                p = period(scope.period, wall)
                key = f"usd:{scope.kind}:{scope.id}:{p.id}"
                ttl = min(p.ttl_s, self._settings.limits.rebuild_s)
                holds.append(Hold(key, round(scope.budget_usd * 1_000_000), held, ttl))
                seeds.append(_Seed(scope, p.since_day))
        return holds, seeds

    def _fail_open(self, tenant: str) -> bool:
        settings = self._tenants.get(tenant)
        policy = settings.on_store_failure if settings else None
        return (policy or self._settings.limits.on_store_failure) == "fail_open"

    async def _decide(
        self,
        windows: list[Window],
        holds: list[Hold],
        seeds: list[_Seed],
        fail_open: bool,
    ) -> tuple[Decision, LimitStore]:
        for _ in range(4):  # each round may find one more counter to rebuild
            store = self._store(fail_open)
            try:
                decision = await store.admit(windows, holds, self._window_s)
                if store is self._stores.shared:
                    self._recovered()
                    self._remember_epochs(holds, decision)
                if decision.unseeded < 0:
                    return decision, store
                index = decision.unseeded
                await self._seed(store, holds[index], seeds[index])
            except Exception as exc:
                if store is not self._stores.shared or not is_unreachable(exc):
                    raise
                self._mark_down(exc)
        raise LimitsUnavailable("could not read the budget counters; try again", retry_after=1)

    def _remember_epochs(self, holds: Sequence[Hold], decision: Decision) -> None:
        """The shared counters' epochs as last seen, to pay back local spend safely."""
        if len(self._epochs) > 10_000:
            self._epochs.clear()
        for hold, epoch in zip(holds, decision.epochs, strict=False):
            self._epochs[hold.key] = epoch

    def _store(self, fail_open: bool) -> LimitStore:
        local = self._local
        if local is None or self._clock.now() >= self._down_until:
            return self._stores.shared
        if not fail_open:
            raise LimitsUnavailable(
                "the shared limit store is unreachable and this tenant's policy is fail_closed",
                retry_after=max(1.0, self._down_until - self._clock.now()),
            )
        return local

    async def _seed(self, store: LimitStore, hold: Hold, seed: _Seed) -> None:
        """Rebuild a budget counter from the ledger (this replica's sums written first)."""
        try:
            await self._ledger.flush()
            spent = await self._ledger.store.spend(
                tenant=seed.scope.id if seed.scope.kind == "tenant" else None,
                key_id=seed.scope.id if seed.scope.kind == "key" else None,
                since_day=seed.since_day,
            )
        except Exception as exc:
            log.error("reading the spend ledger failed: %s", exc)
            raise LimitsUnavailable(
                "the spend ledger cannot be read to check a budget; try again", retry_after=5
            ) from None
        await store.seed(hold.key, spent, hold.ttl_s)

    def _refuse(
        self, decision: Decision, windows: list[Window], holds: list[Hold], seeds: list[_Seed]
    ) -> None:
        if decision.admitted:
            return
        if decision.over_budget:
            hold, scope = holds[decision.refused], seeds[decision.refused].scope
            self._metrics.refused(scope.kind, "budget")
            raise BudgetExceeded(
                f"the {scope.period} budget of ${scope.budget_usd:g} for {scope.label} is "
                "spent (or held by requests in flight); this request could cost up to "
                f"${hold.cost / 1e6:.6f}"
            )
        window = windows[decision.refused]
        kind, scope_kind, scope_id = window.key.split(":", 2)
        unit = "requests" if kind == "rpm" else "tokens"
        self._metrics.refused(scope_kind, kind)
        wait = decision.retry_after_s
        raise RateLimited(
            f"{scope_kind} {scope_id} is over its limit of {window.limit} {unit} per "
            f"{self._window_s} s; retry after {wait:.1f} s",
            retry_after=wait,
            limit_headers=[
                (f"x-ratelimit-limit-{unit}", str(window.limit)),
                (f"x-ratelimit-remaining-{unit}", "0"),
                (f"x-ratelimit-reset-{unit}", duration(wait)),
            ],
        )

    # settling

    def settle_later(self, ticket: Ticket, usage: Usage | None, deployment: str, text: str) -> None:
        """Settle off the request path; :meth:`drain` waits for what is under way. When
        nothing is held and nothing needs counting (the common case without limits),
        the ledger row is added at once, without a task."""
        if ticket.settled:
            return
        price = self._prices.get(deployment)
        if ticket.store is None and not ticket.discarded and (usage is not None or price is None):
            if not self._quotas.counts(deployment):
                ticket.settled = True
                used = Usage() if price is None or usage is None else usage
                self._record(ticket, used, 0 if price is None else cost_micros(price, used))
                return
        task = asyncio.create_task(self.settle(ticket, usage, deployment, text))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def settle(self, ticket: Ticket, usage: Usage | None, deployment: str, text: str) -> None:
        if ticket.settled:
            return
        ticket.settled = True
        price = self._prices.get(deployment)
        if price is None:  # nothing served it upstream: no tokens, no spend
            usage = Usage()
        elif usage is None:  # the provider reported nothing: count it ourselves
            self._tokens.want_exact()
            usage = await asyncio.to_thread(self._count, ticket, text)
        micros = 0 if price is None else cost_micros(price, usage)
        for earlier, used in ticket.discarded:
            usage = usage + used
            micros += cost_micros(self._prices.get(earlier, Price()), used)
            await self._quotas.used(earlier, used.total_tokens)
        # the hot counters first, then the ledger: a counter rebuilt from the ledger in
        # between then has this spend exactly once
        if ticket.store is not None:
            await self._settle_store(ticket, usage.total_tokens, micros)
        if price is not None:
            await self._quotas.used(deployment, usage.total_tokens)
        self._record(ticket, usage, micros)

    def _record(self, ticket: Ticket, usage: Usage, micros: int) -> None:
        principal = ticket.principal
        self._metrics.spent(principal.tenant, ticket.model, micros)
        self._ledger.add(
            SpendEntry(
                principal.key_id,
                principal.tenant,
                ticket.model,
                ticket.day,
                1,
                usage.prompt_tokens,
                usage.completion_tokens,
                usage.cached_tokens,
                micros,
            )
        )

    def _count(self, ticket: Ticket, text: str) -> Usage:
        prompt = ticket.count_prompt(ticket.body)
        completion = self._tokens.text(text)
        return Usage(prompt, completion, prompt + completion)

    async def _settle_store(self, ticket: Ticket, tokens: int, micros: int) -> None:
        settlement = Settlement(
            windows=tuple((key, tokens - held) for key, held in ticket.token_windows),
            bucket=ticket.bucket,
            holds=tuple((key, held, micros, epoch) for key, held, epoch in ticket.holds),
        )
        store = ticket.store
        assert store is not None
        if store is not self._stores.shared:
            for key, _, _ in ticket.holds:
                self._owed[key] = self._owed.get(key, 0) + micros
        try:
            await store.settle(settlement, self._window_s)
        except Exception as exc:
            if not is_unreachable(exc):
                raise
            # not retried (it may have run before the connection failed): the hold stays
            # counted, on the safe side, until the counter is next rebuilt from the ledger
            self._mark_down(exc)

    def _mark_down(self, exc: BaseException) -> None:
        if self._clock.now() >= self._down_until:
            log.error("the limit store is unreachable; applying each tenant's policy: %s", exc)
            if self._stores.local is not None and self._local is None:
                # counts of an earlier outage are stale: start from the ledger again
                self._local = self._stores.local()
        self._down_until = self._clock.now() + self._settings.limits.store_retry_s

    def _recovered(self) -> None:
        """The shared store answers again: pay in what was counted locally meanwhile."""
        self._local = None
        if not self._owed:
            return
        # counters rebuilt while we were cut off have this spend from the ledger already
        owed = tuple((k, 0, micros, self._epochs.get(k, "")) for k, micros in self._owed.items())
        self._owed = {}
        task = asyncio.create_task(self._pay_back(Settlement((), 0, owed, same_epoch_only=True)))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _pay_back(self, settlement: Settlement) -> None:
        try:
            await self._stores.shared.settle(settlement, self._window_s)
        except Exception as exc:  # not retried: the next rebuild from the ledger has it
            log.error("paying local spend back into the shared store failed: %s", exc)

    async def drain_settlements(self) -> None:
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def drain(self) -> None:
        """Wait for settlements under way, then write the ledger."""
        await self.drain_settlements()
        await self._ledger.flush()


def _tenant_scope(tenant: TenantSettings) -> _Scope:
    budget = tenant.budget
    return _Scope(
        "tenant",
        tenant.name,
        tenant.rpm,
        tenant.tpm,
        None if budget is None else budget.usd,
        "month" if budget is None else budget.period,
    )


def _output_cap(body: dict[str, Any], cap: int) -> int:
    asked = body.get("max_completion_tokens") or body.get("max_tokens")
    out = asked if isinstance(asked, int) and asked > 0 else cap
    n = body.get("n")
    return out * (n if isinstance(n, int) and n > 1 else 1)


def _dearest(settings: Settings, group: GroupSettings) -> Price:
    """The highest input and output prices among the deployments a request to this
    group could end up on (its fallbacks, or a router's tiers, included)."""
    prices = [d.price for d in settings.reachable(group.name)]
    return Price(
        input=max(p.input for p in prices),
        output=max(p.output for p in prices),
    )
