"""One trace as a row of scalars, the way the SQL trace sinks (SQLite, PostgreSQL)
store it: one column list, one encoder, one decoder.

    db.executemany(f"INSERT INTO traces ({COLUMN_LIST}) VALUES (...)", map(to_row, traces))
    record = from_row(row)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson

from .base import TraceRecord

COLUMNS = (
    "trace_id",
    "request_id",
    "started_at",
    "tenant",
    "model",
    "deployment",
    "status",
    "duration_ms",
    "ttft_ms",
    "prompt_tokens",
    "completion_tokens",
    "stream",
    "error",
    "spans",
    "request",
    "response",
    "span_id",
    "parent_id",
)
COLUMN_LIST = ", ".join(COLUMNS)


def _same(value: str | None) -> str | None:
    return value


def to_row(t: TraceRecord, text: Callable[[str | None], str | None] = _same) -> tuple[Any, ...]:
    """``text`` adapts strings to what the database can hold."""
    return (
        text(t.trace_id),
        text(t.request_id),
        t.started_at,
        text(t.tenant),
        text(t.model),
        text(t.deployment),
        t.status,
        t.duration_ms,
        t.ttft_ms,
        t.prompt_tokens,
        t.completion_tokens,
        t.stream,
        text(t.error),
        orjson.dumps(t.spans),
        t.request,
        text(t.response),
        text(t.span_id),
        text(t.parent_id),
    )


def from_row(row: Sequence[Any]) -> TraceRecord:
    return TraceRecord(
        trace_id=row[0],
        request_id=row[1],
        started_at=row[2],
        tenant=row[3],
        model=row[4],
        deployment=row[5],
        status=row[6],
        duration_ms=row[7],
        ttft_ms=row[8],
        prompt_tokens=row[9],
        completion_tokens=row[10],
        stream=bool(row[11]),
        error=row[12],
        spans=tuple(tuple(s) for s in orjson.loads(row[13])),
        request=None if row[14] is None else bytes(row[14]),
        response=row[15],
        span_id=row[16] or "",
        parent_id=row[17],
    )
