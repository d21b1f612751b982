"""Async jobs through the server: queued, run by workers as their key, read back,
idempotent, cancelled, kept per tenant, and recovered from a worker killed mid-job."""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import subprocess
import sys
import time
from typing import Any

import httpx
import yaml

from seawall.outbound import verify
from tests.conftest import RunningGateway
from tests.fakes.openai_server import Reply, Served
from tests.fakes.webhook_server import WebhookReceiver

ADMIN = "admin-key-0123456789abcdef"
KEY_A = "acme-key-0123456789abcdef"
KEY_B = "other-key-0123456789abcdef"
BODY = {"model": "chat", "messages": [{"role": "user", "content": "Summarise my week."}]}


def configured(url: str, durable: str | None = None, **jobs: Any) -> dict:
    chat = {
        "name": "chat",
        "deployments": [{"id": "a", "provider": "openai", "base_url": url, "model": "m"}],
        "guard": {"injection": "allow"},
    }
    data: dict[str, Any] = {
        "models": [chat],
        "admin_key": ADMIN,
        "keys": [
            {"key": KEY_A, "name": "a", "tenant": "acme"},
            {"key": KEY_B, "name": "b", "tenant": "other"},
        ],
        "jobs": {"poll_s": 0.05, **jobs},
    }
    if durable is not None:
        data["stores"] = {"hot": "memory", "durable": durable}
    return data


async def call(
    gw: RunningGateway, method: str, path: str, key: str = KEY_A, **options: Any
) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        headers = {"authorization": f"Bearer {key}", **options.pop("headers", {})}
        return await http.request(method, f"{gw.url}{path}", headers=headers, **options)


async def settled(gw: RunningGateway, job_id: str, key: str = KEY_A) -> dict:
    for _ in range(200):
        job = (await call(gw, "GET", f"/v1/jobs/{job_id}", key)).json()
        if job["status"] not in ("queued", "running"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} still {job['status']}")


async def test_a_job_runs_and_its_result_is_a_chat_completion(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="A busy week.")
    gw = await start_gateway(configured(upstream_a.url))
    posted = await call(gw, "POST", "/v1/jobs", json={"request": BODY, "metadata": {"t": 1}})
    assert posted.status_code == 202
    job_id = posted.json()["id"]
    assert posted.json() == {"id": job_id, "object": "job", "status": "queued"}
    assert posted.headers["location"] == f"/v1/jobs/{job_id}"
    job = await settled(gw, job_id)
    assert job["status"] == "succeeded" and job["attempts"] == 1 and job["metadata"] == {"t": 1}
    assert job["result"]["object"] == "chat.completion"
    assert job["result"]["choices"][0]["message"]["content"] == "A busy week."
    assert upstream_a.fake.seen[0].body["stream"] is False
    await gw.gateway.admission.drain()
    usage = (await call(gw, "GET", "/v1/usage")).json()  # charged to the key that posted it
    assert usage["totals"]["requests"] == 1


async def test_idempotency_keys_replay_and_conflict(start_gateway, upstream_a):
    gw = await start_gateway(configured(upstream_a.url, workers=0))
    headers = {"idempotency-key": "order-42"}
    first = await call(gw, "POST", "/v1/jobs", json={"request": BODY}, headers=headers)
    again = await call(gw, "POST", "/v1/jobs", json={"request": BODY}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    other = {"request": {**BODY, "temperature": 0.5}}
    clash = await call(gw, "POST", "/v1/jobs", json=other, headers=headers)
    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == "idempotency_conflict"
    assert clash.headers["x-should-retry"] == "false"
    # another tenant's key is its own
    theirs = await call(gw, "POST", "/v1/jobs", KEY_B, json={"request": BODY}, headers=headers)
    assert theirs.json()["id"] != first.json()["id"]


async def test_a_tenant_sees_and_cancels_only_its_own_jobs(start_gateway, upstream_a):
    gw = await start_gateway(configured(upstream_a.url, workers=0))
    job_id = (await call(gw, "POST", "/v1/jobs", json={"request": BODY})).json()["id"]
    assert (await call(gw, "GET", f"/v1/jobs/{job_id}", KEY_B)).status_code == 404
    assert (await call(gw, "DELETE", f"/v1/jobs/{job_id}", KEY_B)).status_code == 404
    assert (await call(gw, "GET", f"/v1/jobs/{job_id}", ADMIN)).json()["status"] == "queued"
    cancelled = await call(gw, "DELETE", f"/v1/jobs/{job_id}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (await call(gw, "GET", f"/v1/jobs/{job_id}")).json()["status"] == "cancelled"
    assert (await call(gw, "GET", "/v1/jobs/job_nope")).status_code == 404


async def test_a_bad_job_is_refused_before_it_is_queued(start_gateway, upstream_a):
    gw = await start_gateway(configured(upstream_a.url, workers=0))
    cases = [
        (BODY, 400, "request"),  # the chat body itself, not wrapped in {"request": ...}
        ({"request": {"model": "chat"}}, 400, "request.messages"),
        ({"request": {**BODY, "model": "ghost"}}, 404, "request.model"),
        ({"request": BODY, "webhook_url": "ftp://x"}, 400, "webhook_url"),
        ({"request": BODY, "metadata": "x"}, 400, "metadata"),
        ({"request": BODY, "callback": "x"}, 400, "callback"),
        ({"request": "hello"}, 400, "request"),
    ]
    for document, status, param in cases:
        refused = await call(gw, "POST", "/v1/jobs", json=document)
        assert refused.status_code == status, refused.text
        assert refused.json()["error"]["param"] == param


async def test_a_failing_request_makes_a_failed_job_with_the_error(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(status=503)
    gw = await start_gateway(configured(upstream_a.url))
    job_id = (await call(gw, "POST", "/v1/jobs", json={"request": BODY})).json()["id"]
    job = await settled(gw, job_id)
    assert job["status"] == "failed"
    assert job["error"]["code"] == "upstream_unavailable" and "result" not in job


async def test_a_job_whose_worker_was_killed_runs_again_once(tmp_path, start_gateway, upstream_a):
    """A real `seawall worker` process is SIGKILLed mid-job; after its lease runs out a
    second worker process claims the job and stores its result, once."""
    durable = f"sqlite:///{tmp_path}/jobs.db"
    upstream_a.fake.plan(Reply(text="never sent", delay=60), Reply(text="Done."))
    data = configured(upstream_a.url, durable, workers=0, lease_s=2)
    gw = await start_gateway(data)  # serves the API and runs no jobs itself
    path = tmp_path / "seawall.yaml"
    path.write_text(yaml.safe_dump(data))
    command = [sys.executable, "-m", "seawall.cli.main", "worker", "--config", str(path)]
    first = subprocess.Popen(command, env=dict(os.environ))  # noqa: ASYNC220
    second = None
    try:
        job_id = (await call(gw, "POST", "/v1/jobs", json={"request": BODY})).json()["id"]
        for _ in range(600):  # the worker process starts, claims, calls the upstream
            if upstream_a.fake.seen:
                break
            await asyncio.sleep(0.05)
        assert upstream_a.fake.seen, "the worker never called the upstream"
        assert (await call(gw, "GET", f"/v1/jobs/{job_id}")).json()["status"] == "running"
        first.send_signal(signal.SIGKILL)
        await asyncio.to_thread(first.wait, 10)
        second = subprocess.Popen(command, env=dict(os.environ))  # noqa: ASYNC220
        job = await settled_within(gw, job_id, 30)
        assert job["status"] == "succeeded" and job["attempts"] == 2
        assert job["result"]["choices"][0]["message"]["content"] == "Done."
        assert len(upstream_a.fake.seen) == 2
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                await asyncio.to_thread(process.wait, 15)


async def settled_within(gw: RunningGateway, job_id: str, seconds: float) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = (await call(gw, "GET", f"/v1/jobs/{job_id}")).json()
        if job["status"] not in ("queued", "running"):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job['status']}")


SECRET = "whsec_" + base64.b64encode(b"job-webhook-secret-0123456789").decode()


async def test_a_finished_job_is_delivered_signed_and_retried(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="A busy week.")
    receiver = WebhookReceiver(planned=[503])
    served = await Served(receiver).start()
    try:
        data = configured(upstream_a.url)
        data["outbound"] = {"allow_private": ["127.0.0.0/8"]}
        data["webhooks"] = {"signing_secret": SECRET, "backoff_s": 0.05}
        gw = await start_gateway(data)
        document = {"request": BODY, "webhook_url": f"{served.url}/hooks/jobs"}
        job_id = (await call(gw, "POST", "/v1/jobs", json=document)).json()["id"]
        await settled(gw, job_id)
        await gw.gateway.webhooks.drain()
        first, second = receiver.deliveries
        assert first.headers["webhook-id"] == second.headers["webhook-id"] == f"msg_{job_id}"
        assert verify(SECRET, second.headers, second.body)
        event = second.json()
        assert event["type"] == "job.succeeded" and event["data"]["id"] == job_id
        assert event["data"]["result"]["choices"][0]["message"]["content"] == "A busy week."
        job = (await call(gw, "GET", f"/v1/jobs/{job_id}")).json()
        assert [(d["attempt"], d["status"]) for d in job["webhook"]["deliveries"]] == [
            (1, 503),
            (2, 200),
        ]
    finally:
        await served.stop()


async def test_a_webhook_to_a_private_address_is_refused_and_recorded(start_gateway, upstream_a):
    receiver = WebhookReceiver()
    served = await Served(receiver).start()
    try:
        gw = await start_gateway(configured(upstream_a.url))  # 127.0.0.1 is not allow-listed
        document = {"request": BODY, "webhook_url": f"{served.url}/hooks"}
        job_id = (await call(gw, "POST", "/v1/jobs", json=document)).json()["id"]
        await settled(gw, job_id)
        await gw.gateway.webhooks.drain()
        assert receiver.deliveries == []
        job = (await call(gw, "GET", f"/v1/jobs/{job_id}")).json()
        (delivery,) = job["webhook"]["deliveries"]
        assert delivery["status"] is None and delivery["detail"].startswith("refused")
    finally:
        await served.stop()


async def test_an_undelivered_webhook_survives_a_restart(tmp_path, start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="A busy week.")
    receiver = WebhookReceiver(planned=[503])
    served = await Served(receiver).start()
    try:
        data = configured(upstream_a.url, f"sqlite:///{tmp_path}/hooks.db")
        data["outbound"] = {"allow_private": ["127.0.0.0/8"]}
        data["webhooks"] = {"backoff_s": 0.2}
        first = await start_gateway(data)
        document = {"request": BODY, "webhook_url": f"{served.url}/hooks"}
        job_id = (await call(first, "POST", "/v1/jobs", json=document)).json()["id"]
        await settled(first, job_id)
        for _ in range(100):  # the first try gets its 503
            if receiver.deliveries:
                break
            await asyncio.sleep(0.05)
        await first.served.stop()  # before the retry is due
        assert len(receiver.deliveries) == 1
        second = await start_gateway(data)
        await second.gateway.webhooks.drain()
        assert len(receiver.deliveries) == 2
        assert receiver.deliveries[1].json()["data"]["id"] == job_id
        job = (await call(second, "GET", f"/v1/jobs/{job_id}")).json()
        assert [d["status"] for d in job["webhook"]["deliveries"]] == [503, 200]
    finally:
        await served.stop()
