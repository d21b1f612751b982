"""Telling a job's ``webhook_url`` that it finished: through the signed, SSRF-checked
outbound client (Standard Webhooks headers), retried with a doubling backoff, each
attempt recorded with the job.

    webhooks = JobWebhooks(outbound, store, settings.webhooks, clock)
    await webhooks(job, outcome)      # queues the event in the durable outbox
    task = asyncio.create_task(webhooks.run())   # where job workers run

The event: ``{"type": "job.succeeded" | "job.failed" | ..., "timestamp", "data": <the job
as GET /v1/jobs/{id} shows it>}``. Events wait in the durable store's outbox until they
are taken, so a gateway that stops mid-retry leaves them for the next one. A delivery
loop leases due events, posts each, records the attempt, and removes the event when a
2xx comes back, on a 410 or a refused destination (a private address not allow-listed),
or after ``webhooks.attempts`` tries; anything else is due again after a doubling
backoff. Every retry of one event carries the same ``webhook-id`` (``msg_<job id>``),
so a receiver can drop duplicates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from datetime import UTC, datetime

import orjson

from ..clock import Clock
from ..config import WebhookSettings
from ..outbound import Outbound, OutboundError, OutboundRefused
from .model import PENDING_REVIEW, Delivery, Job, JobStore, Outgoing
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
        self._owner = f"webhooks-{os.getpid()}-{os.urandom(3).hex()}"
        self._wake = asyncio.Event()

    async def __call__(self, job: Job, outcome: Outcome) -> None:
        if not job.webhook_url or outcome.status == PENDING_REVIEW:
            return  # a job waiting for review is told about when it is decided
        job.status, job.result, job.error = outcome.status, outcome.result, outcome.error
        job.updated_at = self._clock.wall()
        event = {
            "type": f"job.{outcome.status}",
            "timestamp": datetime.fromtimestamp(job.updated_at, UTC).isoformat(),
            "data": job.public(),
        }
        await self._store.enqueue_webhook(
            job.id, job.webhook_url, orjson.dumps(event), self._clock.wall()
        )
        self._wake.set()

    async def run(self, poll_s: float = 1.0) -> None:
        """The delivery loop: due events, every ``poll_s`` or when one is queued here."""
        while True:
            try:
                sent = await self.deliver_due()
            except Exception as exc:  # the store is down: try again after a pause
                log.warning("jobs: delivering webhooks failed: %s", exc)
                sent = 0
            if not sent:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), poll_s)

    async def deliver_due(self, limit: int = 16) -> int:
        """One pass over the events due now; how many were tried."""
        lease = 2 * self._outbound.timeout_s + 5  # one post, with room to record it
        due = await self._store.claim_webhooks(self._owner, self._clock.wall(), lease, limit)
        await asyncio.gather(*(self._try(item) for item in due))
        return len(due)

    async def _try(self, item: Outgoing) -> None:
        settings = self._settings
        attempt = item.attempts + 1
        status, detail, final = await self._post(item.url, item.event, f"msg_{item.job_id}")
        await self._record(Delivery(item.job_id, self._clock.wall(), attempt, status, detail))
        if final or attempt >= settings.attempts:
            if not final:
                log.warning(
                    "jobs: the webhook of %s was not taken after %d tries", item.job_id, attempt
                )
            await self._store.webhook_tried(item.job_id, None)
            return
        wait = min(settings.max_backoff_s, settings.backoff_s * 2 ** (attempt - 1))
        await self._store.webhook_tried(item.job_id, self._clock.wall() + wait)

    async def _post(self, url: str, event: bytes, msg_id: str) -> tuple[int | None, str, bool]:
        """(status, detail, whether to stop trying)."""
        secret = self._settings.signing_secret
        try:
            reply = await self._outbound.post_json(
                url, orjson.loads(event), secret=secret, msg_id=msg_id
            )
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

    async def drain(self, timeout_s: float = 10.0) -> None:
        """Delivers until the outbox is empty or ``timeout_s`` has passed (tests)."""
        deadline = self._clock.now() + timeout_s
        while self._clock.now() < deadline and await self._store.webhooks_waiting():
            if not await self.deliver_due():
                await asyncio.sleep(0.02)
