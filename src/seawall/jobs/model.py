"""Async jobs: the record, its statuses, and the durable queue's protocol.

A job is a chat completion request run later by a worker. The queue leases jobs, it
never pops them: a worker that claims one holds it until ``lease_until`` and renews
the lease while it works; a worker that dies leaves the job to be claimed again once
the lease has run out. Finishing is fenced by the lease's owner, so a worker that lost
its lease cannot overwrite what the next one stored: a result is stored once.

    queued -> running -> succeeded | failed        (pending_review: the review gate)
    queued | running | pending_review -> cancelled (DELETE /v1/jobs/{id})
    queued -> expired                              (not started within jobs.expire_s)
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

QUEUED = "queued"
RUNNING = "running"
PENDING_REVIEW = "pending_review"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"
EXPIRED = "expired"
STATUSES = (QUEUED, RUNNING, PENDING_REVIEW, SUCCEEDED, FAILED, CANCELLED, EXPIRED)
OPEN = (QUEUED, RUNNING, PENDING_REVIEW)  # what cancelling can still stop


@dataclass(slots=True)
class Job:
    id: str
    tenant: str
    key_id: str
    request: dict[str, Any]  # the chat completion body
    status: str = QUEUED
    metadata: dict[str, Any] = field(default_factory=dict)
    webhook_url: str | None = None
    idempotency_key: str | None = None
    body_hash: str = ""  # of what was posted, to tell a replay from a conflict
    created_at: float = 0.0
    updated_at: float = 0.0
    attempts: int = 0  # times a worker claimed it
    lease_owner: str | None = None
    lease_until: float | None = None
    result: dict[str, Any] | None = None  # a chat completion object
    error: dict[str, Any] | None = None  # {"message", "type", "code", "param"}

    def public(self) -> dict[str, Any]:
        """What ``GET /v1/jobs/{id}`` shows."""
        out: dict[str, Any] = {
            "id": self.id,
            "object": "job",
            "status": self.status,
            "created_at": round(self.created_at, 3),
            "updated_at": round(self.updated_at, 3),
            "attempts": self.attempts,
            "metadata": self.metadata,
        }
        if self.result is not None:
            out["result"] = self.result
        if self.error is not None:
            out["error"] = self.error
        return out


@dataclass(frozen=True, slots=True)
class Delivery:
    """One attempt at a job's webhook."""

    job_id: str
    at: float
    attempt: int
    status: int | None  # the receiver's HTTP status; None when it was never reached
    detail: str = ""


@dataclass(slots=True)
class Review:
    """An answer parked for a person to approve: its job is pending_review until then."""

    job_id: str
    tenant: str
    model: str
    reason: str  # the policy that caught it ("always", "json_path:$.amount>1000", ...)
    proposed: dict[str, Any]  # the chat completion the model gave
    created_at: float
    expires_at: float
    on_expire: str = "reject"  # reject | approve
    status: str = "pending"  # pending | approved | rejected | expired
    decided_by: str | None = None  # a key id, or "expiry"
    decided_at: float | None = None
    note: str = ""  # a rejection's reason
    diff: str = ""  # an approval with an edit: the unified diff of the answer's text

    def public(self, request: dict[str, Any] | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.job_id,
            "object": "review",
            "status": self.status,
            "model": self.model,
            "reason": self.reason,
            "created_at": round(self.created_at, 3),
            "expires_at": round(self.expires_at, 3),
            "proposed": self.proposed,
        }
        if request is not None:
            out["request"] = request
        if self.decided_at is not None:
            out |= {"decided_by": self.decided_by, "decided_at": round(self.decided_at, 3)}
            if self.note:
                out["note"] = self.note
            if self.diff:
                out["diff"] = self.diff
        return out


@dataclass(frozen=True, slots=True)
class Decision:
    """A person's (or the expiry's) word on a parked answer."""

    status: str  # approved | rejected | expired
    by: str
    at: float
    result: dict[str, Any] | None = None  # the answer the caller gets, when approved
    note: str = ""
    diff: str = ""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A job's event waiting in the durable outbox for its webhook."""

    job_id: str
    url: str
    event: bytes
    attempts: int  # tries made before this one


class JobStore(Protocol):
    async def start(self) -> None: ...

    async def create(self, job: Job) -> tuple[Job, bool]:
        """Store a new job; with an idempotency key already used by the tenant, the job
        stored under it and False instead."""
        ...

    async def get(self, job_id: str, tenant: str | None) -> Job | None:
        """A job, if it exists and (tenant given) belongs to that tenant."""
        ...

    async def claim(self, owner: str, now: float, lease_s: float) -> Job | None:
        """The oldest queued job, or a running one whose lease ran out, leased to
        ``owner`` (status running, attempts + 1); None when there is none."""
        ...

    async def renew(self, job_id: str, owner: str, until: float) -> bool:
        """Extend a lease ``owner`` still holds; False when it has lost it."""
        ...

    async def finish(
        self,
        job_id: str,
        owner: str,
        status: str,
        now: float,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
    ) -> bool:
        """Store the outcome if ``owner`` still holds the running job's lease."""
        ...

    async def cancel(self, job_id: str, tenant: str | None, now: float) -> Job | None:
        """Cancel a job that is still open; the job as it now is (None: no such job)."""
        ...

    async def expire(self, now: float, queued_before: float) -> int:
        """Queued jobs created before ``queued_before`` become expired; how many."""
        ...

    async def park(self, job: Job, review: Review) -> None:
        """Store a job already answered (status pending_review) with its review."""
        ...

    async def add_review(self, review: Review) -> None:
        """The review of a job a worker is running (it marks the job pending itself)."""
        ...

    async def reviews(
        self, tenant: str | None, status: str | None, limit: int
    ) -> Sequence[tuple[Review, Job]]:
        """Reviews oldest first (tenant given: that tenant's only), with their jobs."""
        ...

    async def review(self, job_id: str, tenant: str | None) -> tuple[Review, Job] | None: ...

    async def decide(self, job_id: str, tenant: str | None, decision: Decision) -> Job | None:
        """Settle a pending review and its job (succeeded with the result when approved,
        failed with review_rejected otherwise); None when it is not pending any more."""
        ...

    async def overdue_reviews(self, now: float, limit: int) -> Sequence[Review]:
        """Pending reviews past their expiry, for the sweep to decide."""
        ...

    async def enqueue_webhook(self, job_id: str, url: str, event: bytes, now: float) -> None:
        """Queue a job's event for delivery (one per job: a later one replaces it)."""
        ...

    async def claim_webhooks(
        self, owner: str, now: float, lease_s: float, limit: int
    ) -> Sequence[Outgoing]:
        """Events due for delivery, leased to ``owner`` for ``lease_s``."""
        ...

    async def webhooks_waiting(self) -> int:
        """Events in the outbox, due or not."""
        ...

    async def webhook_tried(self, job_id: str, next_at: float | None) -> None:
        """After a try: delivered or given up (None), or due again at ``next_at``."""
        ...

    async def record_delivery(self, delivery: Delivery) -> None: ...

    async def deliveries(self, job_id: str) -> Sequence[Delivery]: ...

    async def close(self) -> None: ...


def new_id() -> str:
    return "job_" + os.urandom(12).hex()


def body_hash(document: Any) -> str:
    return hashlib.sha256(orjson.dumps(document, option=orjson.OPT_SORT_KEYS)).hexdigest()


def encode(value: Any) -> bytes | None:
    return None if value is None else orjson.dumps(value)


def decode(raw: Any) -> Any:
    return None if raw is None else orjson.loads(bytes(raw))


def rejection(note: str, expired: bool) -> dict[str, Any]:
    """The error a job holds when its answer was not approved."""
    why = "the review expired undecided" if expired else "a reviewer rejected the answer"
    return {
        "message": f"{why}: {note}" if note else why,
        "type": "invalid_request_error",
        "code": "review_rejected",
        "param": None,
    }
