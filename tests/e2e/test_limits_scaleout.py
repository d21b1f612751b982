"""Limits across replicas: exact under a burst on two processes sharing one real Redis,
and each tenant's policy when Redis stops answering or loses everything."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid

import httpx
import openai
import pytest
import yaml
from redis.asyncio import Redis

from tests.fakes.openai_server import free_socket, wait_until_serving
from tests.fakes.redis_server import OwnRedis

MESSAGES = [{"role": "user", "content": "hi"}]
SIM = {
    "name": "sim",
    "deployments": [
        {"id": "s", "provider": "simulated", "model": "m", "price": {"input": 1, "output": 4}}
    ],
}
needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server"
)


def port() -> int:
    sock = free_socket()
    number = sock.getsockname()[1]
    sock.close()
    return number


async def test_two_processes_let_exactly_the_limit_through(tmp_path):
    name = f"burst-{uuid.uuid4().hex[:8]}"  # its own counters in the shared Redis
    secret = f"{name}-0123456789abcdef"
    urls, processes = [], []
    for index in range(2):
        config = {
            "server": {"port": port(), "drain_s": 2},
            "models": [SIM],
            "keys": [{"key": secret, "name": name, "rpm": 100}],
            "stores": {"hot": "redis://127.0.0.1:6379/0", "durable": f"sqlite:///{tmp_path}/d.db"},
        }
        path = tmp_path / f"replica{index}.yaml"
        path.write_text(yaml.safe_dump(config))
        command = [sys.executable, "-m", "seawall.cli.main", "serve", "--config", str(path)]
        with open(tmp_path / f"replica{index}.log", "wb") as log:  # noqa: ASYNC230
            processes.append(
                subprocess.Popen(command, env=dict(os.environ), stdout=log, stderr=log)  # noqa: ASYNC220
            )
        urls.append(f"http://127.0.0.1:{config['server']['port']}")
    try:
        await asyncio.gather(*(wait_until_serving(u) for u in urls))
        body = json.dumps({"model": "sim", "messages": MESSAGES}).encode()
        # a loop of its own: sockets that earlier tests closed behind the session loop's
        # back can leave it deaf to a reused descriptor number
        statuses = await asyncio.to_thread(asyncio.run, burst(urls, secret, body, 200))
        assert statuses.count(200) == 100 and statuses.count(429) == 100
    except BaseException:
        for index in range(2):
            print((tmp_path / f"replica{index}.log").read_text()[-3000:])
        raise
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.to_thread(process.wait, 15)


async def burst(urls: list[str], key: str, body: bytes, count: int) -> list[int]:
    calls = (post_status(urls[i % len(urls)], key, body) for i in range(count))
    return await asyncio.wait_for(asyncio.gather(*calls), 30)


async def post_status(url: str, key: str, body: bytes) -> int:
    """One chat completion on its own connection; the status code. (Raw sockets: a
    pooled client with 200 requests in flight spreads them over seconds.)"""
    host, _, port_text = url.removeprefix("http://").partition(":")
    reader, writer = await asyncio.open_connection(host, int(port_text))
    head = (
        f"POST /v1/chat/completions HTTP/1.1\r\nhost: {host}\r\n"
        f"authorization: Bearer {key}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()
    writer.close()
    return int(status_line.split()[1])


def policy_config(redis_url: str) -> dict:
    return {
        "models": [SIM],
        "admin_key": "admin-key-0123456789abcdef",
        "keys": [
            {
                "key": "open-key-0123456789abcdef",
                "name": "kopen",
                "tenant": "open",
                "budget": {"usd": 10, "period": "day"},
            },
            {
                "key": "closed-key-0123456789abcdef",
                "name": "kclosed",
                "tenant": "closed",
                "rpm": 1000,
            },
        ],
        "tenants": [
            {"name": "open", "on_store_failure": "fail_open"},
            {"name": "closed", "on_store_failure": "fail_closed"},
        ],
        "limits": {"store_retry_s": 0.3},
        "stores": {"hot": redis_url},
    }


async def counter_and_ledger(gw, redis_url: str) -> tuple[int, int]:
    """The key's budget counter in Redis, and its spend in the ledger (micro-dollars)."""
    await gw.gateway.admission.drain()
    from seawall.limits.pricing import period

    day = period("day", gw.gateway.clock.wall()).id
    client = Redis.from_url(redis_url)
    try:
        counter = int(await client.hget(f"seawall:limits:usd:key:kopen:{day}", "m") or -1)
    finally:
        await client.aclose()
    spent = await gw.gateway.accounts.spend(tenant=None, key_id="kopen", since_day=day)
    return counter, spent


@needs_redis_server
async def test_each_tenant_gets_its_policy_when_redis_is_lost(start_gateway, tmp_path):
    redis = await OwnRedis(tmp_path).start()
    try:
        gw = await start_gateway(policy_config(redis.url))
        open_sdk = gw.client(api_key="open-key-0123456789abcdef")
        closed_sdk = gw.client(api_key="closed-key-0123456789abcdef")
        await open_sdk.chat.completions.create(model="sim", messages=MESSAGES)
        await closed_sdk.chat.completions.create(model="sim", messages=MESSAGES)

        redis.freeze()  # unreachable, data kept
        with pytest.raises(openai.InternalServerError) as refused:
            await closed_sdk.chat.completions.create(model="sim", messages=MESSAGES)
        assert refused.value.status_code == 503 and refused.value.code == "limits_unavailable"
        assert int(refused.value.response.headers["retry-after"]) >= 1
        for _ in range(3):  # fail_open: counted on this replica, served
            await open_sdk.chat.completions.create(model="sim", messages=MESSAGES)
        async with httpx.AsyncClient() as http:
            ready = await http.get(gw.url + "/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "degraded"
        assert any("limit store unreachable" in d for d in ready.json()["degraded"])

        redis.thaw()
        await asyncio.sleep(0.35)
        await open_sdk.chat.completions.create(model="sim", messages=MESSAGES)
        await closed_sdk.chat.completions.create(model="sim", messages=MESSAGES)
        counter, spent = await counter_and_ledger(gw, redis.url)
        assert spent > 0 and counter == spent  # what was counted locally was paid back

        redis.kill()  # everything in Redis is lost ...
        await redis.start()  # ... and it comes back empty on the same port
        for _ in range(2):  # the first may find a dead connection and count locally
            await asyncio.sleep(0.35)
            await open_sdk.chat.completions.create(model="sim", messages=MESSAGES)
        counter, spent = await counter_and_ledger(gw, redis.url)
        assert counter == spent  # rebuilt from the ledger, then charged
        await closed_sdk.chat.completions.create(model="sim", messages=MESSAGES)
    finally:
        redis.kill()
