"""One contract for the durable stores (AccountStore, TraceSink), run over every backend:
SQLite always, PostgreSQL against the real server at ``POSTGRES_URL``. CI starts
PostgreSQL, so an unreachable server fails the PostgreSQL cases instead of skipping them.

Each case gets a ``Database`` factory: the stores it makes are separate objects over one
database, as two gateway replicas would hold. A PostgreSQL case gets a schema of its own,
reached through the URL's ``options=-csearch_path`` and dropped afterwards."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import psycopg
import pytest

from seawall.config import TracingSettings
from seawall.errors import ConfigError
from seawall.stores.base import AccountStore, KeyRecord, SpendEntry, TraceRecord, TraceSink
from seawall.stores.postgres import PostgresAccountStore, PostgresTraceSink
from seawall.stores.registry import open_accounts, open_traces
from seawall.stores.sqlite import SqliteTraceSink

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


class Database:
    """Makes stores over one database; ``close`` closes them and drops the test's data."""

    def __init__(self, backend: str, tmp_path: Path) -> None:
        self.backend = backend
        self.schema = f"seawall_test_{uuid.uuid4().hex[:12]}"
        self.path = tmp_path / "seawall.db"
        self.url = f"sqlite:///{self.path}"
        if backend == "postgresql":
            self.url = f"{POSTGRES_URL}?options=-csearch_path%3D{self.schema}"
        self._made: list[AccountStore | TraceSink] = []

    async def accounts(self) -> AccountStore:
        store = open_accounts(self.url)
        await store.start()
        self._made.append(store)
        return store

    async def traces(self, max_traces: int = 1000, max_age_s: float = 3600.0) -> TraceSink:
        sink: TraceSink = SqliteTraceSink(
            str(self.path), max_traces=max_traces, max_age_s=max_age_s
        )
        if self.backend == "postgresql":
            sink = PostgresTraceSink(self.url, max_traces=max_traces, max_age_s=max_age_s)
        await sink.start()
        self._made.append(sink)
        return sink

    def require_postgres(self, reason: str) -> None:
        if self.backend != "postgresql":
            pytest.skip(reason)

    async def sql(self, statement: str) -> None:
        """Run one statement in this test's database, as an operator would."""
        if self.backend == "sqlite":
            with sqlite3.connect(self.path) as db:
                db.execute(statement)
            return
        async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as conn:
            await conn.execute(statement.encode())

    async def create(self) -> None:
        if self.backend == "postgresql":  # no server: an error here, on purpose not a skip
            await self._admin(f"CREATE SCHEMA {self.schema}")

    async def close(self) -> None:
        for store in self._made:
            await store.close()
        if self.backend == "postgresql":
            await self._admin(f"DROP SCHEMA {self.schema} CASCADE")

    async def _admin(self, statement: str) -> None:
        async with await psycopg.AsyncConnection.connect(POSTGRES_URL, autocommit=True) as conn:
            await conn.execute(statement.encode())


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    made = Database(request.param, tmp_path)
    await made.create()
    yield made
    await made.close()


# -- AccountStore: meta and keys ------------------------------------------------------


def key(n: int, tenant: str = "acme", **changes: Any) -> KeyRecord:
    record = KeyRecord(
        id=f"key-{n}",
        digest=f"digest-{n}",
        prefix=f"sk-{n}",
        tenant=tenant,
        name=f"key {n}",
        roles=("user", "reviewer"),
        models=("chat",),
        rpm=60,
        budget_usd=12.5,
        metadata={"team": "search", "n": n},
        created_at=1_700_000_000.25,
    )
    return replace(record, **changes)


async def test_replicas_can_start_together(database: Database) -> None:
    started = await asyncio.gather(*(database.accounts() for _ in range(4)))
    await asyncio.gather(*(database.traces() for _ in range(4)))
    assert len({await store.meta("secret", str(i)) for i, store in enumerate(started)}) == 1


async def test_meta_keeps_the_first_writers_value(database: Database) -> None:
    a, b = await database.accounts(), await database.accounts()
    first = await asyncio.gather(a.meta("secret", "from-a"), b.meta("secret", "from-b"))
    assert first[0] == first[1] and first[0] in ("from-a", "from-b")
    assert await b.meta("secret", "later") == first[0]
    assert await a.meta("other", "x") == "x"


async def test_put_get_and_replace_a_key(database: Database) -> None:
    store = await database.accounts()
    assert await store.put_key(key(1))
    assert not await store.put_key(key(1, name="a second key with the same id"))
    assert await store.key_by_id("key-1") == key(1)
    replaced = key(1, name="renamed", models=None, revoked_at=1_700_000_100.5, version=2)
    assert await store.put_key(replaced)
    assert await store.key_by_id("key-1") == replaced
    assert await store.key_by_id("key-2") is None


async def test_a_write_from_a_stale_read_is_refused(database: Database) -> None:
    first, second = await database.accounts(), await database.accounts()
    await first.put_key(key(1))
    revoked = key(1, revoked_at=1_700_000_100.5, version=2)
    stale_patch = key(1, rpm=1200, version=2)  # read at version 1, like the revocation
    results = await asyncio.gather(first.put_key(revoked), second.put_key(stale_patch))
    assert sorted(results) == [False, True]
    stored = await first.key_by_id("key-1")
    assert stored in (revoked, stale_patch) and stored is not None and stored.version == 2


async def test_key_by_digest_matches_the_current_and_the_previous_digest(
    database: Database,
) -> None:
    store = await database.accounts()
    rotated = key(1, digest="new", previous_digest="old", previous_until=1_700_000_500.0)
    await store.put_key(rotated)
    await store.put_key(key(2))
    assert await store.key_by_digest("new") == rotated
    assert await store.key_by_digest("old") == rotated
    assert await store.key_by_digest("digest-2") == key(2)
    assert await store.key_by_digest("digest-1") is None


async def test_list_keys_pages_oldest_first_with_a_tenant_filter(database: Database) -> None:
    store = await database.accounts()
    for n in range(5):
        await store.put_key(key(n, tenant="acme" if n % 2 == 0 else "globex"))
    await store.put_key(key(0, name="replaced", version=2))  # keeps its place
    seen, cursor, pages = [], None, 0
    while True:
        page, cursor = await store.list_keys(None, 2, cursor)
        seen += [(r.id, r.name) for r in page]
        pages += 1
        if cursor is None:
            break
    assert seen == [("key-0", "replaced")] + [(f"key-{n}", f"key {n}") for n in range(1, 5)]
    assert pages == 3
    page, cursor = await store.list_keys("acme", 2, None)
    assert [r.id for r in page] == ["key-0", "key-2"] and cursor is not None
    page, cursor = await store.list_keys("acme", 2, cursor)
    assert [r.id for r in page] == ["key-4"] and cursor is None
    assert await store.list_keys("initech", 2, None) == ([], None)


# -- AccountStore: the spend ledger ---------------------------------------------------


def entry(key_id: str = "key-1", tenant: str = "acme", model: str = "chat", **n: Any) -> SpendEntry:
    return SpendEntry(key_id, tenant, model, n.pop("day", "2024-05-01"), **n)


async def test_add_spend_adds_to_each_row(database: Database) -> None:
    store = await database.accounts()
    await store.add_spend([entry(requests=1, prompt_tokens=10, micros=100)])
    await store.add_spend(
        [
            entry(requests=2, completion_tokens=5, cached_tokens=3, micros=50),
            entry(model="embed", requests=1, micros=7),
            entry(requests=1, micros=1),  # the same row twice in one batch
        ]
    )
    await store.add_spend([])
    rows = await store.usage("acme", None, "2024-05-01", "2024-05-01")
    assert rows == [
        entry(requests=4, prompt_tokens=10, completion_tokens=5, cached_tokens=3, micros=151),
        entry(model="embed", requests=1, micros=7),
    ]


async def test_concurrent_add_spend_from_two_replicas_is_exact(database: Database) -> None:
    a, b = await database.accounts(), await database.accounts()
    batch = [entry(key_id=k, requests=1, micros=3) for k in ("key-1", "key-2", "key-3")]
    # opposite row orders on the two replicas: a store must not deadlock on them
    work = [a.add_spend(batch) for _ in range(15)] + [b.add_spend(batch[::-1]) for _ in range(15)]
    await asyncio.gather(*work)
    rows = await b.usage("acme", None, "2024-05-01", "2024-05-01")
    assert [(r.key_id, r.requests, r.micros) for r in rows] == [
        ("key-1", 30, 90),
        ("key-2", 30, 90),
        ("key-3", 30, 90),
    ]


async def test_spend_filters_by_tenant_key_and_day(database: Database) -> None:
    store = await database.accounts()
    await store.add_spend(
        [
            entry(micros=100, day="2024-04-30"),
            entry(micros=20, day="2024-05-01"),
            entry(key_id="key-2", micros=3, day="2024-05-02"),
            entry(key_id="key-9", tenant="globex", micros=4000, day="2024-05-02"),
        ]
    )
    assert await store.spend(tenant=None, key_id=None, since_day=None) == 4123
    assert await store.spend(tenant="acme", key_id=None, since_day=None) == 123
    assert await store.spend(tenant="acme", key_id="key-1", since_day=None) == 120
    assert await store.spend(tenant="acme", key_id=None, since_day="2024-05-01") == 23
    assert await store.spend(tenant=None, key_id="key-9", since_day="2024-05-03") == 0
    assert await store.spend(tenant="initech", key_id=None, since_day=None) == 0


async def test_usage_lists_a_tenants_rows_by_day_key_and_model(database: Database) -> None:
    store = await database.accounts()
    await store.add_spend(
        [
            entry(key_id="key-2", model="gpt4", micros=1, day="2024-05-02"),
            entry(key_id="key-2", model="gpt-4o", micros=2, day="2024-05-02"),  # '-' < '4'
            entry(key_id="key-1", model="chat", micros=3, day="2024-05-02"),
            entry(key_id="key-1", model="chat", micros=4, day="2024-05-01"),
            entry(key_id="key-1", model="chat", micros=5, day="2024-05-04"),
            entry(key_id="key-1", tenant="globex", micros=6, day="2024-05-02"),
        ]
    )
    rows = await store.usage("acme", None, "2024-05-01", "2024-05-03")
    assert [(r.day, r.key_id, r.model, r.micros) for r in rows] == [
        ("2024-05-01", "key-1", "chat", 4),
        ("2024-05-02", "key-1", "chat", 3),
        ("2024-05-02", "key-2", "gpt-4o", 2),
        ("2024-05-02", "key-2", "gpt4", 1),
    ]
    rows = await store.usage("acme", "key-2", "2024-05-02", "2024-05-02")
    assert [r.micros for r in rows] == [2, 1]


# -- TraceSink ------------------------------------------------------------------------


def trace(n: int, tenant: str = "acme", **changes: Any) -> TraceRecord:
    record = TraceRecord(
        trace_id=f"trace-{n}",
        request_id=f"req-{n}",
        started_at=time.time() - 60 + n / 8,
        tenant=tenant,
        model="chat",
        deployment="chat/0",
        status=200,
        duration_ms=120.25,
        ttft_ms=40.5 if n % 2 else None,
        prompt_tokens=12,
        completion_tokens=30,
        stream=n % 2 == 1,
        error=None,
        spans=(("upstream", 1.5, 110.0, "ok", {"deployment": "chat/0", "attempt": 1}),),
        request=b'{"messages": []}',
        response="hello",
    )
    return replace(record, **changes)


async def test_record_flush_and_get(database: Database) -> None:
    sink = await database.traces()
    first, failed = trace(1), trace(2, tenant="globex", status=502, error="upstream down")
    sink.record(first)
    sink.record(failed)
    await sink.flush()
    assert sink.backlog == 0
    assert await sink.get("trace-1", None) == first
    assert await sink.get("trace-2", "globex") == failed
    assert await sink.get("trace-2", "acme") is None
    assert await sink.get("trace-3", None) is None


async def test_recent_pages_newest_first_with_a_tenant_filter(database: Database) -> None:
    sink = await database.traces()
    for n in range(7):
        sink.record(trace(n, tenant="acme" if n % 3 else "globex"))
    await sink.flush()
    seen, cursor = [], None
    for _ in range(4):
        page, cursor = await sink.recent(None, 2, cursor)
        seen += [t.trace_id for t in page]
        if cursor is None:
            break
    assert seen == [f"trace-{n}" for n in range(6, -1, -1)]
    page, cursor = await sink.recent("acme", 3, None)
    assert [t.trace_id for t in page] == ["trace-5", "trace-4", "trace-2"]
    page, cursor = await sink.recent("acme", 3, cursor)
    assert [t.trace_id for t in page] == ["trace-1"] and cursor is None
    page, cursor = await sink.recent("globex", 5, None)
    assert [t.trace_id for t in page] == ["trace-6", "trace-3", "trace-0"] and cursor is None


async def test_pruning_keeps_the_newest_max_traces(database: Database) -> None:
    sink = await database.traces(max_traces=5)
    for n in range(8):
        sink.record(trace(n))
    await sink.flush()
    page, cursor = await sink.recent(None, 20, None)
    assert [t.trace_id for t in page] == [f"trace-{n}" for n in range(7, 2, -1)]
    assert cursor is None


async def test_pruning_drops_traces_past_their_age(database: Database) -> None:
    sink = await database.traces(max_age_s=120.0)
    sink.record(trace(1, started_at=time.time() - 121))
    sink.record(trace(2))
    await sink.flush()
    assert [t.trace_id for t in (await sink.recent(None, 20, None))[0]] == ["trace-2"]


async def test_a_failed_flush_keeps_the_traces_for_the_next_one(database: Database) -> None:
    sink = await database.traces()
    await database.sql("ALTER TABLE traces RENAME TO traces_away")
    queued = trace(1)
    sink.record(queued)  # never raises, whatever the database does
    with pytest.raises((psycopg.errors.UndefinedTable, sqlite3.OperationalError)):
        await sink.flush()
    assert (sink.backlog, sink.dropped) == (1, 0)
    await database.sql("ALTER TABLE traces_away RENAME TO traces")
    await sink.flush()
    assert sink.backlog == 0
    assert await sink.get("trace-1", None) == queued


async def test_span_ids_are_kept(database: Database) -> None:
    sink = await database.traces()
    sink.record(trace(1, span_id="00f067aa0ba902b7", parent_id="b7ad6b7169203331"))
    await sink.flush()
    first = await sink.get("trace-1", None)
    assert first is not None and (first.span_id, first.parent_id) == (
        "00f067aa0ba902b7",
        "b7ad6b7169203331",
    )


async def test_postgres_replaces_nul_in_text(database: Database) -> None:
    database.require_postgres("SQLite text holds NUL as it is")
    sink = await database.traces()
    sink.record(trace(2, response="a\x00b"))
    await sink.flush()
    second = await sink.get("trace-2", None)
    assert second is not None and second.response == "a\ufffdb"


# -- registry -------------------------------------------------------------------------


def test_the_registry_opens_postgres_for_both_schemes() -> None:
    for url in (POSTGRES_URL, "postgres://db.internal/seawall"):
        assert isinstance(open_accounts(url), PostgresAccountStore)
        assert isinstance(open_traces(url, TracingSettings()), PostgresTraceSink)
    with pytest.raises(ConfigError, match=r"postgresql://"):
        open_accounts("mysql://db/seawall")


def test_without_psycopg_the_registry_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delitem(sys.modules, "seawall.stores.postgres")
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(ConfigError, match=r"psycopg is not installed.*seawall\[postgres\]"):
        open_accounts(POSTGRES_URL)


async def test_sqlite_files_from_before_span_ids_gain_the_columns(tmp_path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as db:  # the table as it was before span ids were kept
        db.execute(
            "CREATE TABLE traces (seq INTEGER PRIMARY KEY AUTOINCREMENT, trace_id TEXT NOT NULL, "
            "request_id TEXT NOT NULL, started_at REAL NOT NULL, tenant TEXT NOT NULL, "
            "model TEXT NOT NULL, deployment TEXT NOT NULL, status INTEGER NOT NULL, "
            "duration_ms REAL NOT NULL, ttft_ms REAL, prompt_tokens INTEGER NOT NULL, "
            "completion_tokens INTEGER NOT NULL, stream INTEGER NOT NULL, error TEXT, "
            "spans BLOB NOT NULL, request BLOB, response TEXT)"
        )
    sink = SqliteTraceSink(str(path), max_traces=1000, max_age_s=3600)
    await sink.start()
    try:
        sink.record(trace(1, span_id="00f067aa0ba902b7"))
        await sink.flush()
        found = await sink.get("trace-1", None)
        assert found is not None and found.span_id == "00f067aa0ba902b7"
    finally:
        await sink.close()
