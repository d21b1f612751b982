"""Structured output through the server, with the official openai SDK: drifted JSON is
repaired or re-asked, other deployments and fallbacks are tried, and nothing invalid
is ever returned as valid."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import openai
import pytest

from tests.conftest import RunningGateway
from tests.fakes.openai_server import Reply

SCHEMA = {
    "type": "object",
    "properties": {"amount": {"type": "number"}, "currency": {"enum": ["EUR", "USD"]}},
    "required": ["amount", "currency"],
    "additionalProperties": False,
}
FORMAT = {"type": "json_schema", "json_schema": {"name": "refund", "schema": SCHEMA}}
GOOD = '{"amount": 12.5, "currency": "EUR"}'
FAST = {"backoff_ms": 1, "max_backoff_ms": 5}


def group(name: str, *urls: str, **extra: Any) -> dict:
    deployments = [
        {"id": f"{name}-{i}", "provider": "openai", "base_url": url, "model": "m"}
        for i, url in enumerate(urls)
    ]
    structured = {**FAST, **extra.pop("structured", {})}
    return {
        "name": name,
        "deployments": deployments,
        "guard": {"injection": "allow"},
        "structured": structured,
        **extra,
    }


async def ask(gw: RunningGateway, model: str = "chat", **options: Any) -> Any:
    options.setdefault("response_format", FORMAT)
    return await gw.client().chat.completions.with_raw_response.create(
        model=model, messages=[{"role": "user", "content": "My refund?"}], **options
    )


async def metrics(gw: RunningGateway) -> str:
    async with httpx.AsyncClient() as http:
        return (await http.get(f"{gw.url}/metrics")).text


@pytest.mark.parametrize(
    "drifted",
    [
        f"```json\n{GOOD}\n```",
        f"Here is your refund: {GOOD} Anything else?",
        '{"amount": 12.5, "currency": "EUR",}',
        f"[{GOOD}]",
    ],
)
async def test_safe_drifts_are_repaired_without_asking_again(start_gateway, upstream_a, drifted):
    upstream_a.fake.default = Reply(text=drifted)
    gw = await start_gateway({"models": [group("chat", upstream_a.url)]})
    answer = (await ask(gw)).parse()
    assert json.loads(answer.choices[0].message.content) == json.loads(GOOD)
    assert len(upstream_a.fake.seen) == 1
    assert upstream_a.fake.seen[0].body["response_format"] == FORMAT  # native mode asked
    assert 'outcome="repaired"' in await metrics(gw)


async def test_a_renamed_field_is_asked_again_with_the_errors(start_gateway, upstream_a):
    upstream_a.fake.plan(Reply(text='{"Amount": 12.5, "currency": "EUR"}'), Reply(text=GOOD))
    gw = await start_gateway({"models": [group("chat", upstream_a.url)]})
    answer = (await ask(gw)).parse()
    assert answer.choices[0].message.content == GOOD
    reasked = upstream_a.fake.seen[1].body["messages"]
    assert reasked[1] == {"role": "assistant", "content": '{"Amount": 12.5, "currency": "EUR"}'}
    assert reasked[2]["role"] == "user"
    assert "'amount' is a required property" in reasked[2]["content"]
    text = await metrics(gw)
    assert (
        'seawall_structured_answers_total{deployment="chat-0",model="chat",outcome="invalid"} 1.0'
        in text
    )


async def test_after_its_budget_the_next_deployment_answers(start_gateway, upstream_a, upstream_b):
    upstream_a.fake.default = Reply(text='{"amount": "lots"}')
    upstream_b.fake.default = Reply(text=GOOD)
    chat = group("chat", upstream_a.url, upstream_b.url, structured={"max_attempts": 2})
    chat["balance"] = "weighted"
    chat["deployments"][1]["weight"] = 0.0001  # a answers first
    gw = await start_gateway({"models": [chat]})
    raw = await ask(gw)
    assert raw.headers["x-seawall-deployment"] == "chat-1"
    assert raw.parse().choices[0].message.content == GOOD
    assert len(upstream_a.fake.seen) == 2  # its budget, then it was left alone
    # the fresh deployment starts from the client's own messages
    assert len(upstream_b.fake.seen[0].body["messages"]) == 1


async def test_then_the_fallback_group(start_gateway, upstream_a, upstream_b):
    upstream_a.fake.default = Reply(text="not json at all")
    upstream_b.fake.default = Reply(text=GOOD)
    chat = group("chat", upstream_a.url, structured={"max_attempts": 1})
    chat["fallbacks"] = ["backup"]
    gw = await start_gateway({"models": [chat, group("backup", upstream_b.url)]})
    raw = await ask(gw)
    assert raw.headers["x-seawall-deployment"] == "backup-0"


async def test_nothing_valid_is_a_422_listing_every_attempt(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text='{"amount": "lots", "currency": "GBP"}')
    gw = await start_gateway({"models": [group("chat", upstream_a.url)]})
    with pytest.raises(openai.UnprocessableEntityError) as refused:
        await ask(gw)
    error = refused.value
    assert error.code == "structured_output_failed" and error.param == "response_format"
    assert error.response.headers["x-should-retry"] == "false"
    assert "after 3 attempts" in error.message  # 3 on the one deployment, then none left
    assert "Stopped: no other deployment or fallback group to try" in error.message
    assert "[1] chat-0: $.amount: 'lots' is not of type 'number'" in error.message
    assert len(upstream_a.fake.seen) == 3


async def test_a_stream_is_checked_whole_then_replayed(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text=f"```json\n{GOOD}\n```")
    gw = await start_gateway({"models": [group("chat", upstream_a.url)]})
    stream = await gw.client().chat.completions.create(
        model="chat",
        messages=[{"role": "user", "content": "My refund?"}],
        response_format=FORMAT,
        stream=True,
    )
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])
    assert text == GOOD
    assert upstream_a.fake.seen[0].body["stream"] is False


async def test_requests_without_a_json_format_pass_untouched(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(text="```json\n{}\n```")
    gw = await start_gateway({"models": [group("chat", upstream_a.url)]})
    raw = await ask(gw, response_format=None)
    assert raw.parse().choices[0].message.content == "```json\n{}\n```"
    plain = await ask(gw, response_format={"type": "text"})
    assert plain.parse().choices[0].message.content == "```json\n{}\n```"


@pytest.mark.parametrize(
    ("mode", "valid"),
    [
        ("fenced", True),
        ("prose", True),
        ("trailing_comma", True),
        ("wrapped", True),
        ("renamed", False),
        ("missing", False),
        ("not_json", False),
    ],
)
async def test_each_simulated_drift_mode(start_gateway, mode, valid):
    sim = {
        "id": "sim",
        "provider": "simulated",
        "model": "m",
        "faults": {"drift_rate": 1.0, "drift": [mode]},
    }
    chat = {
        "name": "chat",
        "deployments": [sim],
        "guard": {"injection": "allow"},
        "structured": FAST,
    }
    gw = await start_gateway({"models": [chat]})
    if valid:
        answer = json.loads((await ask(gw)).parse().choices[0].message.content)
        assert set(answer) == {"amount", "currency"} and answer["currency"] == "EUR"
    else:
        with pytest.raises(openai.UnprocessableEntityError):
            await ask(gw)


async def test_a_tool_call_is_not_held_to_the_json_format(start_gateway, upstream_a):
    upstream_a.fake.default = Reply(tool_call=True)
    gw = await start_gateway({"models": [group("chat", upstream_a.url)]})
    tool = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    answer = (await ask(gw, tools=[tool])).parse()
    assert answer.choices[0].message.tool_calls[0].function.name == "lookup"
    assert len(upstream_a.fake.seen) == 1


async def test_every_answer_is_charged_even_when_the_provider_reports_no_usage(
    start_gateway, upstream_a
):
    keys = {name: f"{name}-key-0123456789abcdef" for name in ("plain", "drifted")}
    chat = group("chat", upstream_a.url)
    gw = await start_gateway(
        {"models": [chat], "keys": [{"key": k, "name": n} for n, k in keys.items()]}
    )

    async def completion_tokens(name: str) -> int:
        await gw.client(api_key=keys[name]).chat.completions.create(
            model="chat",
            messages=[{"role": "user", "content": "My refund?"}],
            response_format=FORMAT,
        )
        await gw.gateway.admission.drain()
        headers = {"authorization": f"Bearer {keys[name]}"}
        async with httpx.AsyncClient() as http:
            usage = (await http.get(f"{gw.base_url}/usage", headers=headers)).json()
        return int(usage["totals"]["completion_tokens"])

    upstream_a.fake.plan(Reply(text=GOOD, no_usage=True))
    plain = await completion_tokens("plain")
    upstream_a.fake.plan(
        Reply(text="no json here at all", no_usage=True), Reply(text=GOOD, no_usage=True)
    )
    # the rejected answer was paid for too, and counted though the provider said nothing
    assert await completion_tokens("drifted") > plain


async def test_re_asks_stay_on_the_deployment_whose_answer_they_correct(start_gateway):
    def sim(n: int) -> dict:
        faults = {"drift_rate": 1.0, "drift": ["renamed"], "seed": n}
        return {"id": f"sim-{n}", "provider": "simulated", "model": "m", "faults": faults}

    chat = {
        "name": "chat",
        "deployments": [sim(0), sim(1)],
        "guard": {"injection": "allow"},
        "structured": FAST,
    }
    gw = await start_gateway({"models": [chat]})
    for _ in range(3):
        with pytest.raises(openai.UnprocessableEntityError) as refused:
            await ask(gw)
        order = re.findall(r"\[\d\] (sim-\d)", refused.value.message)
        assert len(order) == 6
        assert len(set(order[:3])) == 1 and len(set(order[3:])) == 1 and order[0] != order[3]


async def test_a_broken_schema_is_a_400_and_nothing_is_sent(start_gateway, upstream_a):
    gw = await start_gateway({"models": [group("chat", upstream_a.url)]})
    broken = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "nonsense"}}}
    with pytest.raises(openai.BadRequestError) as refused:
        await ask(gw, response_format=broken)
    assert refused.value.param == "response_format.json_schema.schema"
    assert upstream_a.fake.seen == []
