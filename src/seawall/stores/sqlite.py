"""SQLite trace sink: the embedded default for traces. Writes are batched and done in
a worker thread, off the request path; the table is bounded by age and by count.

    sink = SqliteTraceSink("seawall.db", max_traces=100_000, max_age_s=72 * 3600)
    await sink.start(); sink.record(trace); await sink.close()
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .base import TraceRecord
from .trace_rows import COLUMN_LIST, COLUMNS, from_row, to_row

_T = TypeVar("_T")

log = logging.getLogger("seawall.traces")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS traces (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  trace_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  started_at REAL NOT NULL,
  tenant TEXT NOT NULL,
  model TEXT NOT NULL,
  deployment TEXT NOT NULL,
  status INTEGER NOT NULL,
  duration_ms REAL NOT NULL,
  ttft_ms REAL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  stream INTEGER NOT NULL,
  error TEXT,
  spans BLOB NOT NULL,
  request BLOB,
  response TEXT,
  span_id TEXT NOT NULL DEFAULT '',
  parent_id TEXT
);
CREATE INDEX IF NOT EXISTS traces_trace_id ON traces (trace_id);
CREATE INDEX IF NOT EXISTS traces_tenant ON traces (tenant, seq);
CREATE INDEX IF NOT EXISTS traces_started ON traces (started_at);
"""

_MAX_PENDING = 20_000
# Small, frequent batches: the writer thread shares the CPU with the event loop, and a
# long batch shows up as a latency spike on requests in flight.
_FLUSH_EVERY_S = 0.1
_BATCH_ROWS = 64
_PRUNE_EVERY_S = 2.0
_PRUNE_ROWS = 4096  # at most this many deleted a round, so a round stays short


def connect(path: str) -> sqlite3.Connection:
    """A connection in WAL mode (readers never wait for the writer), for one process or
    several starting at once on a new file: switching a new file to WAL takes a lock
    that SQLite's busy timeout does not cover, so that step is retried."""
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=5.0)
    deadline = time.monotonic() + 5.0
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(0.02)
    db.execute("PRAGMA synchronous=NORMAL")
    return db


class Connection:
    """One SQLite connection used from worker threads, one statement batch at a time;
    closed under the same lock, so a query still running in its thread (its awaiting
    task may have been cancelled) finishes before the connection goes."""

    def __init__(self, path: str, schema: str, what: str) -> None:
        self._path = path
        self._schema = schema
        self._what = what  # "the job store": for the error when used before start
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    async def open(self) -> None:
        def open_db() -> None:
            db = connect(self._path)
            db.executescript(self._schema)
            self._db = db

        await asyncio.to_thread(open_db)

    async def run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        def locked() -> _T:
            with self._lock:
                if self._db is None:
                    raise RuntimeError(f"{self._what} is not started")
                return work(self._db)

        return await asyncio.to_thread(locked)

    async def close(self) -> None:
        def shut() -> None:
            with self._lock:
                if self._db is not None:
                    self._db.close()
                    self._db = None

        await asyncio.to_thread(shut)


def path_from_url(url: str) -> str:
    """``sqlite:///relative.db``, ``sqlite:////absolute.db`` or ``sqlite://`` (memory)."""
    rest = url.removeprefix("sqlite://")
    return rest[1:] if rest.startswith("/") else rest or ":memory:"


class SqliteTraceSink:
    def __init__(self, path: str, *, max_traces: int, max_age_s: float) -> None:
        self._path = path
        self._max_traces = max_traces
        self._max_age_s = max_age_s
        # rows are tuples of scalars, which the garbage collector does not track
        self._pending: deque[tuple[Any, ...]] = deque()
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0
        self._next_prune = 0.0

    async def start(self) -> None:
        await asyncio.to_thread(self._open)
        self._task = asyncio.create_task(self._flush_loop(), name="seawall-trace-flush")

    def _open(self) -> None:
        db = connect(self._path)
        db.executescript(_SCHEMA)
        _add_missing_columns(db)
        self._db = db

    @property
    def backlog(self) -> int:
        return len(self._pending)

    def record(self, trace: TraceRecord) -> None:
        if len(self._pending) >= _MAX_PENDING:
            self._pending.popleft()
            self.dropped += 1
        self._pending.append(to_row(trace))

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(_FLUSH_EVERY_S)
            try:
                await self.flush()
            except Exception as exc:  # the sink must never take the gateway down
                log.warning("writing traces failed: %s", exc)

    async def flush(self) -> None:
        if not self._pending:
            return
        while self._pending:
            count = min(len(self._pending), _BATCH_ROWS)
            batch = [self._pending.popleft() for _ in range(count)]
            try:
                await asyncio.to_thread(self._write, batch)
            except Exception:  # kept for the next round (the bound on pending still holds)
                self._pending.extendleft(reversed(batch))
                raise
        if time.monotonic() >= self._next_prune:
            self._next_prune = time.monotonic() + _PRUNE_EVERY_S
            await asyncio.to_thread(self._prune)

    def _write(self, rows: list[tuple[Any, ...]]) -> None:
        with self._lock:
            db = self._connection()
            db.execute("BEGIN")
            try:
                db.executemany(
                    f"INSERT INTO traces ({COLUMN_LIST}) VALUES ({','.join('?' * len(COLUMNS))})",
                    rows,
                )
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _prune(self) -> None:
        """Delete the oldest traces past the age or count bound, a bounded round at a time."""
        with self._lock:
            db = self._connection()
            (newest,) = db.execute("SELECT COALESCE(MAX(seq), 0) FROM traces").fetchone()
            # two statements, so that each walks an index and stops early
            db.execute(
                "DELETE FROM traces WHERE seq IN "
                "(SELECT seq FROM traces WHERE seq <= ? ORDER BY seq LIMIT ?)",
                (newest - self._max_traces, _PRUNE_ROWS),
            )
            db.execute(
                "DELETE FROM traces WHERE seq IN "
                "(SELECT seq FROM traces WHERE started_at < ? ORDER BY started_at LIMIT ?)",
                (time.time() - self._max_age_s, _PRUNE_ROWS),
            )

    async def get(self, trace_id: str, tenant: str | None) -> TraceRecord | None:
        sql = f"SELECT seq, {COLUMN_LIST} FROM traces WHERE trace_id = ?"
        args: list[Any] = [trace_id]
        if tenant is not None:
            sql += " AND tenant = ?"
            args.append(tenant)
        rows = await asyncio.to_thread(self._query, sql + " ORDER BY seq DESC LIMIT 1", args)
        return from_row(rows[0][1:]) if rows else None

    async def recent(
        self, tenant: str | None, limit: int, cursor: str | None
    ) -> tuple[list[TraceRecord], str | None]:
        clauses: list[str] = []
        args: list[Any] = []
        if tenant is not None:
            clauses.append("tenant = ?")
            args.append(tenant)
        if cursor is not None:
            clauses.append("seq < ?")
            args.append(int(cursor))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT seq, {COLUMN_LIST} FROM traces {where} ORDER BY seq DESC LIMIT ?"
        rows = await asyncio.to_thread(self._query, sql, [*args, limit + 1])
        page = [from_row(r[1:]) for r in rows[:limit]]
        next_cursor = str(rows[limit - 1][0]) if len(rows) > limit else None
        return page, next_cursor

    def _query(self, sql: str, args: list[Any]) -> list[tuple[Any, ...]]:
        with self._lock:
            return list(self._connection().execute(sql, args))

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("the trace sink is not started")
        return self._db

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._db is not None:
            await self.flush()
            with self._lock:
                self._db.close()
                self._db = None


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Files written before traces kept span ids gain the columns, empty."""
    present = {row[1] for row in db.execute("PRAGMA table_info(traces)")}
    for name, kind in (("span_id", "TEXT NOT NULL DEFAULT ''"), ("parent_id", "TEXT")):
        if name in present:
            continue
        try:
            db.execute(f"ALTER TABLE traces ADD COLUMN {name} {kind}")
        except sqlite3.OperationalError as exc:  # another process added it meanwhile
            if "duplicate column" not in str(exc):
                raise
