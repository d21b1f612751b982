"""The job queue in PostgreSQL, shared by replicas and worker processes: see
``jobs/model.py``. A claim takes the oldest ready row with ``FOR UPDATE SKIP LOCKED``,
so workers never wait on each other's rows."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from psycopg import AsyncConnection, errors
from psycopg.rows import TupleRow

from ..jobs.model import (
    CANCELLED,
    EXPIRED,
    OPEN,
    PENDING_REVIEW,
    QUEUED,
    RUNNING,
    Decision,
    Delivery,
    Job,
    Outgoing,
    Review,
    encode,
)
from .postgres import open_pool
from .sqlite_jobs import (
    COLUMNS,
    JOINED,
    REVIEW_COLUMNS,
    job_of,
    job_row,
    review_of,
    review_row,
    reviews_query,
    settled_job,
    tenant_clause,
)

if TYPE_CHECKING:
    from .postgres import Pool

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS jobs (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      key_id TEXT NOT NULL,
      status TEXT NOT NULL,
      request BYTEA NOT NULL,
      metadata BYTEA,
      webhook_url TEXT,
      idempotency_key TEXT,
      body_hash TEXT NOT NULL,
      created_at DOUBLE PRECISION NOT NULL,
      updated_at DOUBLE PRECISION NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      lease_owner TEXT,
      lease_until DOUBLE PRECISION,
      result BYTEA,
      error BYTEA)""",
    "CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency ON jobs (tenant, idempotency_key) "
    "WHERE idempotency_key IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (status, created_at)",
    """CREATE TABLE IF NOT EXISTS job_deliveries (
      job_id TEXT NOT NULL,
      at DOUBLE PRECISION NOT NULL,
      attempt INTEGER NOT NULL,
      status INTEGER,
      detail TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS job_deliveries_job ON job_deliveries (job_id)",
    """CREATE TABLE IF NOT EXISTS reviews (
      job_id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      model TEXT NOT NULL,
      reason TEXT NOT NULL,
      proposed BYTEA NOT NULL,
      created_at DOUBLE PRECISION NOT NULL,
      expires_at DOUBLE PRECISION NOT NULL,
      on_expire TEXT NOT NULL,
      status TEXT NOT NULL,
      decided_by TEXT,
      decided_at DOUBLE PRECISION,
      note TEXT NOT NULL DEFAULT '',
      diff TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX IF NOT EXISTS reviews_pending ON reviews (status, created_at)",
    """CREATE TABLE IF NOT EXISTS webhook_outbox (
      job_id TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      event BYTEA NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_at DOUBLE PRECISION NOT NULL,
      lease_owner TEXT,
      lease_until DOUBLE PRECISION)""",
    "CREATE INDEX IF NOT EXISTS webhook_outbox_due ON webhook_outbox (next_at)",
)


class PostgresJobStore:
    def __init__(self, url: str, *, timeout_s: float = 5.0) -> None:
        self._url = url
        self._timeout_s = timeout_s
        self._pool: Pool | None = None

    async def start(self) -> None:
        self._pool = await open_pool(self._url, _SCHEMA, 4, self._timeout_s)

    async def create(self, job: Job) -> tuple[Job, bool]:
        marks = ", ".join(["%s"] * 16)
        async with self._connection() as conn:
            try:
                await conn.execute(f"INSERT INTO jobs ({COLUMNS}) VALUES ({marks})", job_row(job))
                return job, True
            except errors.UniqueViolation:
                pass
            cursor = await conn.execute(
                f"SELECT {COLUMNS} FROM jobs WHERE tenant = %s AND idempotency_key = %s",
                (job.tenant, job.idempotency_key),
            )
            row = await cursor.fetchone()
        if row is None:  # the clash was on the id: made-up ids do not clash in practice
            raise RuntimeError(f"job {job.id} exists already")
        return job_of(row), False

    async def get(self, job_id: str, tenant: str | None) -> Job | None:
        clause, args = tenant_clause(tenant, "%s")
        return await self._one(f"SELECT {COLUMNS} FROM jobs WHERE id = %s{clause}", (job_id, *args))

    async def claim(self, owner: str, now: float, lease_s: float) -> Job | None:
        return await self._one(
            f"UPDATE jobs SET status = %s, lease_owner = %s, lease_until = %s, "
            f"attempts = attempts + 1, updated_at = %s WHERE id = ("
            f"SELECT id FROM jobs WHERE status = %s OR (status = %s AND lease_until < %s) "
            f"ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING {COLUMNS}",
            (RUNNING, owner, now + lease_s, now, QUEUED, RUNNING, now),
        )

    async def renew(self, job_id: str, owner: str, until: float) -> bool:
        return await self._changed(
            "UPDATE jobs SET lease_until = %s WHERE id = %s AND lease_owner = %s AND status = %s",
            (until, job_id, owner, RUNNING),
        )

    async def finish(
        self,
        job_id: str,
        owner: str,
        status: str,
        now: float,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> bool:
        return await self._changed(
            "UPDATE jobs SET status = %s, result = %s, error = %s, updated_at = %s, "
            "lease_until = NULL WHERE id = %s AND lease_owner = %s AND status = %s",
            (status, encode(result), encode(error), now, job_id, owner, RUNNING),
        )

    async def cancel(self, job_id: str, tenant: str | None, now: float) -> Job | None:
        clause, args = tenant_clause(tenant, "%s")
        await self._changed(
            f"UPDATE jobs SET status = %s, updated_at = %s, lease_until = NULL "
            f"WHERE id = %s AND status = ANY(%s){clause}",
            (CANCELLED, now, job_id, list(OPEN), *args),
        )
        return await self.get(job_id, tenant)

    async def expire(self, now: float, queued_before: float) -> int:
        async with self._connection() as conn:
            cursor = await conn.execute(
                "UPDATE jobs SET status = %s, updated_at = %s "
                "WHERE status = %s AND created_at < %s",
                (EXPIRED, now, QUEUED, queued_before),
            )
            return cursor.rowcount

    async def park(self, job: Job, review: Review) -> None:
        async with self._connection() as conn, conn.transaction():
            await conn.execute(
                f"INSERT INTO jobs ({COLUMNS}) VALUES ({', '.join(['%s'] * 16)})", job_row(job)
            )
            await conn.execute(
                f"INSERT INTO reviews ({REVIEW_COLUMNS}) VALUES ({', '.join(['%s'] * 13)})",
                review_row(review),
            )

    async def add_review(self, review: Review) -> None:
        async with self._connection() as conn:
            await conn.execute(
                f"INSERT INTO reviews ({REVIEW_COLUMNS}) VALUES ({', '.join(['%s'] * 13)})",
                review_row(review),
            )

    async def reviews(
        self, tenant: str | None, status: str | None, limit: int
    ) -> Sequence[tuple[Review, Job]]:
        sql, args = reviews_query(tenant, status, limit, "%s")
        async with self._connection() as conn:
            cursor = await conn.execute(sql, args)
            rows: list[Any] = await cursor.fetchall()
        return [(review_of(row[:13]), job_of(row[13:])) for row in rows]

    async def review(self, job_id: str, tenant: str | None) -> tuple[Review, Job] | None:
        clause, args = tenant_clause(tenant, "%s")
        async with self._connection() as conn:
            cursor = await conn.execute(
                f"SELECT {JOINED} FROM reviews r JOIN jobs j ON j.id = r.job_id "
                f"WHERE r.job_id = %s{clause.replace('tenant', 'r.tenant')}",
                (job_id, *args),
            )
            row = await cursor.fetchone()
        return None if row is None else (review_of(row[:13]), job_of(row[13:]))

    async def decide(self, job_id: str, tenant: str | None, decision: Decision) -> Job | None:
        clause, args = tenant_clause(tenant, "%s")
        status, result, error = settled_job(decision)
        async with self._connection() as conn, conn.transaction():
            cursor = await conn.execute(
                "UPDATE reviews SET status = %s, decided_by = %s, decided_at = %s, note = %s, "
                f"diff = %s WHERE job_id = %s AND status = 'pending'{clause} AND EXISTS ("
                "SELECT 1 FROM jobs WHERE id = %s AND status = %s)",
                (
                    decision.status,
                    decision.by,
                    decision.at,
                    decision.note,
                    decision.diff,
                    job_id,
                    *args,
                    job_id,
                    PENDING_REVIEW,
                ),
            )
            if cursor.rowcount != 1:
                return None
            cursor = await conn.execute(
                f"UPDATE jobs SET status = %s, result = %s, error = %s, updated_at = %s "
                f"WHERE id = %s AND status = %s RETURNING {COLUMNS}",
                (status, result, error, decision.at, job_id, PENDING_REVIEW),
            )
            row = await cursor.fetchone()
        return None if row is None else job_of(row)

    async def overdue_reviews(self, now: float, limit: int) -> Sequence[Review]:
        async with self._connection() as conn:
            cursor = await conn.execute(
                f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE status = 'pending' "
                "AND expires_at <= %s ORDER BY expires_at LIMIT %s",
                (now, limit),
            )
            rows: list[Any] = await cursor.fetchall()
        return [review_of(row) for row in rows]

    async def enqueue_webhook(self, job_id: str, url: str, event: bytes, now: float) -> None:
        async with self._connection() as conn:
            await conn.execute(
                "INSERT INTO webhook_outbox (job_id, url, event, attempts, next_at) "
                "VALUES (%s, %s, %s, 0, %s) ON CONFLICT (job_id) DO UPDATE SET "
                "url = excluded.url, event = excluded.event, attempts = 0, "
                "next_at = excluded.next_at, lease_owner = NULL, lease_until = NULL",
                (job_id, url, event, now),
            )

    async def claim_webhooks(
        self, owner: str, now: float, lease_s: float, limit: int
    ) -> Sequence[Outgoing]:
        async with self._connection() as conn:
            cursor = await conn.execute(
                "UPDATE webhook_outbox SET lease_owner = %s, lease_until = %s WHERE job_id IN ("
                "SELECT job_id FROM webhook_outbox WHERE next_at <= %s AND (lease_until IS NULL "
                "OR lease_until < %s) ORDER BY next_at LIMIT %s FOR UPDATE SKIP LOCKED) "
                "RETURNING job_id, url, event, attempts",
                (owner, now + lease_s, now, now, limit),
            )
            rows: list[Any] = await cursor.fetchall()
        return [Outgoing(r[0], r[1], bytes(r[2]), int(r[3])) for r in rows]

    async def webhooks_waiting(self) -> int:
        async with self._connection() as conn:
            cursor = await conn.execute("SELECT count(*) FROM webhook_outbox")
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def webhook_tried(self, job_id: str, next_at: float | None) -> None:
        async with self._connection() as conn:
            if next_at is None:
                await conn.execute("DELETE FROM webhook_outbox WHERE job_id = %s", (job_id,))
            else:
                await conn.execute(
                    "UPDATE webhook_outbox SET attempts = attempts + 1, next_at = %s, "
                    "lease_owner = NULL, lease_until = NULL WHERE job_id = %s",
                    (next_at, job_id),
                )

    async def record_delivery(self, delivery: Delivery) -> None:
        async with self._connection() as conn:
            await conn.execute(
                "INSERT INTO job_deliveries (job_id, at, attempt, status, detail) "
                "VALUES (%s, %s, %s, %s, %s)",
                (delivery.job_id, delivery.at, delivery.attempt, delivery.status, delivery.detail),
            )

    async def deliveries(self, job_id: str) -> Sequence[Delivery]:
        async with self._connection() as conn:
            cursor = await conn.execute(
                "SELECT job_id, at, attempt, status, detail FROM job_deliveries "
                "WHERE job_id = %s ORDER BY at, attempt",
                (job_id,),
            )
            rows: list[Any] = await cursor.fetchall()
        return [Delivery(r[0], float(r[1]), int(r[2]), r[3], r[4]) for r in rows]

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close(timeout=self._timeout_s)
            self._pool = None

    async def _one(self, query: str, args: Sequence[object]) -> Job | None:
        async with self._connection() as conn:
            cursor = await conn.execute(query, args)
            row = await cursor.fetchone()
        return None if row is None else job_of(row)

    async def _changed(self, query: str, args: Sequence[object]) -> bool:
        async with self._connection() as conn:
            cursor = await conn.execute(query, args)
            return cursor.rowcount == 1

    def _connection(self) -> contextlib.AbstractAsyncContextManager[AsyncConnection[TupleRow]]:
        if self._pool is None:
            raise RuntimeError("the job store is not started")
        return self._pool.connection()
