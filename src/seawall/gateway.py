"""The gateway assembled from its settings: providers, groups, stores, breakers, the
dispatcher and the pipeline. The server holds one; so can a Python program that wants
the pipeline in-process.

    gateway = Gateway(settings)
    await gateway.start(); ...; await gateway.close()
"""

from __future__ import annotations

import asyncio
import logging
import random

from . import embed
from .auth.keyring import KeyRing
from .cache.shared import Replica
from .cache.stage import CacheStage
from .cache.verify import shipped as shipped_verifier
from .clock import Clock, SystemClock
from .config import GroupSettings, Settings
from .guard.injection import shipped as injection_model
from .guard.output import OutputGuard
from .guard.policy import GuardPolicies
from .guard.screen import InjectionGuard
from .guard.stage import InputGuard
from .intent.stage import IntentStage
from .jobs.runner import JobRunner
from .jobs.webhooks import JobWebhooks
from .jobs.worker import JobWorkers
from .limits.admission import Admission, LimitStores
from .limits.context import TokenBudget
from .limits.ledger import Ledger
from .limits.quotas import DeploymentQuotas
from .limits.stage import LimitStage
from .outbound import Outbound
from .pipeline import Context, DispatchStage, Pipeline
from .providers.base import Provider, ProviderOptions, create
from .resilience.breaker import BreakerState
from .resilience.dispatch import Deployment, Dispatcher, DispatchOptions, Group
from .resilience.health import HealthBoard
from .resilience.retry import RetryPolicy
from .review.stage import ReviewGate
from .route.rules import Router
from .route.stage import RouterStage
from .stores.base import TraceRecord
from .stores.registry import (
    open_accounts,
    open_cache_exact,
    open_cache_log,
    open_hot,
    open_jobs,
    open_traces,
)
from .structured.stage import StructuredStage
from .tokens import TokenCounter
from .trace.metrics import Metrics
from .trace.otlp import OtlpExporter
from .types import Result

log = logging.getLogger("seawall")


class Gateway:
    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        metrics: Metrics | None = None,
        job_workers: int | None = None,
    ) -> None:
        """``job_workers``: jobs this process runs at once (default: ``jobs.workers``)."""
        self.settings = settings
        self.clock = clock or SystemClock()
        self.metrics = metrics or Metrics()
        options = ProviderOptions(
            connect_timeout=settings.timeouts.connect_s, keepalive_s=settings.server.keepalive_s
        )
        self.providers: dict[str, Provider] = {}
        # groups with deployments, for the dispatcher; routers send to them by name
        self.groups = {g.name: self._group(g, options) for g in settings.models if not g.router}
        self.models = [g.name for g in settings.models]  # what clients may name
        hot = open_hot(settings.stores.hot)
        self.slots, health_sync = hot.slots, hot.health
        self.traces = open_traces(settings.stores.durable, settings.tracing)
        self.accounts = open_accounts(settings.stores.durable)
        self.keys = KeyRing(settings, self.accounts, self.clock)
        self.tokens = TokenCounter()
        self.ledger = Ledger(self.accounts, flush_s=settings.limits.ledger_flush_s)
        self._limit_stores = LimitStores(hot.limits, hot.local_limits)
        quotas = DeploymentQuotas(settings, hot.limits, self.clock)
        self.admission = Admission(
            settings, self._limit_stores, self.ledger, self.tokens, self.clock, self.metrics, quotas
        )
        tracing = settings.tracing
        self.otlp = (
            OtlpExporter(tracing.otlp_endpoint, headers=tracing.otlp_headers)
            if tracing.otlp_endpoint
            else None
        )
        self.board = HealthBoard(list(self.providers), settings.breaker, health_sync, self.clock)
        self.board.listen(self._breaker_changed)
        self.dispatcher = Dispatcher(
            self.groups,
            self.board,
            self.slots,
            DispatchOptions(
                RetryPolicy(settings.retry), settings.timeouts, self.clock, random.Random(), quotas
            ),
        )
        guards = GuardPolicies({g.name: g.guard for g in settings.models})
        self.input_guard = InputGuard(guards)
        self.injection_guard = InjectionGuard(guards, injection_model(), embed.shared())
        out = settings.outbound
        self.outbound = Outbound(out.allow_private, out.timeout_s, out.max_response_bytes)
        self.intents = (
            IntentStage(settings.intents, embed.shared(), self.outbound, out.timeout_s)
            if settings.intents is not None
            else None
        )
        caches = {g.name: g.cache for g in settings.models}
        sizes = {name: c.max_entries for name, c in caches.items() if c is not None}
        self.cache_replica = (
            Replica(
                sizes,
                open_cache_log(settings.stores.durable),
                open_cache_exact(settings.stores.hot),
                self.clock,
                settings.stores.cache_sync_s,
            )
            if sizes
            else None
        )
        replica = self.cache_replica
        self.cache = CacheStage(
            caches,
            {name: replica.store(name) for name in sizes} if replica is not None else {},
            embed.shared(),
            shipped_verifier(),
            self.clock,
            self.metrics,
            {d.id: d.price for g in settings.models for d in g.deployments},
        )
        self.jobs = open_jobs(settings.stores.durable)
        runner = JobRunner(self.chat, self.keys.principal_of, self.record)
        self.webhooks = JobWebhooks(self.outbound, self.jobs, settings.webhooks, self.clock)
        self.job_workers = JobWorkers(
            self.jobs, runner, settings.jobs, self.clock, finished=self.webhooks
        )
        self._job_concurrency = settings.jobs.workers if job_workers is None else job_workers
        self.token_budget = TokenBudget(settings, self.tokens)
        self.router = RouterStage(_routers(settings), self.tokens, self.metrics)
        structured = StructuredStage(
            {g.name: g.structured for g in settings.models}, self.metrics, self.tokens
        )
        reviews = {g.name: g.review for g in settings.models if g.review is not None}
        self.review_gate = ReviewGate(reviews, self.jobs, self.clock)
        self.pipeline = Pipeline(
            [
                # outermost: a held answer is charged, guarded and restored like any other
                *([self.review_gate] if self.review_gate.enabled else []),
                LimitStage(self.admission),
                # before the guards: a refused or trimmed prompt costs them nothing
                *([self.token_budget] if self.token_budget.enabled else []),
                self.injection_guard,
                self.input_guard,  # before intents: handlers see what a model would
                *([self.intents] if self.intents is not None else []),
                OutputGuard(guards),
                # inside the guards: keys hold placeholders, not PII; hits pass the output guard
                *([self.cache] if self.cache.enabled else []),
                # after the cache: a hit costs no routing; an answer is stored whatever
                # tier gave it
                *([self.router] if self.router.enabled else []),
                # inside the router: each tier's answer is checked and re-asked on its own
                structured,
            ],
            DispatchStage(self.dispatcher, self.metrics),
        )
        self._background: list[asyncio.Task[None]] = []
        self.started = False
        for key in self.providers:
            self.metrics.breaker(key, BreakerState.CLOSED.value)

    def _group(self, group: GroupSettings, options: ProviderOptions) -> Group:
        deployments = []
        for dep in group.deployments:
            provider = create(dep, options)
            self.providers[dep.id] = provider
            deployments.append(
                Deployment(
                    dep.id, dep.weight, dep.max_concurrency, group.name, provider, dep.internal
                )
            )
        return Group(group.name, tuple(deployments), tuple(group.fallbacks), group.balance)

    def _breaker_changed(self, key: str, old: BreakerState, new: BreakerState) -> None:
        self.metrics.breaker(key, new.value)

    async def start(self) -> None:
        await self.accounts.start()
        await self.keys.start()
        await self.ledger.start()
        await self.traces.start()
        await self.jobs.start()
        if self.cache_replica is not None:
            await self.cache_replica.start()
        if self.otlp is not None:
            await self.otlp.start()
        # the embedding model loads before the first request rather than during it
        await asyncio.to_thread(self.injection_guard.warm)
        if self.token_budget.enabled or self.router.counts_tokens:  # exact from the first
            await self.tokens.load()
        if any(g.cache is not None and g.cache.semantic for g in self.settings.models):
            await asyncio.to_thread(embed.shared().load)
        self._background.append(asyncio.create_task(self.board.run(), name="seawall-health"))
        self._background.append(asyncio.create_task(self._watch(), name="seawall-watch"))
        if self._job_concurrency:
            work = self.job_workers.run(self._job_concurrency)
            self._background.append(asyncio.create_task(work, name="seawall-jobs"))
            hooks = self.webhooks.run()
            self._background.append(asyncio.create_task(hooks, name="seawall-webhooks"))
        self.started = True

    async def _watch(self) -> None:
        while True:
            self.metrics.degraded.set(len(self.degraded_stores()))
            self.metrics.trace_backlog.set(self.traces.backlog)
            self.metrics.traces_dropped.set(self.traces.dropped)
            await asyncio.sleep(1.0)

    async def close(self) -> None:
        self.started = False
        for task in self._background:
            task.cancel()
        if self._background:
            # bounded: a client library that swallows a cancellation must not hang shutdown
            _, stuck = await asyncio.wait(self._background, timeout=5.0)
            for task in stuck:
                log.error("background task %s did not stop; leaving it", task.get_name())
        await asyncio.gather(*(p.close() for p in self.providers.values()), return_exceptions=True)
        await self.outbound.close()
        await self.cache.close()
        if self.cache_replica is not None:
            await self.cache_replica.close()
        await self.admission.drain_settlements()
        await self.ledger.close()
        await self.tokens.close()
        await self.traces.close()
        await self.jobs.close()
        await self.accounts.close()
        if self.otlp is not None:
            await self.otlp.close()
        await self.slots.close()
        await self.board.sync.close()
        await self._limit_stores.shared.close()

    def record(self, trace: TraceRecord) -> None:
        """A finished request's trace, to the trace store and any exporter."""
        self.traces.record(trace)
        if self.otlp is not None:
            self.otlp.record(trace)

    async def chat(self, ctx: Context) -> Result:
        return await self.pipeline.run(ctx)

    def degraded_stores(self) -> list[str]:
        parts = (
            self.slots.degraded,
            self.board.degraded,
            self.admission.degraded,
            self.cache_replica.degraded if self.cache_replica is not None else None,
        )
        return [d for d in parts if d]

    def readiness(self) -> tuple[bool, list[str]]:
        """(can serve at all, what is degraded).

        Upstream trouble degrades but never makes the gateway unready: every replica
        sees the same upstreams, and a load balancer that took them all out of rotation
        would turn a vendor outage into a gateway outage, without fallbacks or useful
        errors. Only a gateway that has not started (or is closing) is unready."""
        degraded = self.degraded_stores()
        open_ids = [k for k, s in self.board.states().items() if s is BreakerState.OPEN]
        degraded += [f"circuit open: {k}" for k in sorted(open_ids)]
        for group in self.settings.models:
            tiers = group.router.tiers if group.router is not None else [group.name]
            chain = [g for tier in tiers for g in self.dispatcher.chain(tier)]
            if not any(self.board.usable(d.id) for g in chain for d in g.deployments):
                degraded.append(f"no usable deployment for model {group.name}")
        return self.started, degraded


def _routers(settings: Settings) -> dict[str, Router]:
    routers = {}
    for group in settings.models:
        if group.router is not None:
            internal = {
                tier: any(d.internal for d in settings.reachable(tier))
                for tier in group.router.tiers
            }
            routers[group.name] = Router(group.name, group.router, internal)
    return routers
