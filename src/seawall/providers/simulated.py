"""A built-in upstream that fails the way real ones do: latency, slow first tokens,
429 with Retry-After, 5xx, calls that never answer, streams cut or stalled mid-way,
malformed chunks, periodic outages. Deterministic under ``faults.seed`` for a given
order of calls. It drives the demo, the tests and the chaos suite.

    models: [{name: sim, deployments: [{provider: simulated, model: flaky,
              faults: {error_rate: 0.3, status: 503, latency_ms: [5, 50]}}]}]
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import random
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

import orjson

from ..config import DeploymentSettings, Faults
from ..errors import ProviderBadResponse, ProviderUnavailable
from ..types import JSON, ChatRequest, Chunk, Completion, EmbeddingRequest
from .base import ProviderOptions, error_for_status, register

_WORDS = (
    "the gateway answered this request from a simulated model so that retries "
    "fallbacks breakers and streams can be seen working without any vendor"
).split()


class SimulatedProvider:
    def __init__(self, settings: DeploymentSettings, options: ProviderOptions) -> None:
        self.id = settings.id
        self._model = settings.model
        self._faults = settings.faults or Faults()
        self._rng = random.Random(self._faults.seed)
        self._calls = 0
        self._born = time.monotonic()

    async def complete(self, request: ChatRequest, headers: Mapping[str, str]) -> Completion:
        await self._before_answer()
        answer = _Answer(self._model, request.body, self._faults, self._next_id(), self._manner())
        answer.drift(self._drift(request.body))
        delay = self._latency() + _generation_time(self._faults, answer.n_tokens)
        if delay:
            await asyncio.sleep(delay)
        return Completion(answer.completion(), raw=None, deployment=self.id)

    async def stream(
        self, request: ChatRequest, headers: Mapping[str, str]
    ) -> AsyncIterator[Chunk]:
        await self._before_answer()
        answer = _Answer(self._model, request.body, self._faults, self._next_id(), self._manner())
        answer.drift(self._drift(request.body))
        first_wait = self._faults.ttft_ms / 1000 or self._latency()
        if first_wait:
            await asyncio.sleep(first_wait)
        fault = self._stream_fault()
        pieces = answer.chunks()
        half = len(pieces) // 2
        step = 1 / self._faults.tokens_per_s if self._faults.tokens_per_s else 0.0
        for index, piece in enumerate(pieces):
            if index == half and fault:
                await self._break(fault)
            if index and step:
                await asyncio.sleep(step)
            yield Chunk(piece)

    async def embed(self, request: EmbeddingRequest, headers: Mapping[str, str]) -> JSON:
        await self._before_answer()
        inputs = request.body.get("input")
        texts = [inputs] if isinstance(inputs, str) else list(inputs or [])
        data = [
            {"object": "embedding", "index": i, "embedding": _vector(str(t))}
            for i, t in enumerate(texts)
        ]
        tokens = sum(_count_tokens(str(t)) for t in texts)
        return {
            "object": "list",
            "data": data,
            "model": self._model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }

    async def close(self) -> None:
        return None

    def _next_id(self) -> str:
        self._calls += 1
        return f"chatcmpl-sim-{self._faults.seed}-{self._calls}"

    def _manner(self) -> str:
        """How sure of itself this answer is: "sure" | "unsure" | "refusal" | "empty"."""
        faults = self._faults
        rates = (
            ("unsure", faults.unsure_rate),
            ("refusal", faults.refusal_rate),
            ("empty", faults.empty_rate),
        )
        if not any(rate for _, rate in rates):
            return "sure"  # no roll: the sequence of other faults stays as it was
        roll = self._rng.random()
        for name, rate in rates:
            if roll < rate:
                return name
            roll -= rate
        return "sure"

    def _drift(self, body: JSON) -> str | None:
        """How an answer to a request for JSON strays from it this time, if it does."""
        faults = self._faults
        if not faults.drift_rate or not faults.drift or not _wants_json(body):
            return None  # no roll: the sequence of other faults stays as it was
        if self._rng.random() >= faults.drift_rate:
            return None
        return self._rng.choice(faults.drift)

    def _latency(self) -> float:
        low, high = self._faults.latency_ms
        return self._rng.uniform(low, high) / 1000 if high else 0.0

    async def _before_answer(self) -> None:
        faults = self._faults
        roll = self._rng.random()
        if self._in_outage() or roll < faults.error_rate:
            await asyncio.sleep(self._latency())
            raise self._error()
        if roll < faults.error_rate + faults.timeout_rate:
            await asyncio.Event().wait()  # never answers: the caller's timeout ends it

    def _in_outage(self) -> bool:
        if self._faults.outage is None:
            return False
        every, length = self._faults.outage
        return every > 0 and (time.monotonic() - self._born) % every >= every - length

    def _error(self) -> Exception:
        status = self._faults.status
        headers: dict[str, str] = {}
        if self._faults.retry_after_s is not None:
            headers["retry-after"] = f"{self._faults.retry_after_s:g}"
        body = orjson.dumps({"error": {"message": f"simulated {status}", "type": "server_error"}})
        return error_for_status(self.id, status, body, headers, time.time())

    def _stream_fault(self) -> str | None:
        faults = self._faults
        roll = self._rng.random()
        for name, rate in (
            ("cut", faults.cut_rate),
            ("stall", faults.stall_rate),
            ("malformed", faults.malformed_rate),
        ):
            if roll < rate:
                return name
            roll -= rate
        return None

    async def _break(self, fault: str) -> None:
        if fault == "stall":
            await asyncio.Event().wait()
        if fault == "malformed":
            raise ProviderBadResponse(f"{self.id}: malformed stream chunk")
        raise ProviderUnavailable(f"{self.id}: stream lost: connection reset")


def _answer_length(body: JSON, faults: Faults) -> int:
    """Like a real model, never more tokens than the request allows."""
    cap = body.get("max_completion_tokens") or body.get("max_tokens")
    if isinstance(cap, int) and not isinstance(cap, bool) and cap > 0:
        return min(faults.answer_tokens, cap)
    return faults.answer_tokens


class _Answer:
    """What the simulated model says to one request."""

    def __init__(
        self, model: str, body: JSON, faults: Faults, answer_id: str, manner: str = "sure"
    ) -> None:
        self.model = model
        self.id = answer_id
        self.created = int(time.time())
        self.prompt_tokens = sum(_count_tokens(_text(m)) for m in body.get("messages") or [])
        self.tool_call = _tool_call(body) if manner in ("sure", "unsure") else None
        self.text = "" if self.tool_call else _reply(body, _answer_length(body, faults))
        if manner == "refusal":
            self.text = "I'm sorry, but I can't help with that request."
        elif manner == "empty":
            self.text = ""
        self.n_tokens = len(self.text.split()) if self.text else 8
        self.logprobs = faults.logprobs and bool(body.get("logprobs"))
        self.unsure = manner == "unsure"

    def drift(self, mode: str | None) -> None:
        if mode is not None and self.text and not self.tool_call:
            self.text = _drifted(self.text, mode)
            self.n_tokens = max(1, len(self.text.split()))

    def _usage(self) -> JSON:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.n_tokens,
            "total_tokens": self.prompt_tokens + self.n_tokens,
        }

    def completion(self) -> JSON:
        message: JSON = {"role": "assistant", "content": self.text or None}
        if self.tool_call:
            message["tool_calls"] = [self.tool_call]
        choice: JSON = {"index": 0, "message": message, "finish_reason": self._finish()}
        if self.logprobs:
            words = self.text.split()
            choice["logprobs"] = {"content": [_logprob(w, self.unsure) for w in words]}
        return {
            "id": self.id,
            "object": "chat.completion",
            "created": self.created,
            "model": self.model,
            "choices": [choice],
            "usage": self._usage(),
        }

    def chunks(self) -> list[JSON]:
        pieces = [self._chunk({"role": "assistant", "content": ""})]
        if self.tool_call:
            call = {"index": 0, **self.tool_call}
            pieces.append(self._chunk({"tool_calls": [call]}))
        else:
            words = self.text.split(" ")
            pieces += [
                self._chunk({"content": (" " if i else "") + w}) for i, w in enumerate(words)
            ]
        pieces.append(self._chunk({}, self._finish()))
        pieces.append(
            {
                "id": self.id,
                "object": "chat.completion.chunk",
                "created": self.created,
                "model": self.model,
                "choices": [],
                "usage": self._usage(),
            }
        )
        return pieces

    def _chunk(self, delta: JSON, finish: str | None = None) -> JSON:
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }

    def _finish(self) -> str:
        return "tool_calls" if self.tool_call else "stop"


def _text(message: Any) -> str:
    if not isinstance(message, dict):
        return ""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _count_tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4)) if text else 0


def _reply(body: JSON, n_tokens: int) -> str:
    messages = body.get("messages") or []
    last = _text(messages[-1]) if messages else ""
    if _wants_json(body):
        spec = body["response_format"].get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        value = _instance(schema, last) if isinstance(schema, dict) else {"answer": last[:80]}
        return orjson.dumps(value).decode()
    seed = int(hashlib.blake2b(last.encode(), digest_size=4).hexdigest(), 16)
    words = [_WORDS[(seed + i) % len(_WORDS)] for i in range(n_tokens)]
    return " ".join(words).capitalize() + "."


def _wants_json(body: JSON) -> bool:
    fmt = body.get("response_format")
    return isinstance(fmt, dict) and fmt.get("type") in ("json_object", "json_schema")


def _instance(schema: JSON, text: str, depth: int = 0) -> Any:
    """A small value the schema accepts: every property, the first enum value."""
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key) and isinstance(schema[key][0], dict):
            return _instance(schema[key][0], text, depth + 1)
    kind = schema.get("type")
    kind = kind[0] if isinstance(kind, list) and kind else kind
    properties = schema.get("properties")
    if kind == "object" or isinstance(properties, dict):
        if depth > 8 or not isinstance(properties, dict):
            return {}
        return {
            name: _instance(sub if isinstance(sub, dict) else {}, text, depth + 1)
            for name, sub in properties.items()
        }
    if kind == "array":
        items = schema.get("items")
        return [_instance(items, text, depth + 1)] if isinstance(items, dict) else []
    simple = {"integer": 1, "number": 1.5, "boolean": True, "null": None}
    if kind in simple:
        return simple[kind]
    return text[:40] or "text"


def _drifted(text: str, mode: str) -> str:
    """A JSON answer gone wrong the way models' answers do."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return text
    if mode == "fenced":
        return f"```json\n{text}\n```"
    if mode == "prose":
        return f"Here is the JSON you asked for: {text} Let me know if you need more."
    if mode == "trailing_comma" and text.endswith("}") and len(text) > 2:
        return text[:-1] + ",}"
    if mode == "wrapped":
        return f"[{text}]"
    if mode in ("renamed", "missing") and isinstance(value, dict) and value:
        first = next(iter(value))
        moved = value.pop(first)
        if mode == "renamed":
            value = {first.title().replace("_", "") + "Value": moved, **value}
        return orjson.dumps(value).decode()
    if mode == "not_json":
        return "I am not sure how to format that, but the answer should be about right."
    return text


def _tool_call(body: JSON) -> JSON | None:
    tools = body.get("tools")
    messages = body.get("messages") or []
    if not tools or body.get("tool_choice") == "none":
        return None
    if messages and isinstance(messages[-1], dict) and messages[-1].get("role") == "tool":
        return None
    function = tools[0].get("function", {}) if isinstance(tools[0], dict) else {}
    digest = hashlib.blake2b(orjson.dumps(messages[-1:]), digest_size=6).hexdigest()
    return {
        "id": f"call_{digest}",
        "type": "function",
        "function": {"name": function.get("name", "tool"), "arguments": "{}"},
    }


def _logprob(word: str, unsure: bool = False) -> JSON:
    """Around -0.25 on average for a sure answer, around -2.2 for an unsure one."""
    value = -0.05 - (len(word) % 5) * 0.1 - (2.0 if unsure else 0.0)
    return {"token": word, "logprob": value, "bytes": list(word.encode()), "top_logprobs": []}


def _generation_time(faults: Faults, tokens: int) -> float:
    return tokens / faults.tokens_per_s if faults.tokens_per_s else 0.0


def _vector(text: str, dims: int = 16) -> list[float]:
    digest = hashlib.blake2b(text.encode(), digest_size=dims).digest()
    values = [b / 255 - 0.5 for b in digest]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


@register("simulated")
def _create(settings: DeploymentSettings, options: ProviderOptions) -> SimulatedProvider:
    return SimulatedProvider(settings, options)
