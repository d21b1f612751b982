"""The input guard stage: PII and secrets in every message, by the model group's policy.

    redact   values become placeholders upstream; the answer is restored for the caller
    block    400 guard_blocked, ``param`` naming the check ("pii:EMAIL_ADDRESS")
    flag     passed as they are; the trace says what was found
    allow    not looked at

Every role is screened (system, user, assistant, tool results), in plain string content
and in text parts; tool call arguments too.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from ..config import GuardSettings
from ..errors import GuardBlocked
from ..pipeline import Context, Next
from ..types import Chunk, ChunkStream, Completion, Result
from .redact import StreamRestorer, Vault


class InputGuard:
    name = "guard"

    def __init__(self, policies: Mapping[str, GuardSettings]) -> None:
        self._policies = policies

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        policy = self._policies.get(ctx.request.model)
        if policy is None or policy.pii == "allow":
            return await call_next(ctx)
        start = ctx.trace.now_ms()
        vault = Vault()
        body = ctx.request.body
        redacted = _redact_messages(body.get("messages"), vault.redact)
        if not vault:
            return await call_next(ctx)
        attrs = {"policy": policy.pii, "types": ",".join(vault.types), "found": len(vault.found)}
        if policy.pii == "block":
            ctx.trace.add("guard.pii", start, "blocked", attrs)
            first = vault.types[0]
            raise GuardBlocked(
                f"the request carries {', '.join(vault.types)}, which this model does not accept",
                param=f"pii:{first}",
            )
        ctx.trace.add("guard.pii", start, "flagged" if policy.pii == "flag" else "redacted", attrs)
        ctx.internal_only = policy.pii_internal_only
        if policy.pii == "flag":
            ctx.pii = "flagged"
            return await call_next(ctx)
        ctx.request.body = {**body, "messages": redacted}
        ctx.pii = "redacted"
        result = await call_next(ctx)
        if isinstance(result, Completion):
            return _restore_completion(result, vault)
        return _restore_stream(result, vault)


def _redact_messages(messages: Any, redact: Callable[[str], str]) -> Any:
    if not isinstance(messages, list):
        return messages
    out = []
    for message in messages:
        if not isinstance(message, dict):
            out.append(message)
            continue
        message = copy.copy(message)
        content = message.get("content")
        if isinstance(content, str):
            message["content"] = redact(content)
        elif isinstance(content, list):
            message["content"] = [_redact_part(p, redact) for p in content]
        if isinstance(message.get("tool_calls"), list):
            message["tool_calls"] = [_redact_call(c, redact) for c in message["tool_calls"]]
        out.append(message)
    return out


def _redact_part(part: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(part, dict) and isinstance(part.get("text"), str):
        return {**part, "text": redact(part["text"])}
    return part


def _redact_call(call: Any, redact: Callable[[str], str]) -> Any:
    function = call.get("function") if isinstance(call, dict) else None
    if isinstance(function, dict) and isinstance(function.get("arguments"), str):
        return {**call, "function": {**function, "arguments": redact(function["arguments"])}}
    return call


def _restore_completion(result: Completion, vault: Vault) -> Completion:
    for choice in result.data.get("choices") or ():
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        if isinstance(message.get("content"), str):
            message["content"] = vault.restore(message["content"])
        for call in message.get("tool_calls") or ():
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                function["arguments"] = vault.restore(function["arguments"])
    result.raw = None
    return result


def _restore_stream(stream: ChunkStream, vault: Vault) -> ChunkStream:
    """Restores ``delta.content`` per choice; what a restorer holds back is released
    with the choice's finish (or in a last chunk if the stream ends without one)."""
    restorers: dict[int, StreamRestorer] = {}
    last: dict[str, Any] = {}

    def restore(chunk: Chunk) -> Chunk:
        data = chunk.data
        last.update({k: data[k] for k in ("id", "object", "created", "model") if k in data})
        for choice in data.get("choices") or ():
            if not isinstance(choice, dict):
                continue
            index = choice.get("index", 0)
            restorer = restorers.setdefault(index, vault.stream_restorer())
            delta = choice.get("delta") or {}
            if isinstance(delta.get("content"), str):
                delta["content"] = restorer.feed(delta["content"])
            if choice.get("finish_reason"):
                held = restorer.flush()
                if held:
                    delta["content"] = (delta.get("content") or "") + held
                    choice["delta"] = delta
        chunk.raw = None
        return chunk

    async def rest() -> AsyncIterator[Chunk]:
        async for chunk in stream.rest:
            yield restore(chunk)
        leftovers = [(i, r.flush()) for i, r in restorers.items()]
        for index, held in leftovers:
            if held:
                yield Chunk(
                    {
                        **last,
                        "choices": [
                            {"index": index, "delta": {"content": held}, "finish_reason": None}
                        ],
                    }
                )

    return ChunkStream(stream.deployment, restore(stream.first), rest(), stream.close)
