"""Rate limits, budgets and the ledger, through the official openai SDK."""

from __future__ import annotations

import httpx
import openai
import pytest

from tests.conftest import RunningGateway

ADMIN = "admin-key-0123456789abcdef"
MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]
PRICE = {"input": 2.0, "output": 8.0}  # USD per million tokens


def config(upstream_url: str, keys: list[dict], **extra: object) -> dict:
    chat = {
        "name": "chat",
        "deployments": [
            {
                "id": "a",
                "provider": "openai",
                "base_url": upstream_url,
                "model": "m",
                "price": PRICE,
            }
        ],
    }
    return {"models": [chat], "admin_key": ADMIN, "keys": keys, **extra}


def key(name: str, tenant: str = "acme", **limits: object) -> dict:
    return {"key": f"{name}-key-0123456789abcdef", "name": name, "tenant": tenant, **limits}


def client(gw: RunningGateway, name: str) -> openai.AsyncOpenAI:
    return gw.client(api_key=f"{name}-key-0123456789abcdef")


async def usage(gw: RunningGateway, name: str, query: str = "") -> dict:
    headers = {"authorization": f"Bearer {name}-key-0123456789abcdef"}
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{gw.base_url}/usage{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_requests_per_minute_with_openai_style_headers(start_gateway, upstream_a):
    gw = await start_gateway(config(upstream_a.url, [key("k", rpm=3)]))
    sdk = client(gw, "k")
    remaining = []
    for _ in range(3):
        raw = await sdk.chat.completions.with_raw_response.create(model="chat", messages=MESSAGES)
        assert raw.headers["x-ratelimit-limit-requests"] == "3"
        remaining.append(raw.headers["x-ratelimit-remaining-requests"])
    assert remaining == ["2", "1", "0"]
    with pytest.raises(openai.RateLimitError) as refused:
        await sdk.chat.completions.create(model="chat", messages=MESSAGES)
    response = refused.value.response
    assert refused.value.code == "rate_limit_exceeded"
    assert 55 <= int(response.headers["retry-after"]) <= 60
    assert response.headers["x-ratelimit-remaining-requests"] == "0"
    assert len(upstream_a.fake.seen) == 3


async def test_a_tenant_limit_is_shared_by_its_keys(start_gateway, upstream_a):
    tenants = [{"name": "acme", "rpm": 2}]
    gw = await start_gateway(config(upstream_a.url, [key("k1"), key("k2")], tenants=tenants))
    await client(gw, "k1").chat.completions.create(model="chat", messages=MESSAGES)
    await client(gw, "k2").chat.completions.create(model="chat", messages=MESSAGES)
    with pytest.raises(openai.RateLimitError):
        await client(gw, "k1").chat.completions.create(model="chat", messages=MESSAGES)


async def test_tokens_per_minute_count_the_reservation_then_the_actual(start_gateway, upstream_a):
    gw = await start_gateway(config(upstream_a.url, [key("k", tpm=1000)]))
    sdk = client(gw, "k")
    raw = await sdk.chat.completions.with_raw_response.create(
        model="chat", messages=MESSAGES, max_tokens=600
    )
    held = 1000 - int(raw.headers["x-ratelimit-remaining-tokens"])
    assert held > 600  # the prompt plus max_tokens
    await gw.gateway.admission.drain()  # settled: the 600 held become the few used
    again = await sdk.chat.completions.with_raw_response.create(
        model="chat", messages=MESSAGES, max_tokens=600
    )
    assert int(again.headers["x-ratelimit-remaining-tokens"]) > 1000 - held - 100
    with pytest.raises(openai.RateLimitError) as too_big:
        await sdk.chat.completions.create(model="chat", messages=MESSAGES, max_tokens=5000)
    assert too_big.value.response.headers["x-should-retry"] == "false"
    assert "lower max_tokens" in too_big.value.message


async def test_a_budget_is_refused_before_any_upstream_call(start_gateway, upstream_a):
    # each call holds (prompt + 50 answer tokens) at the price and spends ~60 micro-dollars
    gw = await start_gateway(
        config(upstream_a.url, [key("k", budget={"usd": 0.001, "period": "day"})])
    )
    sdk = client(gw, "k")
    served = 0
    with pytest.raises(openai.RateLimitError) as refused:
        for _ in range(30):
            await sdk.chat.completions.create(model="chat", messages=MESSAGES, max_tokens=50)
            served += 1
            await gw.gateway.admission.drain()
    assert refused.value.code == "budget_exceeded"
    assert refused.value.body["type"] == "insufficient_quota"
    assert refused.value.response.headers["x-should-retry"] == "false"
    assert served >= 2 and len(upstream_a.fake.seen) == served  # refused before dispatch
    budget = (await usage(gw, "k"))["budgets"][0]
    assert budget["scope"] == "key" and budget["usd"] == 0.001
    assert budget["resets_at"].endswith("T00:00:00.000Z")
    # refused only when the next call's hold would not fit, never past the budget
    hold = float(refused.value.message.rsplit("$", 1)[1])
    assert budget["spent_usd"] <= 0.001 < budget["spent_usd"] + hold


async def test_a_streamed_request_costs_what_its_twin_costs(start_gateway, upstream_a):
    gw = await start_gateway(config(upstream_a.url, [key("plain"), key("streamed")]))
    answer = await client(gw, "plain").chat.completions.create(model="chat", messages=MESSAGES)
    stream = await client(gw, "streamed").chat.completions.create(
        model="chat", messages=MESSAGES, stream=True
    )
    chunks = [chunk async for chunk in stream]
    assert all(c.usage is None for c in chunks)  # not asked for, so not shown
    plain = await usage(gw, "plain", "?key_id=plain")
    streamed = await usage(gw, "streamed", "?key_id=streamed")
    assert plain["totals"] == streamed["totals"] and plain["totals"]["requests"] == 1
    assert plain["totals"]["completion_tokens"] == answer.usage.completion_tokens > 0
    expected = (answer.usage.prompt_tokens * 2.0 + answer.usage.completion_tokens * 8.0) / 1e6
    assert plain["totals"]["cost_usd"] == pytest.approx(expected)
    assert upstream_a.fake.seen[1].body["stream_options"] == {"include_usage": True}


async def test_tokens_are_counted_when_the_provider_reports_none(start_gateway, upstream_a):
    from tests.fakes.openai_server import Reply

    upstream_a.fake.default = Reply(text="one two three four five six", no_usage=True)
    gw = await start_gateway(config(upstream_a.url, [key("k")]))
    await client(gw, "k").chat.completions.create(model="chat", messages=MESSAGES)
    stream = await client(gw, "k").chat.completions.create(
        model="chat", messages=MESSAGES, stream=True
    )
    [chunk async for chunk in stream]
    rows = (await usage(gw, "k"))["data"]
    assert len(rows) == 1 and rows[0]["requests"] == 2
    assert rows[0]["prompt_tokens"] >= 2 * 10 and rows[0]["completion_tokens"] >= 2 * 6
    assert rows[0]["cost_usd"] > 0


async def test_a_tenant_reads_only_its_own_usage(start_gateway, upstream_a):
    gw = await start_gateway(config(upstream_a.url, [key("mine"), key("theirs", tenant="other")]))
    await client(gw, "mine").chat.completions.create(model="chat", messages=MESSAGES)
    await client(gw, "theirs").chat.completions.create(model="chat", messages=MESSAGES)
    mine = await usage(gw, "mine")
    assert mine["tenant"] == "acme" and {r["key_id"] for r in mine["data"]} == {"mine"}
    headers = {"authorization": "Bearer mine-key-0123456789abcdef"}
    async with httpx.AsyncClient() as http:
        peek = await http.get(f"{gw.base_url}/usage?tenant=other", headers=headers)
        assert peek.status_code == 403
        admin = await http.get(
            f"{gw.base_url}/usage?tenant=other", headers={"authorization": f"Bearer {ADMIN}"}
        )
        bad = await http.get(f"{gw.base_url}/usage?start=27-11-2026", headers=headers)
        backwards = await http.get(
            f"{gw.base_url}/usage?start=2026-11-02&end=2026-11-01", headers=headers
        )
        too_long = await http.get(
            f"{gw.base_url}/usage?start=2020-01-01&end=2026-11-01", headers=headers
        )
    assert {r["key_id"] for r in admin.json()["data"]} == {"theirs"}
    assert bad.status_code == 400 and bad.json()["error"]["param"] == "start"
    assert backwards.status_code == 400 and too_long.status_code == 400


async def test_failed_requests_count_toward_rpm_but_cost_nothing(start_gateway, upstream_a):
    from tests.fakes.openai_server import Reply

    upstream_a.fake.default = Reply(status=503)
    data = config(upstream_a.url, [key("k", rpm=5, budget={"usd": 1})])
    data["retry"] = {"attempts": 1}
    gw = await start_gateway(data)
    with pytest.raises(openai.InternalServerError):
        await client(gw, "k").chat.completions.create(model="chat", messages=MESSAGES)
    report = await usage(gw, "k")
    assert report["totals"]["requests"] == 1 and report["totals"]["cost_usd"] == 0
    assert report["budgets"][0]["spent_usd"] == 0


def quota_config(url_a: str, url_b: str, **quota: object) -> dict:
    chat = {
        "name": "chat",
        "deployments": [
            {"id": "a", "provider": "openai", "base_url": url_a, "model": "m", **quota}
        ],
        "fallbacks": ["backup"],
    }
    backup = {
        "name": "backup",
        "deployments": [{"id": "b", "provider": "openai", "base_url": url_b, "model": "m"}],
    }
    lonely = {
        "name": "lonely",
        "deployments": [
            {"id": "c", "provider": "openai", "base_url": url_a, "model": "m", **quota}
        ],
    }
    return {"models": [chat, backup, lonely]}


async def test_a_deployment_at_its_upstream_quota_hands_over(start_gateway, upstream_a, upstream_b):
    gw = await start_gateway(quota_config(upstream_a.url, upstream_b.url, rpm=2))
    sdk = gw.client()
    served = []
    for _ in range(3):
        raw = await sdk.chat.completions.with_raw_response.create(model="chat", messages=MESSAGES)
        served.append(raw.headers["x-seawall-deployment"])
    assert served == ["a", "a", "b"]
    await sdk.chat.completions.create(model="lonely", messages=MESSAGES)
    await sdk.chat.completions.create(model="lonely", messages=MESSAGES)
    with pytest.raises(openai.RateLimitError) as refused:
        await sdk.chat.completions.create(model="lonely", messages=MESSAGES)
    assert "upstream quota" in refused.value.message
    assert 50 <= int(refused.value.response.headers["retry-after"]) <= 60
    assert len(upstream_a.fake.seen) == 4


async def test_a_deployment_token_quota_counts_what_was_used(start_gateway, upstream_a, upstream_b):
    gw = await start_gateway(quota_config(upstream_a.url, upstream_b.url, tpm=20))
    sdk = gw.client()
    served = []
    for _ in range(3):  # ~13 tokens a call: two fit under 20, the third finds no room
        raw = await sdk.chat.completions.with_raw_response.create(model="chat", messages=MESSAGES)
        served.append(raw.headers["x-seawall-deployment"])
        await gw.gateway.admission.drain()
    assert served == ["a", "a", "b"]
