"""The job queue in SQLite (the embedded default): see ``jobs/model.py``. Worker
processes (``seawall worker``) on the same machine share the file: a claim is one
``UPDATE ... RETURNING`` statement, atomic across processes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..jobs.model import (
    CANCELLED,
    EXPIRED,
    FAILED,
    OPEN,
    PENDING_REVIEW,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    Decision,
    Delivery,
    Job,
    Outgoing,
    Review,
    decode,
    encode,
    rejection,
)
from .sqlite import Connection

COLUMNS = (
    "id, tenant, key_id, status, request, metadata, webhook_url, idempotency_key, body_hash, "
    "created_at, updated_at, attempts, lease_owner, lease_until, result, error"
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  key_id TEXT NOT NULL,
  status TEXT NOT NULL,
  request BLOB NOT NULL,
  metadata BLOB,
  webhook_url TEXT,
  idempotency_key TEXT,
  body_hash TEXT NOT NULL,
  created_at REAL NOT NULL,
  updated_at REAL NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until REAL,
  result BLOB,
  error BLOB
);
CREATE UNIQUE INDEX IF NOT EXISTS jobs_idempotency ON jobs (tenant, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_ready ON jobs (status, created_at);
CREATE TABLE IF NOT EXISTS job_deliveries (
  job_id TEXT NOT NULL,
  at REAL NOT NULL,
  attempt INTEGER NOT NULL,
  status INTEGER,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS job_deliveries_job ON job_deliveries (job_id);
CREATE TABLE IF NOT EXISTS reviews (
  job_id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  model TEXT NOT NULL,
  reason TEXT NOT NULL,
  proposed BLOB NOT NULL,
  created_at REAL NOT NULL,
  expires_at REAL NOT NULL,
  on_expire TEXT NOT NULL,
  status TEXT NOT NULL,
  decided_by TEXT,
  decided_at REAL,
  note TEXT NOT NULL DEFAULT '',
  diff TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS reviews_pending ON reviews (status, created_at);
CREATE TABLE IF NOT EXISTS webhook_outbox (
  job_id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  event BLOB NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at REAL NOT NULL,
  lease_owner TEXT,
  lease_until REAL
);
CREATE INDEX IF NOT EXISTS webhook_outbox_due ON webhook_outbox (next_at);
"""
REVIEW_COLUMNS = (
    "job_id, tenant, model, reason, proposed, created_at, expires_at, on_expire, status, "
    "decided_by, decided_at, note, diff"
)
JOINED = (
    ", ".join(f"r.{c.strip()}" for c in REVIEW_COLUMNS.split(","))
    + ", "
    + ", ".join(f"j.{c.strip()}" for c in COLUMNS.split(","))
)
_T = TypeVar("_T")


def job_row(job: Job) -> tuple[object, ...]:
    return (
        job.id,
        job.tenant,
        job.key_id,
        job.status,
        encode(job.request),
        encode(job.metadata),
        job.webhook_url,
        job.idempotency_key,
        job.body_hash,
        job.created_at,
        job.updated_at,
        job.attempts,
        job.lease_owner,
        job.lease_until,
        encode(job.result),
        encode(job.error),
    )


def job_of(row: Sequence[Any]) -> Job:
    return Job(
        id=row[0],
        tenant=row[1],
        key_id=row[2],
        status=row[3],
        request=decode(row[4]),
        metadata=decode(row[5]) or {},
        webhook_url=row[6],
        idempotency_key=row[7],
        body_hash=row[8],
        created_at=float(row[9]),
        updated_at=float(row[10]),
        attempts=int(row[11]),
        lease_owner=row[12],
        lease_until=None if row[13] is None else float(row[13]),
        result=decode(row[14]),
        error=decode(row[15]),
    )


def review_row(review: Review) -> tuple[object, ...]:
    return (
        review.job_id,
        review.tenant,
        review.model,
        review.reason,
        encode(review.proposed),
        review.created_at,
        review.expires_at,
        review.on_expire,
        review.status,
        review.decided_by,
        review.decided_at,
        review.note,
        review.diff,
    )


def review_of(row: Sequence[Any]) -> Review:
    return Review(
        job_id=row[0],
        tenant=row[1],
        model=row[2],
        reason=row[3],
        proposed=decode(row[4]),
        created_at=float(row[5]),
        expires_at=float(row[6]),
        on_expire=row[7],
        status=row[8],
        decided_by=row[9],
        decided_at=None if row[10] is None else float(row[10]),
        note=row[11],
        diff=row[12],
    )


def settled_job(decision: Decision) -> tuple[str, bytes | None, bytes | None]:
    """The job's status, result and error for a decision."""
    if decision.status == "approved":
        return SUCCEEDED, encode(decision.result), None
    error = rejection(decision.note, expired=decision.status == "expired")
    return FAILED, None, encode(error)


def tenant_clause(tenant: str | None, mark: str) -> tuple[str, tuple[object, ...]]:
    return ("", ()) if tenant is None else (f" AND tenant = {mark}", (tenant,))


def reviews_query(
    tenant: str | None, status: str | None, limit: int, mark: str
) -> tuple[str, tuple[object, ...]]:
    """The reviews listed, oldest first, each with its job (``mark``: the driver's
    placeholder)."""
    clauses, args = ["1 = 1"], []
    if tenant is not None:
        clauses.append(f"r.tenant = {mark}")
        args.append(tenant)
    if status is not None:
        clauses.append(f"r.status = {mark}")
        args.append(status)
    if status == "pending":  # a job cancelled meanwhile has nothing left to review
        clauses.append(f"j.status = {mark}")
        args.append(PENDING_REVIEW)
    sql = (
        f"SELECT {JOINED} FROM reviews r JOIN jobs j ON j.id = r.job_id "
        f"WHERE {' AND '.join(clauses)} ORDER BY r.created_at LIMIT {mark}"
    )
    return sql, (*args, limit)


class SqliteJobStore:
    def __init__(self, path: str) -> None:
        self._db = Connection(path, _SCHEMA, "the job store")

    async def start(self) -> None:
        await self._db.open()

    async def create(self, job: Job) -> tuple[Job, bool]:
        marks = ", ".join("?" * 16)

        def run(db: sqlite3.Connection) -> tuple[Job, bool]:
            try:
                db.execute(f"INSERT INTO jobs ({COLUMNS}) VALUES ({marks})", job_row(job))
                return job, True
            except sqlite3.IntegrityError:
                row = db.execute(
                    f"SELECT {COLUMNS} FROM jobs WHERE tenant = ? AND idempotency_key = ?",
                    (job.tenant, job.idempotency_key),
                ).fetchone()
                if row is None:
                    raise
                return job_of(row), False

        return await self._run(run)

    async def get(self, job_id: str, tenant: str | None) -> Job | None:
        clause, args = tenant_clause(tenant, "?")

        def run(db: sqlite3.Connection) -> Job | None:
            row = db.execute(
                f"SELECT {COLUMNS} FROM jobs WHERE id = ?{clause}", (job_id, *args)
            ).fetchone()
            return None if row is None else job_of(row)

        return await self._run(run)

    async def claim(self, owner: str, now: float, lease_s: float) -> Job | None:
        def run(db: sqlite3.Connection) -> Job | None:
            row = db.execute(
                f"UPDATE jobs SET status = ?, lease_owner = ?, lease_until = ?, "
                f"attempts = attempts + 1, updated_at = ? WHERE id = ("
                f"SELECT id FROM jobs WHERE status = ? OR (status = ? AND lease_until < ?) "
                f"ORDER BY created_at LIMIT 1) RETURNING {COLUMNS}",
                (RUNNING, owner, now + lease_s, now, QUEUED, RUNNING, now),
            ).fetchone()
            return None if row is None else job_of(row)

        return await self._run(run)

    async def renew(self, job_id: str, owner: str, until: float) -> bool:
        def run(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "UPDATE jobs SET lease_until = ? WHERE id = ? AND lease_owner = ? AND status = ?",
                (until, job_id, owner, RUNNING),
            )
            return cursor.rowcount == 1

        return await self._run(run)

    async def finish(
        self,
        job_id: str,
        owner: str,
        status: str,
        now: float,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> bool:
        def run(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "UPDATE jobs SET status = ?, result = ?, error = ?, updated_at = ?, "
                "lease_until = NULL WHERE id = ? AND lease_owner = ? AND status = ?",
                (status, encode(result), encode(error), now, job_id, owner, RUNNING),
            )
            return cursor.rowcount == 1

        return await self._run(run)

    async def cancel(self, job_id: str, tenant: str | None, now: float) -> Job | None:
        clause, args = tenant_clause(tenant, "?")
        marks = ", ".join("?" * len(OPEN))

        def run(db: sqlite3.Connection) -> Job | None:
            db.execute(
                f"UPDATE jobs SET status = ?, updated_at = ?, lease_until = NULL "
                f"WHERE id = ? AND status IN ({marks}){clause}",
                (CANCELLED, now, job_id, *OPEN, *args),
            )
            row = db.execute(
                f"SELECT {COLUMNS} FROM jobs WHERE id = ?{clause}", (job_id, *args)
            ).fetchone()
            return None if row is None else job_of(row)

        return await self._run(run)

    async def expire(self, now: float, queued_before: float) -> int:
        def run(db: sqlite3.Connection) -> int:
            cursor = db.execute(
                "UPDATE jobs SET status = ?, updated_at = ? WHERE status = ? AND created_at < ?",
                (EXPIRED, now, QUEUED, queued_before),
            )
            return int(cursor.rowcount)

        return await self._run(run)

    async def park(self, job: Job, review: Review) -> None:
        def run(db: sqlite3.Connection) -> None:
            with db:
                db.execute("BEGIN")
                db.execute(
                    f"INSERT INTO jobs ({COLUMNS}) VALUES ({', '.join('?' * 16)})", job_row(job)
                )
                db.execute(
                    f"INSERT INTO reviews ({REVIEW_COLUMNS}) VALUES ({', '.join('?' * 13)})",
                    review_row(review),
                )

        await self._run(run)

    async def add_review(self, review: Review) -> None:
        def run(db: sqlite3.Connection) -> None:
            db.execute(
                f"INSERT INTO reviews ({REVIEW_COLUMNS}) VALUES ({', '.join('?' * 13)})",
                review_row(review),
            )

        await self._run(run)

    async def reviews(
        self, tenant: str | None, status: str | None, limit: int
    ) -> Sequence[tuple[Review, Job]]:
        sql, args = reviews_query(tenant, status, limit, "?")

        def run(db: sqlite3.Connection) -> list[tuple[Review, Job]]:
            rows = db.execute(sql, args).fetchall()
            return [(review_of(row[:13]), job_of(row[13:])) for row in rows]

        return await self._run(run)

    async def review(self, job_id: str, tenant: str | None) -> tuple[Review, Job] | None:
        clause, args = tenant_clause(tenant, "?")

        def run(db: sqlite3.Connection) -> tuple[Review, Job] | None:
            row = db.execute(
                f"SELECT {JOINED} FROM reviews r JOIN jobs j ON j.id = r.job_id "
                f"WHERE r.job_id = ?{clause.replace('tenant', 'r.tenant')}",
                (job_id, *args),
            ).fetchone()
            return None if row is None else (review_of(row[:13]), job_of(row[13:]))

        return await self._run(run)

    async def decide(self, job_id: str, tenant: str | None, decision: Decision) -> Job | None:
        clause, args = tenant_clause(tenant, "?")
        status, result, error = settled_job(decision)

        def run(db: sqlite3.Connection) -> Job | None:
            with db:
                db.execute("BEGIN IMMEDIATE")
                changed = db.execute(
                    "UPDATE reviews SET status = ?, decided_by = ?, decided_at = ?, note = ?, "
                    f"diff = ? WHERE job_id = ? AND status = 'pending'{clause} AND EXISTS ("
                    "SELECT 1 FROM jobs WHERE id = ? AND status = ?)",
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
                ).rowcount
                if changed != 1:
                    return None
                db.execute(
                    "UPDATE jobs SET status = ?, result = ?, error = ?, updated_at = ? "
                    "WHERE id = ? AND status = ?",
                    (status, result, error, decision.at, job_id, PENDING_REVIEW),
                )
                row = db.execute(f"SELECT {COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
            return job_of(row)

        return await self._run(run)

    async def overdue_reviews(self, now: float, limit: int) -> Sequence[Review]:
        def run(db: sqlite3.Connection) -> list[Review]:
            rows = db.execute(
                f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE status = 'pending' "
                "AND expires_at <= ? ORDER BY expires_at LIMIT ?",
                (now, limit),
            ).fetchall()
            return [review_of(row) for row in rows]

        return await self._run(run)

    async def enqueue_webhook(self, job_id: str, url: str, event: bytes, now: float) -> None:
        def run(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO webhook_outbox (job_id, url, event, attempts, next_at) "
                "VALUES (?, ?, ?, 0, ?) ON CONFLICT (job_id) DO UPDATE SET url = excluded.url, "
                "event = excluded.event, attempts = 0, next_at = excluded.next_at, "
                "lease_owner = NULL, lease_until = NULL",
                (job_id, url, event, now),
            )

        await self._run(run)

    async def claim_webhooks(
        self, owner: str, now: float, lease_s: float, limit: int
    ) -> Sequence[Outgoing]:
        def run(db: sqlite3.Connection) -> list[Outgoing]:
            rows = db.execute(
                "UPDATE webhook_outbox SET lease_owner = ?, lease_until = ? WHERE job_id IN ("
                "SELECT job_id FROM webhook_outbox WHERE next_at <= ? AND (lease_until IS NULL "
                "OR lease_until < ?) ORDER BY next_at LIMIT ?) "
                "RETURNING job_id, url, event, attempts",
                (owner, now + lease_s, now, now, limit),
            ).fetchall()
            return [Outgoing(r[0], r[1], bytes(r[2]), int(r[3])) for r in rows]

        return await self._run(run)

    async def webhooks_waiting(self) -> int:
        def run(db: sqlite3.Connection) -> int:
            return int(db.execute("SELECT count(*) FROM webhook_outbox").fetchone()[0])

        return await self._run(run)

    async def webhook_tried(self, job_id: str, next_at: float | None) -> None:
        def run(db: sqlite3.Connection) -> None:
            if next_at is None:
                db.execute("DELETE FROM webhook_outbox WHERE job_id = ?", (job_id,))
            else:
                db.execute(
                    "UPDATE webhook_outbox SET attempts = attempts + 1, next_at = ?, "
                    "lease_owner = NULL, lease_until = NULL WHERE job_id = ?",
                    (next_at, job_id),
                )

        await self._run(run)

    async def record_delivery(self, delivery: Delivery) -> None:
        def run(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO job_deliveries (job_id, at, attempt, status, detail) "
                "VALUES (?, ?, ?, ?, ?)",
                (delivery.job_id, delivery.at, delivery.attempt, delivery.status, delivery.detail),
            )

        await self._run(run)

    async def deliveries(self, job_id: str) -> Sequence[Delivery]:
        def run(db: sqlite3.Connection) -> list[Delivery]:
            rows = db.execute(
                "SELECT job_id, at, attempt, status, detail FROM job_deliveries "
                "WHERE job_id = ? ORDER BY at, attempt",
                (job_id,),
            ).fetchall()
            return [Delivery(r[0], float(r[1]), int(r[2]), r[3], r[4]) for r in rows]

        return await self._run(run)

    async def close(self) -> None:
        await self._db.close()

    async def _run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        return await self._db.run(work)
