"""The request lifecycle, stage by stage.

A stage is a small object with one method, ``__call__(ctx, call_next)``: it may look
at or change the context, answer on its own (a guard block, a cache hit, an intent),
or call the next stage and look at or wrap what comes back. The pipeline decides the
order; stages know nothing of each other. Each stage gets a span in the trace.

Order (ARCHITECTURE.md, "The spine"); the stages of later layers slot in here:

    parse, bound, authenticate     (server: before the pipeline; sets ctx.principal)
    review gate                    ReviewGate: answers a policy catches wait for a person
                                   (outermost: charged and guarded whatever is decided)
    rate limit and budget          LimitStage: holds, then settles what was used
    input guard                    InputGuard: PII and secrets by the group's policy
    intent                         IntentStage: label, or answer with a handler
    output guard                   OutputGuard: new PII, secrets, system-prompt leaks
    cache                          CacheStage: exact, then semantic (verified); hits
                                   still pass the output guard, stores at success
    route                          RouterStage: a router group picks a tier by rules,
                                   and re-sends unsure answers to the escalation tier
    structured output              StructuredStage: JSON answers checked, repaired or
                                   re-asked (other deployments avoided after their budget)
    context                        (later)
    dispatch                       DispatchStage: balance, breakers, bulkheads,
                                   timeouts, retries, fallbacks
    output checks, review gate     (later)
    record                         (server: when the last byte is sent)

    pipeline = Pipeline([...stages], DispatchStage(dispatcher))
    result = await pipeline.run(ctx)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .auth.keys import ANONYMOUS, Principal
from .errors import SeawallError
from .resilience.dispatch import Deployment, Dispatcher
from .trace.tracer import Trace
from .types import ChatRequest, Result, Usage


@dataclass(slots=True)
class Context:
    """Everything one request carries through the stages."""

    request: ChatRequest
    trace: Trace
    headers: Mapping[str, str]  # the client's request headers, lower-cased names
    upstream_headers: dict[str, str] = field(default_factory=dict)
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    tenant: str = ""
    principal: Principal = ANONYMOUS
    # "redacted" or "flagged" when the guard found sensitive values: traces keep them out
    pii: str = ""
    internal_only: bool = False  # only deployments marked internal may serve it
    guard_flags: set[str] = field(default_factory=set)  # checks that flagged and let it pass
    intent: str = ""  # the configured intent the request clearly is, if any
    retries: int = 0
    fallbacks: int = 0
    # text a stage added to the request for this process only (the output guard's canary
    # mark): the cache keys leave it out
    planted: str = ""
    # why this answer must not be stored for other requests ("" = it may be)
    no_store: str = ""
    # run by the server once the whole response has reached the client with status 200
    on_success: list[Callable[[], None]] = field(default_factory=list)
    prompt_tokens: int | None = None  # counted by the token budget, when it runs
    # the model group the router chose for this request ("": the one the client named)
    route: str = ""
    # why the answer the client gets is not trusted ("" = nothing known against it)
    low_confidence: str = ""
    # answers paid for upstream that the client did not get: (deployment, usage)
    discarded: list[tuple[str, Usage]] = field(default_factory=list)
    deadline: float | None = None  # the first dispatch's; later ones (escalation) share it
    # deployments not to send this request to again (their answers failed the schema)
    avoid: set[str] = field(default_factory=set)
    pin: str = ""  # a deployment to try first (a re-ask goes where the answer came from)
    job_id: str = ""  # the job this request runs for (POST /v1/jobs), if any


Next = Callable[[Context], Awaitable[Result]]


class Stage(Protocol):
    name: str

    async def __call__(self, ctx: Context, call_next: Next) -> Result: ...


class Terminal(Protocol):
    name: str

    async def __call__(self, ctx: Context) -> Result: ...


class Pipeline:
    def __init__(self, stages: Sequence[Stage], terminal: Terminal) -> None:
        self.stages = tuple(stages)
        self.terminal = terminal
        chain: Next = _spanned_terminal(terminal)
        for stage in reversed(self.stages):
            chain = _spanned(stage, chain)
        self._chain = chain

    async def run(self, ctx: Context) -> Result:
        return await self._chain(ctx)


def _spanned(stage: Stage, call_next: Next) -> Next:
    name = stage.name

    async def run(ctx: Context) -> Result:
        start = ctx.trace.now_ms()
        try:
            result = await stage(ctx, call_next)
        except SeawallError as exc:
            ctx.trace.add(name, start, f"error:{exc.code}")
            raise
        ctx.trace.add(name, start)
        return result

    return run


def _spanned_terminal(terminal: Terminal) -> Next:
    async def run(ctx: Context) -> Result:
        start = ctx.trace.now_ms()
        try:
            result = await terminal(ctx)
        except SeawallError as exc:
            ctx.trace.add(terminal.name, start, f"error:{exc.code}")
            raise
        ctx.trace.add(terminal.name, start)
        return result

    return run


class _CallObserver:
    """Reports one request's upstream attempts to its trace and to the metrics."""

    __slots__ = ("_ctx", "_metrics", "_start")

    def __init__(self, ctx: Context, metrics: DispatchMetrics) -> None:
        self._ctx = ctx
        self._metrics = metrics
        self._start = ctx.trace.now_ms()

    def attempt(
        self, deployment: Deployment, outcome: str, seconds: float, detail: str = ""
    ) -> None:
        trace = self._ctx.trace
        attrs = {"deployment": deployment.id, "group": deployment.group}
        if detail:
            attrs["error"] = detail[:500]
        trace.spans.append(
            ("upstream", trace.now_ms() - seconds * 1000, seconds * 1000, outcome, attrs)
        )
        self._metrics.attempt(deployment.id, outcome)

    def retry(self, group: str) -> None:
        self._ctx.retries += 1
        self._metrics.retry(group)

    def fallback(self, from_group: str, to_group: str) -> None:
        self._ctx.fallbacks += 1
        self._metrics.fallback(from_group, to_group)


class DispatchMetrics(Protocol):
    def attempt(self, deployment: str, outcome: str) -> None: ...

    def retry(self, model: str) -> None: ...

    def fallback(self, from_model: str, to_model: str) -> None: ...


class DispatchStage:
    """The last stage: send the request upstream, resiliently."""

    name = "dispatch"

    def __init__(self, dispatcher: Dispatcher, metrics: DispatchMetrics) -> None:
        self._dispatcher = dispatcher
        self._metrics = metrics

    async def __call__(self, ctx: Context) -> Result:
        call = self._dispatcher.call(
            ctx.route or ctx.request.model, ctx.upstream_headers, _CallObserver(ctx, self._metrics)
        )
        if ctx.deadline is None:
            ctx.deadline = call.deadline
        call.deadline = ctx.deadline  # one total timeout, however many tiers answer
        call.internal_only = ctx.internal_only
        call.avoid, call.pin = ctx.avoid, ctx.pin
        if ctx.request.stream:
            return await self._dispatcher.stream(call, ctx.request)
        return await self._dispatcher.complete(call, ctx.request)
