"""A webhook receiver on a real socket: records each delivery, answers as planned."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass
class WebhookReceiver:
    status: int = 200
    reply: Any = field(default_factory=lambda: {"content": "handled"})
    delay: float = 0.0
    deliveries: list[Delivery] = field(default_factory=list)
    planned: list[int] = field(default_factory=list)  # statuses for the next deliveries

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        self.deliveries.append(Delivery(headers, body))
        if self.delay:
            await asyncio.sleep(self.delay)
        payload = self.reply if isinstance(self.reply, bytes) else orjson.dumps(self.reply)
        await send(
            {
                "type": "http.response.start",
                "status": self.planned.pop(0) if self.planned else self.status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})
