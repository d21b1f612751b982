from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from seawall.config import DeploymentSettings
from seawall.errors import (
    BadRequest,
    NotSupported,
    ProviderBadResponse,
    ProviderRateLimited,
    ProviderTimeout,
    ProviderUnavailable,
    UpstreamRejected,
)
from seawall.providers.anthropic import (
    AnthropicProvider,
    MessageStreamTranslator,
    from_message,
    to_messages_request,
)
from seawall.providers.base import PROVIDERS, Provider, ProviderOptions, transport_error
from seawall.providers.http import ConnectError, ConnectTimeout, ReadError
from seawall.sse import Event, SSEParser
from seawall.types import ChatRequest, Chunk, EmbeddingRequest, StreamAccumulator
from tests.fakes.anthropic_server import API_KEY, MODEL, FakeAnthropic

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
ANTHROPIC_WEATHER_TOOL = {
    "name": "get_weather",
    "description": "Current weather for a city",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
}


def translate(**body: Any) -> dict[str, Any]:
    return to_messages_request(body, "claude-x", 4096)


def text(value: str) -> dict[str, str]:
    return {"type": "text", "text": value}


# OpenAI request -> Anthropic request


def test_system_and_developer_messages_become_the_system_field() -> None:
    out = translate(
        messages=[
            {"role": "system", "content": "Be brief."},
            {"role": "developer", "content": [{"type": "text", "text": "Answer in French."}]},
            {"role": "user", "content": "Hi"},
        ]
    )
    assert out == {
        "model": "claude-x",
        "max_tokens": 4096,
        "system": "Be brief.\n\nAnswer in French.",
        "messages": [{"role": "user", "content": [text("Hi")]}],
    }


def test_content_parts_with_text_and_images() -> None:
    parts = [
        {"type": "text", "text": "Compare these"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.jpg", "detail": "low"}},
    ]
    out = translate(messages=[{"role": "user", "content": parts}])
    assert out["messages"] == [
        {
            "role": "user",
            "content": [
                text("Compare these"),
                {
                    "type": "image",
                    "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="},
                },
                {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.jpg"}},
            ],
        }
    ]


def test_tool_calls_and_consecutive_tool_results_share_one_user_turn() -> None:
    calls = [
        {
            "id": "call_1",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
        },
        {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": ""}},
    ]
    out = translate(
        messages=[
            {"role": "user", "content": "Weather in Paris and here?"},
            {"role": "assistant", "content": None, "tool_calls": calls},
            {"role": "tool", "tool_call_id": "call_1", "content": "18C"},
            {
                "role": "tool",
                "tool_call_id": "call_2",
                "content": [{"type": "text", "text": "12C"}],
            },
        ]
    )
    assert out["messages"] == [
        {"role": "user", "content": [text("Weather in Paris and here?")]},
        {
            "role": "assistant",
            "content": [
                {
                    "type": "tool_use",
                    "id": "call_1",
                    "name": "get_weather",
                    "input": {"city": "Paris"},
                },
                {"type": "tool_use", "id": "call_2", "name": "get_weather", "input": {}},
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "call_1", "content": "18C"},
                {"type": "tool_result", "tool_use_id": "call_2", "content": [text("12C")]},
            ],
        },
    ]


def test_consecutive_same_role_turns_are_merged() -> None:
    out = translate(
        messages=[
            {"role": "user", "content": "one"},
            {"role": "user", "content": "two"},
            {"role": "assistant", "content": "three"},
            {"role": "assistant", "content": ""},
            {"role": "tool", "tool_call_id": "call_9", "content": "four"},
            {"role": "user", "content": "five"},
        ]
    )
    assert out["messages"] == [
        {"role": "user", "content": [text("one"), text("two")]},
        {"role": "assistant", "content": [text("three")]},
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "call_9", "content": "four"},
                text("five"),
            ],
        },
    ]


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("auto", {"type": "auto"}),
        ("none", {"type": "none"}),
        ("required", {"type": "any"}),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            {"type": "tool", "name": "get_weather"},
        ),
    ],
)
def test_tools_and_tool_choice(choice: Any, expected: dict[str, str]) -> None:
    out = translate(
        messages=[{"role": "user", "content": "Hi"}], tools=[WEATHER_TOOL], tool_choice=choice
    )
    assert out["tools"] == [ANTHROPIC_WEATHER_TOOL]
    assert out["tool_choice"] == expected


def test_parallel_tool_calls_false_disables_parallel_tool_use() -> None:
    out = translate(
        messages=[{"role": "user", "content": "Hi"}],
        tools=[WEATHER_TOOL],
        parallel_tool_calls=False,
    )
    assert out["tool_choice"] == {"type": "auto", "disable_parallel_tool_use": True}


def test_sampling_fields_are_mapped_and_openai_only_fields_dropped() -> None:
    out = translate(
        messages=[{"role": "user", "content": "Hi"}],
        max_tokens=100,
        max_completion_tokens=50,
        stop="END",
        temperature=0.2,
        top_p=0.9,
        user="u-42",
        stream=True,
        n=1,
        logprobs=True,
        presence_penalty=0.5,
        frequency_penalty=0.1,
        seed=7,
        stream_options={"include_usage": True},
    )
    assert out == {
        "model": "claude-x",
        "messages": [{"role": "user", "content": [text("Hi")]}],
        "max_tokens": 50,
        "stop_sequences": ["END"],
        "temperature": 0.2,
        "top_p": 0.9,
        "metadata": {"user_id": "u-42"},
        "stream": True,
    }
    assert translate(messages=[], max_tokens=10, stop=["a", "b"])["stop_sequences"] == ["a", "b"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"n": 2, "messages": []}, "n > 1"),
        ({"messages": "hi"}, "messages must be a list"),
        (
            {
                "messages": [
                    {
                        "role": "assistant",
                        "tool_calls": [
                            {"id": "c", "function": {"name": "f", "arguments": "{oops"}}
                        ],
                    }
                ]
            },
            "messages[0].tool_calls[0].function.arguments must be a JSON object",
        ),
        (
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [{"type": "image_url", "image_url": {"url": "ftp://x"}}],
                    }
                ]
            },
            "image_url must be an http(s) URL",
        ),
        ({"messages": [{"role": "user", "content": [{"type": "input_audio"}]}]}, "'input_audio'"),
        ({"messages": [{"role": "tool", "content": "x"}]}, "tool_call_id"),
        ({"messages": [{"role": "function", "content": "x"}]}, "role 'function'"),
    ],
)
def test_requests_anthropic_cannot_honour_are_rejected(body: dict[str, Any], fragment: str) -> None:
    with pytest.raises(BadRequest) as caught:
        to_messages_request(body, "claude-x", 4096)
    assert fragment in caught.value.message


# Anthropic response -> OpenAI response


def test_from_message_with_text_and_cached_usage() -> None:
    message = {
        "id": "msg_01",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [
            text("Hello"),
            {"type": "thinking", "thinking": "hmm", "signature": "s"},
            text(" there"),
        ],
        "stop_reason": "end_turn",
        "usage": {
            "input_tokens": 10,
            "cache_read_input_tokens": 200,
            "cache_creation_input_tokens": 5,
            "output_tokens": 7,
        },
    }
    assert from_message(message, created=1_700_000_000) == {
        "id": "msg_01",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "claude-sonnet-4-5",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "Hello there"},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 215,
            "completion_tokens": 7,
            "total_tokens": 222,
            "prompt_tokens_details": {"cached_tokens": 200},
        },
    }


def test_from_message_with_a_tool_call() -> None:
    message = {
        "id": "msg_02",
        "model": "claude-x",
        "content": [
            {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}
        ],
        "stop_reason": "tool_use",
        "usage": {"input_tokens": 3, "output_tokens": 4},
    }
    out = from_message(message, created=1)
    assert out["choices"] == [
        {
            "index": 0,
            "message": {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "toolu_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    }
                ],
            },
            "finish_reason": "tool_calls",
        }
    ]
    assert out["usage"] == {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}


@pytest.mark.parametrize(
    ("stop_reason", "finish_reason"),
    [
        ("end_turn", "stop"),
        ("stop_sequence", "stop"),
        ("max_tokens", "length"),
        ("tool_use", "tool_calls"),
    ],
)
def test_stop_reasons(stop_reason: str, finish_reason: str) -> None:
    message = {"id": "m", "model": "c", "content": [], "stop_reason": stop_reason, "usage": {}}
    assert from_message(message, created=1)["choices"][0]["finish_reason"] == finish_reason


def test_from_message_without_content_is_a_bad_response() -> None:
    with pytest.raises(ProviderBadResponse):
        from_message({"id": "m"}, created=1)


# The stream translator

RECORDED_STREAM = b"""event: message_start
data: {"type":"message_start","message":{"id":"msg_sw_stream_0001","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":128,"output_tokens":2}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Okay"}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", checking."}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_sw_0001","name":"get_weather","input":{}}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"place\\":"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":" \\"Lisbon, PT\\"}"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

event: message_stop
data: {"type":"message_stop"}

"""


def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "id": "msg_sw_stream_0001",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "claude-sonnet-4-5-20250929",
        "choices": choices,
        **extra,
    }


def delta(value: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return chunk([{"index": 0, "delta": value, "finish_reason": finish_reason}])


def test_stream_translator_over_a_recorded_stream() -> None:
    translator = MessageStreamTranslator(created=1_700_000_000)
    parser = SSEParser()
    out: list[dict[str, Any]] = []
    for start in range(0, len(RECORDED_STREAM), 37):  # pieces that split events and lines
        for event in parser.feed(RECORDED_STREAM[start : start + 37]):
            out.extend(translator.feed(event))
    call = {"id": "toolu_sw_0001", "type": "function"}
    assert out == [
        delta({"role": "assistant", "content": ""}),
        delta({"content": "Okay"}),
        delta({"content": ", checking."}),
        delta(
            {
                "tool_calls": [
                    {"index": 0, **call, "function": {"name": "get_weather", "arguments": ""}}
                ]
            }
        ),
        delta({"tool_calls": [{"index": 0, "function": {"arguments": '{"place":'}}]}),
        delta({"tool_calls": [{"index": 0, "function": {"arguments": ' "Lisbon, PT"}'}}]}),
        delta({}, "tool_calls"),
        chunk(
            [],
            usage={
                "prompt_tokens": 600,
                "completion_tokens": 89,
                "total_tokens": 689,
                "prompt_tokens_details": {"cached_tokens": 128},
            },
        ),
    ]
    assert translator.finished


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("overloaded_error", ProviderUnavailable),
        ("rate_limit_error", ProviderRateLimited),
        ("api_error", ProviderBadResponse),
    ],
)
def test_stream_error_events_raise_upstream_errors(kind: str, error: type[Exception]) -> None:
    translator = MessageStreamTranslator(created=1)
    data = b'{"type": "error", "error": {"type": "%s", "message": "Overloaded"}}' % kind.encode()
    with pytest.raises(error, match=kind):
        translator.feed(Event(data, "error"))


@pytest.mark.parametrize(
    "event",
    [
        Event(b"{not json", "message_start"),
        Event(b'{"type": "content_block_delta"}', "content_block_delta"),
    ],
)
def test_malformed_stream_events_are_bad_responses(event: Event) -> None:
    with pytest.raises(ProviderBadResponse):
        MessageStreamTranslator(created=1).feed(event)


def test_transport_errors_map_to_upstream_errors() -> None:
    timeout = transport_error("claude/0", ConnectTimeout("after 2.0 s"))
    refused = transport_error("claude/0", ConnectError("refused"))
    lost = transport_error("claude/0", ReadError("reset"))
    assert isinstance(timeout, ProviderTimeout)
    assert (type(refused), refused.message) == (
        ProviderUnavailable,
        "claude/0: connection failed: refused",
    )
    assert isinstance(lost, ProviderUnavailable)


# The provider against a fake Anthropic over a real socket


@pytest.fixture
async def fake() -> AsyncIterator[FakeAnthropic]:
    async with FakeAnthropic() as server:
        yield server


def make_provider(base_url: str, api_key: str = API_KEY) -> Provider:
    settings = DeploymentSettings(
        id="claude/0",
        provider="anthropic",
        model="claude-sonnet-4-5",
        base_url=base_url,
        api_key=api_key,
        headers={"anthropic-beta": "prompt-caching-2024-07-31"},
    )
    return PROVIDERS["anthropic"](settings, ProviderOptions(connect_timeout=1.0))


@pytest.fixture
async def provider(fake: FakeAnthropic) -> AsyncIterator[Provider]:
    provider = make_provider(fake.base_url)
    yield provider
    await provider.close()


def chat(*messages: dict[str, Any], stream: bool = False, **body: Any) -> ChatRequest:
    return ChatRequest(
        body={"model": "chat", "messages": list(messages), **body}, model="chat", stream=stream
    )


async def collect(stream: AsyncIterator[Chunk]) -> list[dict[str, Any]]:
    return [c.data async for c in stream]


async def test_complete_sends_anthropic_headers_and_translates_the_answer(
    fake: FakeAnthropic, provider: Provider
) -> None:
    request = chat(
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Weather?"}
    )
    completion = await provider.complete(request, {"traceparent": "00-abc-def-01"})
    sent = fake.received[0]
    assert (sent.path, sent.headers["anthropic-beta"], sent.headers["traceparent"]) == (
        "/v1/messages",
        "prompt-caching-2024-07-31",
        "00-abc-def-01",
    )
    assert sent.body == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 4096,
        "system": "Be brief.",
        "messages": [{"role": "user", "content": [text("Weather?")]}],
        "stream": False,
    }
    assert completion.deployment == "claude/0"
    assert completion.data["choices"][0]["message"] == {
        "role": "assistant",
        "content": "It is 18°C and sunny in Paris.",
    }
    assert completion.data["usage"]["prompt_tokens_details"] == {"cached_tokens": 100}


async def test_stream_yields_openai_chunks_and_a_final_usage_chunk(provider: Provider) -> None:
    chunks = await collect(
        provider.stream(chat({"role": "user", "content": "Hi"}, stream=True), {})
    )
    deltas = [c["choices"][0]["delta"] for c in chunks[:-1]]
    assert deltas == [
        {"role": "assistant", "content": ""},
        {"content": "It is 18°C"},
        {"content": " and sunny"},
        {"content": " in Paris."},
        {},
    ]
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"] == {
        "prompt_tokens": 121,
        "completion_tokens": 12,
        "total_tokens": 133,
        "prompt_tokens_details": {"cached_tokens": 100},
    }
    assert {c["id"] for c in chunks} == {"msg_01FAKE"} and {c["model"] for c in chunks} == {MODEL}


async def test_tool_call_round_trip(fake: FakeAnthropic, provider: Provider) -> None:
    question = {"role": "user", "content": "Weather in Paris?"}
    first = await provider.complete(chat(question, tools=[WEATHER_TOOL]), {})
    message = first.data["choices"][0]["message"]
    assert first.data["choices"][0]["finish_reason"] == "tool_calls"
    assert message["tool_calls"] == [
        {
            "id": "toolu_01A",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
        }
    ]
    result = {"role": "tool", "tool_call_id": "toolu_01A", "content": "18C, sunny"}
    second = await provider.complete(chat(question, message, result, tools=[WEATHER_TOOL]), {})
    assert second.data["choices"][0]["message"]["content"] == "It is 18°C and sunny in Paris."
    assert fake.received[1].body["messages"][1:] == [
        {
            "role": "assistant",
            "content": [
                text("Let me check."),
                {
                    "type": "tool_use",
                    "id": "toolu_01A",
                    "name": "get_weather",
                    "input": {"city": "Paris"},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01A", "content": "18C, sunny"}
            ],
        },
    ]


async def test_streamed_tool_call_accumulates_to_the_full_arguments(provider: Provider) -> None:
    request = chat({"role": "user", "content": "Weather?"}, stream=True, tools=[WEATHER_TOOL])
    accumulator = StreamAccumulator()
    async for piece in provider.stream(request, {}):
        accumulator.add(piece)
    assert accumulator.content == "Let me check."
    assert accumulator.tool_calls == {
        0: {"id": "toolu_01A", "name": "get_weather", "arguments": '{"city": "Paris"}'}
    }
    assert accumulator.finish_reason == "tool_calls"


async def test_429_is_rate_limited_with_retry_after(
    fake: FakeAnthropic, provider: Provider
) -> None:
    fake.fail_next(429, "rate_limit_error", retry_after="7")
    with pytest.raises(ProviderRateLimited) as caught:
        await provider.complete(chat({"role": "user", "content": "Hi"}), {})
    assert (caught.value.retry_after, caught.value.upstream_status) == (7.0, 429)
    assert "fake rate_limit_error" in caught.value.message


async def test_529_is_unavailable_on_complete_and_on_stream(
    fake: FakeAnthropic, provider: Provider
) -> None:
    fake.fail_next(529, "overloaded_error")
    fake.fail_next(529, "overloaded_error")
    with pytest.raises(ProviderUnavailable):
        await provider.complete(chat({"role": "user", "content": "Hi"}), {})
    with pytest.raises(ProviderUnavailable) as caught:
        await collect(provider.stream(chat({"role": "user", "content": "Hi"}, stream=True), {}))
    assert caught.value.upstream_status == 529


async def test_400_is_rejected_with_the_upstream_body(
    fake: FakeAnthropic, provider: Provider
) -> None:
    fake.fail_next(400, "invalid_request_error")
    with pytest.raises(UpstreamRejected) as caught:
        await provider.complete(chat({"role": "user", "content": "Hi"}), {})
    assert caught.value.status == 400
    assert (
        caught.value.upstream_body is not None
        and b"invalid_request_error" in caught.value.upstream_body
    )


async def test_a_wrong_key_is_a_deployment_fault(fake: FakeAnthropic) -> None:
    provider = make_provider(fake.base_url, api_key="wrong")
    try:
        with pytest.raises(ProviderUnavailable, match="401"):
            await provider.complete(chat({"role": "user", "content": "Hi"}), {})
    finally:
        await provider.close()


@pytest.mark.parametrize(
    ("mode", "error", "fragment"),
    [
        ("truncated", ProviderBadResponse, "stream ended early"),
        ("overloaded", ProviderUnavailable, "Overloaded"),
    ],
)
async def test_broken_streams(
    fake: FakeAnthropic, provider: Provider, mode: str, error: type[Exception], fragment: str
) -> None:
    fake.stream_mode = mode
    with pytest.raises(error, match=fragment):
        await collect(provider.stream(chat({"role": "user", "content": "Hi"}, stream=True), {}))


async def test_an_abandoned_stream_closes_its_connection(
    fake: FakeAnthropic, provider: Provider
) -> None:
    fake.stream_mode = "hang"
    stream = provider.stream(chat({"role": "user", "content": "Hi"}, stream=True), {})
    async with contextlib.aclosing(stream):  # type: ignore[type-var]
        first = await anext(stream)
    assert first.data["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    await asyncio.wait_for(fake.abandoned.wait(), timeout=1.0)


async def test_a_refused_connection_is_unavailable() -> None:
    async with FakeAnthropic() as gone:
        url = gone.base_url
    provider = make_provider(url)
    try:
        with pytest.raises(ProviderUnavailable, match="claude/0: connection failed"):
            await provider.complete(chat({"role": "user", "content": "Hi"}), {})
    finally:
        await provider.close()


async def test_embeddings_are_not_supported(provider: Provider) -> None:
    with pytest.raises(NotSupported):
        await provider.embed(EmbeddingRequest(body={"input": "x"}, model="e"), {})


class OneResponseClient:
    """Stands in for HttpClient: answers every request with the start of a stream."""

    def __init__(self) -> None:
        self.closed = False
        self.status = 200
        self.headers: dict[str, str] = {}

    async def request(self, *args: object) -> OneResponseClient:
        return self

    async def iter_chunks(self) -> AsyncIterator[bytes]:
        yield RECORDED_STREAM[: RECORDED_STREAM.index(b"event: ping")]
        await asyncio.Event().wait()  # the upstream goes quiet

    async def aclose(self) -> None:
        self.closed = True


async def test_closing_a_stream_early_closes_the_response() -> None:
    client = OneResponseClient()
    settings = DeploymentSettings(id="claude/0", provider="anthropic", model="claude-x")
    provider = AnthropicProvider(settings, client)  # type: ignore[arg-type]
    stream = provider.stream(chat({"role": "user", "content": "Hi"}, stream=True), {})
    async with contextlib.aclosing(stream):  # type: ignore[type-var]
        await anext(stream)
    assert client.closed


def test_a_request_for_json_becomes_an_instruction():
    schema = {"type": "object", "properties": {"a": {"type": "number"}}}
    fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": schema}}
    out = translate(
        messages=[{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Hi"}],
        response_format=fmt,
    )
    assert out["system"].startswith("Be terse.\n\nAnswer with one JSON object only")
    assert '{"type":"object","properties":{"a":{"type":"number"}}}' in out["system"]
    plain = translate(
        messages=[{"role": "user", "content": "Hi"}], response_format={"type": "json_object"}
    )
    assert plain["system"] == "Answer with one JSON object only: no prose, no markdown fences."
    assert "system" not in translate(messages=[{"role": "user", "content": "Hi"}])
