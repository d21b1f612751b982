"""The input guard stage: PII and secrets in every message, by the model group's policy.

    redact   values become placeholders upstream; the answer is restored for the caller
    block    400 guard_blocked, ``param`` naming the check ("pii:EMAIL_ADDRESS")
    flag     passed as they are; the trace says what was found
    allow    not looked at

Every role is screened (system, user, assistant, tool results): every string of a
message (content, text parts, names, refusals, legacy function calls) except
identifiers and media (image, audio and file parts), tool call arguments value by value
(decoded from JSON, so an escaped value cannot slip through), and the request's `user`
and `metadata`. Tool and schema definitions are the application's, not the user's, and
are left alone.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from ..config import GuardSettings
from ..errors import GuardBlocked
from ..pipeline import Context, Next
from ..trace.tracer import Trace
from ..types import Chunk, ChunkStream, Completion, Result
from .pii import detect
from .redact import StreamRestorer, Vault, strings_of


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
        everything = strings_of(body)
        if "\\u" not in everything and not detect(everything):
            return await call_next(ctx)  # the common case: nothing to look at field by field
        vault.reserve(everything)
        if len(everything) > _INLINE_CHARS:  # ~0.7 ms per 1,000 tokens: long ones in a thread
            redacted = await asyncio.to_thread(_redact_body, body, vault)
        else:
            redacted = _redact_body(body, vault)
        if not vault:
            return await call_next(ctx)
        attrs = {"policy": policy.pii, "types": ",".join(vault.types), "found": len(vault.found)}
        if policy.pii == "block":
            ctx.pii = "blocked"
            ctx.trace.add("guard.pii", start, "blocked", attrs)
            raise GuardBlocked(
                f"the request carries {', '.join(vault.types)}, which this model does not accept",
                param=f"pii:{_worst(vault.types)}",
            )
        ctx.trace.add("guard.pii", start, "flagged" if policy.pii == "flag" else "redacted", attrs)
        ctx.internal_only = policy.pii_internal_only
        if policy.pii == "flag":
            ctx.pii = "flagged"
            return await call_next(ctx)
        ctx.request.body = {**body, **redacted}
        ctx.pii = "redacted"
        result = await call_next(ctx)
        if isinstance(result, Completion):
            return _restore_completion(result, vault)
        return _restore_stream(result, vault)

    def screen_inputs(
        self, model: str, body: dict[str, Any], trace: Trace
    ) -> tuple[dict[str, Any], bool]:
        """An embeddings request's ``input`` by the same policy (token arrays pass; there
        is no answer to restore): the body to send, and whether only internal
        deployments may serve it."""
        policy = self._policies.get(model)
        value = body.get("input")
        if policy is None or policy.pii == "allow" or not isinstance(value, (str, list)):
            return body, False
        start = trace.now_ms()
        vault = Vault()
        redacted = _redact(value, vault.redact)
        if not vault:
            return body, False
        attrs = {"policy": policy.pii, "types": ",".join(vault.types), "found": len(vault.found)}
        if policy.pii == "block":
            trace.add("guard.pii", start, "blocked", attrs)
            raise GuardBlocked(
                f"the input carries {', '.join(vault.types)}, which this model does not accept",
                param=f"pii:{_worst(vault.types)}",
            )
        trace.add("guard.pii", start, "flagged" if policy.pii == "flag" else "redacted", attrs)
        if policy.pii == "flag":
            return body, policy.pii_internal_only
        return {**body, "input": redacted}, policy.pii_internal_only


def _worst(types: list[str]) -> str:
    return min(types, key=lambda t: (_SEVERITY.get(t, 99), t))


_SCREENED = ("messages", "user", "metadata")
_INLINE_CHARS = 32_768


def _redact_body(body: dict[str, Any], vault: Vault) -> dict[str, Any]:
    return {name: _redact(body[name], vault.redact) for name in _SCREENED if name in body}


# keys whose values are identifiers or media, never free text
_NOT_TEXT = frozenset(
    {"role", "type", "id", "tool_call_id", "image_url", "input_audio", "file", "detail"}
)
_SEVERITY = {"SECRET": 0, "CREDIT_CARD": 1, "IBAN_CODE": 2, "US_SSN": 3}


def _redact(value: Any, redact: Callable[[str], str], key: str = "") -> Any:
    """Every free-text string in ``value``, redacted (copies; the original is kept)."""
    if isinstance(value, str):
        return _redact_arguments(value, redact) if key == "arguments" else redact(value)
    if isinstance(value, list):
        return [_redact(item, redact) for item in value]
    if isinstance(value, dict):
        return {k: v if k in _NOT_TEXT else _redact(v, redact, k) for k, v in value.items()}
    return value


def _redact_arguments(arguments: str, redact: Callable[[str], str]) -> str:
    """Tool call arguments are JSON: redact the values, not the escaped text."""
    try:
        decoded = json.loads(arguments)
    except ValueError:
        return redact(arguments)
    redacted = _redact(decoded, redact)
    return arguments if redacted == decoded else json.dumps(redacted, ensure_ascii=False)


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
                function["arguments"] = vault.restore(function["arguments"], json_string=True)
    result.raw = None
    return result


def _restore_stream(stream: ChunkStream, vault: Vault) -> ChunkStream:
    """Restores ``delta.content`` per choice and tool call arguments per tool call; what
    a restorer holds back is released with the choice's finish (or, if the stream ends
    without one, in a chunk of its own before the usage)."""
    restorers: dict[tuple[int, int], StreamRestorer] = {}  # (choice, -1 or tool index)
    last: dict[str, Any] = {}

    def restorer(choice: int, tool: int) -> StreamRestorer:
        found = restorers.get((choice, tool))
        if found is None:
            found = restorers[(choice, tool)] = vault.stream_restorer(json_string=tool >= 0)
        return found

    def restore(chunk: Chunk) -> Chunk:
        data = chunk.data
        last.update({k: data[k] for k in ("id", "object", "created", "model") if k in data})
        for choice in data.get("choices") or ():
            if isinstance(choice, dict):
                _restore_choice(choice, restorer)
        chunk.raw = None
        return chunk

    def leftovers() -> list[Chunk]:
        out = []
        for (index, tool), held in [(k, r.flush()) for k, r in restorers.items()]:
            if not held:
                continue
            delta: dict[str, Any] = {"content": held}
            if tool >= 0:
                delta = {"tool_calls": [{"index": tool, "function": {"arguments": held}}]}
            out.append(
                Chunk(
                    {**last, "choices": [{"index": index, "delta": delta, "finish_reason": None}]}
                )
            )
        return out

    async def rest() -> AsyncIterator[Chunk]:
        async for chunk in stream.rest:
            if chunk.is_usage_only:
                for held in leftovers():
                    yield held
            yield restore(chunk)
        for held in leftovers():
            yield held

    return ChunkStream(stream.deployment, restore(stream.first), rest(), stream.close)


def _restore_choice(choice: dict[str, Any], restorer: Callable[[int, int], StreamRestorer]) -> None:
    index = choice.get("index", 0)
    delta = choice.get("delta") or {}
    if isinstance(delta.get("content"), str):
        delta["content"] = restorer(index, -1).feed(delta["content"])
    for call in delta.get("tool_calls") or ():
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict) and isinstance(function.get("arguments"), str):
            tool = call.get("index", 0)
            function["arguments"] = restorer(index, tool).feed(function["arguments"])
    if choice.get("finish_reason"):
        held = restorer(index, -1).flush()
        if held:
            delta["content"] = (delta.get("content") or "") + held
            choice["delta"] = delta
