"""A request's trace: ids, W3C ``traceparent`` in and out, and spans recorded as plain
tuples (no per-span objects for the garbage collector to walk).

    trace = Trace.start(request_id="r1", traceparent=None)
    t = trace.now_ms(); ...; trace.add("dispatch", t)
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping

from ..stores.base import TraceRecord

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")

Span = tuple[str, float, float, str, Mapping[str, object]]
_NO_ATTRS: Mapping[str, object] = {}


def parse_traceparent(value: str | None) -> tuple[str, str] | None:
    """(trace id, parent span id) from a valid W3C traceparent, else None."""
    if not value:
        return None
    match = _TRACEPARENT.match(value.strip().lower())
    if match is None or match.group(1) == "0" * 32 or match.group(2) == "0" * 16:
        return None
    return match.group(1), match.group(2)


class Trace:
    __slots__ = (
        "_t0",
        "deployment",
        "error",
        "model",
        "parent_id",
        "request_id",
        "span_id",
        "spans",
        "stream",
        "tenant",
        "trace_id",
        "ttft_ms",
        "wall0",
    )

    def __init__(self, trace_id: str, parent_id: str | None, request_id: str) -> None:
        self.trace_id = trace_id
        self.parent_id = parent_id
        self.span_id = os.urandom(8).hex()
        self.request_id = request_id
        self.wall0 = time.time()
        self._t0 = time.perf_counter()
        self.spans: list[Span] = []
        self.tenant = ""
        self.model = ""
        self.deployment = ""
        self.stream = False
        self.ttft_ms: float | None = None
        self.error: str | None = None

    @classmethod
    def start(cls, request_id: str, traceparent: str | None) -> Trace:
        parent = parse_traceparent(traceparent)
        if parent is None:
            return cls(os.urandom(16).hex(), None, request_id)
        return cls(parent[0], parent[1], request_id)

    def now_ms(self) -> float:
        return (time.perf_counter() - self._t0) * 1000

    def add(
        self,
        name: str,
        start_ms: float,
        status: str = "ok",
        attrs: Mapping[str, object] = _NO_ATTRS,
    ) -> None:
        self.spans.append((name, start_ms, self.now_ms() - start_ms, status, attrs))

    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-01"

    def record(
        self,
        status: int,
        prompt_tokens: int,
        completion_tokens: int,
        request: bytes | None = None,
        response: str | None = None,
    ) -> TraceRecord:
        return TraceRecord(
            trace_id=self.trace_id,
            request_id=self.request_id,
            started_at=self.wall0,
            tenant=self.tenant,
            model=self.model,
            deployment=self.deployment,
            status=status,
            duration_ms=self.now_ms(),
            ttft_ms=self.ttft_ms,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            stream=self.stream,
            error=self.error,
            spans=tuple(self.spans),
            request=request,
            response=response,
            span_id=self.span_id,
            parent_id=self.parent_id,
        )
