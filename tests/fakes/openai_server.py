"""A controllable OpenAI-compatible upstream on a real socket, for tests.

Each request takes the next planned behaviour (or the default: answer at once):

    upstream.plan(Reply(status=503), Reply(status=429, retry_after="2"), Reply())
"""

from __future__ import annotations

import asyncio
import random
import socket
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import uvicorn


@dataclass
class Reply:
    status: int = 200
    retry_after: str | None = None
    delay: float = 0.0  # before the status line
    text: str = "Hello from the fake upstream."
    chunk_delay: float = 0.0
    cut_after: int | None = None  # stream: close the connection after N chunks
    stall_after: int | None = None  # stream: stop sending (but keep open) after N chunks
    malformed_after: int | None = None  # stream: send a non-JSON chunk after N chunks
    tool_call: bool = False
    linger: float = 0.0  # stream: wait this long after [DONE] before ending the body
    no_usage: bool = False  # report no usage at all, as some servers do
    logprob: float = -0.1  # each token's log-probability, when the request asks for them


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float
    client_port: int


@dataclass
class FakeOpenAI:
    name: str = "upstream"
    replies: deque[Reply] = field(default_factory=deque)
    seen: list[Seen] = field(default_factory=list)
    active: int = 0
    max_active: int = 0
    cancelled: int = 0
    default: Reply = field(default_factory=Reply)
    fail_rate: float = 0.0  # share of default replies that are 503s, from a seeded rng
    rng: random.Random = field(default_factory=lambda: random.Random(7))

    def plan(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.seen.clear()
        self.default = Reply()
        self.fail_rate = 0.0
        self.rng = random.Random(7)
        self.active = self.max_active = self.cancelled = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = await read_body(receive)
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        data = orjson.loads(body) if body else {}
        port = scope["client"][1] if scope.get("client") else 0
        self.seen.append(Seen(scope["path"], headers, data, time.monotonic(), port))
        reply = self.replies.popleft() if self.replies else self.default
        if not self.replies and self.fail_rate and self.rng.random() < self.fail_rate:
            reply = Reply(status=503)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        answer = asyncio.ensure_future(self._answer(scope["path"], data, reply, send))
        gone = asyncio.ensure_future(receive())  # http.disconnect when the client leaves
        try:
            await asyncio.wait({answer, gone}, return_when=asyncio.FIRST_COMPLETED)
            if not answer.done():
                self.cancelled += 1
                answer.cancel()
            await asyncio.gather(answer, return_exceptions=True)
            if not answer.cancelled() and answer.exception() is not None:
                raise answer.exception()  # type: ignore[misc]
        finally:
            gone.cancel()
            self.active -= 1

    async def _answer(self, path: str, data: dict[str, Any], reply: Reply, send: Any) -> None:
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status != 200:
            headers = [(b"content-type", b"application/json")]
            if reply.retry_after is not None:
                headers.append((b"retry-after", reply.retry_after.encode()))
            error = {
                "error": {
                    "message": f"{self.name} says {reply.status}",
                    "type": "server_error",
                    "code": None,
                    "param": None,
                }
            }
            await _send(send, reply.status, orjson.dumps(error), headers)
            return
        if path.endswith("/embeddings"):
            inputs = data.get("input")
            items = [inputs] if isinstance(inputs, str) else inputs
            payload = {
                "object": "list",
                "model": data.get("model"),
                "usage": {"prompt_tokens": 3, "total_tokens": 3},
                "data": [
                    {"object": "embedding", "index": i, "embedding": [0.1, 0.2, 0.3]}
                    for i, _ in enumerate(items)
                ],
            }
            await _send(send, 200, orjson.dumps(payload), [(b"content-type", b"application/json")])
            return
        if data.get("stream"):
            await self._stream(data, reply, send)
            return
        await _send(
            send,
            200,
            orjson.dumps(completion(data, reply, self.name)),
            [(b"content-type", b"application/json")],
        )

    async def _stream(self, data: dict[str, Any], reply: Reply, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/event-stream")],
            }
        )
        for index, chunk in enumerate(chunks(data, reply, self.name)):
            if index == reply.cut_after:
                raise ConnectionResetError("cut")  # uvicorn closes the connection
            if index == reply.stall_after:
                await asyncio.Event().wait()
            if index == reply.malformed_after:
                await send(
                    {
                        "type": "http.response.body",
                        "body": b"data: {not json\n\n",
                        "more_body": True,
                    }
                )
            if reply.chunk_delay and index:
                await asyncio.sleep(reply.chunk_delay)
            await send(
                {
                    "type": "http.response.body",
                    "body": b"data: " + orjson.dumps(chunk) + b"\n\n",
                    "more_body": True,
                }
            )
        await send({"type": "http.response.body", "body": b"data: [DONE]\n\n", "more_body": True})
        if reply.linger:
            await asyncio.sleep(reply.linger)
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _send(send: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def usage(data: dict[str, Any], reply: Reply) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", ""))) // 4 + 1 for m in data.get("messages", []))
    completion_tokens = len(reply.text.split())
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt + completion_tokens,
    }


def completion(data: dict[str, Any], reply: Reply, name: str) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text}
    finish = "stop"
    if reply.tool_call:
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {
                        "name": data["tools"][0]["function"]["name"],
                        "arguments": '{"city": "Paris"}',
                    },
                }
            ],
        }
        finish = "tool_calls"
    logprobs = None
    if data.get("logprobs") and message.get("content"):
        tokens = message["content"].split()
        logprobs = {"content": [{"token": t, "logprob": reply.logprob} for t in tokens]}
    return {
        "id": f"chatcmpl-{name}",
        "object": "chat.completion",
        "created": 1,
        "model": data.get("model"),
        "choices": [
            {"index": 0, "message": message, "finish_reason": finish, "logprobs": logprobs}
        ],
        "usage": None if reply.no_usage else usage(data, reply),
    }


def chunks(data: dict[str, Any], reply: Reply, name: str) -> list[dict[str, Any]]:
    base = {
        "id": f"chatcmpl-{name}",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": data.get("model"),
    }
    out = [
        {
            **base,
            "choices": [
                {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
            ],
        }
    ]
    for word in reply.text.split(" "):
        out.append(
            {
                **base,
                "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}],
            }
        )
    out.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    if (data.get("stream_options") or {}).get("include_usage") and not reply.no_usage:
        out.append({**base, "choices": [], "usage": usage(data, reply)})
    return out


async def read_body(receive: Any) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def wait_until_serving(url: str, path: str = "/healthz") -> None:
    """Poll a server started in another process until it answers 200 (at most 15 s)."""
    async with httpx.AsyncClient(timeout=2) as http:
        for _ in range(300):
            try:
                if (await http.get(url + path)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise TimeoutError(f"{url} did not come up")


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


class Served:
    """An ASGI app on uvicorn in the running loop, on an ephemeral port."""

    def __init__(self, app: Any, **options: Any) -> None:
        self.sock = free_socket()
        self.port = self.sock.getsockname()[1]
        options.setdefault("timeout_graceful_shutdown", 2)
        config = uvicorn.Config(
            app,
            loop="none",
            lifespan="on" if options.pop("lifespan", False) else "off",
            log_level="warning",
            access_log=False,
            **options,
        )
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> Served:
        self.task = asyncio.create_task(self.server.serve(sockets=[self.sock]))
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.005)
        return self

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await self.task
