"""The cache log in PostgreSQL, shared by replicas: see ``cache/shared.py``."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from psycopg import AsyncConnection
from psycopg.rows import TupleRow

from ..cache.shared import Change
from ..cache.store import Entry, Selector
from .postgres import open_pool
from .sqlite_cache import KEEP_INVALIDATIONS_S, change_of, entry_row, selector_doc, where

if TYPE_CHECKING:
    from .postgres import Pool

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS cache_log (
      seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      origin TEXT NOT NULL,
      key TEXT,
      grp TEXT,
      tenant TEXT,
      key_id TEXT,
      namespace TEXT,
      expires_at DOUBLE PRECISION NOT NULL,
      doc BYTEA NOT NULL,
      vector BYTEA)""",
    "CREATE INDEX IF NOT EXISTS cache_log_key ON cache_log (key)",
    "CREATE INDEX IF NOT EXISTS cache_log_tenant ON cache_log (tenant)",
    "CREATE INDEX IF NOT EXISTS cache_log_expiry ON cache_log (expires_at)",
)
_INSERT = (
    "INSERT INTO cache_log (origin, key, grp, tenant, key_id, namespace, expires_at, doc, "
    "vector) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


class PostgresCacheLog:
    def __init__(self, url: str, *, timeout_s: float = 5.0) -> None:
        self._url = url
        self._timeout_s = timeout_s
        self._pool: Pool | None = None

    async def start(self) -> None:
        self._pool = await open_pool(self._url, _SCHEMA, 2, self._timeout_s)

    async def append(self, origin: str, entries: Sequence[Entry]) -> None:
        rows = [entry_row(origin, e) for e in entries]
        async with self._connection() as conn, conn.transaction():
            async with conn.cursor() as cursor:
                # one row per key: a newer answer replaces the older one
                await cursor.execute(
                    "DELETE FROM cache_log WHERE key = ANY(%s)", ([row[1] for row in rows],)
                )
                await cursor.executemany(_INSERT, rows)

    async def invalidate(self, origin: str, selector: Selector, now: float) -> list[str]:
        condition, args = where(selector, "%s")
        async with self._connection() as conn, conn.transaction():
            cursor = await conn.execute(
                f"DELETE FROM cache_log WHERE {condition} RETURNING key", args
            )
            keys = [str(k) for (k,) in await cursor.fetchall()]
            await conn.execute(
                "INSERT INTO cache_log (origin, expires_at, doc) VALUES (%s, %s, %s)",
                (origin, now + KEEP_INVALIDATIONS_S, selector_doc(selector)),
            )
        return keys

    async def changes(
        self, after: int, now: float, limit: int, skip_origin: str = ""
    ) -> list[Change]:
        async with self._connection() as conn:
            cursor = await conn.execute(
                "SELECT seq, origin, key, doc, vector FROM cache_log WHERE seq > %s "
                "AND expires_at > %s AND origin != %s ORDER BY seq LIMIT %s",
                (after, now, skip_origin, limit),
            )
            rows: list[Any] = await cursor.fetchall()
        return [
            change_of(int(seq), origin, key, bytes(doc), None if v is None else bytes(v))
            for seq, origin, key, doc, v in rows
        ]

    async def purge(self, now: float) -> int:
        async with self._connection() as conn:
            cursor = await conn.execute("DELETE FROM cache_log WHERE expires_at <= %s", (now,))
            return cursor.rowcount

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close(timeout=self._timeout_s)
            self._pool = None

    def _connection(self) -> contextlib.AbstractAsyncContextManager[AsyncConnection[TupleRow]]:
        if self._pool is None:
            raise RuntimeError("the cache log is not started")
        return self._pool.connection()
