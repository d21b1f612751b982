"""Telling a job's ``webhook_url`` that it finished: through the signed, SSRF-checked
outbound client (Standard Webhooks headers), retried with a doubling backoff, each
attempt recorded with the job.

    webhooks = JobWebhooks(outbound, store, settings.webhooks, clock)
    await webhooks(job, outcome)      # after the outcome is stored; returns at once

The event: ``{"type": "job.succeeded" | "job.failed" | ..., "timestamp", "data": <the job
as GET /v1/jobs/{id} shows it>}``. Every retry of one event carries the same
``webhook-id`` (``msg_<job id>``), so a receiver can drop duplicates. A 2xx ends the
delivery; a 410 or a refused destination (a private address not allow-listed) ends it
unanswered; anything else is retried up to ``webhooks.attempts`` times. Deliveries
run off the worker's path; a process that stops mid-retry leaves the rest undone.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from ..clock import Clock
from ..config import WebhookSettings
from ..outbound import Outbound, OutboundError, OutboundRefused
from .model import PENDING_REVIEW, Delivery, Job, JobStore
from .worker import Outcome

log = logging.getLogger("seawall.jobs")

_DETAIL_CHARS = 300


class JobWebhooks:
    def __init__(
        self, outbound: Outbound, store: JobStore, settings: WebhookSettings, clock: Clock
    ) -> None:
        self._outbound = outbound
        self._store = store
        self._settings = settings
        self._clock = clock
        self._pending: set[asyncio.Task[None]] = set()

    async def __call__(self, job: Job, outcome: Outcome) -> None:
        if not job.webhook_url or outcome.status == PENDING_REVIEW:
            return  # a job waiting for review is told about when it is decided
        task = asyncio.create_task(self._deliver(job, outcome), name=f"seawall-webhook-{job.id}")
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _deliver(self, job: Job, outcome: Outcome) -> None:
        assert job.webhook_url is not None
        job.status, job.result, job.error = outcome.status, outcome.result, outcome.error
        job.updated_at = self._clock.wall()
        event = {
            "type": f"job.{outcome.status}",
            "timestamp": datetime.fromtimestamp(job.updated_at, UTC).isoformat(),
            "data": job.public(),
        }
        settings = self._settings
        for attempt in range(1, settings.attempts + 1):
            status, detail, final = await self._post(job.webhook_url, event, f"msg_{job.id}")
            await self._record(Delivery(job.id, self._clock.wall(), attempt, status, detail))
            if final:
                return
            if attempt < settings.attempts:
                wait = min(settings.max_backoff_s, settings.backoff_s * 2 ** (attempt - 1))
                await asyncio.sleep(wait)
        log.warning("jobs: the webhook of %s was not taken after %d tries", job.id, attempt)

    async def _post(self, url: str, event: object, msg_id: str) -> tuple[int | None, str, bool]:
        """(status, detail, whether to stop trying)."""
        secret = self._settings.signing_secret
        try:
            reply = await self._outbound.post_json(url, event, secret=secret, msg_id=msg_id)
        except OutboundRefused as exc:
            return None, f"refused: {exc}"[:_DETAIL_CHARS], True
        except OutboundError as exc:
            return None, str(exc)[:_DETAIL_CHARS], False
        if 200 <= reply.status < 300:
            return reply.status, "", True
        detail = reply.body[:_DETAIL_CHARS].decode("utf-8", "replace")
        return reply.status, detail, reply.status == 410

    async def _record(self, delivery: Delivery) -> None:
        try:
            await self._store.record_delivery(delivery)
        except Exception as exc:  # the record is lost, not the delivery
            log.warning("jobs: recording a webhook delivery failed: %s", exc)

    async def drain(self) -> None:
        """Waits for the deliveries under way (tests, shutdown)."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def close(self, wait_s: float = 2.0) -> None:
        """Gives deliveries in flight a moment, then stops the rest."""
        if not self._pending:
            return
        _, stuck = await asyncio.wait(self._pending, timeout=wait_s)
        for task in stuck:
            task.cancel()
        await asyncio.gather(*stuck, return_exceptions=True)
