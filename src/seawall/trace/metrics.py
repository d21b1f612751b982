"""Prometheus metrics. Label children are cached: ``.labels()`` costs ~12 us a call,
a cached child ~1 us.

    metrics = Metrics(); metrics.request("chat", "chat/0", 200, 0.12)

With ``--workers N`` each worker writes its samples to files in a shared directory
(prometheus_client's multiprocess mode) and ``render`` sums them, so ``/metrics``
tells the same story whichever worker answers it.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

_LATENCY = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)
_STATE = {"closed": 0, "half_open": 1, "open": 2}
_LOGPROB = (-5, -3, -2, -1.5, -1, -0.75, -0.5, -0.3, -0.2, -0.1, -0.05, 0)


class _Family:
    """A metric family with its label children cached by label values."""

    __slots__ = ("children", "metric")

    def __init__(self, metric: Any) -> None:
        self.metric = metric
        self.children: dict[tuple[str, ...], Any] = {}

    def get(self, *values: str) -> Any:
        child = self.children.get(values)
        if child is None:
            child = self.children[values] = self.metric.labels(*values)
        return child


class Metrics:
    def __init__(self, multiprocess: bool = False) -> None:
        self.multiprocess = multiprocess
        self.registry = CollectorRegistry()
        r = self.registry
        self._requests = _Family(
            Counter(
                "seawall_requests",
                "Requests answered, by model group, deployment and status.",
                ["model", "deployment", "status"],
                registry=r,
            )
        )
        self._duration = _Family(
            Histogram(
                "seawall_request_duration_seconds",
                "Time to the last byte, by model group.",
                ["model"],
                buckets=_LATENCY,
                registry=r,
            )
        )
        self._ttft = _Family(
            Histogram(
                "seawall_time_to_first_token_seconds",
                "Time to the first streamed chunk.",
                ["model"],
                buckets=_LATENCY,
                registry=r,
            )
        )
        self._attempts = _Family(
            Counter(
                "seawall_upstream_attempts",
                "Upstream attempts by deployment and outcome.",
                ["deployment", "outcome"],
                registry=r,
            )
        )
        self._retries = _Family(
            Counter(
                "seawall_retries", "Tries beyond the first, by model group.", ["model"], registry=r
            )
        )
        self._fallbacks = _Family(
            Counter(
                "seawall_fallbacks",
                "Fallbacks taken from one model group to the next.",
                ["from_model", "to_model"],
                registry=r,
            )
        )
        self._breaker = _Family(
            Gauge(
                "seawall_breaker_state",
                "Circuit breaker: 0 closed, 1 half-open, 2 open.",
                ["deployment"],
                registry=r,
                multiprocess_mode="livemax",
            )
        )
        self._tokens = _Family(
            Counter(
                "seawall_tokens",
                "Tokens by model group, deployment and kind (prompt/completion).",
                ["model", "deployment", "kind"],
                registry=r,
            )
        )
        self._refusals = _Family(
            Counter(
                "seawall_limit_refusals",
                "Requests refused by a limit: scope (key/tenant), reason (rpm/tpm/budget).",
                ["scope", "reason"],
                registry=r,
            )
        )
        self._spend = _Family(
            Counter(
                "seawall_spend_usd",
                "Spend in US dollars, by tenant and model group (the ledger has it per key).",
                ["tenant", "model"],
                registry=r,
            )
        )
        self._cache = _Family(
            Counter(
                "seawall_cache_lookups",
                "Cache lookups by model group and result (hit-exact, hit-semantic, miss, skip).",
                ["model", "result"],
                registry=r,
            )
        )
        self._cache_saved_tokens = _Family(
            Counter(
                "seawall_cache_saved_tokens",
                "Tokens a cache hit did not spend upstream (as the stored answer cost them).",
                ["model", "kind"],
                registry=r,
            )
        )
        self._cache_saved_usd = _Family(
            Counter(
                "seawall_cache_saved_usd",
                "US dollars cache hits saved, at the price of the deployment that answered first.",
                ["model"],
                registry=r,
            )
        )
        self._cache_rejected = _Family(
            Counter(
                "seawall_cache_candidates_rejected",
                "Semantic candidates the verifier turned down, by reason.",
                ["model", "reason"],
                registry=r,
            )
        )
        self._routes = _Family(
            Counter(
                "seawall_route_decisions",
                "Requests a router sent to a tier, by the rule's reason (before escalation).",
                ["model", "tier", "reason"],
                registry=r,
            )
        )
        self._escalations = _Family(
            Counter(
                "seawall_route_escalations",
                "Answers of a tier judged unsure and re-sent to its escalation tier; "
                "the escalation rate is this over seawall_route_judged_total.",
                ["model", "from_tier", "to_tier", "reason"],
                registry=r,
            )
        )
        self._judged = _Family(
            Counter(
                "seawall_route_judged",
                "Answers of an escalating tier judged for confidence.",
                ["model", "tier"],
                registry=r,
            )
        )
        self._confidence = _Family(
            Histogram(
                "seawall_route_mean_logprob",
                "Mean token log-probability of an escalating tier's answers (where the "
                "provider returns them): the distribution to set min_logprob from.",
                ["model", "tier"],
                buckets=_LOGPROB,
                registry=r,
            )
        )
        self._structured = _Family(
            Counter(
                "seawall_structured_answers",
                "Answers to requests for JSON, by deployment and outcome (valid, repaired, "
                "invalid): the invalid share is the schema failure rate, a first sign of drift.",
                ["model", "deployment", "outcome"],
                registry=r,
            )
        )
        self.cache_entries = Gauge(
            "seawall_cache_entries",
            "Entries in this replica's cache.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.inflight = Gauge(
            "seawall_inflight_requests",
            "Requests being served now.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.trace_backlog = Gauge(
            "seawall_trace_backlog",
            "Traces waiting to be written.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.traces_dropped = Gauge(
            "seawall_traces_dropped",
            "Traces dropped since start because the writer fell behind.",
            registry=r,
            multiprocess_mode="livesum",
        )
        self.degraded = Gauge(
            "seawall_degraded_components",
            "Shared stores running degraded (0 when all is well; /readyz says which).",
            registry=r,
            multiprocess_mode="livemax",
        )

    def request(self, model: str, deployment: str, status: int, seconds: float) -> None:
        self._requests.get(model, deployment, str(status)).inc()
        self._duration.get(model).observe(seconds)

    def first_token(self, model: str, seconds: float) -> None:
        self._ttft.get(model).observe(seconds)

    def attempt(self, deployment: str, outcome: str) -> None:
        self._attempts.get(deployment, outcome).inc()

    def retry(self, model: str) -> None:
        self._retries.get(model).inc()

    def fallback(self, from_model: str, to_model: str) -> None:
        self._fallbacks.get(from_model, to_model).inc()

    def breaker(self, deployment: str, state: str) -> None:
        self._breaker.get(deployment).set(_STATE.get(state, 0))

    def tokens(self, model: str, deployment: str, prompt: int, completion: int) -> None:
        if prompt:
            self._tokens.get(model, deployment, "prompt").inc(prompt)
        if completion:
            self._tokens.get(model, deployment, "completion").inc(completion)

    def refused(self, scope: str, reason: str) -> None:
        self._refusals.get(scope, reason).inc()

    def spent(self, tenant: str, model: str, micros: int) -> None:
        if micros:
            self._spend.get(tenant, model).inc(micros / 1_000_000)

    def cache(self, model: str, result: str) -> None:
        self._cache.get(model, result).inc()

    def cache_saved(self, model: str, prompt: int, completion: int, micros: int) -> None:
        if prompt:
            self._cache_saved_tokens.get(model, "prompt").inc(prompt)
        if completion:
            self._cache_saved_tokens.get(model, "completion").inc(completion)
        if micros:
            self._cache_saved_usd.get(model).inc(micros / 1_000_000)

    def cache_rejected(self, model: str, reason: str) -> None:
        self._cache_rejected.get(model, reason).inc()

    def structured(self, model: str, deployment: str, outcome: str) -> None:
        self._structured.get(model, deployment, outcome).inc()

    def routed(self, model: str, tier: str, reason: str) -> None:
        self._routes.get(model, tier, reason).inc()

    def judged(self, model: str, tier: str, mean_logprob: float | None) -> None:
        self._judged.get(model, tier).inc()
        if mean_logprob is not None:
            self._confidence.get(model, tier).observe(mean_logprob)

    def escalated(self, model: str, from_tier: str, to_tier: str, reason: str) -> None:
        self._escalations.get(model, from_tier, to_tier, reason).inc()

    def render(self) -> bytes:
        if not self.multiprocess:
            return generate_latest(self.registry)
        merged = CollectorRegistry()
        MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
        return generate_latest(merged)
