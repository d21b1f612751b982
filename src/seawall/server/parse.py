"""Turning request bodies into requests, with clear 400s for what is wrong.

Only what the gateway itself relies on is checked; every other field, known to
OpenAI or not, is forwarded unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

import orjson

from ..errors import BadRequest
from ..structured.validate import format_problem
from ..types import ChatRequest, EmbeddingRequest

_ROLES = frozenset({"system", "developer", "user", "assistant", "tool", "function"})
_NUMBERS = ("temperature", "top_p", "frequency_penalty", "presence_penalty")
_POSITIVE_INTS = ("max_tokens", "max_completion_tokens", "n", "top_logprobs")


def json_object(body: bytes) -> dict[str, Any]:
    if not body:
        raise BadRequest("the request body is empty; send a JSON object")
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(f"the request body is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object")
    return data


def chat_request(body: bytes) -> ChatRequest:
    data = json_object(body)
    model = _model(data)
    _messages(data.get("messages"))
    stream = data.get("stream", False)
    if stream is not None and not isinstance(stream, bool):
        raise BadRequest("'stream' must be a boolean", param="stream")
    options = data.get("stream_options")
    if options is not None and not isinstance(options, dict):
        raise BadRequest("'stream_options' must be an object", param="stream_options")
    _check_scalars(data)
    for name in ("tools", "stop"):
        value = data.get(name)
        if name == "tools" and value is not None and not isinstance(value, list):
            raise BadRequest("'tools' must be an array", param="tools")
        if name == "stop" and value is not None and not isinstance(value, (str, list)):
            raise BadRequest("'stop' must be a string or an array", param="stop")
    wrong = format_problem(data.get("response_format"))
    if wrong is not None:  # a broken schema would otherwise be blamed on the model
        raise BadRequest(wrong[1], param=wrong[0])
    include_usage = bool(stream and options and options.get("include_usage") is True)
    return ChatRequest(data, model, bool(stream), include_usage)


def embedding_request(body: bytes) -> EmbeddingRequest:
    data = json_object(body)
    model = _model(data)
    value = data.get("input")
    if isinstance(value, str):
        ok = True
    elif isinstance(value, list) and value:
        ok = all(isinstance(v, (str, int)) or isinstance(v, list) for v in value)
    else:
        ok = False
    if not ok:
        raise BadRequest("'input' must be a string or a non-empty array", param="input")
    return EmbeddingRequest(data, model)


def _model(data: dict[str, Any]) -> str:
    model = data.get("model")
    if not isinstance(model, str) or not model:
        raise BadRequest("'model' is required and must be a non-empty string", param="model")
    return model


def _messages(messages: Any) -> None:
    if not isinstance(messages, list) or not messages:
        raise BadRequest("'messages' must be a non-empty array", param="messages")
    for index, message in enumerate(messages):
        where = f"messages[{index}]"
        if not isinstance(message, dict):
            raise BadRequest(f"'{where}' must be an object", param=where)
        role = message.get("role")
        if role not in _ROLES:
            raise BadRequest(
                f"'{where}.role' must be one of {', '.join(sorted(_ROLES))}", param=f"{where}.role"
            )
        content = message.get("content")
        if content is not None and not isinstance(content, (str, list)):
            raise BadRequest(
                f"'{where}.content' must be a string or an array of parts",
                param=f"{where}.content",
            )
        if content is None and role in ("user", "system", "developer"):
            raise BadRequest(f"'{where}.content' is required", param=f"{where}.content")


def _check_scalars(data: dict[str, Any]) -> None:
    for name in _NUMBERS:
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise BadRequest(f"'{name}' must be a number", param=name)
    for name in _POSITIVE_INTS:
        value = data.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            raise BadRequest(f"'{name}' must be a non-negative integer", param=name)


def iso_time(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    whole = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    return f"{whole}.{int(seconds % 1 * 1000):03d}Z"


def query_params(scope: Mapping[str, Any]) -> dict[str, str]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return dict(parse_qsl(raw))


def page_limit(value: str | None) -> int:
    if value is None:
        return 20
    if not value.isdigit() or not 1 <= int(value) <= 200:
        raise BadRequest("'limit' must be an integer from 1 to 200", param="limit")
    return int(value)
