"""PostgreSQL durable stores: keys, the spend ledger and traces, shared by any number of
gateway replicas (``stores.durable: postgresql://user@host/db``).

    accounts = PostgresAccountStore("postgresql://seawall@db/seawall")
    sink = PostgresTraceSink(url, max_traces=100_000, max_age_s=72 * 3600)
    await accounts.start(); await sink.start(); ...; await sink.close()

Each store keeps a small pool of autocommit connections; every connect, wait for a
connection and statement is bounded by ``timeout_s``. Query parameters of the URL
(``?options=-csearch_path%3Dseawall``, ``sslmode``, ...) go to libpq unchanged. Tables
are created at ``start()`` under an advisory lock, so replicas starting together do not
race on the catalog.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool

from .base import KeyRecord, SpendEntry, TraceRecord
from .sqlite_accounts import decode_key, encode_key
from .trace_rows import COLUMN_LIST, from_row, to_row

log = logging.getLogger("seawall.traces")

if TYPE_CHECKING:  # the pool class is generic only from psycopg-pool 3.2
    Pool = AsyncConnectionPool[AsyncConnection[TupleRow]]

_DDL_LOCK = 0x5EA3A11  # pg_advisory_xact_lock key: one replica runs the DDL at a time

# "C" collation: the ledger sorts and compares bytewise, as SQLite does
_ACCOUNT_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS seawall_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS api_keys (
      seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      digest TEXT NOT NULL UNIQUE,
      previous_digest TEXT,
      previous_until DOUBLE PRECISION,
      tenant TEXT NOT NULL,
      doc BYTEA NOT NULL,
      version BIGINT NOT NULL DEFAULT 1)""",
    "ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS version BIGINT NOT NULL DEFAULT 1",
    "CREATE INDEX IF NOT EXISTS api_keys_previous ON api_keys (previous_digest)",
    "CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant, seq)",
    """CREATE TABLE IF NOT EXISTS spend_ledger (
      key_id TEXT COLLATE "C" NOT NULL,
      tenant TEXT COLLATE "C" NOT NULL,
      model TEXT COLLATE "C" NOT NULL,
      day TEXT COLLATE "C" NOT NULL,
      requests BIGINT NOT NULL DEFAULT 0,
      prompt_tokens BIGINT NOT NULL DEFAULT 0,
      completion_tokens BIGINT NOT NULL DEFAULT 0,
      cached_tokens BIGINT NOT NULL DEFAULT 0,
      micros BIGINT NOT NULL DEFAULT 0,
      PRIMARY KEY (key_id, tenant, model, day))""",
    "CREATE INDEX IF NOT EXISTS spend_ledger_tenant ON spend_ledger (tenant, day)",
)

_TRACE_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS traces (
      seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      trace_id TEXT NOT NULL,
      request_id TEXT NOT NULL,
      started_at DOUBLE PRECISION NOT NULL,
      tenant TEXT NOT NULL,
      model TEXT NOT NULL,
      deployment TEXT NOT NULL,
      status INTEGER NOT NULL,
      duration_ms DOUBLE PRECISION NOT NULL,
      ttft_ms DOUBLE PRECISION,
      prompt_tokens BIGINT NOT NULL,
      completion_tokens BIGINT NOT NULL,
      stream BOOLEAN NOT NULL,
      error TEXT,
      spans BYTEA NOT NULL,
      request BYTEA,
      response TEXT,
      span_id TEXT NOT NULL,
      parent_id TEXT)""",
    "CREATE INDEX IF NOT EXISTS traces_trace_id ON traces (trace_id)",
    "CREATE INDEX IF NOT EXISTS traces_tenant ON traces (tenant, seq)",
    "CREATE INDEX IF NOT EXISTS traces_started ON traces (started_at)",
)

_INSERT_KEY = """
INSERT INTO api_keys (digest, previous_digest, previous_until, tenant, doc, id, version)
VALUES (%s, %s, %s, %s, %s, %s, 1) ON CONFLICT DO NOTHING
"""
_UPDATE_KEY = """
UPDATE api_keys SET digest = %s, previous_digest = %s, previous_until = %s, tenant = %s,
  doc = %s, version = %s WHERE id = %s AND version = %s
"""

_ADD_SPEND = """
INSERT INTO spend_ledger (key_id, tenant, model, day, requests, prompt_tokens,
  completion_tokens, cached_tokens, micros) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (key_id, tenant, model, day) DO UPDATE SET
  requests = spend_ledger.requests + EXCLUDED.requests,
  prompt_tokens = spend_ledger.prompt_tokens + EXCLUDED.prompt_tokens,
  completion_tokens = spend_ledger.completion_tokens + EXCLUDED.completion_tokens,
  cached_tokens = spend_ledger.cached_tokens + EXCLUDED.cached_tokens,
  micros = spend_ledger.micros + EXCLUDED.micros
"""

_MAX_PENDING = 20_000
_FLUSH_EVERY_S = 0.1
_RETRY_EVERY_S = 2.0  # after a failed flush: the database is likely down, do not spin
_BATCH_ROWS = 256
_PRUNE_EVERY_S = 2.0
_PRUNE_ROWS = 4096  # at most this many deleted a round, so a round stays short


class PostgresAccountStore:
    """Keys and the spend ledger in PostgreSQL; see ``AccountStore``."""

    def __init__(self, url: str, *, timeout_s: float = 5.0) -> None:
        self._url = url
        self._timeout_s = timeout_s
        self._pool: Pool | None = None

    async def start(self) -> None:
        self._pool = await open_pool(self._url, _ACCOUNT_SCHEMA, 4, self._timeout_s)

    async def meta(self, name: str, default: str) -> str:
        # two statements: a SELECT in the INSERT's statement would not see a row that a
        # concurrent first writer committed after that statement's snapshot
        await self._fetch(
            "INSERT INTO seawall_meta VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",
            (name, default),
        )
        rows = await self._fetch("SELECT value FROM seawall_meta WHERE name = %s", (name,))
        return str(rows[0][0])

    async def put_key(self, record: KeyRecord) -> bool:
        columns = (
            record.digest,
            record.previous_digest,
            record.previous_until,
            record.tenant,
            encode_key(record),
        )
        async with self._connection() as conn:
            if record.version == 1:
                cursor = await conn.execute(_INSERT_KEY, (*columns, record.id))
            else:
                args = (*columns, record.version, record.id, record.version - 1)
                cursor = await conn.execute(_UPDATE_KEY, args)
            return cursor.rowcount == 1

    async def key_by_digest(self, digest: str) -> KeyRecord | None:
        rows = await self._fetch(
            "SELECT doc FROM api_keys WHERE digest = %s OR previous_digest = %s "
            "ORDER BY digest = %s DESC LIMIT 1",
            (digest, digest, digest),
        )
        return decode_key(rows[0][0]) if rows else None

    async def key_by_id(self, key_id: str) -> KeyRecord | None:
        rows = await self._fetch("SELECT doc FROM api_keys WHERE id = %s", (key_id,))
        return decode_key(rows[0][0]) if rows else None

    async def list_keys(
        self, tenant: str | None, limit: int, cursor: str | None
    ) -> tuple[list[KeyRecord], str | None]:
        args: list[object]
        sql, args = "SELECT seq, doc FROM api_keys WHERE seq > %s", [int(cursor or 0)]
        if tenant is not None:
            sql, args = sql + " AND tenant = %s", [*args, tenant]
        rows = await self._fetch(sql + " ORDER BY seq LIMIT %s", (*args, limit + 1))
        next_cursor = str(rows[limit - 1][0]) if len(rows) > limit else None
        return [decode_key(doc) for _, doc in rows[:limit]], next_cursor

    async def add_spend(self, entries: Sequence[SpendEntry]) -> None:
        # rows in primary-key order, so concurrent batches lock rows in the same order
        # and cannot deadlock
        rows = sorted(_spend_row(e) for e in entries)
        if not rows:
            return
        async with self._connection() as conn, conn.transaction():
            async with conn.cursor() as cursor:
                await cursor.executemany(_ADD_SPEND, rows)

    async def spend(self, *, tenant: str | None, key_id: str | None, since_day: str | None) -> int:
        clauses, args = ["TRUE"], []
        for clause, value in (("tenant = %s", tenant), ("key_id = %s", key_id)):
            if value is not None:
                clauses.append(clause)
                args.append(value)
        if since_day is not None:
            clauses.append("day >= %s")
            args.append(since_day)
        sql = f"SELECT COALESCE(SUM(micros), 0) FROM spend_ledger WHERE {' AND '.join(clauses)}"
        rows = await self._fetch(sql, args)
        return int(rows[0][0])

    async def usage(
        self, tenant: str, key_id: str | None, since_day: str, until_day: str
    ) -> list[SpendEntry]:
        sql = (
            "SELECT key_id, tenant, model, day, requests, prompt_tokens, completion_tokens, "
            "cached_tokens, micros FROM spend_ledger WHERE tenant = %s AND day >= %s "
            "AND day <= %s"
        )
        args: tuple[str, ...] = (tenant, since_day, until_day)
        if key_id is not None:
            sql, args = sql + " AND key_id = %s", (*args, key_id)
        rows = await self._fetch(sql + " ORDER BY day, key_id, model", args)
        return [SpendEntry(*row) for row in rows]

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close(timeout=self._timeout_s)
            self._pool = None

    async def _fetch(self, sql: str, args: Sequence[object]) -> list[tuple[Any, ...]]:
        async with self._connection() as conn:
            cursor = await conn.execute(sql, args)
            return await cursor.fetchall() if cursor.description else []

    def _connection(self) -> contextlib.AbstractAsyncContextManager[AsyncConnection[TupleRow]]:
        if self._pool is None:
            raise RuntimeError("the account store is not started")
        return self._pool.connection()


class PostgresTraceSink:
    """Traces in PostgreSQL; ``record()`` only queues, a background task writes small
    batches with COPY and prunes the table by age and count, a bounded round at a time."""

    def __init__(
        self, url: str, *, max_traces: int, max_age_s: float, timeout_s: float = 5.0
    ) -> None:
        self._url = url
        self._max_traces = max_traces
        self._max_age_s = max_age_s
        self._timeout_s = timeout_s
        self._pending: deque[tuple[object, ...]] = deque()
        self._pool: Pool | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._flushing = asyncio.Lock()  # one writer, so flush() returns only when all is in
        self._next_prune = 0.0
        self.dropped = 0

    async def start(self) -> None:
        self._pool = await open_pool(self._url, _TRACE_SCHEMA, 2, self._timeout_s)
        self._task = asyncio.create_task(self._flush_loop(), name="seawall-trace-flush")

    @property
    def backlog(self) -> int:
        return len(self._pending)

    def record(self, trace: TraceRecord) -> None:
        if len(self._pending) >= _MAX_PENDING:
            self._pending.popleft()
            self.dropped += 1
        self._pending.append(to_row(trace, _text))

    async def flush(self) -> None:
        """Write everything queued; on failure the unwritten traces stay queued."""
        async with self._flushing:
            while self._pending:
                count = min(len(self._pending), _BATCH_ROWS)
                await self._write([self._pending.popleft() for _ in range(count)])
            if time.monotonic() >= self._next_prune:
                self._next_prune = time.monotonic() + _PRUNE_EVERY_S
                await self._prune()

    async def get(self, trace_id: str, tenant: str | None) -> TraceRecord | None:
        sql, args = f"SELECT {COLUMN_LIST} FROM traces WHERE trace_id = %s", [trace_id]
        if tenant is not None:
            sql, args = sql + " AND tenant = %s", [*args, tenant]
        rows = await self._fetch(sql + " ORDER BY seq DESC LIMIT 1", args)
        return from_row(rows[0]) if rows else None

    async def recent(
        self, tenant: str | None, limit: int, cursor: str | None
    ) -> tuple[list[TraceRecord], str | None]:
        clauses, args = ["TRUE"], list[object]()
        if tenant is not None:
            clauses.append("tenant = %s")
            args.append(tenant)
        if cursor is not None:
            clauses.append("seq < %s")
            args.append(int(cursor))
        where = " AND ".join(clauses)
        sql = f"SELECT seq, {COLUMN_LIST} FROM traces WHERE {where} ORDER BY seq DESC LIMIT %s"
        rows = await self._fetch(sql, [*args, limit + 1])
        next_cursor = str(rows[limit - 1][0]) if len(rows) > limit else None
        return [from_row(row[1:]) for row in rows[:limit]], next_cursor

    async def close(self) -> None:
        if self._task is not None:
            self._stopping.set()
            await self._task  # its last round writes what is queued
            self._task = None
        if self._pool is not None:
            if self._pending:
                log.warning("closing with %d traces not written", len(self._pending))
            await self._pool.close(timeout=self._timeout_s)
            self._pool = None

    async def _flush_loop(self) -> None:
        wait_s = _FLUSH_EVERY_S
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), wait_s)
            try:
                await self.flush()
                wait_s = _FLUSH_EVERY_S
            except Exception as exc:  # the sink must never take the gateway down
                log.warning("writing traces failed, %d queued: %s", len(self._pending), exc)
                wait_s = _RETRY_EVERY_S

    async def _write(self, rows: list[tuple[object, ...]]) -> None:
        try:
            async with self._connection() as conn, conn.cursor() as cursor:
                async with cursor.copy(f"COPY traces ({COLUMN_LIST}) FROM STDIN") as copy:
                    for row in rows:
                        await copy.write_row(row)
        except psycopg.DataError:
            self.dropped += len(rows)  # a row the server refuses would be refused forever
            raise
        except Exception:
            self._requeue(rows)
            raise

    def _requeue(self, rows: list[tuple[object, ...]]) -> None:
        self._pending.extendleft(reversed(rows))
        while len(self._pending) > _MAX_PENDING:
            self._pending.popleft()
            self.dropped += 1

    async def _prune(self) -> None:
        """Delete the oldest traces past the count or age bound, a bounded round at a time."""
        async with self._connection() as conn:
            await conn.execute(
                "DELETE FROM traces WHERE seq IN (SELECT seq FROM traces WHERE seq <= "
                "(SELECT COALESCE(MAX(seq), 0) FROM traces) - %s ORDER BY seq LIMIT %s)",
                (self._max_traces, _PRUNE_ROWS),
            )
            await conn.execute(
                "DELETE FROM traces WHERE seq IN (SELECT seq FROM traces "
                "WHERE started_at < %s ORDER BY started_at LIMIT %s)",
                (time.time() - self._max_age_s, _PRUNE_ROWS),
            )

    async def _fetch(self, sql: str, args: Sequence[object]) -> list[tuple[Any, ...]]:
        async with self._connection() as conn:
            return await (await conn.execute(sql, args)).fetchall()

    def _connection(self) -> contextlib.AbstractAsyncContextManager[AsyncConnection[TupleRow]]:
        if self._pool is None:
            raise RuntimeError("the trace sink is not started")
        return self._pool.connection()


async def open_pool(url: str, schema: Sequence[str], max_size: int, timeout_s: float) -> Pool:
    """An open pool of autocommit connections to ``url``, with ``schema`` created."""
    params = conninfo_to_dict(url)
    params.setdefault("connect_timeout", max(2, round(timeout_s)))  # libpq: whole seconds
    pool: Pool = AsyncConnectionPool(
        make_conninfo("", **params),
        min_size=1,
        max_size=max_size,
        open=False,
        timeout=timeout_s,
        kwargs={"autocommit": True},
        configure=_session_timeouts(timeout_s),
        name="seawall",
    )
    try:
        await pool.open(wait=True, timeout=timeout_s)
        await _create_schema(pool, schema)
    except BaseException:
        await pool.close(timeout=timeout_s)
        raise
    return pool


def _session_timeouts(
    timeout_s: float,
) -> Callable[[AsyncConnection[TupleRow]], Awaitable[None]]:
    ms = str(int(timeout_s * 1000))

    async def configure(conn: AsyncConnection[TupleRow]) -> None:
        await conn.execute(
            "SELECT set_config('statement_timeout', %s, false), "
            "set_config('idle_in_transaction_session_timeout', %s, false)",
            (ms, ms),
        )

    return configure


async def _create_schema(pool: Pool, schema: Sequence[str]) -> None:
    # CREATE ... IF NOT EXISTS is not safe against itself: two replicas creating the
    # same table at once can fail on the catalog's unique index
    async with pool.connection() as conn, conn.transaction():
        await conn.execute(f"SELECT pg_advisory_xact_lock({_DDL_LOCK})")
        for statement in schema:
            await conn.execute(statement)


def _spend_row(e: SpendEntry) -> tuple[str, str, str, str, int, int, int, int, int]:
    return (
        e.key_id,
        e.tenant,
        e.model,
        e.day,
        e.requests,
        e.prompt_tokens,
        e.completion_tokens,
        e.cached_tokens,
        e.micros,
    )


def _text(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL; one in a model's answer must not poison a batch."""
    return value.replace("\x00", "\ufffd") if value and "\x00" in value else value
