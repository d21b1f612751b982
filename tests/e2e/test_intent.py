"""Intent routing through the server with the openai SDK: handlers answer without a
model, failures and abstentions go to the model, webhooks are signed and SSRF-checked."""

from __future__ import annotations

import base64
import json

import httpx
import openai
import pytest

from seawall import config
from seawall.errors import ConfigError
from seawall.gateway import Gateway
from seawall.outbound import verify
from tests.fakes.openai_server import Reply, Served
from tests.fakes.webhook_server import WebhookReceiver

SECRET = "whsec_" + base64.b64encode(b"intent-webhook-secret-for-tests").decode()
INTENTS = {
    "reset_password": [
        "I forgot my password",
        "how do I reset my password",
        "reset my password please",
        "I can't log in, I need a new password",
        "change my password",
        "password reset",
        "help me recover my password",
        "my password doesn't work anymore",
        "I need to set a new password for my account",
        "how can I get a new password",
    ],
    "card_lost": [
        "I lost my card",
        "my credit card was stolen",
        "I can't find my debit card",
        "report a lost card",
        "someone stole my wallet with my card in it",
        "block my card, it's missing",
        "my bank card is gone",
        "freeze my lost card",
        "I think I left my card at the restaurant",
        "what do I do if my card is lost",
    ],
    "opening_hours": [
        "when are you open",
        "what are your opening hours",
        "are you open on sunday",
        "what time does the branch close",
        "opening times please",
        "when does the bank open",
        "are branches open on holidays",
        "what time do you open tomorrow",
        "is the office open late on thursdays",
        "hours of operation",
    ],
}


@pytest.fixture
def examples(tmp_path):
    path = tmp_path / "intents.json"
    path.write_text(json.dumps({"intents": INTENTS}))
    return str(path)


@pytest.fixture
async def receiver():
    app = WebhookReceiver(reply={"content": "A reset link is on its way to your inbox."})
    served = await Served(app).start()
    yield app, served.url
    await served.stop()


def routed(url: str, examples: str, handlers: dict, **intents) -> dict:
    chat = {
        "name": "chat",
        "deployments": [{"id": "a", "provider": "openai", "base_url": url, "model": "m"}],
    }
    return {
        "models": [chat],
        "intents": {"examples_file": examples, "handlers": handlers, **intents},
        "outbound": {"allow_private": ["127.0.0.0/8"], "timeout_s": 2},
    }


async def test_a_template_answers_without_the_model_plain_and_streamed(
    start_gateway, upstream_a, examples
):
    handlers = {"opening_hours": {"template": "Branches open 9-17 on weekdays ($intent)."}}
    gw = await start_gateway(routed(upstream_a.url, examples, handlers))
    client = gw.client()
    raw = await client.chat.completions.with_raw_response.create(
        model="chat", messages=[{"role": "user", "content": "what time do your branches open?"}]
    )
    answer = raw.parse()
    assert answer.choices[0].message.content == "Branches open 9-17 on weekdays (opening_hours)."
    assert raw.headers["x-seawall-intent"] == "opening_hours"
    assert raw.headers["x-seawall-deployment"] == "intent:opening_hours"
    stream = await client.chat.completions.create(
        model="chat",
        messages=[{"role": "user", "content": "are you open on saturdays"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [c async for c in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "Branches open 9-17 on weekdays (opening_hours)."
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 0
    assert upstream_a.fake.seen == []


async def test_a_webhook_answers_with_a_delivery_the_receiver_can_verify(
    start_gateway, upstream_a, examples, receiver
):
    app, url = receiver
    handlers = {"reset_password": {"webhook": f"{url}/reset"}}
    gw = await start_gateway(routed(upstream_a.url, examples, handlers, signing_secret=SECRET))
    answer = await gw.client().chat.completions.create(
        model="chat", messages=[{"role": "user", "content": "I forgot my password again"}]
    )
    assert answer.choices[0].message.content == "A reset link is on its way to your inbox."
    delivery = app.deliveries[0]
    assert verify(SECRET, delivery.headers, delivery.body)
    event = delivery.json()
    assert event["type"] == "intent.matched" and event["intent"] == "reset_password"
    assert event["text"] == "I forgot my password again"
    assert upstream_a.fake.seen == []


@pytest.mark.parametrize("failure", ["status", "garbage", "down", "private"])
async def test_a_failing_webhook_falls_back_to_the_model(
    start_gateway, upstream_a, examples, receiver, failure
):
    app, url = receiver
    target = f"{url}/reset"
    if failure == "status":
        app.status = 500
    elif failure == "garbage":
        app.reply = b"not json"
    elif failure == "down":
        target = "http://127.0.0.1:9/reset"  # discard port: nothing listens
    data = routed(upstream_a.url, examples, {"reset_password": {"webhook": target}})
    if failure == "private":
        data["outbound"] = {"timeout_s": 2}  # loopback no longer allow-listed: refused
    gw = await start_gateway(data)
    raw = await gw.client().chat.completions.with_raw_response.create(
        model="chat", messages=[{"role": "user", "content": "how do I reset my password"}]
    )
    assert raw.parse().choices[0].message.content == "Hello from the fake upstream."
    assert raw.headers["x-seawall-intent"] == "reset_password"  # still labelled
    assert len(upstream_a.fake.seen) == 1
    if failure == "private":
        assert app.deliveries == []
    await gw.gateway.traces.flush()
    async with httpx.AsyncClient() as http:
        trace = (await http.get(f"{gw.base_url}/traces/{raw.headers['x-seawall-trace-id']}")).json()
    span = next(s for s in trace["spans"] if s["name"] == "intent.match")
    assert span["status"] == "fallback" and span["attributes"]["handler"] == "webhook"


async def test_anything_not_clearly_an_intent_goes_to_the_model(
    start_gateway, upstream_a, examples
):
    handlers = {"card_lost": {"template": "Your card is blocked."}}
    gw = await start_gateway(routed(upstream_a.url, examples, handlers))
    raw = await gw.client().chat.completions.with_raw_response.create(
        model="chat",
        messages=[{"role": "user", "content": "Write a haiku about autumn leaves in Kyoto"}],
    )
    assert raw.parse().choices[0].message.content == "Hello from the fake upstream."
    assert "x-seawall-intent" not in raw.headers


async def test_an_intent_without_a_handler_only_labels(start_gateway, upstream_a, examples):
    gw = await start_gateway(routed(upstream_a.url, examples, {}))
    raw = await gw.client().chat.completions.with_raw_response.create(
        model="chat", messages=[{"role": "user", "content": "somebody stole my credit card"}]
    )
    assert raw.headers["x-seawall-intent"] == "card_lost"
    assert len(upstream_a.fake.seen) == 1


async def test_a_python_handler_answers(start_gateway, upstream_a, examples):
    handlers = {"card_lost": {"python": "tests.e2e.test_intent:block_card"}}
    gw = await start_gateway(routed(upstream_a.url, examples, handlers))
    answer = await gw.client().chat.completions.create(
        model="chat", messages=[{"role": "user", "content": "I lost my debit card yesterday"}]
    )
    assert answer.choices[0].message.content == "Blocked (card_lost)."


async def block_card(event: dict) -> str:
    return f"Blocked ({event['intent']})."


def test_handlers_for_unknown_intents_and_bad_handlers_are_config_errors(tmp_path, examples):
    base = routed("http://127.0.0.1:1/v1", examples, {"nope": {"template": "x"}})
    with pytest.raises(ConfigError, match="nope"):
        Gateway(config.parse(base))
    two = routed(
        "http://127.0.0.1:1/v1", examples, {"card_lost": {"template": "x", "webhook": "http://a"}}
    )
    with pytest.raises(ConfigError, match="exactly one"):
        config.parse(two)
    missing = routed("http://127.0.0.1:1/v1", examples, {"card_lost": {"python": "no.such:thing"}})
    with pytest.raises(ConfigError, match="cannot import"):
        Gateway(config.parse(missing))


async def test_handlers_see_the_request_as_a_model_would(
    start_gateway, upstream_a, examples, receiver
):
    app, url = receiver
    data = routed(upstream_a.url, examples, {"reset_password": {"webhook": f"{url}/reset"}})
    gw = await start_gateway(data)  # guard.pii defaults to redact
    await gw.client().chat.completions.create(
        model="chat",
        messages=[{"role": "user", "content": "reset my password, it's for jane@corp.example"}],
    )
    assert "jane@corp.example" not in app.deliveries[0].body.decode()
    data["models"][0]["guard"] = {"pii": "block"}
    gw = await start_gateway(data)
    with pytest.raises(openai.BadRequestError):
        await gw.client().chat.completions.create(
            model="chat",
            messages=[{"role": "user", "content": "reset my password, it's for jane@corp.example"}],
        )
    assert len(app.deliveries) == 1


async def test_turns_a_handler_cannot_answer_go_to_the_model(start_gateway, upstream_a, examples):
    handlers = {"reset_password": {"template": "Use the reset link."}}
    gw = await start_gateway(routed(upstream_a.url, examples, handlers))
    client = gw.client()
    ask = {"role": "user", "content": "I forgot my password"}
    tool = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
    upstream_a.fake.plan(Reply(), Reply(text='{"link": "https://example.com/reset"}'))
    await client.chat.completions.create(model="chat", messages=[ask], tools=[tool])
    await client.chat.completions.create(
        model="chat", messages=[ask], response_format={"type": "json_object"}
    )
    after_tools = [
        ask,
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "c1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "{}"},
    ]
    await client.chat.completions.create(model="chat", messages=after_tools)
    assert len(upstream_a.fake.seen) == 3


def test_a_whsec_secret_that_is_not_base64_is_a_config_error(examples):
    data = routed("http://127.0.0.1:1/v1", examples, {}, signing_secret="whsec_not base64!")
    with pytest.raises(ConfigError, match="base64"):
        config.parse(data)


def test_intents_without_the_embedding_model_are_a_config_error(examples, monkeypatch, tmp_path):
    from seawall import embed

    monkeypatch.setenv("SEAWALL_EMBED_MODEL", str(tmp_path / "missing.onnx"))
    monkeypatch.setattr(embed, "_shared", embed.Embedder())
    with pytest.raises(ConfigError, match="intents: the embedding model"):
        Gateway(config.parse(routed("http://127.0.0.1:1/v1", examples, {})))
