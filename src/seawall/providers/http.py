"""A pooled HTTP/1.1 client for the upstream hop, on asyncio protocols and httptools.

The hop sits inside the gateway's CPU budget, so this client does only what it needs:
keep-alive pooling under a hard connection limit, content-length, chunked and
read-until-close bodies, TLS through asyncio's ssl, and cancellation that never leaks a
connection. Read and idle timeouts belong to the caller: it cancels the awaiting task.
It runs past 500 lines because each case it handles (1xx, HEAD, a waiter cancelled as
it is handed a connection, idle expiry, responses dropped unread) is one a proxy meets
in production; aiohttp, which handles them too, costs ~3x the CPU per request here.

    client = HttpClient("https://api.openai.com/v1")
    response = await client.request("POST", "/chat/completions", [("authorization", key)], body)
    data = await response.read()
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import cast
from urllib.parse import urlsplit

import httptools

__all__ = [
    "ConnectError",
    "ConnectTimeout",
    "HttpClient",
    "HttpError",
    "HttpResponse",
    "PoolTimeout",
    "ReadError",
    "RemoteProtocolError",
]

_HIGH_WATER = 256 * 1024  # unconsumed body bytes at which the socket stops being read
_LOW_WATER = 64 * 1024
_HOST, _CONNECTION, _LENGTH = 1, 2, 4
_MANAGED = {"host": _HOST, "connection": _CONNECTION, "content-length": _LENGTH}
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class HttpError(Exception):
    """Base of every error this client raises."""


class ConnectError(HttpError):
    """The connection could not be opened (DNS, refused, TLS handshake)."""


class ConnectTimeout(ConnectError):
    """Opening the connection, TLS handshake included, took longer than connect_timeout."""


class ReadError(HttpError):
    """The connection was lost or reset before the response was complete."""


class RemoteProtocolError(HttpError):
    """The server sent something that is not a valid HTTP/1.1 response."""


class PoolTimeout(HttpError):
    """No connection slot became free within pool_timeout."""


class _Connection(asyncio.Protocol):
    """One socket and the exchange in flight on it. Keeping the exchange's state here
    means a request allocates little beyond its futures and its header dict."""

    __slots__ = (
        "active", "buffered", "chunks", "closed", "done", "error", "head_only", "headers",
        "idle_since", "keep_alive", "loop", "parser", "paused", "received", "reused",
        "status", "transport", "waiter",
    )  # fmt: skip

    transport: asyncio.Transport

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.parser = httptools.HttpResponseParser(self)
        self.active = self.closed = self.done = self.head_only = self.keep_alive = False
        self.paused = self.received = self.reused = False
        self.buffered = self.status = 0  # status stays 0 until the final head arrives
        self.idle_since = 0.0
        self.chunks: deque[bytes] = deque()
        self.headers: dict[str, str] = {}
        self.error: HttpError | None = None
        self.waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    async def exchange(self, head: bytes, body: bytes, head_only: bool) -> None:
        """Send one request and wait for the head of its final response."""
        if self.closed:
            raise ReadError("connection closed before the request was sent")
        if self.head_only:  # a HEAD answer left the parser waiting for a body that never came
            self.parser = httptools.HttpResponseParser(self)
        self.head_only, self.active = head_only, True
        self.received = self.done = self.keep_alive = False
        self.status, self.error = 0, None
        if body:
            self.transport.writelines((head, body))
        else:
            self.transport.write(head)
        while not self.status:
            if self.error is not None:
                raise self.error
            await self.wait()

    def wait(self) -> asyncio.Future[None]:
        self.waiter = waiter = self.loop.create_future()
        return waiter

    def data_received(self, data: bytes) -> None:
        if not self.active:  # a server speaking out of turn cannot be trusted with a request
            self.abort()
            return
        self.received = True
        try:
            self.parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            self._fail(RemoteProtocolError(f"invalid response: {exc}"))
            self.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        chunked = "chunked" in self.headers.get("transfer-encoding", "").lower()
        if self.status and exc is None and not chunked and "content-length" not in self.headers:
            self._complete(keep_alive=False)  # the body was delimited by the close itself
        else:
            stage = "mid-response" if self.status else "before the response"
            self._fail(ReadError(f"connection lost {stage}: {exc or 'closed by the server'}"))

    def on_message_begin(self) -> None:
        if self.done:  # raising stops the parser; data_received then drops the connection
            raise RemoteProtocolError("data after the end of the response")
        self.headers = {}

    def on_header(self, name: bytes, value: bytes) -> None:
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        headers = self.headers
        headers[key] = f"{headers[key]}, {text}" if key in headers else text

    def on_headers_complete(self) -> None:
        status = self.parser.get_status_code()
        if status < 200:  # an interim answer such as 100 Continue: the real one follows
            return
        self.status = status
        if self.head_only:
            self.on_message_complete()
        self._wake()

    def on_body(self, body: bytes) -> None:
        if self.done:
            return
        self.chunks.append(body)
        self.buffered += len(body)
        if self.buffered > _HIGH_WATER and not self.paused:
            self.paused = True
            self.transport.pause_reading()
        self._wake()

    def on_message_complete(self) -> None:
        if self.status and not self.done:
            close = "close" in self.headers.get("connection", "").lower()
            self._complete(keep_alive=self.parser.should_keep_alive() and not close)

    def take_all(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.buffered = 0
        self._resume()
        return data

    async def next_chunk(self) -> bytes:
        """The next body piece, or b"" once the body is complete."""
        while not self.chunks:
            if self.error is not None:
                raise self.error
            if self.done:
                return b""
            await self.wait()
        chunk = self.chunks.popleft()
        self.buffered -= len(chunk)
        if self.buffered < _LOW_WATER:
            self._resume()
        return chunk

    def abort(self) -> None:
        self._fail(ReadError("connection closed by the client"))
        if not self.closed:
            self.closed = True
            self.transport.abort()

    def _resume(self) -> None:
        if self.paused:
            self.paused = False
            if not self.closed:
                self.transport.resume_reading()

    def _complete(self, keep_alive: bool) -> None:
        if self.active:
            self.done, self.active, self.keep_alive = True, False, keep_alive
            self._wake()

    def _fail(self, error: HttpError) -> None:
        if self.active:
            self.error, self.active = error, False
            self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


class HttpResponse:
    """A response whose status line and headers have arrived; read its body once.

    body = await response.read()   # or: async for piece in response.iter_chunks(): ...
    """

    __slots__ = ("_client", "_conn", "_content", "_streaming", "headers", "status")

    def __init__(self, client: HttpClient, conn: _Connection) -> None:
        self.status: int = conn.status
        self.headers: Mapping[str, str] = conn.headers
        self._client = client
        self._conn: _Connection | None = conn
        self._content: bytes | None = None
        self._streaming = False

    async def read(self) -> bytes:
        """The whole body; the connection then goes back to the pool if it can."""
        if self._content is not None:
            return self._content
        conn = self._claim()
        parts: list[bytes] = []
        try:
            while not conn.done:
                if conn.error is not None:
                    raise conn.error
                if conn.chunks:
                    parts.append(conn.take_all())  # draining is what un-pauses the socket
                else:
                    await conn.wait()
        finally:
            parts.append(conn.take_all())
            self._settle()
        self._content = content = b"".join(parts)
        return content

    async def iter_chunks(self) -> AsyncIterator[bytes]:
        """Body pieces as they arrive; leaving the loop early closes the connection."""
        conn = self._claim()
        self._streaming = True
        try:
            while self._conn is conn:  # aclose() from elsewhere ends the stream
                chunk = await conn.next_chunk()
                if not chunk:
                    break
                yield chunk
        finally:
            self._settle()

    async def aclose(self) -> None:
        """Abandon the response; an unfinished body closes the connection. Idempotent."""
        self._settle()

    def _claim(self) -> _Connection:
        if self._conn is None or self._streaming:
            raise HttpError("the body was already read, streamed or abandoned")
        return self._conn

    def _settle(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._client._settle(conn)

    def __del__(self) -> None:
        # A response dropped unread must not keep its pool slot. The collector may run
        # in any thread, so the pool is touched from the loop's own.
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closed: nothing to free
                conn.loop.call_soon_threadsafe(self._client._settle, conn)


class HttpClient:
    """A connection pool for one upstream origin (scheme://host:port[/prefix]).

    client = HttpClient("http://127.0.0.1:9101/v1", max_connections=64)
    """

    def __init__(
        self,
        base_url: str,
        *,
        max_connections: int = 256,
        connect_timeout: float = 2.0,
        idle_timeout: float = 30.0,
        pool_timeout: float = 10.0,
        ssl_context: ssl.SSLContext | None = None,
        resolve: Callable[[str, int], Awaitable[str]] | None = None,
    ) -> None:
        """``resolve`` (host, port) -> the address to connect to, asked for every new
        connection: the outbound client checks the address there, at connect time, so a
        name cannot resolve to one address when checked and another when used."""
        url = urlsplit(base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"base_url must be http(s)://host[:port][/prefix], got {base_url!r}")
        tls = url.scheme == "https"
        default_port = 443 if tls else 80
        self._host, self._port = url.hostname, url.port or default_port
        self._ssl = (ssl_context or ssl.create_default_context()) if tls else None
        self._prefix = url.path.rstrip("/")
        host = f"[{self._host}]" if ":" in self._host else self._host
        authority = host if self._port == default_port else f"{host}:{self._port}"
        self._origin = f"{url.scheme}://{authority}"
        # The head lines the client adds, indexed by which of them the caller gave.
        self._tails = [
            ((f"Host: {authority}\r\n",) if not given & _HOST else ())
            + (("Connection: keep-alive\r\n",) if not given & _CONNECTION else ())
            + ("\r\n",)
            for given in range((_HOST | _CONNECTION) + 1)
        ]
        self._resolve = resolve
        self._max, self._pool_timeout = max_connections, pool_timeout
        self._connect_timeout, self._idle_timeout = connect_timeout, idle_timeout
        self._idle: list[_Connection] = []  # most recently used last: reuse is LIFO
        self._waiters: deque[asyncio.Future[_Connection | None]] = deque()
        self._conns: set[_Connection] = set()
        self._open = 0  # idle + in use + connecting
        self._closed = False
        self._sweeper: asyncio.TimerHandle | None = None

    async def request(
        self, method: str, path: str, headers: Sequence[tuple[str, str]], body: bytes = b""
    ) -> HttpResponse:
        """Send one request; returns once the status line and headers have arrived."""
        head = self._head(method, path, headers, body)
        head_only = method == "HEAD"
        conn = self._take_idle() or await self._acquire()
        try:
            try:
                await conn.exchange(head, body, head_only)
            except ReadError:
                if not conn.reused or conn.received:
                    raise
                # The server closed this idle connection just as it was reused, before
                # answering anything: one fresh connection may try again.
                conn.abort()
                self._conns.discard(conn)
                conn = await self._connect()
                await conn.exchange(head, body, head_only)
        except BaseException:
            self._discard(conn)
            raise
        return HttpResponse(self, conn)

    async def close(self) -> None:
        """Close every connection; later requests raise HttpError."""
        self._closed = True
        if self._sweeper is not None:
            self._sweeper.cancel()
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_exception(HttpError(f"{self._origin}: client is closed"))
        idle, self._idle = self._idle, []
        for conn in idle:
            self._discard(conn)
        for conn in list(self._conns):
            conn.abort()  # their holders see ReadError and give back the slots
        await asyncio.sleep(0)  # lets the transports finish closing

    def _head(
        self, method: str, path: str, headers: Sequence[tuple[str, str]], body: bytes
    ) -> bytes:
        lines = [f"{method} {self._prefix}{path} HTTP/1.1\r\n"]
        given = 0
        for name, value in headers:
            given |= _MANAGED.get(name.lower(), 0)
            lines.append(f"{name}: {value}\r\n")
        if not given & _LENGTH and (body or method in _BODY_METHODS):
            lines.append(f"Content-Length: {len(body)}\r\n")
        lines.extend(self._tails[given & (_HOST | _CONNECTION)])
        text = "".join(lines)
        # Each line ends in one CRLF; any other CR or LF would smuggle in a header.
        if text.count("\n") != len(lines) or text.count("\r") != len(lines):
            raise ValueError("request line or header contains CR or LF")
        return text.encode("latin-1")

    def _take_idle(self) -> _Connection | None:
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed and conn.loop.time() - conn.idle_since < self._idle_timeout:
                return conn
            self._discard(conn)
        return None

    async def _acquire(self) -> _Connection:
        if self._closed:
            raise HttpError(f"{self._origin}: client is closed")
        if self._open < self._max:
            self._open += 1
        elif (granted := await self._wait_for_slot()) is not None:
            return granted
        try:
            return await self._connect()
        except BaseException:
            self._free_slot()
            raise

    async def _wait_for_slot(self) -> _Connection | None:
        """Queue FIFO for a kept connection, or for a bare slot (None) to connect in."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[_Connection | None] = loop.create_future()
        self._waiters.append(waiter)
        timer = loop.call_later(self._pool_timeout, self._expire, waiter)
        try:
            return await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self._pass_on(waiter.result())  # granted just as the waiter was cancelled
            elif waiter in self._waiters:
                self._waiters.remove(waiter)
            raise
        finally:
            timer.cancel()

    def _expire(self, waiter: asyncio.Future[_Connection | None]) -> None:
        if not waiter.done():
            self._waiters.remove(waiter)
            busy = f"all {self._max} connections busy for {self._pool_timeout}s"
            waiter.set_exception(PoolTimeout(f"{self._origin}: {busy}"))

    async def _connect(self) -> _Connection:
        if self._closed:
            raise HttpError(f"{self._origin}: client is closed")
        loop = asyncio.get_running_loop()
        hostname = self._host if self._ssl is not None else None
        try:
            async with asyncio.timeout(self._connect_timeout):
                address = self._host
                if self._resolve is not None:
                    address = await self._resolve(self._host, self._port)
                _, conn = await loop.create_connection(
                    _Connection, address, self._port, ssl=self._ssl, server_hostname=hostname
                )
        except TimeoutError:
            message = f"{self._origin}: no connection within {self._connect_timeout}s"
            raise ConnectTimeout(message) from None
        except OSError as exc:
            raise ConnectError(f"{self._origin}: {exc}") from exc
        if self._closed:  # close() ran while this connection was being opened
            conn.abort()
            raise HttpError(f"{self._origin}: client is closed")
        self._conns.add(conn)
        return conn

    def _settle(self, conn: _Connection) -> None:
        """Take back a connection whose response is finished with."""
        if conn.done:
            conn.take_all()
            conn.reused = True
            self._pass_on(conn)
        else:
            self._discard(conn)

    def _pass_on(self, conn: _Connection | None) -> None:
        """Give a kept connection, or a bare slot (None), to the first waiter or the pool."""
        if conn is not None and (not conn.keep_alive or conn.closed or self._closed):
            self._discard(conn)
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        if conn is None:
            self._open -= 1
            return
        conn.idle_since = conn.loop.time()
        self._idle.append(conn)
        if self._sweeper is None:
            self._sweeper = conn.loop.call_later(self._idle_timeout, self._sweep)

    def _discard(self, conn: _Connection) -> None:
        conn.abort()
        self._conns.discard(conn)
        self._free_slot()

    def _free_slot(self) -> None:
        self._pass_on(None)

    def _sweep(self) -> None:
        self._sweeper = None
        if not self._idle:
            return
        loop = self._idle[0].loop
        deadline = loop.time() - self._idle_timeout
        stale = [c for c in self._idle if c.closed or c.idle_since <= deadline]
        self._idle = [c for c in self._idle if c not in stale]
        for conn in stale:
            self._discard(conn)
        if self._idle:
            self._sweeper = loop.call_later(self._idle[0].idle_since - deadline, self._sweep)
