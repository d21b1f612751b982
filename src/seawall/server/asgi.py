"""Thin ASGI plumbing: reading a bounded body, and writing JSON and SSE responses.

The gateway speaks raw ASGI rather than through a framework: on this path a framework's
request and response objects cost more than the rest of the proxy hop together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import orjson

from ..auth.keys import Principal
from ..errors import BadRequest, PayloadTooLarge, SeawallError, UpstreamRejected
from ..trace.tracer import Trace

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]


class ClientGone(Exception):
    """The client disconnected before the request body was complete."""


def header_map(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


async def read_body(receive: Receive, headers: dict[str, str], limit: int) -> bytes:
    declared = headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest("invalid content-length header")
        if int(declared) > limit:
            raise PayloadTooLarge(
                f"request body of {declared} bytes is over the {limit}-byte limit"
            )
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone()
        body = message.get("body", b"")
        if body:
            size += len(body)
            if size > limit:
                raise PayloadTooLarge(f"request body is over the {limit}-byte limit")
            parts.append(body)
        if not message.get("more_body", False):
            break
    return parts[0] if len(parts) == 1 else b"".join(parts)


def encode_headers(pairs: list[tuple[str, str]]) -> Headers:
    return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in pairs]


async def send_bytes(
    send: Send, status: int, body: bytes, content_type: bytes, extra: Headers
) -> None:
    headers: Headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def send_json(send: Send, status: int, data: object, extra: Headers) -> None:
    await send_bytes(send, status, orjson.dumps(data), b"application/json", extra)


def error_payload(exc: SeawallError) -> bytes:
    """The OpenAI-format body; an upstream's own OpenAI-format error passes through."""
    if isinstance(exc, UpstreamRejected) and exc.upstream_body:
        try:
            data = orjson.loads(exc.upstream_body)
        except orjson.JSONDecodeError:
            data = None
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            if isinstance(data["error"].get("message"), str):
                return exc.upstream_body
    return orjson.dumps(exc.body())


async def send_error(send: Send, exc: SeawallError, extra: Headers) -> None:
    headers = [*extra, *encode_headers(exc.headers())]
    await send_bytes(send, exc.status, error_payload(exc), b"application/json", headers)


@dataclass(slots=True)
class Exchange:
    """One HTTP exchange as a route handler sees it."""

    scope: Scope
    receive: Receive
    send: Send
    headers: dict[str, str]  # the request's, names lower-cased
    trace: Trace
    base: Headers  # what every response to it carries (ids, traceparent)
    principal: Principal  # who is calling (ANONYMOUS on public routes and open gateways)

    async def json(self, status: int, data: object) -> None:
        await send_json(self.send, status, data, self.base)


class DisconnectWatch:
    """Cancels the task serving a request when its client goes away, so the upstream
    call is abandoned and its concurrency slot freed.

    Watching costs a task per request, a fifth of the gateway's own CPU on a fast
    request, so it starts only once a request has run for ``after_s``: a request that
    ends sooner frees its slot by ending. ``stop`` only disarms a started watcher: the
    server ends its pending ``receive`` once the response is complete, so it finishes
    without being cancelled (a cancelled task leaves cycles for the collector)."""

    __slots__ = ("_armed", "_receive", "_task", "_timer", "_watcher", "fired")

    def __init__(self, receive: Receive, after_s: float = 0.25) -> None:
        self._task = asyncio.current_task()
        self._receive = receive
        self._armed = True
        self.fired = False
        self._watcher: asyncio.Future[None] | None = None  # held, so it is not collected
        self._timer: asyncio.TimerHandle | None = asyncio.get_running_loop().call_later(
            after_s, self._start
        )

    def _start(self) -> None:
        self._timer = None
        if self._armed:
            self._watcher = asyncio.ensure_future(self._watch())

    async def _watch(self) -> None:
        message = await self._receive()
        if self._armed and message["type"] == "http.disconnect" and self._task is not None:
            self.fired = True
            self._task.cancel()
        self._task = None

    def stop(self) -> None:
        self._armed = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
