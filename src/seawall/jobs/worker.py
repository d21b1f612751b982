"""Workers: claim jobs from the durable queue and run each through the gateway's
pipeline, as the key that posted it, renewing the lease while it runs.

    workers = JobWorkers(store, run, settings.jobs, clock, "host-1234")
    task = asyncio.create_task(workers.run())     # in `seawall serve`, or `seawall worker`

``run(job)`` answers the job's request and says how it ended (``Outcome``). A worker
that dies mid-job leaves it running under a lease that runs out; another worker claims
it then. Only the lease's holder can store the result, so it is stored once. A job
claimed ``max_attempts`` times without finishing (it keeps killing its worker) fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ..clock import Clock
from ..config import JobSettings
from .model import FAILED, Decision, Job, JobStore

log = logging.getLogger("seawall.jobs")

_EXPIRE_EVERY_S = 30.0


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # succeeded | failed
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


Run = Callable[[Job], Awaitable[Outcome]]
Finished = Callable[[Job, Outcome], Awaitable[None]]


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{os.urandom(3).hex()}"


class JobWorkers:
    def __init__(
        self,
        store: JobStore,
        run: Run,
        settings: JobSettings,
        clock: Clock,
        name: str | None = None,
        finished: Finished | None = None,
    ) -> None:
        self._store = store
        self._run = run
        self._settings = settings
        self._clock = clock
        self.name = name or worker_name()
        self._finished = finished
        self.completed = 0  # jobs this process stored an outcome for
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """A job was just queued: idle workers look now rather than at their next poll."""
        self._wake.set()

    async def run(self, concurrency: int) -> None:
        await asyncio.gather(self._expire_loop(), self._claim_loop(concurrency))

    async def _claim_loop(self, concurrency: int) -> None:
        """One claimer fills free slots: an idle process asks the store once a poll,
        however many jobs it may run at once."""
        free = asyncio.Semaphore(concurrency)
        running: set[asyncio.Task[None]] = set()
        number = 0
        try:
            while True:
                await free.acquire()
                try:
                    owner = f"{self.name}/{number}"
                    job = await self._store.claim(owner, self._clock.wall(), self._settings.lease_s)
                except Exception as exc:  # the store is down: try again after a pause
                    log.warning("jobs: claiming failed: %s", exc)
                    job = None
                if job is None:
                    free.release()
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._settings.poll_s)
                    continue
                number += 1
                task = asyncio.create_task(self._guarded(job, owner))
                running.add(task)
                task.add_done_callback(running.discard)
                task.add_done_callback(lambda _: free.release())
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _guarded(self, job: Job, owner: str) -> None:
        try:
            await self._work(job, owner)
        except Exception:  # the store failed while finishing: the lease will run out
            log.exception("jobs: finishing %s failed; it runs again when its lease ends", job.id)

    async def _work(self, job: Job, owner: str) -> None:
        if job.attempts > self._settings.max_attempts:
            message = f"gave up after {job.attempts - 1} attempts that did not finish"
            outcome = Outcome(FAILED, error=_error(message, "job_abandoned"))
        else:
            renewing = asyncio.create_task(self._renew(job, owner))
            try:
                outcome = await self._run(job)
            except Exception as exc:  # a bug must not kill the worker; the job fails
                log.exception("jobs: %s failed unexpectedly", job.id)
                outcome = Outcome(FAILED, error=_error(f"internal error: {exc}", "internal_error"))
            finally:
                renewing.cancel()
        stored = await self._store.finish(
            job.id, owner, outcome.status, self._clock.wall(), outcome.result, outcome.error
        )
        if not stored:  # cancelled meanwhile, or the lease went to another worker
            log.info("jobs: %s ended elsewhere; this outcome is dropped", job.id)
            return
        self.completed += 1
        if self._finished is not None:
            try:
                await self._finished(job, outcome)
            except Exception:
                log.exception("jobs: after-finish hook failed for %s", job.id)

    async def _renew(self, job: Job, owner: str) -> None:
        every = self._settings.lease_s / 3
        while True:
            await asyncio.sleep(every)
            try:
                until = self._clock.wall() + self._settings.lease_s
                if not await self._store.renew(job.id, owner, until):
                    return  # lost it (cancelled, or taken over): finish will say so
            except Exception as exc:
                log.warning("jobs: renewing the lease of %s failed: %s", job.id, exc)

    async def _expire_loop(self) -> None:
        while True:
            try:
                now = self._clock.wall()
                expired = await self._store.expire(now, now - self._settings.expire_s)
                if expired:
                    log.info("jobs: %d queued jobs expired unstarted", expired)
                await self.expire_reviews()
            except Exception as exc:
                log.warning("jobs: expiring old jobs and reviews failed: %s", exc)
            await asyncio.sleep(_EXPIRE_EVERY_S)

    async def expire_reviews(self) -> int:
        """Reviews left undecided past their expiry get their ``on_expire`` outcome."""
        now = self._clock.wall()
        count = 0
        for review in await self._store.overdue_reviews(now, 100):
            approve = review.on_expire == "approve"
            decision = Decision(
                "approved" if approve else "expired",
                "expiry",
                now,
                review.proposed if approve else None,
                note="" if approve else "no reviewer decided in time",
            )
            job = await self._store.decide(review.job_id, None, decision)
            if job is not None:
                count += 1
                if self._finished is not None:
                    await self._finished(job, Outcome(job.status, job.result, job.error))
        return count


def _error(message: str, code: str) -> dict[str, Any]:
    return {"message": message, "type": "server_error", "code": code, "param": None}
