"""Shared value types: the request as the gateway sees it, usage, results, chunks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass(slots=True)
class ChatRequest:
    """A chat completion request. ``body`` is the client's JSON, forwarded unchanged
    except for ``model`` (set per deployment) and what a stage deliberately rewrites."""

    body: JSON
    model: str
    stream: bool = False
    include_usage: bool = False  # the client asked for the usage chunk on a stream


@dataclass(slots=True)
class EmbeddingRequest:
    body: JSON
    model: str


@dataclass(frozen=True, slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = 0  # of the prompt, read from the provider's prompt cache

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.total_tokens + other.total_tokens,
            self.cached_tokens + other.cached_tokens,
        )

    @classmethod
    def from_json(cls, data: Any) -> Usage | None:
        if not isinstance(data, dict):
            return None
        prompt = _int(data.get("prompt_tokens"))
        completion = _int(data.get("completion_tokens"))
        total = _int(data.get("total_tokens")) or prompt + completion
        details = data.get("prompt_tokens_details")
        cached = _int(details.get("cached_tokens")) if isinstance(details, dict) else 0
        return cls(prompt, completion, total, cached)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


@dataclass(slots=True)
class Completion:
    """A finished, non-streamed answer. ``raw`` holds the upstream bytes when nothing has
    changed them, so they can be passed through without re-encoding; a stage that edits
    ``data`` sets ``raw`` to None."""

    data: JSON
    raw: bytes | None = None
    deployment: str = ""

    @property
    def usage(self) -> Usage | None:
        return Usage.from_json(self.data.get("usage"))

    def encoded(self) -> bytes:
        if self.raw is None:
            import orjson

            self.raw = orjson.dumps(self.data)
        return self.raw


@dataclass(slots=True)
class Chunk:
    """One streamed ``chat.completion.chunk``; ``raw`` as for :class:`Completion`."""

    data: JSON
    raw: bytes | None = None

    def encoded(self) -> bytes:
        if self.raw is None:
            import orjson

            self.raw = orjson.dumps(self.data)
        return self.raw

    @property
    def is_usage_only(self) -> bool:
        return bool(self.data.get("usage")) and not self.data.get("choices")


@dataclass(slots=True)
class ChunkStream:
    """An open stream whose first chunk has arrived: from here on, bytes may reach the
    client, so a failure can no longer be retried invisibly."""

    deployment: str
    first: Chunk
    rest: AsyncIterator[Chunk]
    close: Callable[[], Awaitable[None]]

    async def __aiter__(self) -> AsyncIterator[Chunk]:
        yield self.first
        async for chunk in self.rest:
            yield chunk


Result = Completion | ChunkStream


@dataclass(slots=True)
class StreamAccumulator:
    """Collects what a stream carried (text, tool calls, finish reason, usage) for
    traces, metrics and, later, caching."""

    text: list[str] = field(default_factory=list)
    tool_calls: dict[int, JSON] = field(default_factory=dict)
    finish_reason: str | None = None
    usage: Usage | None = None
    chunks: int = 0

    def add(self, chunk: Chunk) -> None:
        self.chunks += 1
        data = chunk.data
        usage = data.get("usage")
        if usage:
            self.usage = Usage.from_json(usage)
        for choice in data.get("choices") or ():
            if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                continue
            delta = choice.get("delta") or {}
            content = delta.get("content")
            if isinstance(content, str):
                self.text.append(content)
            for call in delta.get("tool_calls") or ():
                self._add_tool_call(call)
            if choice.get("finish_reason"):
                self.finish_reason = choice["finish_reason"]

    def _add_tool_call(self, call: JSON) -> None:
        slot = self.tool_calls.setdefault(
            call.get("index", 0), {"id": None, "name": "", "arguments": ""}
        )
        if call.get("id"):
            slot["id"] = call["id"]
        function = call.get("function") or {}
        slot["name"] += function.get("name") or ""
        slot["arguments"] += function.get("arguments") or ""

    @property
    def content(self) -> str:
        return "".join(self.text)
