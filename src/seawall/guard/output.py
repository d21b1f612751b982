"""The output guard: what the model says that it should not.

- PII and secrets in the answer that were not in the request (a model repeating its
  training data, or another user's data from a poisoned context).
- Leaks of the system prompt: with ``guard.canary``, a random marker is added to the
  system message; an answer that contains it is repeating its instructions.

The group's ``guard.output`` policy applies: ``redact`` replaces the value with
``[REDACTED:TYPE]``, ``block`` refuses (400 ``guard_blocked``, ``param`` like
``output:SECRET``; on a stream that has started, an SSE error event ends it), ``flag``
marks the trace. Streams are held back by a short window so that a match can be cut
before any of it is sent. The check runs inside the input guard, on the answer as it
came back: placeholders of the caller's own values are not findings.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from typing import Any

from ..config import GuardSettings
from ..errors import GuardBlocked, StreamBroken
from ..pipeline import Context, Next
from ..types import Chunk, ChunkStream, Completion, Result
from .pii import Finding, detect

_WINDOW = 96  # characters held back on streams: longer than any value the patterns find
_CANARY_TYPE = "SYSTEM_PROMPT"


class OutputGuard:
    name = "output_guard"

    def __init__(self, policies: Mapping[str, GuardSettings]) -> None:
        self._policies = policies

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        policy = self._policies.get(ctx.request.model)
        if policy is None or policy.output == "allow":
            return await call_next(ctx)
        canary = _plant_canary(ctx) if policy.canary else None
        check = _Check(ctx, policy.output, canary)
        result = await call_next(ctx)
        if isinstance(result, Completion):
            return check.completion(result)
        try:
            return check.stream(result)
        except BaseException:  # refused on its first chunk: nothing was sent yet
            await result.close()
            raise


def _plant_canary(ctx: Context) -> str | None:
    """A random marker at the end of the first system (or developer) message."""
    messages = ctx.request.body.get("messages")
    if not isinstance(messages, list):
        return None
    for index, message in enumerate(messages):
        if isinstance(message, dict) and message.get("role") in ("system", "developer"):
            content = message.get("content")
            if not isinstance(content, str):
                return None
            canary = "sw-" + os.urandom(6).hex()
            changed = {**message, "content": f"{content}\n\n(ref {canary})"}
            ctx.request.body = {
                **ctx.request.body,
                "messages": [*messages[:index], changed, *messages[index + 1 :]],
            }
            return canary
    return None


class _Check:
    def __init__(self, ctx: Context, policy: str, canary: str | None) -> None:
        self._ctx = ctx
        self._policy = policy
        self._canary = canary
        self._request = _all_text(ctx.request.body)
        self.found: list[str] = []

    def findings(self, text: str) -> list[Finding]:
        """New sensitive values in ``text``: not anywhere in the request."""
        out = [f for f in detect(text) if f.value not in self._request]
        if self._canary:
            start = text.find(self._canary)
            if start >= 0:
                out.append(Finding(_CANARY_TYPE, start, start + len(self._canary), self._canary))
        return sorted(out, key=lambda f: f.start)

    def apply(self, text: str, findings: list[Finding]) -> str:
        if not findings:
            return text
        self.found.extend(f.type for f in findings)
        self._mark()
        if self._policy == "block":
            raise GuardBlocked(
                f"the answer carried {', '.join(sorted({f.type for f in findings}))}, "
                "which this model may not return",
                param=f"output:{findings[0].type}",
            )
        if self._policy == "flag":
            return text
        parts, last = [], 0
        for item in findings:
            parts += [text[last : item.start], f"[REDACTED:{item.type}]"]
            last = item.end
        return "".join([*parts, text[last:]])

    def _mark(self) -> None:
        types = ",".join(sorted(set(self.found)))
        status = {"block": "blocked", "flag": "flagged"}.get(self._policy, "redacted")
        now = self._ctx.trace.now_ms()
        self._ctx.trace.add("guard.output", now, status, {"policy": self._policy, "types": types})
        self._ctx.pii = self._ctx.pii or "flagged"  # keep the answer's text out of traces

    def completion(self, result: Completion) -> Completion:
        changed = False
        for choice in result.data.get("choices") or ():
            message = choice.get("message") if isinstance(choice, dict) else None
            if isinstance(message, dict) and isinstance(message.get("content"), str):
                text = message["content"]
                message["content"] = self.apply(text, self.findings(text))
                changed = changed or message["content"] != text
        if changed:
            result.raw = None
        return result

    def stream(self, stream: ChunkStream) -> ChunkStream:
        held: dict[int, str] = {}
        last: dict[str, Any] = {}

        def release(index: int, text: str, final: bool) -> str:
            text = held.pop(index, "") + text
            findings = self.findings(text)
            cut = len(text) if final else max(0, len(text) - _WINDOW)
            for item in findings:
                if item.start < cut < item.end:
                    cut = item.start  # never send part of a finding
            ready = [f for f in findings if f.end <= cut]
            held[index] = text[cut:]
            return self.apply(text[:cut], ready)

        def check(chunk: Chunk) -> Chunk:
            data = chunk.data
            last.update({k: data[k] for k in ("id", "object", "created", "model") if k in data})
            for choice in data.get("choices") or ():
                if not isinstance(choice, dict):
                    continue
                delta = choice.get("delta") or {}
                final = bool(choice.get("finish_reason"))
                text = delta.get("content")
                if isinstance(text, str) or final:
                    out = release(choice.get("index", 0), text or "", final)
                    if isinstance(text, str) or out:
                        delta["content"] = out
                        choice["delta"] = delta
            chunk.raw = None
            return chunk

        def leftovers() -> list[Chunk]:
            out = []
            for index in list(held):
                text = release(index, "", True)
                if text:
                    choice = {"index": index, "delta": {"content": text}, "finish_reason": None}
                    out.append(Chunk({**last, "choices": [choice]}))
            return out

        async def rest() -> AsyncIterator[Chunk]:
            try:
                async for chunk in stream.rest:
                    if chunk.is_usage_only:
                        for item in leftovers():
                            yield item
                    yield check(chunk)
                for item in leftovers():
                    yield item
            except GuardBlocked as exc:  # the stream has started: end it with an error event
                raise StreamBroken(exc.message) from None

        return ChunkStream(stream.deployment, check(stream.first), rest(), stream.close)


def _all_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(_all_text(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(_all_text(v) for v in value.values())
    return ""
