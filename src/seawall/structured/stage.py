"""The structured-output stage: a request that asks for JSON gets JSON that fits, or an
error; never invalid JSON presented as valid.

    stage = StructuredStage({"chat": settings.structured}, metrics)

For a request whose ``response_format`` is ``json_object`` or ``json_schema``: the
upstream is asked without streaming (``response_format`` goes with it: providers with a
native JSON mode use it, the Anthropic adapter turns it into an instruction); each
choice is checked (``validate.problems``); a failing one is repaired when a safe repair
fixes it, or else the model is asked again with the errors fed back, after a backoff
that doubles. After ``max_attempts`` on one deployment, the next attempt avoids it
(the next deployment of the group, then the fallback groups), up to
``max_deployments``. Nothing valid: 422 ``structured_output_failed`` listing every
attempt. A client that asked for a stream gets the checked answer replayed as one, so
it waits the whole generation for its first token. Every answer paid for and not
returned is charged with the one that is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..config import StructuredSettings
from ..errors import RoutingError, StructuredOutputFailed, UpstreamError
from ..pipeline import Context, Next
from ..replay import as_stream
from ..tokens import TokenCounter
from ..types import ChatRequest, Completion, Result
from .repair import reask, repair
from .validate import problems, wants_json

_STREAM_ONLY = ("stream", "stream_options")


class StructuredMetrics(Protocol):
    def structured(self, model: str, deployment: str, outcome: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Attempt:
    deployment: str
    problems: tuple[str, ...]  # empty: valid (perhaps after a repair)
    repaired: bool = False


class StructuredStage:
    name = "structured"

    def __init__(
        self,
        groups: Mapping[str, StructuredSettings],
        metrics: StructuredMetrics,
        counter: TokenCounter,
    ) -> None:
        self._groups = groups
        self._metrics = metrics
        self._counter = counter

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        settings = self._groups.get(ctx.request.model)
        fmt = ctx.request.body.get("response_format")
        if settings is None or not wants_json(fmt):
            return await call_next(ctx)
        original = ctx.request
        start = ctx.trace.now_ms()
        try:
            answer, attempts, ended = await self._attempts(ctx, call_next, settings, fmt)
        finally:
            ctx.request, ctx.pin = original, ""
        attrs = {
            "attempts": len(attempts),
            "repaired": any(a.repaired for a in attempts),
            "failures": [
                f"{a.deployment}: {'; '.join(a.problems)}" for a in attempts if a.problems
            ][:5],
        }
        if answer is None:
            ctx.trace.add("structured.check", start, "failed", attrs)
            raise StructuredOutputFailed(_failure_message(attempts, ended), param="response_format")
        ctx.trace.add("structured.check", start, "ok", attrs)
        return as_stream(answer, original.include_usage) if original.stream else answer

    async def _attempts(
        self, ctx: Context, call_next: Next, settings: StructuredSettings, fmt: Any
    ) -> tuple[Completion | None, list[Attempt], str]:
        """The valid answer (or None), every attempt, and why trying stopped."""
        original = ctx.request
        body = {k: v for k, v in original.body.items() if k not in _STREAM_ONLY}
        messages = list(body.get("messages") or ())
        attempts: list[Attempt] = []
        on_this, deployments = 0, 1
        while True:
            ctx.request = ChatRequest({**body, "messages": messages}, original.model)
            try:
                result = await call_next(ctx)
            except (RoutingError, UpstreamError) as exc:
                if not attempts:
                    raise
                # the answers so far were wrong, and what was left to try failed
                return None, attempts, _why_stopped(exc)
            assert isinstance(result, Completion)  # asked without streaming
            attempt, bad = self._check(result, fmt, settings.repair)
            attempts.append(attempt)
            self._metrics.structured(original.model, result.deployment, _outcome(attempt))
            if not attempt.problems:
                return result, attempts, ""
            spent = self._counter.spent(ctx.request.body, result.data, ctx.prompt_tokens)
            ctx.discarded.append((result.deployment, spent))
            on_this += 1
            if on_this >= settings.max_attempts:
                if deployments >= settings.max_deployments:
                    return None, attempts, f"{deployments} deployments tried (max_deployments)"
                ctx.avoid.add(result.deployment)  # the next deployment starts afresh
                ctx.pin = ""
                on_this, deployments = 0, deployments + 1
                messages = list(body.get("messages") or ())
            else:
                # the re-ask goes to the deployment whose answer it corrects
                ctx.pin = result.deployment
                messages = reask(messages, bad, list(attempt.problems))
            await asyncio.sleep(_backoff(settings, len(attempts)))

    def _check(self, result: Completion, fmt: Any, may_repair: bool) -> tuple[Attempt, str | None]:
        """The attempt's verdict; a repaired answer is written back into ``result``."""
        found: list[str] = []
        repaired = False
        bad: str | None = None
        for choice in result.data.get("choices") or [{}]:
            message = choice.get("message") if isinstance(choice, dict) else None
            content = message.get("content") if isinstance(message, dict) else None
            if content is None and isinstance(message, dict) and message.get("tool_calls"):
                continue  # the model called a tool: that answer has no JSON to check
            wrong = problems(content, fmt)
            if not wrong:
                continue
            fixed = repair(content, fmt) if may_repair else None
            if fixed is not None and isinstance(message, dict):
                message["content"] = fixed
                result.raw = None
                repaired = True
                continue
            found += wrong
            bad = content if isinstance(content, str) else None
        return Attempt(result.deployment, tuple(found), repaired), bad


def _outcome(attempt: Attempt) -> str:
    if attempt.problems:
        return "invalid"
    return "repaired" if attempt.repaired else "valid"


def _backoff(settings: StructuredSettings, attempt: int) -> float:
    return float(min(settings.max_backoff_ms, settings.backoff_ms * 2.0 ** (attempt - 1)) / 1000)


def _why_stopped(exc: RoutingError | UpstreamError) -> str:
    logged = getattr(exc, "attempts", ())
    if logged and all(a.outcome == "skipped:avoided" for a in logged):
        return "no other deployment or fallback group to try"
    return exc.message[:500]


def _failure_message(attempts: list[Attempt], ended: str) -> str:
    listed = "; ".join(
        f"[{n}] {a.deployment}: {', '.join(a.problems)[:300]}" for n, a in enumerate(attempts, 1)
    )
    return (
        f"no answer fit the requested JSON format after {len(attempts)} attempts: {listed}. "
        f"Stopped: {ended}"
    )
