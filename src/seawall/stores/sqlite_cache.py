"""The cache log in SQLite (the embedded default): see ``cache/shared.py``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import TypeVar

import orjson

from ..cache.shared import Change, decode_entry, encode_entry
from ..cache.store import Entry, Selector
from .sqlite import Connection

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cache_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  origin TEXT NOT NULL,
  key TEXT,
  grp TEXT,
  tenant TEXT,
  key_id TEXT,
  namespace TEXT,
  expires_at REAL,
  doc BLOB NOT NULL,
  vector BLOB
);
CREATE INDEX IF NOT EXISTS cache_log_key ON cache_log (key);
CREATE INDEX IF NOT EXISTS cache_log_tenant ON cache_log (tenant);
CREATE INDEX IF NOT EXISTS cache_log_expiry ON cache_log (expires_at);
"""

_T = TypeVar("_T")
# invalidations stay in the log a day, for replicas that read late; one away longer has
# restarted, and reads only the live entries
KEEP_INVALIDATIONS_S = 86400.0


def selector_doc(selector: Selector) -> bytes:
    return orjson.dumps(
        {
            "tenant": selector.tenant,
            "key_id": selector.key_id,
            "group": selector.group,
            "namespace": selector.namespace,
        }
    )


def selector_of(doc: bytes) -> Selector:
    data = orjson.loads(doc)
    return Selector(data["tenant"], data["key_id"], data["group"], data["namespace"])


def where(selector: Selector, mark: str) -> tuple[str, list[object]]:
    """The SQL condition for ``selector`` over entry rows, with ``mark`` placeholders."""
    clauses: list[str] = ["key IS NOT NULL"]
    args: list[object] = []
    for column, value in (
        ("tenant", selector.tenant),
        ("key_id", selector.key_id),
        ("grp", selector.group),
        ("namespace", selector.namespace),
    ):
        if value is not None:
            clauses.append(f"{column} = {mark}")
            args.append(value)
    return " AND ".join(clauses), args


def change_of(seq: int, origin: str, key: str | None, doc: bytes, vector: bytes | None) -> Change:
    if key is None:
        return Change(seq, origin, None, selector_of(doc))
    return Change(seq, origin, decode_entry(orjson.loads(doc), vector))


def entry_row(origin: str, entry: Entry) -> tuple[object, ...]:
    vector = None if entry.vector is None else entry.vector.astype("float32").tobytes()
    return (
        origin,
        entry.key,
        entry.group,
        entry.tenant,
        entry.key_id,
        entry.namespace,
        entry.expires_at,
        orjson.dumps(encode_entry(entry)),
        vector,
    )


class SqliteCacheLog:
    def __init__(self, path: str) -> None:
        self._db = Connection(path, _SCHEMA, "the cache log")

    async def start(self) -> None:
        await self._db.open()

    async def append(self, origin: str, entries: Sequence[Entry]) -> None:
        rows = [entry_row(origin, e) for e in entries]

        def run(db: sqlite3.Connection) -> None:
            with db:
                db.execute("BEGIN")
                # one row per key: a newer answer replaces the older one
                db.executemany("DELETE FROM cache_log WHERE key = ?", [(row[1],) for row in rows])
                db.executemany(
                    "INSERT INTO cache_log (origin, key, grp, tenant, key_id, namespace, "
                    "expires_at, doc, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )

        await self._run(run)

    async def invalidate(self, origin: str, selector: Selector, now: float) -> list[str]:
        condition, args = where(selector, "?")

        def run(db: sqlite3.Connection) -> list[str]:
            with db:
                db.execute("BEGIN")
                keys = [
                    str(k)
                    for (k,) in db.execute(f"SELECT key FROM cache_log WHERE {condition}", args)
                ]
                db.execute(f"DELETE FROM cache_log WHERE {condition}", args)
                db.execute(
                    "INSERT INTO cache_log (origin, expires_at, doc) VALUES (?, ?, ?)",
                    (origin, now + KEEP_INVALIDATIONS_S, selector_doc(selector)),
                )
            return keys

        return await self._run(run)

    async def changes(
        self, after: int, now: float, limit: int, skip_origin: str = ""
    ) -> list[Change]:
        def run(db: sqlite3.Connection) -> list[Change]:
            rows = db.execute(
                "SELECT seq, origin, key, doc, vector FROM cache_log WHERE seq > ? "
                "AND expires_at > ? AND origin != ? ORDER BY seq LIMIT ?",
                (after, now, skip_origin, limit),
            ).fetchall()
            return [change_of(*row) for row in rows]

        return await self._run(run)

    async def purge(self, now: float) -> int:
        def run(db: sqlite3.Connection) -> int:
            return int(db.execute("DELETE FROM cache_log WHERE expires_at <= ?", (now,)).rowcount)

        return await self._run(run)

    async def close(self) -> None:
        await self._db.close()

    async def _run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        return await self._db.run(work)
