"""Admission's bookkeeping under failure: cancelled requests, crashed replicas and
shared-store outages leave the budget counters right."""

from __future__ import annotations

import asyncio

import pytest

from seawall import config
from seawall.auth.keys import Principal
from seawall.clock import FakeClock
from seawall.errors import BudgetExceeded
from seawall.limits.admission import Admission, LimitStores
from seawall.limits.ledger import Ledger
from seawall.limits.quotas import DeploymentQuotas
from seawall.limits.stage import LimitStage
from seawall.pipeline import Context
from seawall.stores.memory import MemoryLimitStore
from seawall.stores.sqlite_accounts import SqliteAccountStore
from seawall.tokens import TokenCounter
from seawall.trace.metrics import Metrics
from seawall.trace.tracer import Trace
from seawall.types import ChatRequest, Completion, Usage

PRICE = {"input": 0, "output": 1_000_000}  # $1 per answer token: easy sums
BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}
KEY = Principal("k", "t", frozenset({"user"}), budget_usd=3.0, budget_period="total")


class Switchable(MemoryLimitStore):
    """A shared store that can be cut off, and can be slow."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock.wall)
        self.down = False
        self.delay = 0.0

    async def admit(self, windows, holds, window_s):  # type: ignore[no-untyped-def]
        if self.down:
            raise ConnectionError("unreachable")
        decision = await super().admit(windows, holds, window_s)
        if self.delay:  # charged on the server; the reply is on its way
            await asyncio.sleep(self.delay)
        return decision

    async def seed(self, key, micros, ttl_s):  # type: ignore[no-untyped-def]
        if self.down:
            raise ConnectionError("unreachable")
        await super().seed(key, micros, ttl_s)


@pytest.fixture
async def rig(tmp_path):
    clock = FakeClock()
    settings = config.parse(
        {
            "models": [
                {
                    "name": "m",
                    "deployments": [
                        {"id": "d", "provider": "simulated", "model": "x", "price": PRICE}
                    ],
                }
            ],
            "limits": {"rebuild_s": 60},
        },
        env={},
    )
    accounts = SqliteAccountStore(str(tmp_path / "a.db"))
    await accounts.start()
    shared = Switchable(clock)
    ledger = Ledger(accounts, flush_s=60)
    admission = Admission(
        settings,
        LimitStores(shared, lambda: MemoryLimitStore(clock.wall)),
        ledger,
        TokenCounter(),
        clock,
        Metrics(),
        DeploymentQuotas(settings, shared, clock),
    )
    yield admission, shared, clock
    await accounts.close()


async def spend_one(admission: Admission) -> None:
    ticket = await admission.admit(KEY, ChatRequest(dict(BODY), "m"))
    await admission.settle(ticket, Usage(0, 1, 1), "d", "")


async def test_a_hold_of_a_crashed_replica_is_gone_after_the_next_rebuild(rig):
    admission, _, clock = rig
    await spend_one(admission)  # $1 spent
    await admission.admit(KEY, ChatRequest(dict(BODY), "m"))  # held, never settled
    await admission.admit(KEY, ChatRequest(dict(BODY), "m"))
    with pytest.raises(BudgetExceeded):  # $1 spent + $2 held
        await admission.admit(KEY, ChatRequest(dict(BODY), "m"))
    await admission.drain()
    clock.advance(61)  # the counter expires and is rebuilt from the ledger: $1
    await spend_one(admission)
    await spend_one(admission)
    with pytest.raises(BudgetExceeded):
        await admission.admit(KEY, ChatRequest(dict(BODY), "m"))


async def test_a_client_gone_during_admission_gives_its_hold_back(rig):
    admission, shared, _ = rig
    stage = LimitStage(admission)
    await spend_one(admission)  # $1 spent; the counter exists
    shared.delay = 0.05

    async def answer(ctx: Context) -> Completion:
        return Completion({"usage": {"prompt_tokens": 0, "completion_tokens": 1}}, None, "d")

    ctx = Context(ChatRequest(dict(BODY), "m"), Trace.start("r", None), {})
    ctx.principal = KEY
    calls = [asyncio.create_task(stage(ctx, answer)) for _ in range(2)]
    await asyncio.sleep(0.01)
    for call in calls:
        call.cancel()
    await asyncio.gather(*calls, return_exceptions=True)
    await asyncio.sleep(0.1)  # the admissions finish, and give back what they held
    shared.delay = 0
    await admission.drain()
    for _ in range(2):  # the $2 left are still there
        await stage(ctx, answer)
        await admission.drain()


async def test_each_outage_counts_from_the_ledger_not_from_the_last_outage(rig):
    admission, shared, clock = rig
    await spend_one(admission)  # $1 in the shared counter and the ledger
    shared.down = True
    await spend_one(admission)  # fail_open: counted locally, $2 in the ledger
    await admission.drain()
    clock.advance(10)  # the shared store is tried again, and answers
    shared.down = False
    await spend_one(admission)  # pays the $1 back: shared counter $3
    await admission.drain()
    with pytest.raises(BudgetExceeded):
        await admission.admit(KEY, ChatRequest(dict(BODY), "m"))
    shared.down = True  # a second outage starts from the ledger's $3, so it refuses too
    with pytest.raises(BudgetExceeded):
        await admission.admit(KEY, ChatRequest(dict(BODY), "m"))


async def test_answers_not_served_upstream_count_toward_rpm_only(rig):
    """A cache hit or an intent answer (deployment "cache", "intent:..."): one request,
    no tokens, no spend."""
    admission, _, _ = rig
    limited = Principal("q", "t", frozenset({"user"}), rpm=2, tpm=10_000, budget_usd=1.0)
    ticket = await admission.admit(limited, ChatRequest(dict(BODY), "m"))
    await admission.settle(ticket, Usage(500, 500, 1000), "cache", "")
    await admission.drain()
    rows = await admission._ledger.store.usage("t", "q", "2000-01-01", "2100-01-01")
    assert [(r.requests, r.prompt_tokens, r.micros) for r in rows] == [(1, 0, 0)]
    second = await admission.admit(limited, ChatRequest(dict(BODY), "m"))
    tokens = dict(second.headers)
    assert tokens["x-ratelimit-remaining-requests"] == "0"
    # only this request's hold is counted: the first gave its tokens back
    assert int(tokens["x-ratelimit-remaining-tokens"]) == 10_000 - second.token_windows[0][1]
