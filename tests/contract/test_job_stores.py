"""One contract for the durable job queue, over SQLite and PostgreSQL (real server):
idempotency, claiming in order, leases that expire, finishing fenced by the lease,
cancelling, tenants kept apart, expiry, webhook delivery records."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import psycopg
import pytest

from seawall.jobs.model import (
    CANCELLED,
    EXPIRED,
    PENDING_REVIEW,
    QUEUED,
    RUNNING,
    SUCCEEDED,
    Decision,
    Delivery,
    Job,
    JobStore,
    Review,
    body_hash,
    new_id,
)
from seawall.stores.registry import open_jobs

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
BODY = {"model": "chat", "messages": [{"role": "user", "content": "hi"}]}


class Backend:
    def __init__(self, kind: str, tmp_path: Path) -> None:
        self.kind = kind
        self.schema = f"seawall_test_{uuid.uuid4().hex[:12]}"
        self.url = f"sqlite:///{tmp_path}/jobs.db"
        if kind == "postgresql":
            self.url = f"{POSTGRES_URL}?options=-csearch_path%3D{self.schema}"
        self.opened: list[JobStore] = []

    async def store(self) -> JobStore:
        store = open_jobs(self.url)
        await store.start()
        self.opened.append(store)
        return store

    async def admin(self, statement: str) -> None:
        async with await psycopg.AsyncConnection.connect(POSTGRES_URL, autocommit=True) as conn:
            await conn.execute(statement.encode())


@pytest.fixture(params=["sqlite", "postgresql"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    made = Backend(request.param, tmp_path)
    if made.kind == "postgresql":
        await made.admin(f"CREATE SCHEMA {made.schema}")
    yield made
    for store in made.opened:
        await store.close()
    if made.kind == "postgresql":
        await made.admin(f"DROP SCHEMA {made.schema} CASCADE")


def job(at: float, tenant: str = "acme", key: str | None = None, body: dict = BODY) -> Job:
    return Job(
        new_id(),
        tenant,
        "k1",
        body,
        metadata={"ticket": 7},
        idempotency_key=key,
        body_hash=body_hash(body),
        created_at=at,
        updated_at=at,
    )


async def test_a_job_is_stored_and_read_back_by_its_tenant_only(backend: Backend) -> None:
    store = await backend.store()
    made, created = await store.create(job(1.0))
    assert created
    read = await store.get(made.id, "acme")
    assert read is not None and read.request == BODY and read.metadata == {"ticket": 7}
    assert read.status == QUEUED and read.attempts == 0
    assert await store.get(made.id, "other") is None
    assert (await store.get(made.id, None)) is not None  # an operator sees every tenant's
    assert await store.get("job_missing", None) is None


async def test_an_idempotency_key_returns_the_first_job(backend: Backend) -> None:
    store = await backend.store()
    first, _ = await store.create(job(1.0, key="k-1"))
    again, created = await store.create(job(2.0, key="k-1", body={"other": True}))
    assert not created and again.id == first.id and again.body_hash == body_hash(BODY)
    other_tenant, created = await store.create(job(3.0, tenant="other", key="k-1"))
    assert created and other_tenant.id != first.id  # keys are per tenant


async def test_claims_go_oldest_first_and_never_twice(backend: Backend) -> None:
    one, two = await backend.store(), await backend.store()
    older, _ = await one.create(job(1.0))
    newer, _ = await one.create(job(2.0))
    first, second = await asyncio.gather(
        one.claim("w1", now=10.0, lease_s=30), two.claim("w2", now=10.0, lease_s=30)
    )
    assert first is not None and second is not None
    assert {first.id, second.id} == {older.id, newer.id}
    assert first.status == RUNNING and first.attempts == 1 and first.lease_until == 40.0
    assert await one.claim("w3", now=11.0, lease_s=30) is None


async def test_an_expired_lease_is_claimed_again_and_the_first_owner_is_fenced_out(
    backend: Backend,
) -> None:
    store = await backend.store()
    made, _ = await store.create(job(1.0))
    claimed = await store.claim("dead-worker", now=10.0, lease_s=30)
    assert claimed is not None and claimed.id == made.id
    assert await store.claim("w2", now=39.0, lease_s=30) is None  # lease still held
    assert await store.renew(made.id, "dead-worker", until=45.0)
    assert await store.claim("w2", now=44.0, lease_s=30) is None
    again = await store.claim("w2", now=46.0, lease_s=30)
    assert again is not None and again.attempts == 2 and again.lease_owner == "w2"
    assert not await store.renew(made.id, "dead-worker", until=100.0)
    assert not await store.finish(made.id, "dead-worker", SUCCEEDED, 47.0, result={"x": 1})
    assert await store.finish(made.id, "w2", SUCCEEDED, 48.0, result={"id": "chatcmpl-1"})
    done = await store.get(made.id, None)
    assert done is not None and done.status == SUCCEEDED and done.result == {"id": "chatcmpl-1"}
    assert not await store.finish(made.id, "w2", SUCCEEDED, 49.0, result={"x": 2})  # stored once


async def test_cancel_stops_open_jobs_only(backend: Backend) -> None:
    store = await backend.store()
    queued, _ = await store.create(job(1.0))
    cancelled = await store.cancel(queued.id, "acme", 5.0)
    assert cancelled is not None and cancelled.status == CANCELLED
    assert await store.claim("w", now=6.0, lease_s=30) is None
    running, _ = await store.create(job(2.0))
    assert await store.claim("w", now=7.0, lease_s=30) is not None
    assert (await store.cancel(running.id, "acme", 8.0)).status == CANCELLED
    assert not await store.finish(running.id, "w", SUCCEEDED, 9.0, result={})  # too late
    assert await store.cancel(running.id, "other", 9.0) is None  # not that tenant's
    finished, _ = await store.create(job(3.0))
    await store.claim("w", now=10.0, lease_s=30)
    await store.finish(finished.id, "w", SUCCEEDED, 11.0, result={})
    assert (await store.cancel(finished.id, "acme", 12.0)).status == SUCCEEDED


async def test_jobs_never_started_expire(backend: Backend) -> None:
    store = await backend.store()
    old, _ = await store.create(job(1.0))
    fresh, _ = await store.create(job(100.0))
    assert await store.expire(now=150.0, queued_before=50.0) == 1
    assert (await store.get(old.id, None)).status == EXPIRED
    assert (await store.get(fresh.id, None)).status == QUEUED


async def test_webhook_deliveries_are_recorded_in_order(backend: Backend) -> None:
    store = await backend.store()
    made, _ = await store.create(job(1.0))
    await store.record_delivery(Delivery(made.id, 5.0, 1, 503, "receiver answered 503"))
    await store.record_delivery(Delivery(made.id, 6.0, 2, None, "connection refused"))
    await store.record_delivery(Delivery(made.id, 8.0, 3, 200, ""))
    found = await store.deliveries(made.id)
    assert [(d.attempt, d.status) for d in found] == [(1, 503), (2, None), (3, 200)]


def parked(at: float, tenant: str = "acme") -> tuple[Job, Review]:
    made = job(at, tenant)
    made.status = PENDING_REVIEW
    answer = {"object": "chat.completion", "choices": [{"message": {"content": "1500 EUR"}}]}
    review = Review(made.id, tenant, "chat", "always", answer, at, at + 100.0)
    return made, review


async def test_a_parked_answer_waits_for_its_decision(backend: Backend) -> None:
    store = await backend.store()
    first, second = parked(1.0), parked(2.0, tenant="other")
    await store.park(*first)
    await store.park(*second)
    pending = await store.reviews("acme", "pending", 10)
    assert [(r.job_id, j.status) for r, j in pending] == [(first[0].id, PENDING_REVIEW)]
    assert len(await store.reviews(None, "pending", 10)) == 2
    assert await store.claim("w", now=5.0, lease_s=30) is None  # nothing to run: it waits
    edited = {"object": "chat.completion", "choices": [{"message": {"content": "1400 EUR"}}]}
    approval = Decision("approved", "reviewer-1", 6.0, edited, diff="-1500\n+1400")
    assert await store.decide(first[0].id, "other", approval) is None  # not that tenant's
    done = await store.decide(first[0].id, "acme", approval)
    assert done is not None and done.status == SUCCEEDED and done.result == edited
    assert await store.decide(first[0].id, "acme", approval) is None  # decided once
    review, _ = await store.review(first[0].id, None)
    assert (review.status, review.decided_by, review.diff) == (
        "approved",
        "reviewer-1",
        "-1500\n+1400",
    )
    assert await store.review(first[0].id, "other") is None


async def test_a_rejection_fails_the_job_and_expiry_finds_the_overdue(backend: Backend) -> None:
    store = await backend.store()
    made, review = parked(1.0)
    await store.park(made, review)
    assert await store.overdue_reviews(50.0, 10) == []
    assert [r.job_id for r in await store.overdue_reviews(101.0, 10)] == [made.id]
    failed = await store.decide(made.id, None, Decision("rejected", "rev", 7.0, note="too high"))
    assert failed is not None and failed.status == "failed"
    assert failed.error["code"] == "review_rejected" and "too high" in failed.error["message"]
    assert await store.overdue_reviews(101.0, 10) == []


async def test_a_cancelled_job_leaves_nothing_to_review(backend: Backend) -> None:
    store = await backend.store()
    made, review = parked(1.0)
    await store.park(made, review)
    assert (await store.cancel(made.id, "acme", 2.0)).status == CANCELLED
    assert await store.reviews("acme", "pending", 10) == []
    assert await store.decide(made.id, None, Decision("approved", "rev", 3.0, {})) is None


async def test_the_webhook_outbox_leases_retries_and_forgets(backend: Backend) -> None:
    one, two = await backend.store(), await backend.store()
    await one.enqueue_webhook("job_a", "https://example.com/a", b'{"type": "job.succeeded"}', 5.0)
    await one.enqueue_webhook("job_b", "https://example.com/b", b"{}", 50.0)  # not due yet
    assert await one.webhooks_waiting() == 2
    taken = await one.claim_webhooks("w1", now=10.0, lease_s=30, limit=10)
    assert [(o.job_id, o.attempts, o.event) for o in taken] == [
        ("job_a", 0, b'{"type": "job.succeeded"}')
    ]
    assert await two.claim_webhooks("w2", now=11.0, lease_s=30, limit=10) == []  # leased
    await one.webhook_tried("job_a", next_at=20.0)  # failed: due again later
    again = await two.claim_webhooks("w2", now=21.0, lease_s=30, limit=10)
    assert [(o.job_id, o.attempts) for o in again] == [("job_a", 1)]
    # a worker that died with the lease: the event comes back when the lease runs out
    assert sorted(o.job_id for o in await one.claim_webhooks("w1", 52.0, 30, 10)) == [
        "job_a",
        "job_b",
    ]
    await one.webhook_tried("job_a", None)
    await one.webhook_tried("job_b", None)
    assert await one.webhooks_waiting() == 0
