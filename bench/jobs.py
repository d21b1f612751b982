"""Async jobs: how many a gateway's workers finish per second when the queue is full,
and how long a job waits from POST to its stored result at a steady rate, on SQLite
and on PostgreSQL, with the simulated provider answering at once.

    python bench/jobs.py [--jobs 2000] [--workers 8] [--rate 100] [--backends sqlite,postgresql]

Jobs go straight into the durable store (as POST /v1/jobs puts them) and run through
the gateway's whole pipeline in process (guards as configured below), one process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import tempfile
import time
import uuid
from typing import Any

from seawall import config
from seawall.gateway import Gateway
from seawall.jobs.model import Job, body_hash, new_id

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
BODY = {"model": "chat", "messages": [{"role": "user", "content": "Summarise my week."}]}


def settings(durable: str, workers: int) -> config.Settings:
    chat = {
        "name": "chat",
        "deployments": [{"id": "sim", "provider": "simulated", "model": "m"}],
        "guard": {"injection": "allow"},
    }
    return config.parse(
        {
            "models": [chat],
            "stores": {"durable": durable},
            "jobs": {"workers": workers, "poll_s": 0.02},
        },
        env={},
    )


def job(now: float) -> Job:
    return Job(new_id(), "default", "anonymous", BODY, body_hash=body_hash(BODY), created_at=now,
               updated_at=now)  # fmt: skip


async def finished(gateway: Gateway, target: int, timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while gateway.job_workers.completed < target:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{gateway.job_workers.completed} of {target} jobs finished")
        await asyncio.sleep(0.01)


async def measure(durable: str, jobs: int, workers: int, rate: float) -> dict[str, Any]:
    gateway = Gateway(settings(durable, workers), job_workers=0)  # started below
    await gateway.start()
    store = gateway.jobs
    running = None
    try:
        # saturated: every job queued first, then the time to finish them all
        for _ in range(jobs):
            await store.create(job(time.time()))
        start = time.perf_counter()
        running = asyncio.create_task(gateway.job_workers.run(workers))
        await finished(gateway, jobs)
        throughput = jobs / (time.perf_counter() - start)
        # steady: jobs posted at `rate` per second; each one's wait, POST to result
        count = max(50, int(rate * 5))
        gateway.job_workers.completed = 0
        posted = []
        for _ in range(count):
            made = job(time.time())
            await store.create(made)
            gateway.job_workers.wake()
            posted.append(made.id)
            await asyncio.sleep(1 / rate)
        await finished(gateway, count)
        waits = []
        for job_id in posted:
            done = await store.get(job_id, None)
            assert done is not None and done.status == "succeeded", done
            waits.append((done.updated_at - done.created_at) * 1000)
        waits.sort()
    finally:
        if running is not None:
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
        await gateway.close()
    return {
        "jobs_per_s": round(throughput, 1),
        "steady_rate": rate,
        "latency_ms": {
            "p50": round(statistics.median(waits), 1),
            "p99": round(waits[int(len(waits) * 0.99) - 1], 1),
        },
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.getLogger("seawall").setLevel(logging.ERROR)
    results: dict[str, Any] = {"workers": args.workers, "jobs": args.jobs}
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                results["sqlite"] = await measure(
                    f"sqlite:///{tmp}/jobs.db", args.jobs, args.workers, args.rate
                )
        else:
            import psycopg

            schema = f"seawall_bench_{uuid.uuid4().hex[:8]}"
            async with await psycopg.AsyncConnection.connect(POSTGRES, autocommit=True) as c:
                await c.execute(f"CREATE SCHEMA {schema}".encode())
            try:
                url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
                results["postgresql"] = await measure(url, args.jobs, args.workers, args.rate)
            finally:
                async with await psycopg.AsyncConnection.connect(POSTGRES, autocommit=True) as c:
                    await c.execute(f"DROP SCHEMA {schema} CASCADE".encode())
    print(json.dumps(results, indent=None if args.json else 2))


if __name__ == "__main__":
    asyncio.run(main())
