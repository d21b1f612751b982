"""The pipeline stage of router groups: pick a tier by rules, and re-send an answer the
tier is unsure of to its escalation tier.

    stage = RouterStage({"auto": router}, token_counter, metrics)

For a tier that escalates, the request is sent without streaming (and with
``logprobs`` when the signal needs them) so that the whole answer can be judged
before any of it is released; a client that asked for a stream gets the judged answer
replayed as one, so escalation costs time to the first token. The last tier of a chain
is called as the client asked, streams included. If that call fails, the best unsure
answer already in hand is returned rather than an error, marked low-confidence (never
cached, and flagged to review policies). Every answer that was paid for and not
returned is charged with the one that was.

The choice goes to ``x-seawall-route: <tier>; reason=<why>`` (with ``from=<tier>`` after
an escalation), to the ``route.choose`` and ``route.judge`` spans and to metrics.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ..errors import (
    Overloaded,
    RateLimited,
    RoutingError,
    StructuredOutputFailed,
    UpstreamError,
    UpstreamRejected,
)
from ..pipeline import Context, Next
from ..replay import as_stream
from ..tokens import TokenCounter
from ..types import ChatRequest, Completion, Result, Usage
from .confidence import Verdict, judge
from .features import has_code, has_images, has_math, user_text, wants_tools
from .rules import Facts, Router

# what a tier's failure looks like once its own retries and fallbacks are spent
_FAILED = (
    UpstreamError,
    UpstreamRejected,
    RoutingError,
    Overloaded,
    RateLimited,
    StructuredOutputFailed,
)
_STREAM_ONLY = ("stream", "stream_options")


class RouteMetrics(Protocol):
    def routed(self, model: str, tier: str, reason: str) -> None: ...

    def judged(self, model: str, tier: str, mean_logprob: float | None) -> None: ...

    def escalated(self, model: str, from_tier: str, to_tier: str, reason: str) -> None: ...


class RouterStage:
    name = "route"

    def __init__(
        self, routers: Mapping[str, Router], counter: TokenCounter, metrics: RouteMetrics
    ) -> None:
        self._routers = routers
        self._counter = counter
        self._metrics = metrics

    @property
    def enabled(self) -> bool:
        return bool(self._routers)

    @property
    def counts_tokens(self) -> bool:
        return any(r.counts_tokens for r in self._routers.values())

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        router = self._routers.get(ctx.request.model)
        if router is None:
            return await call_next(ctx)
        start = ctx.trace.now_ms()
        facts = await self._facts(ctx, router)
        choice = router.choose(facts)
        self._metrics.routed(router.name, choice.tier, choice.reason)
        attrs = {"tier": choice.tier, "reason": choice.reason, "tokens": facts.tokens}
        attrs |= {"code": facts.code, "math": facts.math, "tools": facts.tools}
        ctx.trace.add("route.choose", start, "ok", attrs)
        return await _Walk(self, ctx, call_next, router).run(choice.tier, choice.reason)

    async def _facts(self, ctx: Context, router: Router) -> Facts:
        body = ctx.request.body
        tokens = None
        if router.counts_tokens:
            known = ctx.prompt_tokens
            tokens = known if known is not None else await self._counter.prompt(body)
        text = user_text(body) if router.reads_text else ""
        return Facts(
            tokens=tokens,
            tools=wants_tools(body),
            code=bool(text) and has_code(text),
            math=bool(text) and has_math(text),
            images=has_images(body),
            pii=bool(ctx.pii),
            intent=ctx.intent,
            tenant=ctx.tenant,
            key=ctx.principal.key_id,
            internal_only=ctx.internal_only,
        )

    def _usage(self, ctx: Context, answer: Completion) -> Usage:
        return self._counter.spent(ctx.request.body, answer.data, ctx.prompt_tokens)


class _Walk:
    """One request's way down a router's tiers."""

    def __init__(self, stage: RouterStage, ctx: Context, call_next: Next, router: Router) -> None:
        self._stage = stage
        self._ctx = ctx
        self._next = call_next
        self._router = router
        # answers judged unsure so far: (tier, why it was chosen, answer, verdict)
        self._unsure: list[tuple[str, str, Completion, Verdict]] = []
        self._first_tier = ""

    async def run(self, tier: str, reason: str) -> Result:
        self._first_tier = tier
        while True:
            escalation = self._router.escalation(tier, self._ctx.internal_only)
            if escalation is None:
                return await self._last(tier, reason)
            answer, verdict = await self._judged(tier)
            if answer is not None and verdict.trusted:
                return self._deliver(tier, reason, answer)
            self._stage._metrics.escalated(self._router.name, tier, escalation.to, verdict.reason)
            if answer is not None:
                self._unsure.append((tier, reason, answer, verdict))
            tier, reason = escalation.to, f"escalated:{verdict.reason}"

    async def _judged(self, tier: str) -> tuple[Completion | None, Verdict]:
        """The tier's whole answer and the verdict on it (None: the tier failed)."""
        ctx = self._ctx
        escalation = self._router.settings.escalate[tier]
        original = ctx.request
        body = {k: v for k, v in original.body.items() if k not in _STREAM_ONLY}
        added = (
            escalation.request_logprobs
            and "logprob" in escalation.signals
            and not body.get("logprobs")
        )
        if added:
            body["logprobs"] = True
        ctx.route, ctx.request = tier, ChatRequest(body, original.model)
        start = ctx.trace.now_ms()
        try:
            result = await self._next(ctx)
        except StructuredOutputFailed as exc:  # every attempt at the requested JSON failed
            if "schema" not in escalation.signals:
                raise
            ctx.trace.add("route.judge", start, "failed", {"tier": tier, "error": exc.message})
            return None, Verdict("schema")
        except _FAILED as exc:
            if "error" not in escalation.signals:
                raise
            ctx.trace.add("route.judge", start, "failed", {"tier": tier, "error": exc.message})
            return None, Verdict("error")
        finally:
            ctx.request = original
        assert isinstance(result, Completion)  # asked without streaming
        verdict = judge(result.data, original.body, escalation)
        self._stage._metrics.judged(self._router.name, tier, verdict.mean_logprob)
        status = "trusted" if verdict.trusted else "unsure"
        attrs = {"tier": tier, "reason": verdict.reason, "mean_logprob": verdict.mean_logprob}
        ctx.trace.add("route.judge", start, status, attrs)
        if added:
            _drop_logprobs(result)
        return result, verdict

    async def _last(self, tier: str, reason: str) -> Result:
        """A tier that does not escalate answers as the client asked, streams included;
        if it fails, the best unsure answer in hand is better than an error."""
        self._ctx.route = tier
        try:
            result = await self._next(self._ctx)
        except _FAILED:
            if not self._unsure:
                raise
            unsure_tier, why, answer, verdict = self._unsure.pop()
            self._ctx.low_confidence = verdict.reason
            self._ctx.no_store = f"low confidence: {verdict.reason}"
            return self._deliver(unsure_tier, f"{why}; unsure={verdict.reason}", answer)
        self._charge()
        self._announce(tier, reason)
        return result

    def _deliver(self, tier: str, reason: str, answer: Completion) -> Result:
        self._charge()
        self._announce(tier, reason)
        request = self._ctx.request
        return as_stream(answer, request.include_usage) if request.stream else answer

    def _charge(self) -> None:
        """Answers that were paid for and not returned are charged with the one that is."""
        for _, _, answer, _ in self._unsure:
            self._ctx.discarded.append((answer.deployment, self._stage._usage(self._ctx, answer)))
        self._unsure.clear()

    def _announce(self, tier: str, reason: str) -> None:
        value = f"{tier}; reason={reason}"
        if tier != self._first_tier:
            value += f"; from={self._first_tier}"
        self._ctx.response_headers.append(("x-seawall-route", value))


def _choices(answer: Completion) -> list[dict[str, Any]]:
    return [c for c in answer.data.get("choices") or () if isinstance(c, dict)]


def _drop_logprobs(answer: Completion) -> None:
    """Log-probabilities the gateway asked for, not the client: not part of its answer."""
    for choice in _choices(answer):
        choice["logprobs"] = None
    answer.raw = None
