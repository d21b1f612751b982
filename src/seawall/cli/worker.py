"""``seawall worker --config FILE``: a process that runs queued jobs and nothing else.

It builds the same gateway as ``seawall serve`` (providers, limits, guards, cache,
routing) without the HTTP server, and runs ``--concurrency`` jobs at once (default
``jobs.workers``, or 4 when that is 0). On SIGTERM or SIGINT it stops claiming and
exits; a job it was running keeps its lease until the lease runs out, then another
worker runs it again.
"""

from __future__ import annotations

import asyncio
import signal
import sys

from .. import config
from ..gateway import Gateway


def run_worker(path: str, concurrency: int | None) -> int:
    settings = config.load(path)
    count = concurrency or settings.jobs.workers or 4
    return asyncio.run(_work(settings, count))


async def _work(settings: config.Settings, count: int) -> int:
    gateway = Gateway(settings, job_workers=count)
    await gateway.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    print(
        f"seawall worker {gateway.job_workers.name}: {count} jobs at once from "
        f"{settings.stores.durable}",
        file=sys.stderr,
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        await gateway.close()
    return 0
