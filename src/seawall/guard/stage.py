"""The input guard stage: PII and secrets in every message, by the model group's policy.

    redact   values become placeholders upstream; the answer is restored for the caller
    block    400 guard_blocked, ``param`` naming the check ("pii:EMAIL_ADDRESS")
    flag     passed as they are; the trace says what was found
    allow    not looked at

``guard.pii_tier`` picks the detector: ``fast`` (patterns, ``pii.py``) or ``heavy``
(patterns plus a CRF tagger for names, places and addresses, ``pii_tagger.py``).

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
from .pii import Finding, detect
from .policy import GuardPolicies, Override
from .redact import (
    StreamRestorer,
    Vault,
    is_text_part,
    split_parts,
    strings_of,
    strip_invisible,
)

Detector = Callable[[str], list[Finding]]


def detector(tier: str) -> Detector:
    """The PII detector of a tier; the heavy one is loaded here (a missing tagger is a
    configuration error at start-up, not a failure on the first request)."""
    if tier == "heavy":
        from . import pii_tagger

        pii_tagger.shipped()
        return pii_tagger.detect
    return detect


class InputGuard:
    name = "guard"

    def __init__(self, policies: GuardPolicies | Mapping[str, GuardSettings]) -> None:
        self._policies = GuardPolicies.of_groups(policies)
        self._detectors: dict[str, Detector] = {
            p.pii_tier: detector(p.pii_tier)
            for p in self._policies.groups.values()
            if p.pii != "allow"
        }

    def _detector(self, tier: str) -> Detector:
        found = self._detectors.get(tier)
        if found is None:  # a key's own tier no group uses: loaded once, on first use
            found = self._detectors[tier] = detector(tier)
        return found

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        policy = self._policies.of(ctx.request.model, ctx.principal.guard)
        if policy is None or policy.pii == "allow":
            return await call_next(ctx)
        if policy.pii_tier not in self._detectors:  # a key's own tier: load it off the loop
            await asyncio.to_thread(self._detector, policy.pii_tier)
        start = ctx.trace.now_ms()
        heavy = policy.pii_tier == "heavy"
        vault = Vault(self._detector(policy.pii_tier))
        body = ctx.request.body
        everything = strings_of(body) + split_parts(body)
        if not heavy and "\\u" not in everything and not detect(strip_invisible(everything)):
            return await call_next(ctx)  # the common case: nothing to look at field by field
        vault.reserve(everything)
        # fast: ~0.15 ms per 1,000 tokens; heavy: ~6 ms. Long ones in a thread
        if len(everything) > (_INLINE_CHARS_HEAVY if heavy else _INLINE_CHARS):
            redacted = await asyncio.to_thread(_redact_body, body, vault)
        else:
            redacted = _redact_body(body, vault)
        if not vault:
            return await call_next(ctx)
        attrs = {
            "policy": policy.pii,
            "tier": policy.pii_tier,
            "types": ",".join(vault.types),
            "found": len(vault.found),
        }
        if policy.pii == "block":
            ctx.pii = "blocked"
            ctx.trace.add("guard.pii", start, "blocked", attrs)
            raise GuardBlocked(
                f"the request carries {', '.join(vault.types)}, which the guard policy for "
                "this model and key does not accept",
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

    async def screen_embedding(
        self, model: str, body: dict[str, Any], trace: Trace, override: Override | None = None
    ) -> tuple[dict[str, Any], bool]:
        """``screen_inputs`` for the server: in a thread when the input is long or the
        tier is the heavy one (which is also loaded there on first use)."""
        policy = self._policies.of(model, override)
        if policy is None or policy.pii == "allow":
            return body, False
        long = len(strings_of(body.get("input"))) > _INLINE_CHARS_HEAVY
        if long or policy.pii_tier == "heavy" or policy.pii_tier not in self._detectors:
            return await asyncio.to_thread(self.screen_inputs, model, body, trace, override)
        return self.screen_inputs(model, body, trace, override)

    def screen_inputs(
        self, model: str, body: dict[str, Any], trace: Trace, override: Override | None = None
    ) -> tuple[dict[str, Any], bool]:
        """An embeddings request's ``input`` by the same policy (token arrays pass; there
        is no answer to restore): the body to send, and whether only internal
        deployments may serve it."""
        policy = self._policies.of(model, override)
        value = body.get("input")
        if policy is None or policy.pii == "allow" or not isinstance(value, (str, list)):
            return body, False
        start = trace.now_ms()
        vault = Vault(self._detector(policy.pii_tier))
        redacted = _redact(value, vault)
        if not vault:
            return body, False
        attrs = {
            "policy": policy.pii,
            "tier": policy.pii_tier,
            "types": ",".join(vault.types),
            "found": len(vault.found),
        }
        if policy.pii == "block":
            trace.add("guard.pii", start, "blocked", attrs)
            raise GuardBlocked(
                f"the input carries {', '.join(vault.types)}, which the guard policy for "
                "this model and key does not accept",
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
_INLINE_CHARS_HEAVY = 4_096


def _redact_body(body: dict[str, Any], vault: Vault) -> dict[str, Any]:
    return {name: _redact(body[name], vault) for name in _SCREENED if name in body}


# keys whose values are identifiers or media, never free text
_NOT_TEXT = frozenset(
    {"role", "type", "id", "tool_call_id", "image_url", "input_audio", "file", "detail"}
)
_SEVERITY = {"SECRET": 0, "CREDIT_CARD": 1, "IBAN_CODE": 2, "US_SSN": 3}


def _redact(value: Any, vault: Vault, key: str = "") -> Any:
    """Every free-text string in ``value``, redacted (copies; the original is kept).
    The text parts of one content array are read as one text."""
    if isinstance(value, str):
        return _redact_arguments(value, vault) if key == "arguments" else vault.redact(value)
    if isinstance(value, list):
        texts = [i for i, item in enumerate(value) if is_text_part(item)]
        if len(texts) < 2:
            return [_redact(item, vault) for item in value]
        # a value split across parts is found whole
        joined = dict(
            zip(texts, vault.redact_parts([value[i]["text"] for i in texts]), strict=True)
        )
        return [
            {**item, "text": joined[i]} if i in joined else _redact(item, vault)
            for i, item in enumerate(value)
        ]
    if isinstance(value, dict):
        return {k: v if k in _NOT_TEXT else _redact(v, vault, k) for k, v in value.items()}
    return value


def _redact_arguments(arguments: str, vault: Vault) -> str:
    """Tool call arguments are JSON: redact the values, not the escaped text."""
    try:
        decoded = json.loads(arguments)
    except ValueError:
        return vault.redact(arguments)
    redacted = _redact(decoded, vault)
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
