"""End to end over real sockets: the official openai SDK -> Seawall -> fake upstreams."""

from __future__ import annotations

import json

import httpx
import openai
import pytest

from tests.fakes.anthropic_server import API_KEY, FakeAnthropic
from tests.fakes.openai_server import Reply


def one_group(url: str, **group: object) -> dict[str, object]:
    return {
        "models": [
            {
                "name": "chat",
                "deployments": [
                    {
                        "id": "a",
                        "provider": "openai",
                        "base_url": url,
                        "model": "upstream-model",
                        "api_key": "sk-upstream",
                    }
                ],
                **group,
            }
        ]
    }


async def test_plain_completion_passes_through(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    client = gw.client()
    response = await client.chat.completions.with_raw_response.create(
        model="chat",
        messages=[{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
        extra_body={"vendor_knob": {"x": 1}},
        extra_headers={"x-request-id": "req-42"},
    )
    completion = response.parse()
    assert completion.choices[0].message.content == "Hello from the fake upstream."
    assert response.headers["x-seawall-deployment"] == "a"
    assert response.headers["x-request-id"] == "req-42"
    assert len(response.headers["x-seawall-trace-id"]) == 32
    sent = upstream_a.fake.seen[-1]
    assert sent.body["model"] == "upstream-model"
    assert sent.body["vendor_knob"] == {"x": 1}
    assert sent.body["messages"][0]["content"] == [{"type": "text", "text": "hi"}]
    assert sent.headers["authorization"] == "Bearer sk-upstream"


async def test_traceparent_in_and_out(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    response = await gw.client().chat.completions.with_raw_response.create(
        model="chat",
        messages=[{"role": "user", "content": "hi"}],
        extra_headers={"traceparent": incoming},
    )
    assert response.headers["x-seawall-trace-id"] == "0af7651916cd43dd8448eb211c80319c"
    out = response.headers["traceparent"]
    assert out.startswith("00-0af7651916cd43dd8448eb211c80319c-") and not out.endswith(
        "b7ad6b7169203331-01"
    )
    upstream_parent = upstream_a.fake.seen[-1].headers["traceparent"]
    assert upstream_parent.split("-")[1] == "0af7651916cd43dd8448eb211c80319c"


async def test_stream_without_usage_strips_the_usage_chunk(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    stream = await gw.client().chat.completions.create(
        model="chat", stream=True, messages=[{"role": "user", "content": "hi"}]
    )
    chunks = [c async for c in stream]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text.strip() == "Hello from the fake upstream."
    assert all(c.usage is None for c in chunks)
    assert upstream_a.fake.seen[-1].body["stream_options"] == {"include_usage": True}


async def test_upstream_connections_are_reused_for_streams_and_plain_calls(
    start_gateway, upstream_a
):
    gw = await start_gateway(one_group(upstream_a.url))
    upstream_a.fake.default = Reply(linger=0.05)  # the body ends a little after [DONE]
    client = gw.client()
    for stream in (True, True, False, True):
        response = await client.chat.completions.create(
            model="chat", stream=stream, messages=[{"role": "user", "content": "hi"}]
        )
        if stream:
            _ = [c async for c in response]
    assert len({seen.client_port for seen in upstream_a.fake.seen}) == 1


async def test_stream_with_usage_keeps_it(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    stream = await gw.client().chat.completions.create(
        model="chat",
        stream=True,
        stream_options={"include_usage": True},
        messages=[{"role": "user", "content": "hi"}],
    )
    chunks = [c async for c in stream]
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens == 5


async def test_tools_round_trip(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    upstream_a.plan(Reply(tool_call=True))
    tools = [
        {
            "type": "function",
            "function": {
                "name": "weather",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            },
        }
    ]
    completion = await gw.client().chat.completions.create(
        model="chat",
        messages=[{"role": "user", "content": "weather?"}],
        tools=tools,
        response_format={"type": "text"},
    )
    call = completion.choices[0].message.tool_calls[0]
    assert call.function.name == "weather" and call.function.arguments == '{"city": "Paris"}'
    assert upstream_a.fake.seen[-1].body["tools"] == tools
    assert upstream_a.fake.seen[-1].body["response_format"] == {"type": "text"}


async def test_embeddings_are_forwarded(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    result = await gw.client().embeddings.create(model="chat", input=["a", "b"])
    assert [d.embedding for d in result.data] == [[0.1, 0.2, 0.3]] * 2
    assert upstream_a.fake.seen[-1].path == "/v1/embeddings"


async def test_models_lists_groups(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    models = await gw.client().models.list()
    assert [m.id for m in models.data] == ["chat"]


async def test_unknown_model_is_not_found(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    with pytest.raises(openai.NotFoundError) as caught:
        await gw.client().chat.completions.create(
            model="nope", messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.code == "model_not_found"


async def test_bad_request_from_gateway(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    with pytest.raises(openai.BadRequestError) as caught:
        await gw.client().chat.completions.create(model="chat", messages=[])
    assert caught.value.code == "invalid_request"
    assert caught.value.param == "messages"


async def test_upstream_400_passes_through_without_retry(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    upstream_a.plan(Reply(status=400))
    with pytest.raises(openai.BadRequestError) as caught:
        await gw.client().chat.completions.create(
            model="chat", messages=[{"role": "user", "content": "hi"}]
        )
    assert "upstream-a says 400" in caught.value.message
    assert len(upstream_a.fake.seen) == 1


async def test_all_upstreams_failing_is_502_listing_attempts(start_gateway, upstream_a):
    gw = await start_gateway(one_group(upstream_a.url))
    upstream_a.fake.default = Reply(status=500)
    with pytest.raises(openai.InternalServerError) as caught:
        await gw.client().chat.completions.create(
            model="chat", messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.status_code == 502
    assert caught.value.code == "upstream_unavailable"
    assert caught.value.message.count("a: unavailable") == 3


async def test_upstream_timeout_is_504(start_gateway, upstream_a):
    gw = await start_gateway({**one_group(upstream_a.url), "timeouts": {"total_s": 0.3}})
    upstream_a.fake.default = Reply(delay=2)
    with pytest.raises(openai.InternalServerError) as caught:
        await gw.client().chat.completions.create(
            model="chat", messages=[{"role": "user", "content": "hi"}]
        )
    assert caught.value.status_code == 504
    assert caught.value.code == "upstream_timeout"


async def test_overloaded_is_503_with_retry_after(start_gateway, upstream_a):
    gw = await start_gateway({**one_group(upstream_a.url), "timeouts": {"queue_s": 0.05}})
    upstream_a.fake.default = Reply(delay=0.5)
    group = gw.gateway.groups["chat"]
    object.__setattr__(group.deployments[0], "limit", 1)
    client = gw.client()
    import asyncio

    first = asyncio.create_task(
        client.chat.completions.create(model="chat", messages=[{"role": "user", "content": "slow"}])
    )
    await asyncio.sleep(0.1)
    with pytest.raises(openai.InternalServerError) as caught:
        await client.chat.completions.create(
            model="chat", messages=[{"role": "user", "content": "x"}]
        )
    assert caught.value.status_code == 503 and caught.value.code == "overloaded"
    assert caught.value.response.headers["retry-after"] == "1"
    await first


async def test_bad_input_is_4xx_never_500(start_gateway, upstream_a):
    gw = await start_gateway({**one_group(upstream_a.url), "server": {"max_body_mb": 0.01}})
    cases = [
        (b"{not json", 400, "invalid_request"),
        (b"[1, 2]", 400, "invalid_request"),
        (b'{"messages": [{"role": "user", "content": "x"}]}', 400, "invalid_request"),
        (b'{"model": "chat", "messages": "hi"}', 400, "invalid_request"),
        (
            b'{"model": "chat", "messages": [{"role": "wizard", "content": "x"}]}',
            400,
            "invalid_request",
        ),
        (
            b'{"model": "chat", "messages": [{"role": "user", "content": "x"}], "stream": "yes"}',
            400,
            "invalid_request",
        ),
        (
            b'{"model": "chat", "messages": [{"role": "user", "content": "x"}], "max_tokens": -1}',
            400,
            "invalid_request",
        ),
        (b'{"model": 7, "messages": [{"role": "user", "content": "x"}]}', 400, "invalid_request"),
        (
            b'{"model": "ghost", "messages": [{"role": "user", "content": "x"}]}',
            404,
            "model_not_found",
        ),
        (
            b'{"model": "chat", "messages": [{"role": "user", "content": "'
            + b"x" * 20_000
            + b'"}]}',
            413,
            "payload_too_large",
        ),
    ]
    async with httpx.AsyncClient(base_url=gw.url) as http:
        for body, status, code in cases:
            response = await http.post(
                "/v1/chat/completions", content=body, headers={"content-type": "application/json"}
            )
            assert response.status_code == status, body[:60]
            error = response.json()["error"]
            assert (
                error["code"] == code
                and error["message"]
                and error["type"] == "invalid_request_error"
            )
            assert response.headers["x-should-retry"] == "false"
        assert (await http.get("/v1/nowhere")).status_code == 404
        assert (await http.get("/v1/chat/completions")).status_code == 405
    assert upstream_a.fake.seen == []


async def test_anthropic_provider_both_ways(start_gateway):
    async with FakeAnthropic() as fake:
        gw = await start_gateway(
            {
                "models": [
                    {
                        "name": "claude",
                        "deployments": [
                            {
                                "provider": "anthropic",
                                "base_url": fake.base_url,
                                "model": "claude-test",
                                "api_key": API_KEY,
                            }
                        ],
                    }
                ]
            }
        )
        client = gw.client()
        completion = await client.chat.completions.create(
            model="claude",
            messages=[
                {"role": "system", "content": "be brief"},
                {"role": "user", "content": "weather in Paris?"},
            ],
        )
        assert completion.choices[0].message.content == "It is 18°C and sunny in Paris."
        assert completion.usage.prompt_tokens == 121
        assert fake.received[-1].body["system"] == "be brief"
        stream = await client.chat.completions.create(
            model="claude",
            stream=True,
            stream_options={"include_usage": True},
            messages=[{"role": "user", "content": "weather in Paris?"}],
        )
        chunks = [c async for c in stream]
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert text == "It is 18°C and sunny in Paris."
        assert chunks[-1].usage.completion_tokens == 12
        tools = [
            {
                "type": "function",
                "function": {
                    "name": "weather",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
                },
            }
        ]
        answer = await client.chat.completions.create(
            model="claude", tools=tools, messages=[{"role": "user", "content": "weather?"}]
        )
        call = answer.choices[0].message.tool_calls[0]
        assert answer.choices[0].finish_reason == "tool_calls"
        assert call.function.name == "weather"
        assert json.loads(call.function.arguments) == {"city": "Paris"}
