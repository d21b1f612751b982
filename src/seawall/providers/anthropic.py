"""Anthropic's Messages API behind the OpenAI chat format, translated both ways.

The translation is pure (``to_messages_request``, ``from_message`` and the sans-I/O
``MessageStreamTranslator``); :class:`AnthropicProvider` only moves bytes::

    body = to_messages_request(openai_body, "claude-sonnet-4-5", 4096)
    completion = from_message(anthropic_message, created=int(time.time()))

One module for both halves because each half is meaningless without the other; the
pure part is most of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, ClassVar

import orjson

from ..clock import Clock, SystemClock
from ..config import DeploymentSettings
from ..errors import (
    BadRequest,
    NotSupported,
    ProviderBadResponse,
    ProviderRateLimited,
    ProviderUnavailable,
    UpstreamError,
)
from ..sse import Event, SSEError, SSEParser
from ..types import JSON, ChatRequest, Chunk, Completion, EmbeddingRequest
from .base import Provider, ProviderOptions, error_for_status, register, transport_error
from .http import HttpClient, HttpError, HttpResponse

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"
DEFAULT_MAX_TOKENS = 4096  # Anthropic requires max_tokens; OpenAI clients often omit it
MESSAGES_PATH = "/v1/messages"

FINISH_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}
_TOOL_CHOICES = {"auto": {"type": "auto"}, "none": {"type": "none"}, "required": {"type": "any"}}


# OpenAI request -> Anthropic request


def to_messages_request(body: JSON, model: str, default_max_tokens: int) -> JSON:
    """An OpenAI chat completions body as an Anthropic Messages body. Fields Anthropic
    has no use for (logprobs, penalties, seed, ...) are dropped; ones whose meaning
    cannot be kept (``n`` > 1, malformed tool arguments) raise :class:`BadRequest`."""
    if body.get("n") not in (None, 1):
        raise BadRequest("n > 1 is not supported by Anthropic deployments", param="n")
    raw_messages = body.get("messages")
    if not isinstance(raw_messages, list):
        raise BadRequest("messages must be a list", param="messages")
    system, messages = _split_messages(raw_messages)
    limit = body.get("max_completion_tokens") or body.get("max_tokens") or default_max_tokens
    out: JSON = {"model": model, "messages": messages, "max_tokens": limit}
    system = "\n\n".join(t for t in (system, _json_instruction(body.get("response_format"))) if t)
    if system:
        out["system"] = system
    out.update(_sampling(body))
    out.update(_tools(body))
    return out


def _json_instruction(response_format: Any) -> str:
    """Messages has no JSON mode: a request for JSON becomes an instruction (the answer
    is still checked against the schema by the gateway, ``structured/``)."""
    if not isinstance(response_format, dict):
        return ""
    if response_format.get("type") == "json_object":
        return "Answer with one JSON object only: no prose, no markdown fences."
    spec = response_format.get("json_schema")
    if response_format.get("type") == "json_schema" and isinstance(spec, dict):
        schema = orjson.dumps(spec.get("schema") or {}).decode()
        return (
            "Answer with one JSON object only, no prose and no markdown fences, that "
            f"conforms to this JSON Schema: {schema}"
        )
    return ""


def _sampling(body: JSON) -> JSON:
    out: JSON = {key: body[key] for key in ("temperature", "top_p") if body.get(key) is not None}
    stop = body.get("stop")
    if stop:
        out["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    if body.get("user"):
        out["metadata"] = {"user_id": body["user"]}
    if body.get("stream"):
        out["stream"] = True
    return out


def _split_messages(raw: list[Any]) -> tuple[str, list[JSON]]:
    system: list[str] = []
    turns: list[JSON] = []
    for index, message in enumerate(raw):
        if not isinstance(message, dict):
            raise BadRequest(f"messages[{index}] must be an object", param="messages")
        role = message.get("role")
        if role in ("system", "developer"):
            system.append(_plain_text(message.get("content"), index))
        elif role in ("user", "assistant", "tool"):
            blocks = _blocks(message, index)
            _append_turn(turns, "assistant" if role == "assistant" else "user", blocks)
        else:
            raise BadRequest(f"messages[{index}].role '{role}' is not supported", param="messages")
    return "\n\n".join(text for text in system if text), turns


def _append_turn(turns: list[JSON], role: str, blocks: list[JSON]) -> None:
    # Anthropic requires user and assistant turns to alternate: merge neighbours.
    if turns and turns[-1]["role"] == role:
        turns[-1]["content"].extend(blocks)
    elif blocks:
        turns.append({"role": role, "content": blocks})


def _blocks(message: JSON, index: int) -> list[JSON]:
    role = message["role"]
    if role == "tool":
        return [_tool_result(message, index)]
    blocks = _content_blocks(message.get("content"), index)
    if role == "assistant":
        calls = message.get("tool_calls") or []
        blocks.extend(_tool_use(call, index, n) for n, call in enumerate(calls))
    return blocks


def _content_blocks(content: Any, index: int) -> list[JSON]:
    if content is None or content == "":
        return []
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    if not isinstance(content, list):
        raise BadRequest(f"messages[{index}].content must be a string or a list", param="messages")
    return [block for part in content if (block := _part(part, index))]


def _part(part: Any, index: int) -> JSON | None:
    kind = part.get("type") if isinstance(part, dict) else None
    if kind == "text":
        block: JSON | None = (
            {"type": "text", "text": part.get("text", "")} if part.get("text") else None
        )
    elif kind == "image_url":
        block = _image(part.get("image_url"), index)
    else:
        raise BadRequest(
            f"messages[{index}]: content part type '{kind}' is not supported by Anthropic",
            param="messages",
        )
    if block is not None and "cache_control" in part:
        block["cache_control"] = part["cache_control"]
    return block


def _image(image_url: Any, index: int) -> JSON:
    url = image_url.get("url") if isinstance(image_url, dict) else image_url
    if isinstance(url, str) and url.startswith("data:"):
        header, _, data = url[5:].partition(",")
        media_type, _, encoding = header.partition(";")
        if encoding == "base64" and data:
            source = {"type": "base64", "media_type": media_type, "data": data}
            return {"type": "image", "source": source}
    elif isinstance(url, str) and url.startswith(("http://", "https://")):
        return {"type": "image", "source": {"type": "url", "url": url}}
    raise BadRequest(
        f"messages[{index}]: image_url must be an http(s) URL or a base64 data: URL",
        param="messages",
    )


def _plain_text(content: Any, index: int) -> str:
    blocks = _content_blocks(content, index)
    if any(block["type"] != "text" for block in blocks):
        raise BadRequest(f"messages[{index}]: system content must be text", param="messages")
    return "\n".join(block["text"] for block in blocks)


def _tool_use(call: Any, index: int, n: int) -> JSON:
    where = f"messages[{index}].tool_calls[{n}]"
    function = call.get("function") if isinstance(call, dict) else None
    if not isinstance(function, dict) or not function.get("name"):
        raise BadRequest(f"{where} must have a function with a name", param="messages")
    arguments = function.get("arguments") or "{}"
    try:
        decoded = orjson.loads(arguments)
    except (orjson.JSONDecodeError, TypeError):
        decoded = None
    if not isinstance(decoded, dict):
        raise BadRequest(
            f"{where}.function.arguments must be a JSON object, got {str(arguments)[:80]!r}",
            param="messages",
        )
    return {"type": "tool_use", "id": call.get("id"), "name": function["name"], "input": decoded}


def _tool_result(message: JSON, index: int) -> JSON:
    if not message.get("tool_call_id"):
        raise BadRequest(f"messages[{index}]: a tool message needs tool_call_id", param="messages")
    content = message.get("content")
    result = content if isinstance(content, str) else _content_blocks(content, index)
    return {"type": "tool_result", "tool_use_id": message["tool_call_id"], "content": result}


def _tools(body: JSON) -> JSON:
    tools = body.get("tools")
    if not tools:
        return {}
    out: JSON = {"tools": [_tool(tool, n) for n, tool in enumerate(tools)]}
    choice = _tool_choice(body.get("tool_choice"))
    if body.get("parallel_tool_calls") is False and choice.get("type") != "none":
        choice = {"type": "auto", **choice, "disable_parallel_tool_use": True}
    if choice:
        out["tool_choice"] = choice
    return out


def _tool(tool: Any, n: int) -> JSON:
    function = tool.get("function") if isinstance(tool, dict) else None
    if not isinstance(function, dict) or tool.get("type") != "function":
        raise BadRequest(f"tools[{n}]: only function tools are supported", param="tools")
    out: JSON = {"name": function.get("name")}
    if function.get("description"):
        out["description"] = function["description"]
    out["input_schema"] = function.get("parameters") or {"type": "object", "properties": {}}
    return out


def _tool_choice(choice: Any) -> JSON:
    if choice is None:
        return {}
    if isinstance(choice, str) and choice in _TOOL_CHOICES:
        return dict(_TOOL_CHOICES[choice])
    function = choice.get("function") if isinstance(choice, dict) else None
    if isinstance(function, dict) and function.get("name"):
        return {"type": "tool", "name": function["name"]}
    raise BadRequest(f"tool_choice {choice!r} is not supported", param="tool_choice")


# Anthropic response -> OpenAI response


def from_message(resp: JSON, created: int) -> JSON:
    """An Anthropic message as an OpenAI ``chat.completion``."""
    if not isinstance(resp.get("content"), list):
        raise ProviderBadResponse("Anthropic message has no content list")
    content = [block for block in resp["content"] if isinstance(block, dict)]
    texts = [b.get("text", "") for b in content if b.get("type") == "text"]
    calls = [_tool_call(b) for b in content if b.get("type") == "tool_use"]
    message: JSON = {"role": "assistant", "content": "".join(texts) if texts or not calls else None}
    if calls:
        message["tool_calls"] = calls
    choice = {
        "index": 0,
        "message": message,
        "finish_reason": finish_reason(resp.get("stop_reason")),
    }
    return {
        "id": resp.get("id", ""),
        "object": "chat.completion",
        "created": created,
        "model": resp.get("model", ""),
        "choices": [choice],
        "usage": openai_usage(resp.get("usage") or {}),
    }


def _tool_call(block: JSON) -> JSON:
    arguments = orjson.dumps(block.get("input") or {}).decode()
    function = {"name": block.get("name", ""), "arguments": arguments}
    return {"id": block.get("id", ""), "type": "function", "function": function}


def finish_reason(stop_reason: Any) -> str:
    return FINISH_REASONS.get(stop_reason, "stop") if isinstance(stop_reason, str) else "stop"


def openai_usage(data: JSON) -> JSON:
    """Anthropic usage as OpenAI usage; cache reads and writes count as prompt tokens."""
    cached = data.get("cache_read_input_tokens") or 0
    prompt = (
        (data.get("input_tokens") or 0) + cached + (data.get("cache_creation_input_tokens") or 0)
    )
    completion = data.get("output_tokens") or 0
    out: JSON = {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }
    if cached:
        out["prompt_tokens_details"] = {"cached_tokens": cached}
    return out


class MessageStreamTranslator:
    """Anthropic stream events in, OpenAI ``chat.completion.chunk`` dicts out (no I/O):
    ``translator.feed(event)`` returns the chunks one parsed SSE event makes, and
    ``finished`` turns true at ``message_stop``."""

    def __init__(self, created: int) -> None:
        self.created = created
        self.finished = False
        self._id = ""
        self._model = ""
        self._usage: JSON = {}
        self._tools: dict[int, int] = {}  # Anthropic block index -> OpenAI tool_calls index
        self._started = False

    def feed(self, event: Event) -> list[JSON]:
        try:
            data = orjson.loads(event.data)
        except orjson.JSONDecodeError:
            raise ProviderBadResponse("invalid JSON in an Anthropic stream event") from None
        if not isinstance(data, dict):
            raise ProviderBadResponse("an Anthropic stream event is not an object")
        kind = data.get("type") or event.event
        if kind == "error":
            raise stream_error(data.get("error"))
        if self.finished or kind == "ping":
            return []
        if kind != "message_start" and not self._started:
            raise ProviderBadResponse(f"Anthropic stream sent '{kind}' before message_start")
        handler = self._HANDLERS.get(kind)
        return handler(self, data) if handler else []  # new event types are allowed to appear

    def _message_start(self, data: JSON) -> list[JSON]:
        message = data.get("message") or {}
        self._started = True
        self._id, self._model = message.get("id", ""), message.get("model", "")
        self._usage = dict(message.get("usage") or {})
        return [self._chunk({"role": "assistant", "content": ""})]

    def _block_start(self, data: JSON) -> list[JSON]:
        block = data.get("content_block") or {}
        if block.get("type") == "text" and block.get("text"):
            return [self._chunk({"content": block["text"]})]
        if block.get("type") != "tool_use":
            return []
        index = self._tools.setdefault(data.get("index", 0), len(self._tools))
        function = {"name": block.get("name", ""), "arguments": ""}
        call = {"index": index, "id": block.get("id", ""), "type": "function", "function": function}
        return [self._chunk({"tool_calls": [call]})]

    def _block_delta(self, data: JSON) -> list[JSON]:
        delta = data.get("delta") or {}
        if delta.get("type") == "text_delta" and delta.get("text"):
            return [self._chunk({"content": delta["text"]})]
        if delta.get("type") == "input_json_delta" and delta.get("partial_json"):
            index = self._tools.get(data.get("index", 0), 0)
            call = {"index": index, "function": {"arguments": delta["partial_json"]}}
            return [self._chunk({"tool_calls": [call]})]
        return []  # thinking, signatures, citations: nothing OpenAI-shaped to say

    def _message_delta(self, data: JSON) -> list[JSON]:
        self._usage.update(data.get("usage") or {})  # Anthropic's counts are cumulative
        reason = finish_reason((data.get("delta") or {}).get("stop_reason"))
        return [self._chunk({}, reason)]

    def _message_stop(self, data: JSON) -> list[JSON]:
        self.finished = True
        return [{**self._envelope(), "choices": [], "usage": openai_usage(self._usage)}]

    def _envelope(self) -> JSON:
        return {
            "id": self._id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self._model,
        }

    def _chunk(self, delta: JSON, reason: str | None = None) -> JSON:
        choice = {"index": 0, "delta": delta, "finish_reason": reason}
        return {**self._envelope(), "choices": [choice]}

    _HANDLERS: ClassVar[dict[str, Callable[[MessageStreamTranslator, JSON], list[JSON]]]] = {
        "message_start": _message_start,
        "content_block_start": _block_start,
        "content_block_delta": _block_delta,
        "message_delta": _message_delta,
        "message_stop": _message_stop,
    }


def stream_error(error: Any) -> UpstreamError:
    """The exception for an ``error`` event inside an Anthropic stream."""
    kind = error.get("type") if isinstance(error, dict) else None
    detail = error.get("message") if isinstance(error, dict) else None
    message = f"Anthropic stream error {kind}: {detail or 'no message'}"
    if kind == "overloaded_error":
        return ProviderUnavailable(message, upstream_status=529)
    if kind == "rate_limit_error":
        return ProviderRateLimited(message, upstream_status=429)
    return ProviderBadResponse(message)


# The I/O half


class AnthropicProvider:
    """One Anthropic deployment over a pooled HTTP client."""

    def __init__(
        self, settings: DeploymentSettings, client: HttpClient, clock: Clock | None = None
    ) -> None:
        self.id = settings.id
        self._model = settings.model
        self._client = client
        self._clock = clock or SystemClock()
        defaults = {"anthropic-version": API_VERSION, "content-type": "application/json"}
        if settings.api_key:
            defaults["x-api-key"] = settings.api_key
        self._headers = {**defaults, **{k.lower(): v for k, v in settings.headers.items()}}

    async def complete(self, request: ChatRequest, headers: Mapping[str, str]) -> Completion:
        response = await self._send(request, headers, stream=False)
        try:
            body = await response.read()
        except HttpError as exc:
            raise transport_error(self.id, exc) from exc
        finally:
            await response.aclose()
        try:
            message = orjson.loads(body)
        except orjson.JSONDecodeError:
            raise ProviderBadResponse(f"{self.id}: response is not JSON") from None
        if not isinstance(message, dict):
            raise ProviderBadResponse(f"{self.id}: response is not a JSON object")
        data = from_message(message, int(self._clock.wall()))
        return Completion(data=data, raw=None, deployment=self.id)

    async def stream(
        self, request: ChatRequest, headers: Mapping[str, str]
    ) -> AsyncIterator[Chunk]:
        response = await self._send(request, headers, stream=True)
        translator = MessageStreamTranslator(int(self._clock.wall()))
        parser = SSEParser()
        try:
            async for piece in response.iter_chunks():
                for event in parser.feed(piece):
                    for data in translator.feed(event):
                        yield Chunk(data)
        except HttpError as exc:
            raise transport_error(self.id, exc) from exc
        except SSEError as exc:
            raise ProviderBadResponse(f"{self.id}: {exc}") from None
        finally:
            await response.aclose()  # an abandoned stream must not hold its connection
        if not translator.finished:
            raise ProviderBadResponse(f"{self.id}: stream ended early")

    async def embed(self, request: EmbeddingRequest, headers: Mapping[str, str]) -> JSON:
        raise NotSupported(f"{self.id}: Anthropic has no embeddings API")

    async def close(self) -> None:
        await self._client.close()

    async def _send(
        self, request: ChatRequest, headers: Mapping[str, str], *, stream: bool
    ) -> HttpResponse:
        payload = to_messages_request(request.body, self._model, DEFAULT_MAX_TOKENS)
        payload["stream"] = stream
        merged = {**self._headers, **{k.lower(): v for k, v in headers.items()}}
        try:
            response = await self._client.request(
                "POST", MESSAGES_PATH, list(merged.items()), orjson.dumps(payload)
            )
        except HttpError as exc:
            raise transport_error(self.id, exc) from exc
        if 200 <= response.status < 300:
            return response
        try:
            body = await response.read()
        except HttpError:
            body = b""
        finally:
            await response.aclose()
        raise error_for_status(self.id, response.status, body, response.headers, self._clock.wall())


@register("anthropic")
def _create(settings: DeploymentSettings, options: ProviderOptions) -> Provider:
    client = HttpClient(
        settings.base_url or DEFAULT_BASE_URL,
        max_connections=settings.max_concurrency,
        connect_timeout=options.connect_timeout,
        idle_timeout=options.keepalive_s,
    )
    return AnthropicProvider(settings, client)
