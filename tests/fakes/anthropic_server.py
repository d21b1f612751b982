"""A fake Anthropic Messages API on 127.0.0.1, over a raw asyncio socket server.

It checks ``x-api-key`` and ``anthropic-version``, answers ``POST /v1/messages`` with
canned messages (a tool call when tools are offered and no tool result came back yet,
text otherwise), streamed or not, and can be told to fail::

    async with FakeAnthropic() as fake:
        fake.fail_next(429, retry_after="7")
        provider = make(fake.base_url)
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Self

import orjson

API_KEY = "sk-ant-test-key"
VERSION = "2023-06-01"
MODEL = "claude-sonnet-4-5-20250929"
TEXT_PIECES = ("It is 18°C", " and sunny", " in Paris.")
TOOL_INPUT_PIECES = ('{"city"', ': "Par', 'is"}')
USAGE = {
    "input_tokens": 21,
    "cache_creation_input_tokens": 0,
    "cache_read_input_tokens": 100,
    "output_tokens": 12,
}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Failure:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass
class FakeAnthropic:
    received: list[Received] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    stream_mode: str = "normal"  # normal | truncated (no message_stop) | overloaded | hang
    abandoned: asyncio.Event = field(default_factory=asyncio.Event)
    base_url: str = ""
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        await self._server.wait_closed()

    def fail_next(self, status: int, error_type: str, *, retry_after: str | None = None) -> None:
        body = {"type": "error", "error": {"type": error_type, "message": f"fake {error_type}"}}
        headers = [("retry-after", retry_after)] if retry_after else []
        self.failures.append(Failure(status, headers, orjson.dumps(body)))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return False
        lines = head.decode("latin-1").split("\r\n")
        _, path, _ = lines[0].split(" ", 2)
        headers = dict(_header(line) for line in lines[1:] if line)
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        request = Received(path, headers, orjson.loads(body) if body else {})
        self.received.append(request)
        failure = self._check(request)
        if failure is not None:
            await _send(writer, failure.status, failure.headers, failure.body)
        elif request.body.get("stream"):
            await self._stream(reader, writer, _answer(request.body))
        else:
            await _send(writer, 200, [], orjson.dumps(_answer(request.body)))
        return True

    def _check(self, request: Received) -> Failure | None:
        if request.path != "/v1/messages":
            return _error(404, "not_found_error", f"no route {request.path}")
        if request.headers.get("x-api-key") != API_KEY:
            return _error(401, "authentication_error", "invalid x-api-key")
        if request.headers.get("anthropic-version") != VERSION:
            return _error(400, "invalid_request_error", "anthropic-version header is required")
        if not isinstance(request.body.get("max_tokens"), int):
            return _error(400, "invalid_request_error", "max_tokens: Field required")
        return self.failures.pop(0) if self.failures else None

    async def _stream(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, message: dict[str, Any]
    ) -> None:
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            b"transfer-encoding: chunked\r\n\r\n"
        )
        events = stream_events(message)
        if self.stream_mode == "truncated":
            events = events[:-1]
        elif self.stream_mode == "overloaded":
            error = {"type": "overloaded_error", "message": "Overloaded"}
            events = [events[0], ("error", {"type": "error", "error": error})]
        for name, data in events[:2] if self.stream_mode == "hang" else events:
            await _chunk(writer, b"event: %s\ndata: %s\n\n" % (name.encode(), orjson.dumps(data)))
        if self.stream_mode == "hang":
            await reader.read(1)  # returns at EOF: the client gave up on the stream
            self.abandoned.set()
            return
        await _chunk(writer, b"")


def _header(line: str) -> tuple[str, str]:
    name, _, value = line.partition(":")
    return name.strip().lower(), value.strip()


def _error(status: int, kind: str, message: str) -> Failure:
    body = {"type": "error", "error": {"type": kind, "message": message}}
    return Failure(status, [], orjson.dumps(body))


async def _send(
    writer: asyncio.StreamWriter, status: int, headers: list[tuple[str, str]], body: bytes
) -> None:
    lines = [f"HTTP/1.1 {status} X", "content-type: application/json"]
    lines += [f"{name}: {value}" for name, value in headers]
    lines.append(f"content-length: {len(body)}")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()


async def _chunk(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(b"%x\r\n%s\r\n" % (len(data), data))
    await writer.drain()


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    """A tool call when tools are offered and no tool result came back yet, else text."""
    blocks = [b for m in body["messages"] for b in m["content"] if isinstance(b, dict)]
    answered = any(block.get("type") == "tool_result" for block in blocks)
    if body.get("tools") and not answered:
        tool = body["tools"][0]["name"]
        content: list[dict[str, Any]] = [
            {"type": "text", "text": "Let me check."},
            {"type": "tool_use", "id": "toolu_01A", "name": tool, "input": {"city": "Paris"}},
        ]
        stop = "tool_use"
    else:
        content = [{"type": "text", "text": "".join(TEXT_PIECES)}]
        stop = "end_turn"
    return {
        "id": "msg_01FAKE",
        "type": "message",
        "role": "assistant",
        "model": MODEL,
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": USAGE,
    }


def stream_events(message: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The event sequence Anthropic sends for ``message``."""
    start = {**message, "content": [], "stop_reason": None, "usage": {**USAGE, "output_tokens": 1}}
    events = [
        ("message_start", {"type": "message_start", "message": start}),
        ("ping", {"type": "ping"}),
    ]
    for index, block in enumerate(message["content"]):
        events += _block_events(index, block)
    delta = {"stop_reason": message["stop_reason"], "stop_sequence": None}
    usage = {"output_tokens": USAGE["output_tokens"]}
    events.append(("message_delta", {"type": "message_delta", "delta": delta, "usage": usage}))
    events.append(("message_stop", {"type": "message_stop"}))
    return events


def _block_events(index: int, block: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if block["type"] == "text":
        first = {"type": "text", "text": ""}
        pieces = TEXT_PIECES if block["text"] == "".join(TEXT_PIECES) else (block["text"],)
        deltas = [{"type": "text_delta", "text": piece} for piece in pieces]
    else:
        first = {**block, "input": {}}
        deltas = [{"type": "input_json_delta", "partial_json": p} for p in ("", *TOOL_INPUT_PIECES)]
    events = [
        (
            "content_block_start",
            {"type": "content_block_start", "index": index, "content_block": first},
        )
    ]
    events += [
        ("content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta})
        for delta in deltas
    ]
    events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    return events
