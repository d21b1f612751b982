"""Chaos: upstreams that fail, stall, cut streams and throttle, seen through the SDK."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import openai
import pytest
import yaml

from seawall.resilience.breaker import BreakerState
from tests.fakes.openai_server import Reply, free_socket, wait_until_serving

MESSAGES = [{"role": "user", "content": "hi"}]


def dep(id: str, url: str, **extra: object) -> dict[str, object]:
    return {"id": id, "provider": "openai", "base_url": url, "model": "m", **extra}


def chat(*deployments: dict[str, object], **extra: object) -> dict[str, object]:
    return {"models": [{"name": "chat", "deployments": list(deployments)}], **extra}


def groups(primary: str, fallback: str | None = None, **extra: object) -> dict[str, object]:
    """Group "chat" (deployment "a"), and with a fallback, group "backup" ("b")."""
    config = chat(dep("a", primary), **extra)
    if fallback:
        models = config["models"]
        assert isinstance(models, list)
        models[0]["fallbacks"] = ["backup"]
        models.append({"name": "backup", "deployments": [dep("b", fallback)]})
    return config


async def test_flaky_primary_with_fallback_serves_every_request(
    start_gateway, upstream_a, upstream_b
):
    gw = await start_gateway(groups(upstream_a.url, upstream_b.url, breaker={"min_requests": 50}))
    upstream_a.fake.fail_rate = 0.3
    client = gw.client()
    semaphore = asyncio.Semaphore(20)

    async def one(i: int) -> str:
        async with semaphore:
            response = await client.chat.completions.with_raw_response.create(
                model="chat", messages=[{"role": "user", "content": f"q{i}"}]
            )
            return response.headers["x-seawall-deployment"]

    served = await asyncio.gather(*(one(i) for i in range(500)))
    assert len(served) == 500
    assert served.count("a") > 450 and served.count("b") > 0  # ~0.3 ** 3 fall back
    failures = sum(1 for s in upstream_a.fake.seen) - served.count("a")
    assert failures > 100  # the primary really failed ~30% of its calls


async def test_dead_primary_opens_breaker_then_recovers(start_gateway, upstream_a, upstream_b):
    gw = await start_gateway(
        groups(
            upstream_a.url,
            upstream_b.url,
            retry={"attempts": 1},
            breaker={"window_s": 10, "min_requests": 4, "failure_rate": 0.5, "cooldown_s": 0.5},
        )
    )
    upstream_a.fake.default = Reply(status=503)
    client = gw.client()
    for _ in range(4):
        answer = await client.chat.completions.with_raw_response.create(
            model="chat", messages=MESSAGES
        )
        assert answer.headers["x-seawall-deployment"] == "b"
    assert gw.gateway.board.state("a") is BreakerState.OPEN
    hits = len(upstream_a.fake.seen)
    for _ in range(5):
        answer = await client.chat.completions.with_raw_response.create(
            model="chat", messages=MESSAGES
        )
        assert answer.headers["x-seawall-deployment"] == "b"
    assert len(upstream_a.fake.seen) == hits  # open: skipped, not timed out
    async with httpx.AsyncClient() as http:
        ready = (await http.get(gw.url + "/readyz")).json()
    assert (ready["status"], ready["degraded"]) == ("degraded", ["circuit open: a"])
    upstream_a.fake.default = Reply()
    await asyncio.sleep(0.6)
    answer = await client.chat.completions.with_raw_response.create(model="chat", messages=MESSAGES)
    assert answer.headers["x-seawall-deployment"] == "a"  # the half-open probe
    assert gw.gateway.board.state("a") is BreakerState.CLOSED


async def test_retry_after_is_honoured(start_gateway, upstream_a):
    gw = await start_gateway(groups(upstream_a.url))
    upstream_a.plan(Reply(status=429, retry_after="2"))
    client = gw.client()
    with pytest.raises(openai.InternalServerError) as caught:
        await client.chat.completions.create(model="chat", messages=MESSAGES)
    assert caught.value.response.headers["retry-after"] == "2"
    with pytest.raises(openai.InternalServerError) as again:
        await client.chat.completions.create(model="chat", messages=MESSAGES)
    assert "cooling down" in again.value.message
    assert len(upstream_a.fake.seen) == 1
    await asyncio.sleep(2.05)
    await client.chat.completions.create(model="chat", messages=MESSAGES)
    first, second = upstream_a.fake.seen
    assert second.at - first.at >= 2.0


async def test_rate_limited_deployment_hands_over_at_once(start_gateway, upstream_a, upstream_b):
    gw = await start_gateway(
        chat(
            dep("a", upstream_a.url, weight=1000),
            dep("b", upstream_b.url, weight=0.001),
            retry={"attempts": 3, "backoff_ms": 2000, "max_backoff_ms": 2000},
        )
    )
    upstream_a.plan(Reply(status=429, retry_after="30"))
    began = time.monotonic()
    answer = await gw.client().chat.completions.with_raw_response.create(
        model="chat", messages=MESSAGES
    )
    assert answer.headers["x-seawall-deployment"] == "b"
    assert time.monotonic() - began < 1.0  # no backoff before another deployment


async def _sse_events(url: str, body: dict[str, object]) -> list[bytes]:
    async with httpx.AsyncClient(timeout=10) as http:
        async with http.stream("POST", url + "/v1/chat/completions", json=body) as response:
            assert response.status_code == 200
            raw = b"".join([piece async for piece in response.aiter_bytes()])
    return [e for e in raw.split(b"\n\n") if e]


@pytest.mark.parametrize(
    "fault", [Reply(cut_after=3), Reply(stall_after=3), Reply(malformed_after=3)]
)
async def test_broken_stream_ends_with_error_not_done(start_gateway, upstream_a, fault):
    gw = await start_gateway(groups(upstream_a.url, timeouts={"idle_s": 0.3}))
    upstream_a.plan(fault)
    events = await _sse_events(gw.url, {"model": "chat", "stream": True, "messages": MESSAGES})
    assert events[-1].startswith(b'data: {"error":')
    assert b"data: [DONE]" not in events
    assert len(events) >= 2  # the first chunks did reach the client
    with pytest.raises(openai.APIError):
        upstream_a.plan(fault)
        stream = await gw.client().chat.completions.create(
            model="chat", stream=True, messages=MESSAGES
        )
        async for _ in stream:
            pass


async def test_stream_that_never_starts_falls_back(start_gateway, upstream_a, upstream_b):
    gw = await start_gateway(
        groups(
            upstream_a.url, upstream_b.url, timeouts={"first_token_s": 0.3}, retry={"attempts": 1}
        )
    )
    upstream_a.plan(Reply(delay=3))
    response = await gw.client().chat.completions.with_raw_response.create(
        model="chat", stream=True, messages=MESSAGES
    )
    assert response.headers["x-seawall-deployment"] == "b"
    text = "".join([c.choices[0].delta.content or "" async for c in response.parse() if c.choices])
    assert text.strip() == "Hello from the fake upstream."


@pytest.mark.parametrize("stream", [False, True])
async def test_client_disconnect_frees_the_slot(start_gateway, upstream_a, stream):
    gw = await start_gateway(
        chat(dep("a", upstream_a.url, max_concurrency=1), timeouts={"queue_s": 0})
    )
    text = " ".join(["word"] * 50)
    upstream_a.plan(Reply(delay=0 if stream else 5, chunk_delay=0.1, text=text))
    body = {"model": "chat", "stream": stream, "messages": MESSAGES}

    async def leave_early() -> None:
        async with httpx.AsyncClient(timeout=10) as http:
            async with http.stream("POST", gw.url + "/v1/chat/completions", json=body) as response:
                async for _ in response.aiter_bytes():
                    return

    task = asyncio.create_task(leave_early())
    if stream:
        await task
    else:
        await asyncio.sleep(0.3)
        task.cancel()
    for _ in range(100):
        if gw.gateway.slots.in_flight("a") == 0 and upstream_a.fake.active == 0:
            break
        await asyncio.sleep(0.02)
    assert gw.gateway.slots.in_flight("a") == 0
    assert upstream_a.fake.active == 0  # the upstream call was abandoned too
    answer = await gw.client().chat.completions.create(model="chat", messages=MESSAGES)
    assert answer.choices[0].message.content


async def test_sigterm_lets_a_running_stream_finish(upstream_a, tmp_path: Path):
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    config = groups(
        upstream_a.url,
        server={"port": port, "drain_s": 10},
        stores={"hot": "memory", "durable": f"sqlite:///{tmp_path}/t.db"},
    )
    path = tmp_path / "seawall.yaml"
    path.write_text(yaml.safe_dump(config))
    upstream_a.fake.default = Reply(text=" ".join(["word"] * 20), chunk_delay=0.05)
    process = subprocess.Popen(  # noqa: ASYNC220 (starting it is instant; waits are threaded)
        [sys.executable, "-m", "seawall.cli.main", "serve", "--config", str(path)],
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_serving(url)
        async with httpx.AsyncClient(timeout=10) as http:
            body = {"model": "chat", "stream": True, "messages": MESSAGES}
            async with http.stream("POST", url + "/v1/chat/completions", json=body) as response:
                pieces = []
                async for piece in response.aiter_bytes():
                    if not pieces:
                        process.send_signal(signal.SIGTERM)
                        await asyncio.sleep(0.3)
                        with pytest.raises(httpx.TransportError):  # no longer accepting
                            async with httpx.AsyncClient() as fresh:
                                await fresh.get(url + "/healthz")
                    pieces.append(piece)
            raw = b"".join(pieces)
        assert raw.endswith(b"data: [DONE]\n\n")
        assert raw.count(b"word") == 20
        # uvicorn re-raises the signal once drained, so the exit reads as "ended by SIGTERM"
        assert await asyncio.to_thread(process.wait, 10) in (0, -signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()


async def test_open_circuits_everywhere_tell_the_client_when_to_come_back(
    start_gateway, upstream_a
):
    gw = await start_gateway(
        groups(
            upstream_a.url,
            retry={"attempts": 1},
            breaker={"window_s": 10, "min_requests": 2, "failure_rate": 0.5, "cooldown_s": 5},
        )
    )
    upstream_a.fake.default = Reply(status=500)
    client = gw.client()
    for _ in range(2):
        with pytest.raises(openai.InternalServerError):
            await client.chat.completions.create(model="chat", messages=MESSAGES)
    with pytest.raises(openai.InternalServerError) as caught:
        await client.chat.completions.create(model="chat", messages=MESSAGES)
    assert "circuit open" in caught.value.message
    assert caught.value.response.headers["retry-after"] == "5"
