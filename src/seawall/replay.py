"""A finished completion sent as a stream, for a client that asked for one when the
answer had to be whole first (a cache hit, an answer judged before it is released).

    stream = as_stream(completion, include_usage=True)

The chunks carry what the completion holds, choice by choice: the role and text in one
chunk (with the log-probabilities, when there are any), each tool call in its own, then
the finish reason; the usage chunk last when the client asked for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from .types import Chunk, ChunkStream, Completion


def as_stream(completion: Completion, include_usage: bool) -> ChunkStream:
    data = completion.data
    base = {
        "id": data.get("id"),
        "object": "chat.completion.chunk",
        "created": data.get("created"),
        "model": data.get("model"),
        "system_fingerprint": data.get("system_fingerprint"),
    }
    pieces: list[dict[str, Any]] = []
    for choice in data.get("choices") or ():
        pieces += _choice_chunks(base, choice)
    if not pieces:
        pieces.append({**base, "choices": []})
    usage = data.get("usage")
    if include_usage and usage is not None:
        pieces.append({**base, "choices": [], "usage": usage})

    async def rest() -> AsyncIterator[Chunk]:
        for piece in pieces[1:]:
            yield Chunk(piece)

    async def close() -> None:
        return None

    return ChunkStream(completion.deployment, Chunk(pieces[0]), rest(), close)


def _choice_chunks(base: dict[str, Any], choice: dict[str, Any]) -> list[dict[str, Any]]:
    index = choice.get("index", 0)
    message = choice.get("message") or {}

    def chunk(delta: dict[str, Any], finish: str | None = None, logprobs: Any = None) -> Any:
        part = {"index": index, "delta": delta, "finish_reason": finish, "logprobs": logprobs}
        return {**base, "choices": [part]}

    first: dict[str, Any] = {"role": "assistant", "content": message.get("content") or ""}
    if message.get("refusal"):
        first["refusal"] = message["refusal"]
    out = [chunk(first, logprobs=choice.get("logprobs"))]
    for position, call in enumerate(message.get("tool_calls") or ()):
        out.append(chunk({"tool_calls": [{"index": position, **call}]}))
    out.append(chunk({}, choice.get("finish_reason") or "stop"))
    return out
