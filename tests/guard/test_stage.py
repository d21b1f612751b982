"""The guard stage on crafted requests and answers: what is screened, what is left
alone, and restoring tool call arguments in streams."""

from __future__ import annotations

import json
from typing import Any

import pytest

from seawall.config import GuardSettings
from seawall.errors import GuardBlocked
from seawall.guard.stage import InputGuard
from seawall.pipeline import Context
from seawall.trace.tracer import Trace
from seawall.types import ChatRequest, Chunk, ChunkStream, Completion

MAIL = "jane.doe@corp.example"
IMAGE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"


def context(body: dict[str, Any]) -> Context:
    return Context(ChatRequest(body, "m"), Trace.start("r", None), {})


def guard(pii: str = "redact") -> InputGuard:
    return InputGuard({"m": GuardSettings(pii=pii)})


async def test_every_free_text_field_is_screened_and_media_left_alone():
    body = {
        "model": "m",
        "user": MAIL,
        "messages": [
            {
                "role": "user",
                "name": MAIL,
                "content": [
                    {"type": "text", "text": f"hi {MAIL}"},
                    {"type": "image_url", "image_url": {"url": IMAGE}},
                ],
            },
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "send", "arguments": json.dumps({"to": MAIL, "n": 1})},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": f"sent to {MAIL}"},
        ],
    }
    sent: dict[str, Any] = {}

    async def upstream(ctx: Context) -> Completion:
        sent.update(ctx.request.body)
        return Completion({"choices": []}, None, "d")

    await guard()(context(body), upstream)
    assert MAIL not in json.dumps(sent)
    assert sent["messages"][0]["content"][1]["image_url"]["url"] == IMAGE
    arguments = json.loads(sent["messages"][1]["tool_calls"][0]["function"]["arguments"])
    assert arguments == {"to": "<EMAIL_ADDRESS_1>", "n": 1}
    assert body["messages"][0]["name"] == MAIL  # the caller's body is not changed


async def test_an_escaped_value_in_tool_arguments_cannot_slip_through():
    escaped = '{"to": "jane.doe\\u0040corp.example"}'
    body = {
        "model": "m",
        "messages": [
            {
                "role": "assistant",
                "tool_calls": [
                    {"id": "c", "type": "function", "function": {"name": "f", "arguments": escaped}}
                ],
            }
        ],
    }
    sent: dict[str, Any] = {}

    async def upstream(ctx: Context) -> Completion:
        sent.update(ctx.request.body)
        return Completion({"choices": []}, None, "d")

    await guard()(context(body), upstream)
    assert "jane.doe" not in json.dumps(sent)


async def test_a_value_split_across_text_parts_is_found_whole():
    body = {
        "model": "m",
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "write to jane.doe@co"},
                    {"type": "image_url", "image_url": {"url": IMAGE}},
                    {"type": "text", "text": "rp.example and card 4929 7524 "},
                    {"type": "text", "text": "9019 7650, then stop"},
                ],
            }
        ],
    }
    sent: dict[str, Any] = {}

    async def upstream(ctx: Context) -> Completion:
        sent.update(ctx.request.body)
        return Completion(
            {"choices": [{"message": {"content": "done: <EMAIL_ADDRESS_1>, <CREDIT_CARD_1>"}}]},
            None,
            "d",
        )

    ctx = context(body)
    result = await guard()(ctx, upstream)
    parts = sent["messages"][0]["content"]
    assert [p.get("text") for p in parts] == [
        "write to <EMAIL_ADDRESS_1>",
        None,
        " and card <CREDIT_CARD_1>",
        ", then stop",
    ]
    assert parts[1]["image_url"]["url"] == IMAGE
    assert ctx.pii == "redacted"
    assert result.data["choices"][0]["message"]["content"] == (
        "done: jane.doe@corp.example, 4929 7524 9019 7650"
    )


@pytest.mark.parametrize(
    "text", ["mail jane.doe\u200b@corp.example", "card 4929\u200b7524\u200b9019\u200b7650"]
)
async def test_invisible_characters_do_not_hide_a_value_from_the_quick_check(text):
    body = {"model": "m", "messages": [{"role": "user", "content": text}]}
    sent: dict[str, Any] = {}

    async def upstream(ctx: Context) -> Completion:
        sent.update(ctx.request.body)
        return Completion({"choices": []}, None, "d")

    ctx = context(body)
    await guard()(ctx, upstream)
    assert ctx.pii == "redacted"
    assert "corp.example" not in json.dumps(sent) and "7650" not in json.dumps(sent)


async def test_block_names_the_most_sensitive_finding():
    body = {
        "model": "m",
        "messages": [
            {"role": "user", "content": f"{MAIL} sk-proj-abcdefghijklmnopqrstuvwxyz123456"}
        ],
    }
    ctx = context(body)
    with pytest.raises(GuardBlocked) as blocked:
        await guard("block")(ctx, None)  # type: ignore[arg-type]
    assert blocked.value.param == "pii:SECRET" and ctx.pii == "blocked"


def chunk(delta: dict[str, Any], finish: str | None = None) -> Chunk:
    return Chunk({"id": "x", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})


async def test_streamed_tool_arguments_are_restored_as_valid_json():
    body = {"model": "m", "messages": [{"role": "user", "content": f"mail {MAIL}"}]}
    pieces = ['{"to": "<EMAIL', '_ADDRESS_1>", ', '"cc": "\\u003cEMAIL_', 'ADDRESS_1\\u003e"}']

    async def tail():
        for piece in pieces[1:]:
            yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
        yield Chunk({"id": "x", "choices": [], "usage": {"prompt_tokens": 1}})

    async def close() -> None:
        return None

    async def upstream(ctx: Context) -> ChunkStream:
        first = chunk({"tool_calls": [{"index": 0, "function": {"arguments": pieces[0]}}]})
        return ChunkStream("d", first, tail(), close)

    stream = await guard()(context(body), upstream)
    arguments = ""
    async for item in stream:
        for choice in item.data.get("choices") or ():
            for call in choice["delta"].get("tool_calls") or ():
                arguments += call["function"]["arguments"]
    assert json.loads(arguments) == {"to": MAIL, "cc": MAIL}
