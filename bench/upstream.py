"""A fake OpenAI-compatible upstream that answers with canned bytes.

It exists so that a benchmark measures the gateway, not the model server: a bare
uvloop + httptools protocol, keep-alive, no framework, responses built once at start.

    taskset -c 1 python bench/upstream.py --port 9100 [--chunk-delay-ms 5]

Routes: ``POST /v1/chat/completions`` (``"stream": true`` in the body gives a
text/event-stream of 20 content chunks, a usage chunk and ``data: [DONE]``),
``POST /v1/embeddings`` and ``GET /v1/models``. Anything else is a 404.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
from dataclasses import dataclass
from typing import cast

import httptools
import orjson
import uvloop

CREATED = 1_764_000_000
WORDS = (
    "The",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "the",
    "lazy",
    "dog",
    "while",
    "the",
    "gateway",
    "forwards",
    "every",
    "token",
    "without",
    "adding",
    "noticeable",
    "latency",
)


@dataclass(frozen=True, slots=True)
class Canned:
    """Every response the server can send, as ready-to-write bytes."""

    completion: bytes
    stream_head: bytes
    stream_chunks: tuple[bytes, ...]
    stream_tail: bytes
    embeddings: bytes
    models: bytes
    not_found: bytes
    bad_request: bytes


def _response(status: str, body: bytes, content_type: str = "application/json") -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _chunked(payload: bytes) -> bytes:
    """One HTTP/1.1 chunk holding ``payload``."""
    return b"%x\r\n%s\r\n" % (len(payload), payload)


def _completion_body() -> bytes:
    text = " ".join(WORDS[:12]) + "."
    return orjson.dumps(
        {
            "id": "chatcmpl-bench0000000000000000000000",
            "object": "chat.completion",
            "created": CREATED,
            "model": "bench-model",
            "system_fingerprint": "fp_bench",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 21, "completion_tokens": 14, "total_tokens": 35},
        }
    )


def _stream_event(delta: dict[str, str], finish: str | None, usage: bool = False) -> bytes:
    chunk: dict[str, object] = {
        "id": "chatcmpl-bench0000000000000000000000",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": "bench-model",
        "choices": [] if usage else [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage:
        chunk["usage"] = {"prompt_tokens": 21, "completion_tokens": 20, "total_tokens": 41}
    return b"data: " + orjson.dumps(chunk) + b"\n\n"


def _stream_events() -> tuple[bytes, ...]:
    first = _stream_event({"role": "assistant", "content": ""}, None)
    words = [_stream_event({"content": f" {w}"}, None) for w in WORDS[:19]]
    last = _stream_event({}, "stop")
    return (first, *words, last, _stream_event({}, None, usage=True))


def _embeddings_body(dims: int = 384) -> bytes:
    vector = [round(((i * 7919) % 1000) / 1000 - 0.5, 6) for i in range(dims)]
    return orjson.dumps(
        {
            "object": "list",
            "data": [{"object": "embedding", "index": 0, "embedding": vector}],
            "model": "bench-embed",
            "usage": {"prompt_tokens": 8, "total_tokens": 8},
        }
    )


def build_canned() -> Canned:
    stream_head = (
        b"HTTP/1.1 200 OK\r\n"
        b"content-type: text/event-stream\r\n"
        b"cache-control: no-cache\r\n"
        b"transfer-encoding: chunked\r\n\r\n"
    )
    models = orjson.dumps(
        {"object": "list", "data": [{"id": "bench-model", "object": "model", "owned_by": "bench"}]}
    )
    error = orjson.dumps({"error": {"message": "not found", "type": "invalid_request_error"}})
    return Canned(
        completion=_response("200 OK", _completion_body()),
        stream_head=stream_head,
        stream_chunks=tuple(_chunked(e) for e in _stream_events()),
        stream_tail=_chunked(b"data: [DONE]\n\n") + b"0\r\n\r\n",
        embeddings=_response("200 OK", _embeddings_body()),
        models=_response("200 OK", models),
        not_found=_response("404 Not Found", error),
        bad_request=_response("400 Bad Request", b'{"error":{"message":"bad request"}}'),
    )


def wants_stream(body: bytes) -> bool:
    """True when the JSON body asks for ``"stream": true`` (parsed only if it might)."""
    if b'"stream"' not in body:
        return False
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError:
        return False
    return isinstance(parsed, dict) and parsed.get("stream") is True


class UpstreamProtocol(asyncio.Protocol):
    """One connection: parse requests with httptools, answer from ``Canned``."""

    def __init__(self, canned: Canned, chunk_delay_s: float) -> None:
        self._canned = canned
        self._delay = chunk_delay_s
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._url = b""
        self._body: list[bytes] = []
        self._busy = False  # a delayed stream is still being written
        self._queued: list[tuple[bytes, bytes, bytes, bool]] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports implement asyncio.Transport without subclassing it.
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserError:
            self._write(self._canned.bad_request)
            self._close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    def on_url(self, url: bytes) -> None:
        self._url += url

    def on_body(self, body: bytes) -> None:
        self._body.append(body)

    def on_message_complete(self) -> None:
        method = self._parser.get_method()
        keep_alive = self._parser.should_keep_alive()
        request = (method, self._url.split(b"?", 1)[0], b"".join(self._body), keep_alive)
        self._url, self._body = b"", []
        if self._busy:
            self._queued.append(request)
        else:
            self._answer(*request)

    def _answer(self, method: bytes, path: bytes, body: bytes, keep_alive: bool) -> None:
        canned = self._canned
        if method == b"POST" and path == b"/v1/chat/completions":
            if wants_stream(body):
                self._stream(keep_alive)
                return
            self._write(canned.completion)
        elif method == b"POST" and path == b"/v1/embeddings":
            self._write(canned.embeddings)
        elif method == b"GET" and path == b"/v1/models":
            self._write(canned.models)
        else:
            self._write(canned.not_found)
        self._finish(keep_alive)

    def _stream(self, keep_alive: bool) -> None:
        canned = self._canned
        if self._delay <= 0:
            self._write(canned.stream_head + b"".join(canned.stream_chunks) + canned.stream_tail)
            self._finish(keep_alive)
            return
        self._busy = True
        self._write(canned.stream_head)
        asyncio.get_running_loop().create_task(self._stream_slowly(keep_alive))

    async def _stream_slowly(self, keep_alive: bool) -> None:
        for chunk in self._canned.stream_chunks:
            await asyncio.sleep(self._delay)
            if self._transport is None:
                return
            self._write(chunk)
        self._write(self._canned.stream_tail)
        self._busy = False
        self._finish(keep_alive)
        while self._queued and not self._busy and self._transport is not None:
            self._answer(*self._queued.pop(0))

    def _finish(self, keep_alive: bool) -> None:
        if not keep_alive:
            self._close()

    def _write(self, data: bytes) -> None:
        if self._transport is not None:
            self._transport.write(data)

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            self._transport = None


async def serve(host: str, port: int, chunk_delay_s: float) -> None:
    """Serve until SIGINT or SIGTERM."""
    loop = asyncio.get_running_loop()
    canned = build_canned()
    server = await loop.create_server(
        lambda: UpstreamProtocol(canned, chunk_delay_s), host, port, backlog=4096
    )
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(f"fake upstream listening on http://{host}:{port}", flush=True)
    await stop.wait()
    server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument(
        "--chunk-delay-ms", type=float, default=0.0, help="pause before each stream chunk"
    )
    args = parser.parse_args()
    uvloop.run(serve(args.host, args.port, args.chunk_delay_ms / 1000))


if __name__ == "__main__":
    main()
