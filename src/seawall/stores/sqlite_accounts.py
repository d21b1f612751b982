"""SQLite account store: keys and the spend ledger in the embedded default.

Queries run in a worker thread on one connection; WAL lets the trace sink share the
file. Every write is one short transaction.

    store = SqliteAccountStore("seawall.db")
    await store.start(); await store.put_key(record); ...; await store.close()
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import orjson

from .base import KeyRecord, SpendEntry
from .sqlite import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS seawall_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  digest TEXT NOT NULL UNIQUE,
  previous_digest TEXT,
  previous_until REAL,
  doc BLOB NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX IF NOT EXISTS api_keys_previous ON api_keys (previous_digest);
CREATE TABLE IF NOT EXISTS spend_ledger (
  key_id TEXT NOT NULL,
  tenant TEXT NOT NULL,
  model TEXT NOT NULL,
  day TEXT NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  cached_tokens INTEGER NOT NULL DEFAULT 0,
  micros INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (key_id, tenant, model, day)
);
CREATE INDEX IF NOT EXISTS spend_ledger_tenant ON spend_ledger (tenant, day);
"""

_T = TypeVar("_T")

_ADD_SPEND = """
INSERT INTO spend_ledger (key_id, tenant, model, day, requests, prompt_tokens,
  completion_tokens, cached_tokens, micros) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (key_id, tenant, model, day) DO UPDATE SET
  requests = requests + excluded.requests,
  prompt_tokens = prompt_tokens + excluded.prompt_tokens,
  completion_tokens = completion_tokens + excluded.completion_tokens,
  cached_tokens = cached_tokens + excluded.cached_tokens,
  micros = micros + excluded.micros
"""


class SqliteAccountStore:
    def __init__(self, path: str) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    async def start(self) -> None:
        await asyncio.to_thread(self._open)

    def _open(self) -> None:
        db = connect(self._path)
        db.executescript(_SCHEMA)
        present = {row[1] for row in db.execute("PRAGMA table_info(api_keys)")}
        if "version" not in present:  # a file from before versions: every key at 1
            try:
                db.execute("ALTER TABLE api_keys ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
            except sqlite3.OperationalError as exc:  # another process added it meanwhile
                if "duplicate column" not in str(exc):
                    raise
        self._db = db

    async def meta(self, name: str, default: str) -> str:
        def run(db: sqlite3.Connection) -> str:
            db.execute("INSERT OR IGNORE INTO seawall_meta VALUES (?, ?)", (name, default))
            (value,) = db.execute(
                "SELECT value FROM seawall_meta WHERE name = ?", (name,)
            ).fetchone()
            return str(value)

        return await self._run(run)

    async def put_key(self, record: KeyRecord) -> bool:
        doc = encode_key(record)
        columns = (record.digest, record.previous_digest, record.previous_until, doc)

        def run(db: sqlite3.Connection) -> bool:
            if record.version == 1:
                found = db.execute(
                    "INSERT OR IGNORE INTO api_keys (digest, previous_digest, previous_until, "
                    "doc, id, version) VALUES (?, ?, ?, ?, ?, 1)",
                    (*columns, record.id),
                )
            else:
                found = db.execute(
                    "UPDATE api_keys SET digest = ?, previous_digest = ?, previous_until = ?, "
                    "doc = ?, version = ? WHERE id = ? AND version = ?",
                    (*columns, record.version, record.id, record.version - 1),
                )
            return found.rowcount == 1

        return await self._run(run)

    async def key_by_digest(self, digest: str) -> KeyRecord | None:
        rows = await self._query(
            "SELECT doc FROM api_keys WHERE digest = ? UNION ALL "
            "SELECT doc FROM api_keys WHERE previous_digest = ? LIMIT 1",
            (digest, digest),
        )
        return decode_key(rows[0][0]) if rows else None

    async def key_by_id(self, key_id: str) -> KeyRecord | None:
        rows = await self._query("SELECT doc FROM api_keys WHERE id = ?", (key_id,))
        return decode_key(rows[0][0]) if rows else None

    async def list_keys(
        self, tenant: str | None, limit: int, cursor: str | None
    ) -> tuple[list[KeyRecord], str | None]:
        rows = await self._query(
            "SELECT seq, doc FROM api_keys WHERE seq > ? ORDER BY seq", (int(cursor or 0),)
        )
        found: list[tuple[int, KeyRecord]] = []
        for seq, doc in rows:
            record = decode_key(doc)
            if tenant is None or record.tenant == tenant:
                found.append((seq, record))
                if len(found) > limit:
                    break
        next_cursor = str(found[limit - 1][0]) if len(found) > limit else None
        return [r for _, r in found[:limit]], next_cursor

    async def add_spend(self, entries: Sequence[SpendEntry]) -> None:
        rows = [
            (
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
            for e in entries
        ]

        def run(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(_ADD_SPEND, rows)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

        if rows:
            await self._run(run)

    async def spend(self, *, tenant: str | None, key_id: str | None, since_day: str | None) -> int:
        clauses, args = ["1 = 1"], []
        for column, value in (("tenant", tenant), ("key_id", key_id)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(value)
        if since_day is not None:
            clauses.append("day >= ?")
            args.append(since_day)
        sql = f"SELECT COALESCE(SUM(micros), 0) FROM spend_ledger WHERE {' AND '.join(clauses)}"
        rows = await self._query(sql, tuple(args))
        return int(rows[0][0])

    async def usage(
        self, tenant: str, key_id: str | None, since_day: str, until_day: str
    ) -> list[SpendEntry]:
        sql = (
            "SELECT key_id, tenant, model, day, requests, prompt_tokens, completion_tokens, "
            "cached_tokens, micros FROM spend_ledger WHERE tenant = ? AND day >= ? AND day <= ?"
        )
        args: tuple[Any, ...] = (tenant, since_day, until_day)
        if key_id is not None:
            sql += " AND key_id = ?"
            args = (*args, key_id)
        rows = await self._query(sql + " ORDER BY day, key_id, model", args)
        return [SpendEntry(*row) for row in rows]

    async def _query(self, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return await self._run(lambda db: list(db.execute(sql, args)))

    async def _run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        def locked() -> _T:
            with self._lock:
                if self._db is None:
                    raise RuntimeError("the account store is not started")
                return work(self._db)

        return await asyncio.to_thread(locked)

    async def close(self) -> None:
        if self._db is not None:
            with self._lock:
                self._db.close()
                self._db = None


def encode_key(record: KeyRecord) -> bytes:
    """The record as JSON, for stores that keep it as one document."""
    doc = {name: getattr(record, name) for name in record.__dataclass_fields__}
    return orjson.dumps(doc)


def decode_key(doc: bytes | str) -> KeyRecord:
    data = orjson.loads(doc)
    data["roles"] = tuple(data["roles"])
    data.setdefault("version", 1)
    if data["models"] is not None:
        data["models"] = tuple(data["models"])
    return KeyRecord(**data)
