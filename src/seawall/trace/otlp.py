"""OpenTelemetry export: the same traces, sent to a collector as OTLP/HTTP JSON.

Each request becomes a server span (its id is the one in the response's
``traceparent``, its parent the caller's) with one child span per pipeline stage and
upstream attempt. Spans are encoded when a request ends and sent in batches by a
background task, so the request path never waits on the collector; when the collector
is down or slow, batches are dropped and counted, never queued without bound.

    exporter = OtlpExporter("http://127.0.0.1:4318", headers={})
    await exporter.start(); exporter.record(trace); await exporter.close()
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import deque
from collections.abc import Mapping
from typing import Any

import orjson

from ..providers.http import HttpClient, HttpError
from ..stores.base import TraceRecord

log = logging.getLogger("seawall.otlp")

_MAX_QUEUE = 10_000
_BATCH = 512
_EVERY_S = 1.0
_SERVER, _INTERNAL = 2, 1
_OK, _ERROR = 1, 2


class OtlpExporter:
    def __init__(
        self, endpoint: str, *, headers: Mapping[str, str], service: str = "seawall"
    ) -> None:
        self._client = HttpClient(endpoint.rstrip("/"), max_connections=2, pool_timeout=5.0)
        self._headers = [("content-type", "application/json"), *headers.items()]
        self._pending: deque[bytes] = deque()
        self._resource = orjson.dumps(
            {
                "attributes": [
                    _attr("service.name", service),
                    _attr("service.instance.id", f"pid-{os.getpid()}"),
                ]
            }
        )
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0
        self.sent = 0

    def record(self, trace: TraceRecord) -> None:
        if len(self._pending) >= _MAX_QUEUE:
            self._pending.popleft()
            self.dropped += 1
        self._pending.append(encode_spans(trace))

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="seawall-otlp")

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(_EVERY_S)
            await self.flush()

    async def flush(self) -> None:
        while self._pending:
            count = min(len(self._pending), _BATCH)
            batch = [self._pending.popleft() for _ in range(count)]
            try:
                await self._send(batch)
            except (HttpError, TimeoutError, OSError) as exc:
                self.dropped += count
                log.warning("OTLP export failed, %d traces dropped: %s", count, exc)
                return
            self.sent += count

    async def _send(self, batch: list[bytes]) -> None:
        body = (
            b'{"resourceSpans":[{"resource":'
            + self._resource
            + b',"scopeSpans":[{"scope":{"name":"seawall"},"spans":['
            + b",".join(batch)
            + b"]}]}]}"
        )
        async with asyncio.timeout(10):
            response = await self._client.request("POST", "/v1/traces", self._headers, body)
            try:
                await response.read()
            finally:
                await response.aclose()
        if response.status >= 300:
            raise HttpError(f"collector answered {response.status}")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        try:
            await self.flush()
        finally:
            await self._client.close()


def encode_spans(trace: TraceRecord) -> bytes:
    """The request's spans as comma-separated OTLP/JSON span objects."""
    start_ns = int(trace.started_at * 1e9)
    root: dict[str, Any] = {
        "traceId": trace.trace_id,
        "spanId": trace.span_id,
        "name": f"chat {trace.model or '-'}",
        "kind": _SERVER,
        "startTimeUnixNano": str(start_ns),
        "endTimeUnixNano": str(start_ns + int(trace.duration_ms * 1e6)),
        "attributes": _root_attributes(trace),
        "status": {"code": _ERROR, "message": trace.error or ""}
        if trace.status >= 400 or trace.error
        else {"code": _OK},
    }
    if trace.parent_id:
        root["parentSpanId"] = trace.parent_id
    spans = [root]
    for index, (name, start_ms, duration_ms, status, attrs) in enumerate(trace.spans):
        begin = start_ns + int(start_ms * 1e6)
        spans.append(
            {
                "traceId": trace.trace_id,
                "spanId": _child_id(trace.span_id, index),
                "parentSpanId": trace.span_id,
                "name": name,
                "kind": _INTERNAL,
                "startTimeUnixNano": str(begin),
                "endTimeUnixNano": str(begin + int(duration_ms * 1e6)),
                "attributes": [_attr(f"seawall.{k}", v) for k, v in attrs.items()]
                + [_attr("seawall.outcome", status)],
                "status": {"code": _OK} if status == "ok" else {"code": _ERROR, "message": status},
            }
        )
    return orjson.dumps(spans)[1:-1]


def _root_attributes(trace: TraceRecord) -> list[dict[str, Any]]:
    pairs: list[tuple[str, object]] = [
        ("http.response.status_code", trace.status),
        ("seawall.request_id", trace.request_id),
        ("seawall.model", trace.model),
        ("seawall.deployment", trace.deployment),
        ("seawall.stream", trace.stream),
        ("gen_ai.usage.input_tokens", trace.prompt_tokens),
        ("gen_ai.usage.output_tokens", trace.completion_tokens),
    ]
    if trace.ttft_ms is not None:
        pairs.append(("seawall.ttft_ms", trace.ttft_ms))
    return [_attr(k, v) for k, v in pairs]


def _child_id(span_id: str, index: int) -> str:
    # distinct from the root and from each other, and derived, so no randomness per span
    return f"{(int(span_id, 16) + index + 1) % (1 << 64):016x}"


def _attr(key: str, value: object) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    if isinstance(value, float):
        return {"key": key, "value": {"doubleValue": value}}
    return {"key": key, "value": {"stringValue": str(value)}}
