"""Router groups through the server, with the official openai SDK: rules pick a tier,
unsure answers escalate, the privacy pin holds, and every paid answer is charged."""

from __future__ import annotations

from typing import Any

import httpx
import openai
import pytest

from seawall.config import Price
from seawall.limits.pricing import cost_micros
from seawall.types import Usage
from tests.conftest import RunningGateway
from tests.fakes.openai_server import Reply

KEY = "route-key-0123456789abcdef"
ADMIN = "admin-key-0123456789abcdef"
FAST_PRICE = {"input": 0.1, "output": 0.4}
FRONTIER_PRICE = {"input": 2.0, "output": 8.0}
RULES = [
    {"tier": "frontier", "when": {"code": True}},
    {"tier": "frontier", "when": {"min_tokens": 400}},
]


def routed(fast_url: str, frontier_url: str, router: dict | None = None, **extra: Any) -> dict:
    def group(name: str, url: str, price: dict) -> dict:
        dep = {"id": name, "provider": "openai", "base_url": url, "model": name, "price": price}
        return {"name": name, "deployments": [dep]}

    auto = {
        "name": "auto",
        "router": router or {"tiers": ["fast", "frontier"], "rules": RULES},
        "guard": {"injection": "allow"},
        **extra.pop("auto", {}),
    }
    return {
        "models": [
            group("fast", fast_url, FAST_PRICE),
            group("frontier", frontier_url, FRONTIER_PRICE),
            auto,
        ],
        **extra,
    }


ESCALATING = {"tiers": ["fast", "frontier"], "escalate": {"fast": {"to": "frontier"}}}


async def ask(gw: RunningGateway, text: str, **options: Any) -> Any:
    client = options.pop("client", None) or gw.client()
    messages = [{"role": "user", "content": text}]
    return await client.chat.completions.with_raw_response.create(
        model="auto", messages=messages, **options
    )


async def metrics(gw: RunningGateway) -> str:
    async with httpx.AsyncClient() as http:
        return (await http.get(f"{gw.url}/metrics")).text


async def test_rules_pick_the_tier_and_say_why(start_gateway, upstream_a, upstream_b):
    upstream_a.fake.default = Reply(text="fast answer")
    upstream_b.fake.default = Reply(text="frontier answer")
    gw = await start_gateway(routed(upstream_a.url, upstream_b.url))
    plain = await ask(gw, "What is the capital of France?")
    assert plain.headers["x-seawall-route"] == "fast; reason=default"
    assert plain.headers["x-seawall-deployment"] == "fast"
    assert plain.parse().choices[0].message.content == "fast answer"
    code = await ask(gw, "Why does this fail?\n```python\nprint(x)\n```")
    assert code.headers["x-seawall-route"] == "frontier; reason=code"
    assert code.parse().choices[0].message.content == "frontier answer"
    long = await ask(gw, "Summarise this. " + "The weather was mild. " * 200)
    assert long.headers["x-seawall-route"] == "frontier; reason=tokens>=400"
    assert upstream_b.fake.seen[0].body["model"] == "frontier"
    text = await metrics(gw)
    assert 'seawall_route_decisions_total{model="auto",reason="code",tier="frontier"} 1.0' in text
    models = [m.id for m in (await gw.client().models.list()).data]
    assert models == ["fast", "frontier", "auto"]
    async with httpx.AsyncClient() as http:
        ready = (await http.get(f"{gw.url}/readyz")).json()
    assert (ready["status"], ready["degraded"]) == ("ok", [])  # a router is served by its tiers


async def test_a_low_confidence_answer_escalates(start_gateway, upstream_a, upstream_b):
    upstream_a.fake.default = Reply(text="maybe Lyon", logprob=-2.5)
    upstream_b.fake.default = Reply(text="Paris.")
    gw = await start_gateway(routed(upstream_a.url, upstream_b.url, ESCALATING))
    raw = await ask(gw, "What is the capital of France?")
    assert raw.headers["x-seawall-route"] == "frontier; reason=escalated:logprob; from=fast"
    assert raw.headers["x-seawall-deployment"] == "frontier"
    assert raw.parse().choices[0].message.content == "Paris."
    # the gateway asked the tier for log-probabilities; the escalation tier got the
    # client's request as it was
    assert upstream_a.fake.seen[0].body["logprobs"] is True
    assert "logprobs" not in upstream_b.fake.seen[0].body
    text = await metrics(gw)
    assert (
        'seawall_route_escalations_total{from_tier="fast",model="auto",reason="logprob",'
        'to_tier="frontier"} 1.0'
    ) in text
    assert 'seawall_route_judged_total{model="auto",tier="fast"} 1.0' in text
    assert 'seawall_route_mean_logprob_bucket{le="-3.0",model="auto",tier="fast"} 0.0' in text
    assert 'seawall_route_mean_logprob_bucket{le="-2.0",model="auto",tier="fast"} 1.0' in text


async def test_a_confident_answer_is_released_without_the_logprobs_it_was_asked_for(
    start_gateway, upstream_a, upstream_b
):
    upstream_a.fake.default = Reply(text="Paris is the capital.", logprob=-0.1)
    gw = await start_gateway(routed(upstream_a.url, upstream_b.url, ESCALATING))
    raw = await ask(gw, "What is the capital of France?")
    assert raw.headers["x-seawall-route"] == "fast; reason=default"
    answer = raw.parse()
    assert answer.choices[0].message.content == "Paris is the capital."
    assert answer.choices[0].logprobs is None  # the client did not ask
    asked = (await ask(gw, "What is the capital of Spain?", logprobs=True)).parse()
    assert asked.choices[0].logprobs.content[0].logprob == pytest.approx(-0.1)
    assert upstream_b.fake.seen == []


async def test_a_stream_is_judged_whole_then_replayed(start_gateway, upstream_a, upstream_b):
    upstream_a.fake.default = Reply(text="Paris is the capital.", logprob=-0.1)
    upstream_b.fake.default = Reply(text="Frontier streams this.")
    gw = await start_gateway(routed(upstream_a.url, upstream_b.url, ESCALATING))
    client = gw.client()
    stream = await client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": "Capital of France?"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [c async for c in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Paris is the capital."
    assert chunks[-1].usage.completion_tokens == 4
    assert upstream_a.fake.seen[0].body["stream"] is False
    # once escalated, the last tier streams as the client asked
    upstream_a.fake.default = Reply(text="I'm sorry, but I can't help with that.")
    stream = await client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "Capital of Peru?"}], stream=True
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text.strip() == "Frontier streams this."
    assert upstream_b.fake.seen[0].body["stream"] is True


async def test_refusals_empty_answers_and_schema_drift_escalate(
    start_gateway, upstream_a, upstream_b
):
    upstream_b.fake.default = Reply(text='{"amount": 12.5}')
    gw = await start_gateway(routed(upstream_a.url, upstream_b.url, ESCALATING))
    upstream_a.fake.plan(Reply(text="I'm sorry, but I can't help with that."), Reply(text=" "))
    first = await ask(gw, "Refund my order")
    assert first.headers["x-seawall-route"].startswith("frontier; reason=escalated:refusal")
    second = await ask(gw, "Refund my other order")
    assert second.headers["x-seawall-route"].startswith("frontier; reason=escalated:empty")
    amount = {"amount": {"type": "number"}}
    schema = {"type": "object", "properties": amount, "required": ["amount"]}
    fmt = {"type": "json_schema", "json_schema": {"name": "refund", "schema": schema}}
    upstream_a.fake.plan(Reply(text='{"amount": "twelve"}'))
    third = await ask(gw, "How much is my refund?", response_format=fmt)
    assert third.headers["x-seawall-route"].startswith("frontier; reason=escalated:schema")
    assert third.parse().choices[0].message.content == '{"amount": 12.5}'


async def test_a_failing_tier_escalates_and_a_failing_escalation_returns_the_first_answer(
    start_gateway, upstream_a, upstream_b
):
    gw = await start_gateway(
        routed(upstream_a.url, upstream_b.url, ESCALATING, auto={"cache": {"semantic": False}})
    )
    upstream_a.fake.default = Reply(status=503)
    upstream_b.fake.default = Reply(text="Frontier is up.")
    down = await ask(gw, "Is the fast tier up?")
    assert down.headers["x-seawall-route"] == "frontier; reason=escalated:error; from=fast"
    # the escalation tier fails: the unsure answer beats an error, and is not cached
    upstream_a.fake.default = Reply(text="Probably Lyon.", logprob=-3.0)
    upstream_b.fake.default = Reply(status=503)
    unsure = await ask(gw, "What is the capital of France?")
    assert unsure.headers["x-seawall-route"] == "fast; reason=default; unsure=logprob"
    assert unsure.parse().choices[0].message.content == "Probably Lyon."
    await gw.gateway.cache.drain()
    again = await ask(gw, "What is the capital of France?")
    assert again.headers["x-seawall-cache"] == "miss"


async def test_the_client_is_charged_for_every_answer_paid_for(
    start_gateway, upstream_a, upstream_b
):
    upstream_a.fake.default = Reply(text="maybe Lyon", logprob=-2.5)
    upstream_b.fake.default = Reply(text="Paris.")
    keys = [{"key": KEY, "name": "k", "budget": {"usd": 5}}]
    gw = await start_gateway(
        routed(upstream_a.url, upstream_b.url, ESCALATING, admin_key=ADMIN, keys=keys)
    )
    answer = (await ask(gw, "Capital of France?", client=gw.client(api_key=KEY))).parse()
    await gw.gateway.admission.drain()
    async with httpx.AsyncClient() as http:
        usage = (
            await http.get(f"{gw.base_url}/usage", headers={"authorization": f"Bearer {KEY}"})
        ).json()
    prompt = answer.usage.prompt_tokens  # the same prompt went to both tiers
    fast = cost_micros(Price(**FAST_PRICE), Usage(prompt, 2, prompt + 2))  # "maybe Lyon"
    used = answer.usage
    frontier = cost_micros(Price(**FRONTIER_PRICE), Usage(prompt, used.completion_tokens))
    assert usage["totals"]["cost_usd"] == pytest.approx((fast + frontier) / 1e6)
    assert usage["totals"]["prompt_tokens"] == 2 * prompt


async def test_pii_stays_on_internal_tiers(start_gateway, upstream_a, upstream_b):
    local = {"id": "local", "provider": "simulated", "model": "local", "internal": True}
    router = {
        "tiers": ["fast", "frontier", "local"],
        "escalate": {"local": {"to": "frontier"}},
    }
    data = routed(
        upstream_a.url,
        upstream_b.url,
        router,
        auto={"guard": {"injection": "allow", "pii_internal_only": True}},
    )
    data["models"].append({"name": "local", "deployments": [local]})
    local["faults"] = {"unsure_rate": 1.0}
    gw = await start_gateway(data)
    raw = await ask(gw, "My email is jane.doe@example.com, why was I charged twice?")
    # moved to the internal tier, and its unsure answer may not escalate to an external one
    assert raw.headers["x-seawall-route"] == "local; reason=pii-internal"
    assert raw.headers["x-seawall-deployment"] == "local"
    assert upstream_a.fake.seen == [] and upstream_b.fake.seen == []


async def test_the_simulated_provider_drives_escalation(start_gateway, upstream_b):
    sim = {"id": "sim", "provider": "simulated", "model": "small", "faults": {"unsure_rate": 1}}
    upstream_b.fake.default = Reply(text="Sure answer.")
    data = routed("http://127.0.0.1:9/v1", upstream_b.url, ESCALATING)
    data["models"][0]["deployments"] = [sim]
    gw = await start_gateway(data)
    raw = await ask(gw, "What is the capital of France?")
    assert raw.headers["x-seawall-route"] == "frontier; reason=escalated:logprob; from=fast"


async def test_embeddings_and_unknown_names(start_gateway, upstream_a, upstream_b):
    gw = await start_gateway(routed(upstream_a.url, upstream_b.url))
    with pytest.raises(openai.BadRequestError) as refused:
        await gw.client().embeddings.create(model="auto", input="hello")
    assert "router for chat completions" in refused.value.message
    embedded = await gw.client().embeddings.create(model="fast", input="hello")
    assert len(embedded.data) == 1
    trace_id = (await ask(gw, "hello")).headers["x-seawall-trace-id"]
    await gw.gateway.traces.flush()
    trace = await gw.gateway.traces.get(trace_id, None)
    spans = {span[0]: span for span in trace.spans}
    assert spans["route.choose"][4] == {
        "tier": "fast",
        "reason": "default",
        "tokens": 8,  # o200k: "hello" is one token, with the per-message overheads
        "code": False,
        "math": False,
        "tools": False,
    }
    assert "dispatch" in spans
