"""Two gateway replicas sharing Redis, and what happens when Redis goes away."""

from __future__ import annotations

import asyncio
import shutil
import uuid

import httpx
import openai
import pytest

from seawall.resilience.breaker import BreakerState
from tests.fakes.openai_server import Reply
from tests.fakes.redis_server import OwnRedis

MESSAGES = [{"role": "user", "content": "hi"}]


def shared_config(upstream: str, redis_url: str, dep: str, **extra: object) -> dict[str, object]:
    return {
        "models": [
            {
                "name": "chat",
                "deployments": [
                    {
                        "id": dep,
                        "provider": "openai",
                        "base_url": upstream,
                        "model": "m",
                        "max_concurrency": 2,
                    }
                ],
            }
        ],
        "stores": {"hot": redis_url, "durable": "sqlite://"},
        **extra,
    }


async def test_replicas_share_breakers_and_concurrency(start_gateway, upstream_a):
    dep = f"a-{uuid.uuid4().hex[:8]}"
    config = shared_config(
        upstream_a.url,
        "redis://127.0.0.1:6379/0",
        dep,
        retry={"attempts": 1},
        timeouts={"queue_s": 0},
        breaker={"window_s": 10, "min_requests": 4, "failure_rate": 0.5, "cooldown_s": 30},
    )
    one, two = await start_gateway(config), await start_gateway(config)
    upstream_a.fake.default = Reply(delay=0.5)
    c1, c2 = one.client(), two.client()
    held = [
        asyncio.create_task(c1.chat.completions.create(model="chat", messages=MESSAGES))
        for _ in range(2)
    ]
    await asyncio.sleep(0.2)
    with pytest.raises(openai.InternalServerError) as caught:  # replica one holds both slots
        await c2.chat.completions.create(model="chat", messages=MESSAGES)
    assert caught.value.status_code == 503
    await asyncio.gather(*held)

    upstream_a.fake.default = Reply(status=503)
    for _ in range(4):
        with pytest.raises(openai.InternalServerError):
            await c1.chat.completions.create(model="chat", messages=MESSAGES)
    assert one.gateway.board.state(dep) is BreakerState.OPEN
    for _ in range(40):  # replica two learns it in the background, without any traffic
        if two.gateway.board.state(dep) is BreakerState.OPEN:
            break
        await asyncio.sleep(0.05)
    assert two.gateway.board.state(dep) is BreakerState.OPEN


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server")
async def test_redis_lost_mid_run_fails_open_and_says_so(start_gateway, upstream_a, tmp_path):
    server = await OwnRedis(tmp_path).start()
    try:
        gw = await start_gateway(shared_config(upstream_a.url, server.url, "a"))
        client = gw.client()
        await client.chat.completions.create(model="chat", messages=MESSAGES)
        server.kill()
        for _ in range(5):  # still served, slots now counted in this replica
            answer = await client.chat.completions.create(model="chat", messages=MESSAGES)
            assert answer.choices[0].message.content
        await asyncio.sleep(0.6)  # a breaker sync round fails too
        async with httpx.AsyncClient() as http:
            ready = await http.get(gw.url + "/readyz")
            metrics = (await http.get(gw.url + "/metrics")).text
        assert ready.status_code == 200 and ready.json()["status"] == "degraded"
        assert any("hot store unreachable" in d for d in ready.json()["degraded"])
        assert any("breaker state is not shared" in d for d in ready.json()["degraded"])
        assert gw.gateway.slots.in_flight("a") == 0
        await asyncio.sleep(1.0)
        async with httpx.AsyncClient() as http:
            metrics = (await http.get(gw.url + "/metrics")).text
        assert "seawall_degraded_components 2.0" in metrics
    finally:
        server.kill()
