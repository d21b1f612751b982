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

import hashlib
import os
import re
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from ..config import GuardSettings
from ..errors import GuardBlocked, StreamBlocked
from ..pipeline import Context, Next
from ..types import Chunk, ChunkStream, Completion, Result
from .pii import Finding, detect, without_overlaps
from .policy import GuardPolicies
from .redact import split_parts, strings_of

_WINDOW = 96  # characters held back on streams: longer than any value the patterns find
_STEP = 48  # released in steps of at least this much, so each character is scanned ~3 times
_MAX_HELD = 8192  # past this, held text is released (checked) even inside a long match
_OPEN_KEY = re.compile(r"-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----")
_END_KEY = re.compile(r"-----END [A-Z ]{0,40}PRIVATE KEY-----")
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_\-+/=.]+")
_CANARY_TYPE = "SYSTEM_PROMPT"
_CANARY_SALT = os.urandom(16)  # one marker per group and process: provider caches hold


class OutputGuard:
    name = "output_guard"

    def __init__(self, policies: GuardPolicies | Mapping[str, GuardSettings]) -> None:
        self._policies = GuardPolicies.of_groups(policies)

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        policy = self._policies.of(ctx.request.model, ctx.principal.guard)
        if policy is None or policy.output == "allow":
            return await call_next(ctx)
        canary = _plant_canary(ctx, _marker(ctx.request.model)) if policy.canary else None
        check = _Check(ctx, policy.output, canary)
        result = await call_next(ctx)
        if isinstance(result, Completion):
            return check.completion(result)
        try:
            return check.stream(result)
        except BaseException:  # refused on its first chunk: nothing was sent yet
            await result.close()
            raise


def _marker(group: str) -> str:
    return "sw-" + hashlib.sha256(_CANARY_SALT + group.encode()).hexdigest()[:12]


def _plant_canary(ctx: Context, canary: str) -> str | None:
    """The marker at the end of the first system (or developer) message."""
    messages = ctx.request.body.get("messages")
    if not isinstance(messages, list):
        return None
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ("system", "developer"):
            continue
        content = message.get("content")
        mark = f"\n\n(ref {canary})"
        ctx.planted = mark
        if isinstance(content, str):
            changed = {**message, "content": content + mark}
        elif isinstance(content, list):
            changed = {**message, "content": [*content, {"type": "text", "text": mark}]}
        else:
            continue
        planted = [*messages[:index], changed, *messages[index + 1 :]]
        ctx.request.body = {**ctx.request.body, "messages": planted}
        return canary
    return None


class _Check:
    def __init__(self, ctx: Context, policy: str, canary: str | None) -> None:
        self._ctx = ctx
        self._policy = policy
        self._canary = canary
        self._body = ctx.request.body
        self._request: str | None = None  # the request's text, read when first needed
        self.found: list[str] = []
        self._marked = False

    def findings(self, text: str) -> list[Finding]:
        """New sensitive values in ``text`` (not anywhere in the request), and every
        copy of the canary."""
        out = detect(text)
        if out:
            if self._request is None:
                self._request = strings_of(self._body) + split_parts(self._body)
            out = [f for f in out if f.value not in self._request]
        if self._canary:
            start = text.find(self._canary)
            while start >= 0:
                end = start + len(self._canary)
                out.append(Finding(_CANARY_TYPE, start, end, self._canary))
                start = text.find(self._canary, end)
        return without_overlaps(out)

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
        if self._policy == "flag":  # the canary itself never reaches the caller
            findings = [f for f in findings if f.type == _CANARY_TYPE]
        parts, last = [], 0
        for item in findings:
            parts += [text[last : item.start], f"[REDACTED:{item.type}]"]
            last = item.end
        return "".join([*parts, text[last:]])

    def _mark(self) -> None:
        if self._marked:
            return
        self._marked = True
        types = ",".join(sorted(set(self.found)))
        status = {"block": "blocked", "flag": "flagged"}.get(self._policy, "redacted")
        now = self._ctx.trace.now_ms()
        self._ctx.trace.add("guard.output", now, status, {"policy": self._policy, "types": types})
        self._ctx.pii = self._ctx.pii or "flagged"  # keep the answer's text out of traces
        self._ctx.no_store = self._ctx.no_store or "output guard"

    def checked(self, text: str) -> str:
        return self.apply(text, self.findings(text))

    def completion(self, result: Completion) -> Completion:
        changed = False
        for choice in result.data.get("choices") or ():
            message = choice.get("message") if isinstance(choice, dict) else None
            if isinstance(message, dict):
                changed = _each_text(message, self.checked) or changed
        if changed:
            result.raw = None
        return result

    def stream(self, stream: ChunkStream) -> ChunkStream:
        held: dict[tuple[int, int], str] = {}  # (choice, -1 content or tool index) -> text
        continuing: dict[tuple[int, int], str] = {}  # a finding cut at the cap goes on
        last: dict[str, Any] = {}

        def release(key: tuple[int, int], new: str, final: bool) -> str:
            before = held.pop(key, "")
            text = before + new
            if not final and len(text) < _WINDOW + _STEP:  # too little to release yet
                held[key] = text
                return ""
            if not final and len(before) > _WINDOW and len(text) < _MAX_HELD:
                if _TOKEN_RUN.fullmatch(new):  # a held match still growing: scan it later
                    held[key] = text
                    return ""
            findings = self.findings(text)
            kind = continuing.pop(key, None)
            if kind is not None:  # the rest of a value already cut: redact its run too
                run = _TOKEN_RUN.match(text)
                if run and run.end():
                    findings = [Finding(kind, 0, run.end(), run.group())] + [
                        f for f in findings if f.start >= run.end()
                    ]
            cut = len(text) if final else max(0, len(text) - _WINDOW)
            if not final:
                opened = _unfinished_key(text)
                if opened is not None and len(text) - opened <= _MAX_HELD:
                    cut = min(cut, opened)  # a private key block: hold until its END
                for item in findings:
                    if item.start < cut < item.end:
                        if cut - item.start <= _MAX_HELD:
                            cut = item.start  # never send part of a finding
                        else:  # too long to hold: send it redacted, and the rest after
                            findings.append(Finding(item.type, item.start, cut, ""))
                            continuing[key] = item.type
            ready = [f for f in findings if f.end <= cut]
            if cut < len(text):
                held[key] = text[cut:]
            return self.apply(text[:cut], ready)

        def pending(index: int) -> list[int]:
            return [tool for i, tool in held if i == index and tool >= 0]

        def check(chunk: Chunk) -> Chunk:
            data = chunk.data
            last.update({k: data[k] for k in ("id", "object", "created", "model") if k in data})
            for choice in data.get("choices") or ():
                if isinstance(choice, dict):
                    self._check_choice(choice, release, pending)
            chunk.raw = None
            return chunk

        def leftovers() -> list[Chunk]:
            out = []
            for key in list(held):
                text = release(key, "", True)
                if not text:
                    continue
                index, tool = key
                delta: dict[str, Any] = {"content": text}
                if tool >= 0:
                    delta = {"tool_calls": [{"index": tool, "function": {"arguments": text}}]}
                choice = {"index": index, "delta": delta, "finish_reason": None}
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
                raise StreamBlocked(exc.message, param=exc.param) from None

        return ChunkStream(stream.deployment, check(stream.first), rest(), stream.close)

    def _check_choice(
        self,
        choice: dict[str, Any],
        release: Callable[[tuple[int, int], str, bool], str],
        pending: Callable[[int], list[int]],
    ) -> None:
        index = choice.get("index", 0)
        delta = choice.get("delta") or {}
        calls = [c for c in delta.get("tool_calls") or () if isinstance(c, dict)]
        final = bool(choice.get("finish_reason"))
        text = delta.get("content")
        # text held back goes out before a tool call starts, and with the finish
        if isinstance(text, str) or final or calls:
            out = release((index, -1), text or "", final or bool(calls))
            if isinstance(text, str) or out:
                delta["content"] = out
                choice["delta"] = delta
        for call in calls:
            function = call.get("function")
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                key = (index, call.get("index", 0))
                function["arguments"] = release(key, function["arguments"], final)
        if final:  # the choice ends: what its tool calls still hold goes out with it
            done = {c.get("index", 0) for c in calls}
            for tool in pending(index):
                if tool in done:
                    continue
                out = release((index, tool), "", True)
                if out:
                    calls.append({"index": tool, "function": {"arguments": out}})
            if calls:
                delta["tool_calls"] = calls
                choice["delta"] = delta


def _each_text(message: dict[str, Any], check: Callable[[str], str]) -> bool:
    """Apply ``check`` to a message's content, refusal and tool call arguments; True
    when anything changed."""
    changed = False
    for name in ("content", "refusal"):
        value = message.get(name)
        if isinstance(value, str):
            message[name] = check(value)
            changed = changed or message[name] != value
    for call in message.get("tool_calls") or ():
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict) and isinstance(function.get("arguments"), str):
            value = function["arguments"]
            function["arguments"] = check(value)
            changed = changed or function["arguments"] != value
    return changed


def _unfinished_key(text: str) -> int | None:
    """Where a private key block that has not ended yet starts, if one does."""
    opened = None
    for match in _OPEN_KEY.finditer(text):
        opened = match.start()
    if opened is None or _END_KEY.search(text, opened):
        return None
    return opened
