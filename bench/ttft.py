"""Time to first token: N sequential streaming requests over one keep-alive connection,
each timed from the request write to the first body byte that holds ``data:``.

    samples = asyncio.run(measure_ttft("127.0.0.1", 9100, "/v1/chat/completions", body, 200))
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass

import httptools


class StreamError(RuntimeError):
    """A streaming request did not answer 200 with SSE data lines."""


def stream_body(model: str) -> bytes:
    return (
        b'{"model":"' + model.encode() + b'","stream":true,'
        b'"messages":[{"role":"system","content":"You are a terse assistant."},'
        b'{"role":"user","content":"Say something short about foxes and dogs."}],'
        b'"max_tokens":32,"temperature":0}'
    )


class _Response:
    """httptools callbacks for one response: notes when the first ``data:`` arrives."""

    def __init__(self) -> None:
        self.first_data_at: float | None = None
        self.complete = False
        self.body_head = b""
        self._tail = b""  # last bytes of the previous body piece: "data:" may straddle two

    def on_body(self, body: bytes) -> None:
        if self.first_data_at is None:
            if b"data:" in self._tail + body:
                self.first_data_at = time.perf_counter()
            self._tail = body[-4:]
        if len(self.body_head) < 300:
            self.body_head += body[:300]

    def on_message_complete(self) -> None:
        self.complete = True


@dataclass(slots=True)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter


async def _connect(host: str, port: int) -> _Connection:
    reader, writer = await asyncio.open_connection(host, port)
    return _Connection(reader, writer)


def _request(host: str, port: int, path: str, body: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Content-Type: application/json\r\nAuthorization: Bearer sk-bench\r\n"
        f"Accept: text/event-stream\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _one(conn: _Connection, request: bytes) -> tuple[float, bool]:
    """Send one request, read its whole response; return (TTFT seconds, keep-alive)."""
    response = _Response()
    parser = httptools.HttpResponseParser(response)
    started = time.perf_counter()
    conn.writer.write(request)
    while not response.complete:
        data = await conn.reader.read(65536)
        if not data:
            raise StreamError("connection closed before the response ended")
        parser.feed_data(data)
    status = parser.get_status_code()
    if status != 200 or response.first_data_at is None:
        raise StreamError(f"status {status}, body starts {response.body_head[:200]!r}")
    return response.first_data_at - started, parser.should_keep_alive()


async def measure_ttft(
    host: str,
    port: int,
    path: str,
    body: bytes,
    count: int,
    warmup: int = 20,
    timeout_s: float = 10.0,
) -> list[float]:
    """TTFT in seconds of ``count`` sequential streams, after ``warmup`` uncounted ones."""
    request = _request(host, port, path, body)
    conn = await _connect(host, port)
    samples: list[float] = []
    try:
        for index in range(warmup + count):
            ttft, keep_alive = await asyncio.wait_for(_one(conn, request), timeout_s)
            if index >= warmup:
                samples.append(ttft)
            if not keep_alive:
                conn.writer.close()
                conn = await _connect(host, port)
    finally:
        conn.writer.close()
    return samples


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile, ``q`` in 0..100."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]
