"""The injection stage: every message of the request through the cascade of
``injection.py``, by the model group's policy.

    block   400 guard_blocked, ``param`` "injection"
    flag    passed; the trace (and later review policies) know
    allow   not looked at

Every role is screened by default (system, user, assistant, tool results), since
retrieved documents and tool output are where indirect injections live;
``guard.injection_roles`` narrows it. The messages are screened as one
text, one message a line, so an attack split across messages is read whole; long
conversations fall into windows, each scored, the worst deciding.

Stage two (the embedder) has a time budget: when it is slow, queued behind other
requests, or not installed, the verdict is stage one's alone and the span says
``degraded``. A screen must not take the gateway down with it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

from ..config import GuardSettings
from ..embed import Embedder, EmbedderBusy, EmbedderUnavailable
from ..errors import GuardBlocked
from ..pipeline import Context, Next
from ..types import Result
from .injection import InjectionScreen, Model, Verdict
from .policy import GuardPolicies

log = logging.getLogger("seawall.guard")

_INLINE_CHARS = 32_768  # past this, the screen runs in a thread (~2 ms per 1,000 chars)


class InjectionGuard:
    name = "injection"

    def __init__(
        self,
        policies: GuardPolicies | Mapping[str, GuardSettings],
        model: Model,
        embedder: Embedder,
    ) -> None:
        self._policies = GuardPolicies.of_groups(policies)
        self._model = model
        self._embedder = embedder
        self._screens: dict[float | None, InjectionScreen] = {}  # by threshold
        for policy in self._policies.groups.values():
            if policy.injection != "allow":
                self._screen(policy.injection_threshold)
        self.problem = ""  # why stage two cannot run, when it cannot (readyz says it)

    def _screen(self, threshold: float | None) -> InjectionScreen:
        found = self._screens.get(threshold)
        if found is None:
            found = self._screens[threshold] = InjectionScreen(
                self._model, threshold, self._embedder
            )
        return found

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        settings = self._policies.of(ctx.request.model, ctx.principal.guard)
        if settings is None or settings.injection == "allow":
            return await call_next(ctx)
        screen = self._screen(settings.injection_threshold)
        start = ctx.trace.now_ms()
        parts = message_texts(ctx.request.body.get("messages"), frozenset(settings.injection_roles))
        text = "\n".join(t for _, t in parts)
        verdict, degraded = await self._check(screen, text, settings.injection_budget_ms / 1000)
        policy = settings.injection
        attrs: dict[str, Any] = {
            "score": round(verdict.score, 4),
            "threshold": screen.threshold,
            "stage": verdict.stage,
            "embedded": verdict.embedded,
        }
        if degraded:
            attrs["degraded"] = degraded
        if verdict.signals:
            attrs["signals"] = ",".join(verdict.signals)
        if not verdict.flagged:
            ctx.trace.add("guard.injection", start, "ok", attrs)
            return await call_next(ctx)
        ctx.guard_flags.add("injection")
        if policy == "block":
            ctx.trace.add("guard.injection", start, "blocked", attrs)
            raise GuardBlocked(
                f"{_where(parts, verdict)} looks like a prompt injection or jailbreak attempt "
                f"(score {verdict.score:.2f}), which the guard policy for this model and key "
                "does not accept",
                param="injection",
            )
        ctx.trace.add("guard.injection", start, "flagged", attrs)
        return await call_next(ctx)

    async def _check(
        self, screen: InjectionScreen, text: str, budget: float
    ) -> tuple[Verdict, str]:
        if len(text) > _INLINE_CHARS:
            texts, windows, unsure = await asyncio.to_thread(screen.stage_one, text)
        else:
            texts, windows, unsure = screen.stage_one(text)
        vectors, degraded = None, ""
        if unsure:
            try:
                vectors = await asyncio.wait_for(
                    self._embedder.aembed(screen.window_texts(texts, unsure)), budget
                )
            except TimeoutError:
                degraded = "embedder slow"
            except EmbedderBusy:
                degraded = "embedder busy"
            except EmbedderUnavailable as exc:
                degraded = "embedder unavailable"
                if not self.problem:
                    log.warning("injection screen runs on stage one alone: %s", exc)
                self.problem = str(exc)
        if len(text) > _INLINE_CHARS:
            verdict = await asyncio.to_thread(screen.decide, text, texts, windows, unsure, vectors)
            return verdict, degraded
        return screen.decide(text, texts, windows, unsure, vectors), degraded

    def warm(self) -> None:
        """Load the embedder (in the caller's thread) if any group screens."""
        if self._screens:
            try:
                self._embedder.load()
            except EmbedderUnavailable as exc:
                log.warning("injection screen will run on stage one alone: %s", exc)
                self.problem = str(exc)


def message_texts(messages: Any, roles: frozenset[str] | None = None) -> list[tuple[int, str]]:
    """What the messages say, as (message index, text): contents and text parts, and
    tool call arguments; not roles, names, ids or media, which are the application's and
    would only add noise for the screen. ``roles``: the roles screened (None: all)."""
    if not isinstance(messages, list):
        return []
    out: list[tuple[int, str]] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or (
            roles is not None and message.get("role") not in roles
        ):
            continue
        content = message.get("content")
        if isinstance(content, str):
            out.append((index, content))
        elif isinstance(content, list):
            out.extend(
                (index, part["text"])
                for part in content
                if isinstance(part, dict) and isinstance(part.get("text"), str)
            )
        for call in message.get("tool_calls") or ():
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                out.append((index, function["arguments"]))
    return [(index, text) for index, text in out if text]


def _where(parts: list[tuple[int, str]], verdict: Verdict) -> str:
    """Which message the worst window sits in (most of it), for the refusal; offsets are
    those of the normalised text, close to the messages' own unless characters were
    removed, so a decoded view names no message."""
    if verdict.view != 0:
        return "the request"
    start, end = verdict.window
    best, where, offset = 0, "the request", 0
    for index, text in parts:
        overlap = min(end, offset + len(text)) - max(start, offset)
        if overlap > best:
            best, where = overlap, f"messages[{index}]"
        offset += len(text) + 1
    return where
