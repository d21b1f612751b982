"""The review gate: answers a policy catches are parked for a person to approve.

    gate = ReviewGate({"payments": settings.review}, job_store, clock)   # outermost stage

For a group with ``review``, the answer is produced whole (a stream is replayed once it
may go), then checked against ``review.when`` (``policy.caught``). A caught answer is
parked in the durable queue as a job in ``pending_review`` with its review, and:

- a caller that sent ``Prefer: respond-async`` gets 202 with the job at once;
- any other waits up to ``review.wait_s``: approved, it gets the approved (perhaps
  edited) answer as a normal completion; rejected, 422 ``review_rejected``; still
  undecided, 409 ``review_pending`` with the job id and ``Location: /v1/jobs/{id}``;
- inside a job (``POST /v1/jobs``), the job itself waits in ``pending_review``.

The gate sits outside the limit stage, so the answer is charged whatever is decided,
and outside the guards, so reviewers see the answer as the caller would. A caught
answer is never cached.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from ..clock import Clock
from ..config import ReviewSettings
from ..errors import ReviewAccepted, ReviewHeld, ReviewPending, ReviewRejected
from ..jobs.model import PENDING_REVIEW, SUCCEEDED, Job, JobStore, Review, body_hash, new_id
from ..pipeline import Context, Next
from ..replay import as_stream
from ..types import ChatRequest, Completion, Result
from .policy import Facts, caught

_POLL_S = 0.2  # how often a waiting caller's job is read for a decision
_STREAM_ONLY = ("stream", "stream_options")


class ReviewGate:
    name = "review"

    def __init__(self, groups: Mapping[str, ReviewSettings], store: JobStore, clock: Clock) -> None:
        self._groups = groups
        self._store = store
        self._clock = clock

    @property
    def enabled(self) -> bool:
        return bool(self._groups)

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        settings = self._groups.get(ctx.request.model)
        if settings is None:
            return await call_next(ctx)
        original = ctx.request
        body = {k: v for k, v in original.body.items() if k not in _STREAM_ONLY}
        ctx.request = ChatRequest(body, original.model)  # judged whole, streamed after
        try:
            result = await call_next(ctx)
        finally:
            ctx.request = original
        assert isinstance(result, Completion)
        facts = Facts(bool(ctx.guard_flags), ctx.low_confidence, ctx.intent)
        reason = caught(settings.when, facts, result.data)
        if not reason:
            return as_stream(result, original.include_usage) if original.stream else result
        ctx.no_store = f"held for review: {reason}"
        start = ctx.trace.now_ms()
        job_id = await self._park(ctx, settings, reason, result)
        ctx.trace.add("review.park", start, "pending", {"reason": reason, "job": job_id})
        if ctx.job_id:
            raise ReviewHeld(f"the answer waits for review ({reason})")
        if "respond-async" in ctx.headers.get("prefer", ""):
            raise ReviewAccepted(job_id)
        decided = await self._wait(job_id, settings.wait_s)
        if decided is None:
            raise ReviewPending(
                f"the answer waits for a reviewer ({reason}); poll /v1/jobs/{job_id}", job_id
            )
        if decided.status != SUCCEEDED or decided.result is None:
            message = (decided.error or {}).get("message", "the answer was rejected")
            raise ReviewRejected(str(message))
        approved = Completion(decided.result, raw=None, deployment=result.deployment)
        return as_stream(approved, original.include_usage) if original.stream else approved

    async def _park(
        self, ctx: Context, settings: ReviewSettings, reason: str, result: Completion
    ) -> str:
        now = self._clock.wall()
        job_id = ctx.job_id or new_id()
        review = Review(
            job_id,
            ctx.tenant,
            ctx.request.model,
            reason,
            result.data,
            now,
            now + settings.expire_s,
            settings.on_expire,
        )
        if ctx.job_id:  # the job exists: its worker marks it pending when this returns
            await self._store.add_review(review)
            return job_id
        request: dict[str, Any] = dict(ctx.request.body)
        job = Job(
            job_id,
            ctx.tenant,
            ctx.principal.key_id,
            request,
            status=PENDING_REVIEW,
            body_hash=body_hash({"request": request}),
            created_at=now,
            updated_at=now,
        )
        await self._store.park(job, review)
        return job_id

    async def _wait(self, job_id: str, wait_s: float) -> Job | None:
        deadline = self._clock.now() + wait_s
        while True:
            job = await self._store.get(job_id, None)
            if job is not None and job.status != PENDING_REVIEW:
                return job
            left = deadline - self._clock.now()
            if left <= 0:
                return None
            await asyncio.sleep(min(_POLL_S, left))
