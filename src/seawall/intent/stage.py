"""The intent stage: label the request with the intent its last user message clearly is,
and answer it with the intent's handler when it has one.

The answer comes back as an ordinary chat completion (a stream when the client asked for
one) with ``x-seawall-intent`` and ``x-seawall-deployment: intent:<name>``; no model is
called. Abstention is the default: no user text, an embedder that is slow or busy, a
score under the threshold, or a handler that fails all send the request on to the model
unchanged (the span says which).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from ..config import IntentSettings
from ..embed import Embedder, EmbedderBusy, EmbedderUnavailable
from ..errors import ConfigError
from ..outbound import Outbound
from ..pipeline import Context, Next
from ..types import Chunk, ChunkStream, Completion, Result
from .classifier import IntentClassifier, Match
from .handlers import Handler, HandlerFailed, build

log = logging.getLogger("seawall.intent")


class IntentStage:
    name = "intent"

    def __init__(
        self, settings: IntentSettings, embedder: Embedder, outbound: Outbound, timeout_s: float
    ) -> None:
        try:
            self.classifier = IntentClassifier.from_file(
                settings.examples_file, embedder, settings.threshold
            )
        except EmbedderUnavailable as exc:
            raise ConfigError(f"intents: the embedding model is needed and {exc}") from None
        unknown = sorted(set(settings.handlers) - set(self.classifier.intents))
        if unknown:
            raise ConfigError(
                f"intents.handlers: {', '.join(unknown)} not in {settings.examples_file}"
            )
        self._groups = frozenset(settings.models)
        self._embedder = embedder
        self._budget = settings.budget_ms / 1000
        if not settings.signing_secret and any(h.webhook for h in settings.handlers.values()):
            log.warning(
                "intents.signing_secret is not set: webhook deliveries go out unsigned, "
                "and receivers cannot tell them from forgeries"
            )
        self.handlers: Mapping[str, Handler] = {
            name: build(handler, outbound, settings.signing_secret, timeout_s)
            for name, handler in settings.handlers.items()
        }

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        if self._groups and ctx.request.model not in self._groups:
            return await call_next(ctx)
        text = last_user_text(ctx.request.body.get("messages"))
        if not text or not _answerable(ctx.request.body):
            return await call_next(ctx)
        start = ctx.trace.now_ms()
        try:
            vectors = await asyncio.wait_for(self._embedder.aembed([text]), self._budget)
        except (TimeoutError, EmbedderBusy, EmbedderUnavailable) as exc:
            ctx.trace.add("intent.match", start, "skipped", {"reason": type(exc).__name__})
            return await call_next(ctx)
        match = self.classifier.classify_vector(text, vectors[0])
        attrs: dict[str, Any] = {"score": round(match.score, 4)}
        if match.intent is None:
            attrs["nearest"] = match.runner_up or ""
            ctx.trace.add("intent.match", start, "abstained", attrs)
            return await call_next(ctx)
        ctx.intent = match.intent
        ctx.response_headers.append(("x-seawall-intent", match.intent))
        attrs["intent"] = match.intent
        handler = self.handlers.get(match.intent)
        if handler is None:
            ctx.trace.add("intent.match", start, "labelled", attrs)
            return await call_next(ctx)
        attrs["handler"] = handler.kind
        try:
            answer = await handler(_event(ctx, match, text))
        except HandlerFailed as exc:
            attrs["error"] = str(exc)[:300]
            ctx.trace.add("intent.match", start, "fallback", attrs)
            return await call_next(ctx)
        ctx.trace.add("intent.match", start, "answered", attrs)
        return answered(ctx, match.intent, answer)


def _answerable(body: dict[str, Any]) -> bool:
    """A handler's text answers a plain chat turn only: the last message is the user's,
    and the client asked for no tools, no structured output and one choice."""
    messages = body.get("messages")
    last = messages[-1] if isinstance(messages, list) and messages else None
    if not isinstance(last, dict) or last.get("role") != "user":
        return False
    response_format = body.get("response_format")
    structured = isinstance(response_format, dict) and response_format.get("type") != "text"
    return (
        not body.get("tools")
        and not body.get("functions")
        and not structured
        and body.get("n", 1) == 1
    )


def last_user_text(messages: Any) -> str:
    """The text of the last user message (its text parts joined), or ""."""
    if not isinstance(messages, list):
        return ""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content.strip()
            if isinstance(content, list):
                parts = [
                    p.get("text", "")
                    for p in content
                    if isinstance(p, dict) and p.get("type") == "text"
                ]
                return " ".join(p for p in parts if isinstance(p, str)).strip()
            return ""
    return ""


def _event(ctx: Context, match: Match, text: str) -> dict[str, Any]:
    return {
        "type": "intent.matched",
        "intent": match.intent,
        "score": round(match.score, 4),
        "text": text,
        "messages": ctx.request.body.get("messages"),
        "request_id": ctx.trace.request_id,
        "tenant": ctx.tenant,
    }


def answered(ctx: Context, intent: str, text: str) -> Result:
    """The handler's answer as the completion (or stream) the client asked for."""
    base = {
        "id": f"chatcmpl-{secrets.token_hex(12)}",
        "created": int(time.time()),
        "model": ctx.request.model,
    }
    usage = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}
    deployment = f"intent:{intent}"
    if not ctx.request.stream:
        message = {"role": "assistant", "content": text, "refusal": None}
        choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
        data = {**base, "object": "chat.completion", "choices": [choice], "usage": usage}
        return Completion(data, raw=None, deployment=deployment)

    def chunk(delta: dict[str, Any], finish: str | None = None) -> Chunk:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return Chunk({**base, "object": "chat.completion.chunk", "choices": [choice]})

    async def rest() -> AsyncIterator[Chunk]:
        yield chunk({}, "stop")
        if ctx.request.include_usage:
            yield Chunk({**base, "object": "chat.completion.chunk", "choices": [], "usage": usage})

    async def close() -> None:
        return None

    first = chunk({"role": "assistant", "content": text})
    return ChunkStream(deployment, first, rest(), close)
