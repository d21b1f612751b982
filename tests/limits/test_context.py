"""Token budgets: trimming whole turns, refusing what cannot fit, output caps and the
per-request cost cap, through the server with the official openai SDK."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from seawall.limits.context import trim_turns
from tests.fakes.openai_server import Reply

SYSTEM = {"role": "system", "content": "You are terse."}


def user(text: str) -> dict:
    return {"role": "user", "content": text}


def test_trim_drops_the_oldest_whole_turns() -> None:
    call = {"role": "assistant", "content": None, "tool_calls": [{"id": "c1"}]}
    result = {"role": "tool", "tool_call_id": "c1", "content": "42"}
    messages = [
        SYSTEM,
        user("a"),
        call,
        result,
        {"role": "assistant", "content": "A"},
        user("b"),
        {"role": "assistant", "content": "B"},
        user("now"),
    ]
    costs = [5, 10, 10, 10, 10, 10, 10, 5]
    kept, dropped, cost = trim_turns(messages, costs, budget=40)
    assert kept == [SYSTEM, user("b"), {"role": "assistant", "content": "B"}, user("now")]
    assert dropped == 4 and cost == 30  # the tool call went with its result


def test_trim_keeps_everything_from_the_last_user_turn() -> None:
    messages = [SYSTEM, user("old"), user("now"), {"role": "tool", "content": "x"}]
    kept, dropped, _ = trim_turns(messages, [5, 50, 10, 10], budget=25)
    assert kept == [SYSTEM, user("now"), {"role": "tool", "content": "x"}] and dropped == 1
    assert trim_turns(messages, [5, 50, 10, 10], budget=20)[1] is None  # cannot fit


def budgeted(url: str, tokens: dict, **price: float) -> dict:
    deployment = {"id": "a", "provider": "openai", "base_url": url, "model": "m"}
    if price:
        deployment["price"] = price
    chat = {
        "name": "chat",
        "deployments": [deployment],
        "tokens": tokens,
        "guard": {"injection": "allow"},
    }
    return {"models": [chat]}


def turns(n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [SYSTEM]
    for i in range(n):
        out += [user(f"question {i} " + "word " * 40), {"role": "assistant", "content": "ok"}]
    return [*out, user("And the last question?")]


async def test_over_the_budget_is_refused(start_gateway, upstream_a):
    gw = await start_gateway(budgeted(upstream_a.url, {"max_input": 100}))
    with pytest.raises(openai.BadRequestError) as refused:
        await gw.client().chat.completions.create(model="chat", messages=turns(5))
    assert refused.value.code == "context_too_long" and refused.value.param == "messages"
    assert upstream_a.fake.seen == []
    await gw.client().chat.completions.create(model="chat", messages=turns(0))


async def test_trim_sends_the_newest_turns_that_fit(start_gateway, upstream_a):
    gw = await start_gateway(budgeted(upstream_a.url, {"max_input": 150, "overflow": "trim"}))
    await gw.client().chat.completions.create(model="chat", messages=turns(5))
    sent = upstream_a.fake.seen[0].body["messages"]
    assert sent[0] == SYSTEM and sent[-1] == user("And the last question?")
    assert 1 < len(sent) < len(turns(5))
    kept = [int(m["content"].split()[1]) for m in sent if m["content"].startswith("question")]
    assert kept and kept == list(range(kept[0], 5)) and kept[0] > 0  # the newest turns
    too_long = [SYSTEM, user("word " * 400)]
    with pytest.raises(openai.BadRequestError) as refused:
        await gw.client().chat.completions.create(model="chat", messages=too_long)
    assert refused.value.code == "context_too_long"


async def test_the_output_cap_is_enforced(start_gateway, upstream_a):
    gw = await start_gateway(budgeted(upstream_a.url, {"max_output": 64}))
    client = gw.client()
    await client.chat.completions.create(model="chat", messages=[user("hi")], max_tokens=1000)
    await client.chat.completions.create(model="chat", messages=[user("hi")])
    await client.chat.completions.create(
        model="chat", messages=[user("hi")], max_completion_tokens=10
    )
    seen = [s.body for s in upstream_a.fake.seen]
    assert seen[0]["max_tokens"] == 64 and seen[1]["max_tokens"] == 64
    assert seen[2]["max_completion_tokens"] == 10 and "max_tokens" not in seen[2]


async def test_a_request_over_the_cost_cap_is_refused_before_it_is_sent(start_gateway, upstream_a):
    config = budgeted(upstream_a.url, {"max_request_usd": 0.01}, input=10.0, output=30.0)
    gw = await start_gateway(config)
    client = gw.client()
    await client.chat.completions.create(model="chat", messages=[user("hi")], max_tokens=100)
    with pytest.raises(openai.BadRequestError) as refused:  # 1000 x $30/M = $0.03
        await client.chat.completions.create(model="chat", messages=[user("hi")], max_tokens=1000)
    assert refused.value.code == "cost_limit_exceeded"
    assert len(upstream_a.fake.seen) == 1


async def test_a_router_that_escalates_is_priced_for_both_answers(start_gateway, upstream_a):
    def group(name: str, price: float) -> dict:
        dep = {"id": name, "provider": "openai", "base_url": upstream_a.url, "model": name}
        return {"name": name, "deployments": [{**dep, "price": {"output": price}}]}

    auto = {
        "name": "auto",
        "router": {"tiers": ["fast", "big"], "escalate": {"fast": {"to": "big"}}},
        "tokens": {"max_request_usd": 0.01},
        "guard": {"injection": "allow"},
    }
    gw = await start_gateway({"models": [group("fast", 1.0), group("big", 30.0), auto]})
    client = gw.client()
    await client.chat.completions.create(model="auto", messages=[user("hi")], max_tokens=150)
    with pytest.raises(openai.BadRequestError) as refused:  # 2 x 200 x $30/M = $0.012
        await client.chat.completions.create(model="auto", messages=[user("hi")], max_tokens=200)
    assert refused.value.code == "cost_limit_exceeded"
    assert "up to 2 answers" in refused.value.message
    assert gw.gateway.admission._calls == {"auto": 2}


async def test_openai_groups_are_counted_exactly_and_learn_nothing(start_gateway, upstream_a):
    from seawall.limits.context import TokenBudget

    gw = await start_gateway(budgeted(upstream_a.url, {"max_input": 10_000}))
    budget: TokenBudget = gw.gateway.token_budget
    group = budget._groups["chat"]
    assert group.exact  # an OpenAI deployment: counted exactly, nothing to learn
    upstream_a.fake.default = Reply()
    await gw.client().chat.completions.create(model="chat", messages=[user("hi")])
    assert group.ratio == 1.0


async def test_other_providers_are_estimated_and_corrected_by_their_usage(start_gateway):
    from seawall.limits.context import TokenBudget

    chat = {
        "name": "chat",
        "deployments": [{"id": "sim", "provider": "simulated", "model": "m"}],
        "tokens": {"max_input": 10_000},
        "guard": {"injection": "allow"},
    }
    gw = await start_gateway({"models": [chat]})
    budget: TokenBudget = gw.gateway.token_budget
    group = budget._groups["chat"]
    assert not group.exact
    for _ in range(5):
        await gw.client().chat.completions.create(
            model="chat", messages=[user("a longer question " * 30)]
        )
    # the simulated provider counts words, not o200k tokens: the correction moved
    assert group.ratio != 1.0 and 0.5 <= group.ratio <= 2.0
