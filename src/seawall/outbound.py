"""The one client for calls Seawall makes on its own behalf (intent webhooks now; job
and review webhooks later): signed, bounded in time and size, and unable to reach the
gateway's own network unless the config says so.

Signing follows Standard Webhooks: ``webhook-id``, ``webhook-timestamp`` (Unix seconds)
and ``webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">``. A secret
written ``whsec_<base64>`` is the base64-decoded key, as the scheme's libraries read it;
any other string is used as its UTF-8 bytes. ``verify`` is what a receiver runs.

SSRF: the destination's address is checked when the connection is made, after DNS, for
every connection (so a name cannot pass the check with one address and connect with
another). Loopback, private, link-local (cloud metadata lives there), carrier-grade NAT,
multicast, reserved and unspecified addresses are refused unless an ``allow_private``
network holds them; a name that resolves to any refused address is refused whole.
Redirects are not followed.

    outbound = Outbound(settings.outbound)
    reply = await outbound.post_json(url, {"intent": "balance"}, secret="whsec_...")
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import json
import socket
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .providers.http import HttpClient, HttpError, HttpResponse

_CLIENTS = 32  # origins kept open at once (least recently used closed first)
_CGNAT = ipaddress.ip_network("100.64.0.0/10")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class OutboundError(Exception):
    """A call that did not produce a usable answer (refused, failed, timed out, too big)."""


class OutboundRefused(OutboundError):
    """The destination is not one Seawall may call (SSRF protection, bad URL)."""


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    key = _key(secret)
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: Mapping[str, str], body: bytes, tolerance_s: int = 300) -> bool:
    """A receiver's check: one of the ``v1`` signatures matches and the timestamp is
    within ``tolerance_s`` of now (replays of old deliveries fail)."""
    try:
        msg_id, timestamp = headers["webhook-id"], int(headers["webhook-timestamp"])
    except (KeyError, ValueError):
        return False
    if abs(time.time() - timestamp) > tolerance_s:
        return False
    expected = sign(secret, msg_id, timestamp, body)
    offered = headers.get("webhook-signature", "").split()
    return any(hmac.compare_digest(expected, candidate) for candidate in offered)


def _key(secret: str) -> bytes:
    if secret.startswith("whsec_"):
        return base64.b64decode(secret[len("whsec_") :], validate=True)
    return secret.encode()


def refused(address: str, allowed: Iterable[Network]) -> bool:
    """Whether an outbound call may not go to this IP address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in allowed):
        return False
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT)
        or (
            isinstance(ip, ipaddress.IPv6Address) and (ip.is_site_local or ip.sixtofour is not None)
        )
    )


class Outbound:
    def __init__(
        self,
        allow_private: Iterable[str] = (),
        timeout_s: float = 5.0,
        max_response_bytes: int = 1 << 20,
    ) -> None:
        self._allowed = tuple(ipaddress.ip_network(n, strict=False) for n in allow_private)
        self.timeout_s = timeout_s
        self.max_response_bytes = max_response_bytes
        self._clients: OrderedDict[str, HttpClient] = OrderedDict()

    async def post_json(
        self,
        url: str,
        payload: Any,
        *,
        secret: str | None = None,
        timeout_s: float | None = None,
        msg_id: str | None = None,
    ) -> Reply:
        """POST ``payload`` as JSON; the reply, whatever its status. OutboundRefused for a
        destination it may not call; OutboundError when no reply came in time."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OutboundRefused(f"not an http(s) URL: {url!r}")
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = [("content-type", "application/json"), ("user-agent", "seawall")]
        if secret:
            # the same id on every retry of one message: receivers drop duplicates by it
            msg_id, now = msg_id or f"msg_{uuid.uuid4().hex}", int(time.time())
            headers += [
                ("webhook-id", msg_id),
                ("webhook-timestamp", str(now)),
                ("webhook-signature", sign(secret, msg_id, now, body)),
            ]
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        client = self._client(f"{parts.scheme}://{parts.netloc}")
        try:
            async with asyncio.timeout(timeout_s or self.timeout_s):
                response = await client.request("POST", path, headers, body)
                data = await self._read_bounded(response, url)
        except OutboundRefused:
            raise
        except TimeoutError:
            raise OutboundError(f"{url}: no reply within {timeout_s or self.timeout_s}s") from None
        except (HttpError, OSError) as exc:
            raise OutboundError(f"{url}: {exc}") from exc
        return Reply(response.status, data)

    async def _read_bounded(self, response: HttpResponse, url: str) -> bytes:
        """The reply body, refused as soon as it is known to pass the size bound."""
        too_big = OutboundError(f"{url}: reply larger than {self.max_response_bytes} bytes")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_response_bytes:
            await response.aclose()
            raise too_big
        data = bytearray()
        async for chunk in response.iter_chunks():
            data += chunk
            if len(data) > self.max_response_bytes:
                await response.aclose()
                raise too_big
        return bytes(data)

    def _client(self, origin: str) -> HttpClient:
        client = self._clients.get(origin)
        if client is None:
            client = HttpClient(origin, max_connections=16, resolve=self._resolve)
            self._clients[origin] = client
            if len(self._clients) > _CLIENTS:
                _, oldest = self._clients.popitem(last=False)
                asyncio.get_running_loop().create_task(oldest.close())
        self._clients.move_to_end(origin)
        return client

    async def _resolve(self, host: str, port: int) -> str:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise OutboundError(f"cannot resolve {host}: {exc}") from exc
        addresses = [str(info[4][0]) for info in infos]
        blocked = [a for a in addresses if refused(a, self._allowed)]
        if blocked or not addresses:
            raise OutboundRefused(
                f"{host} resolves to {', '.join(blocked) or 'nothing'}, which outbound calls "
                "may not reach (outbound.allow_private lists networks that may)"
            )
        return addresses[0]

    async def close(self) -> None:
        clients, self._clients = list(self._clients.values()), OrderedDict()
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
