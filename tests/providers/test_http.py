"""The pooled upstream client against small real servers on loopback.

Each server is a raw ``asyncio.start_server`` handler that writes exact bytes, so a test
decides the framing, when the server stalls, and when it hangs up.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import gc
import ipaddress
import itertools
import re
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from seawall.providers.http import (
    ConnectError,
    ConnectTimeout,
    HttpClient,
    HttpError,
    PoolTimeout,
    ReadError,
    RemoteProtocolError,
)

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
CHUNKED_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


def chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


class Upstream:
    """A loopback server that counts the connections it accepted."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.connections = 0
        self.port = 0
        self.tasks: set[asyncio.Task[Any]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        try:
            await self.handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()
            self.tasks.discard(task)


@contextlib.asynccontextmanager
async def upstream(handler: Handler, tls: ssl.SSLContext | None = None) -> AsyncIterator[Upstream]:
    up = Upstream(handler)
    server = await asyncio.start_server(up.serve, "127.0.0.1", 0, ssl=tls)
    up.port = server.sockets[0].getsockname()[1]
    try:
        yield up
    finally:
        server.close()
        tasks = list(up.tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


@contextlib.asynccontextmanager
async def client_for(url: str, **options: Any) -> AsyncIterator[HttpClient]:
    client = HttpClient(url, **options)
    try:
        yield client
    finally:
        await client.close()


async def read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    if length:
        await reader.readexactly(int(length.group(1)))
    return head


def answer(*responses: bytes) -> Handler:
    """Answers each request on a connection with the next response, cycling."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for response in itertools.cycle(responses):
            await read_request(reader)
            writer.write(response)

    return handle


def by_path(routes: dict[bytes, bytes | None]) -> Handler:
    """Answers by request path; a None route stalls that connection forever."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            head = await read_request(reader)
            response = routes[head.split(b" ", 2)[1]]
            if response is None:
                await asyncio.Event().wait()
            writer.write(response)

    return handle


async def test_content_length_body_and_request_head() -> None:
    heads: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            heads.append(await read_request(reader))
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Thing: a\r\n\r\nhello")

    async with upstream(handle) as up, client_for(up.url + "/v1/") as client:
        response = await client.request("POST", "/chat/completions", [("X-Key", "k")], b"{}")
        assert (response.status, response.headers["x-thing"]) == (200, "a")
        assert await response.read() == b"hello"
        await (await client.request("POST", "/empty", [])).read()
        await (await client.request("GET", "/get", [("host", "h"), ("connection", "x")])).read()
    assert heads == [
        b"POST /v1/chat/completions HTTP/1.1\r\nX-Key: k\r\nContent-Length: 2\r\n"
        b"Host: 127.0.0.1:%d\r\nConnection: keep-alive\r\n\r\n" % up.port,
        b"POST /v1/empty HTTP/1.1\r\nContent-Length: 0\r\n"
        b"Host: 127.0.0.1:%d\r\nConnection: keep-alive\r\n\r\n" % up.port,
        b"GET /v1/get HTTP/1.1\r\nhost: h\r\nconnection: x\r\n\r\n",
    ]


async def test_chunked_body_then_reuse() -> None:
    body = CHUNKED_HEAD + chunk(b"hello") + chunk(b" world") + b"0\r\n\r\n"
    async with upstream(answer(body)) as up, client_for(up.url) as client:
        for _ in range(2):
            assert await (await client.request("GET", "/", [])).read() == b"hello world"
    assert up.connections == 1


async def test_body_read_until_close() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\n\r\nstreamed until ")
        await writer.drain()
        writer.write(b"close")

    async with upstream(handle) as up, client_for(up.url) as client:
        for _ in range(2):
            assert await (await client.request("GET", "/", [])).read() == b"streamed until close"
    assert up.connections == 2


async def test_truncated_body_raises_read_error() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")

    async with upstream(handle) as up, client_for(up.url) as client:
        response = await client.request("GET", "/", [])
        with pytest.raises(ReadError):
            await response.read()
        assert client._open == 0


async def test_keep_alive_reuses_one_connection() -> None:
    async with upstream(answer(OK)) as up, client_for(up.url) as client:
        for _ in range(5):
            assert await (await client.request("POST", "/", [], b"x")).read() == b"hello"
        assert (client._open, len(client._idle)) == (1, 1)
    assert up.connections == 1


async def test_connection_close_header_is_honoured() -> None:
    closing = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
    async with upstream(answer(closing)) as up, client_for(up.url) as client:
        for _ in range(2):
            assert await (await client.request("GET", "/", [])).read() == b"hello"
        assert client._open == 0
    assert up.connections == 2


async def test_stale_reused_connection_is_retried_once_on_a_fresh_one() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(OK)
        await read_request(reader)  # the server timed this connection out: hang up unanswered

    async with upstream(handle) as up, client_for(up.url) as client:
        for _ in range(2):
            assert await (await client.request("POST", "/", [], b"x")).read() == b"hello"
    assert up.connections == 2


async def test_fresh_connection_closed_unanswered_is_not_retried() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)

    async with upstream(handle) as up, client_for(up.url) as client:
        with pytest.raises(ReadError):
            await client.request("POST", "/", [], b"x")
        assert client._open == 0
    assert up.connections == 1


async def test_reused_connection_that_answered_partly_is_not_retried() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(OK)
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Le")

    async with upstream(handle) as up, client_for(up.url) as client:
        await (await client.request("GET", "/", [])).read()
        with pytest.raises(ReadError):
            await client.request("GET", "/", [])
    assert up.connections == 1


async def test_data_after_the_response_drops_the_connection() -> None:
    async with upstream(answer(OK + OK)) as up, client_for(up.url) as client:
        for _ in range(2):
            assert await (await client.request("GET", "/", [])).read() == b"hello"
    assert up.connections == 2


async def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with client_for(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(ConnectError) as caught:
            await client.request("GET", "/", [])
        assert not isinstance(caught.value, ConnectTimeout)
        assert client._open == 0


async def test_connect_timeout_when_the_accept_queue_is_full() -> None:
    # Linux drops SYNs to a listener whose accept queue is full, so connect() hangs.
    with socket.socket() as listener, socket.socket() as filler:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        filler.connect(listener.getsockname())
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        async with client_for(url, connect_timeout=0.1) as client:
            with pytest.raises(ConnectTimeout):
                await client.request("GET", "/", [])
            assert client._open == 0


async def test_connect_timeout_covers_the_tls_handshake() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.Event().wait()

    async with upstream(silent) as up:
        url = f"https://127.0.0.1:{up.port}"
        async with client_for(url, connect_timeout=0.1) as client:
            with pytest.raises(ConnectTimeout):
                await client.request("GET", "/", [])


async def test_pool_limit_and_pool_timeout() -> None:
    async def slow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            await read_request(reader)
            await asyncio.sleep(0.01)
            writer.write(OK)

    async with upstream(slow) as up, client_for(up.url, max_connections=2) as client:

        async def get() -> bytes:
            return await (await client.request("GET", "/", [])).read()

        assert await asyncio.gather(*(get() for _ in range(10))) == [b"hello"] * 10
        assert up.connections == 2
    routes: dict[bytes, bytes | None] = {b"/stall": None}
    async with (
        upstream(by_path(routes)) as up,
        client_for(up.url, max_connections=1, pool_timeout=0.05) as client,
    ):
        stalled = asyncio.create_task(client.request("GET", "/stall", []))
        await asyncio.sleep(0.02)
        with pytest.raises(PoolTimeout):
            await client.request("GET", "/stall", [])
        stalled.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await stalled
        assert (client._open, len(client._waiters)) == (0, 0)


async def test_a_handover_to_a_cancelled_waiter_is_passed_on() -> None:
    routes: dict[bytes, bytes | None] = {b"/ok": OK, b"/partial": CHUNKED_HEAD}
    async with upstream(by_path(routes)) as up, client_for(up.url, max_connections=1) as client:
        for path in ("/ok", "/partial"):  # a kept connection, then a bare slot, is handed over
            first = await client.request("GET", path, [])
            waiter = asyncio.create_task(client.request("GET", "/ok", []))
            await asyncio.sleep(0)
            await first.aclose()
            waiter.cancel()  # the waiter was granted the slot but never got to run
            await asyncio.gather(waiter, return_exceptions=True)
            assert waiter.cancelled()
            assert await (await client.request("GET", "/ok", [])).read() == b"hello"
        assert client._open == 1


async def test_cancellation_never_leaks_a_slot() -> None:
    partial = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc"
    routes: dict[bytes, bytes | None] = {b"/stall": None, b"/ok": OK, b"/partial": partial}
    async with (
        upstream(by_path(routes)) as up,
        client_for(up.url, max_connections=2, pool_timeout=1.0) as client,
    ):
        for delay in (0, 0.001, 0.03):  # connecting, queued, awaiting the head
            tasks = [asyncio.create_task(client.request("GET", "/stall", [])) for _ in range(20)]
            await asyncio.sleep(delay)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for streamed in (False, True, False):  # a body abandoned by a timeout
            response = await client.request("GET", "/partial", [])
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(0.01):
                    if streamed:
                        async for _ in response.iter_chunks():
                            pass
                    else:
                        await response.read()
        bodies = [await (await client.request("GET", "/ok", [])).read() for _ in range(4)]
        assert bodies == [b"hello"] * 4
        assert (client._open, len(client._idle), len(client._waiters)) == (1, 1, 0)


async def test_abandoned_stream_closes_its_connection() -> None:
    hung_up = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(CHUNKED_HEAD + chunk(b"first"))
        try:
            await reader.read()
        finally:
            hung_up.set()

    async with upstream(handle) as up, client_for(up.url) as client:
        response = await client.request("GET", "/", [])
        pieces = response.iter_chunks()
        assert await anext(pieces) == b"first"
        await pieces.aclose()  # type: ignore[attr-defined]
        await asyncio.wait_for(hung_up.wait(), 1)
        assert client._open == 0

        hung_up.clear()
        await client.request("GET", "/", [])  # dropped unread: the slot must come back
        gc.collect()
        await asyncio.wait_for(hung_up.wait(), 1)
        assert client._open == 0


async def test_iter_chunks_yields_pieces_as_they_arrive() -> None:
    go = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(CHUNKED_HEAD + chunk(b"data: 1\n\n"))
        await go.wait()
        writer.write(chunk(b"data: 2\n\n") + b"0\r\n\r\n")
        await read_request(reader)

    async with upstream(handle) as up, client_for(up.url) as client:
        response = await client.request("POST", "/", [], b"{}")
        pieces = response.iter_chunks()
        assert await anext(pieces) == b"data: 1\n\n"
        go.set()
        assert [piece async for piece in pieces] == [b"data: 2\n\n"]
        assert len(client._idle) == 1


async def test_backpressure_pauses_reading() -> None:
    size = 8 * 1024 * 1024

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size)
        for _ in range(size // 65536):
            writer.write(b"x" * 65536)
            await writer.drain()

    async with upstream(handle) as up, client_for(up.url) as client:
        response = await client.request("GET", "/", [])
        pieces = response.iter_chunks()
        received = len(await anext(pieces))
        await asyncio.sleep(0.1)
        conn = response._conn
        assert conn is not None and conn.paused
        assert conn.buffered < 768 * 1024  # the high-water mark plus at most one socket read
        async for piece in pieces:
            received += len(piece)
        assert received == size
        assert len(client._idle) == 1


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with cryptography or openssl."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        _self_signed(cert, key)
    except ImportError:
        import shutil
        import subprocess

        if shutil.which("openssl") is None:
            pytest.skip("neither the cryptography package nor the openssl command is available")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True, capture_output=True,
        )  # fmt: skip
    return cert, key


def _self_signed(cert_path: Path, key_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


async def test_tls_with_a_self_signed_certificate(certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    async with upstream(answer(CHUNKED_HEAD + chunk(b"secret") + b"0\r\n\r\n"), server_tls) as up:
        url = f"https://127.0.0.1:{up.port}"
        trusting = ssl.create_default_context(cafile=str(cert))
        async with client_for(url, ssl_context=trusting) as client:
            for _ in range(2):
                assert await (await client.request("GET", "/", [])).read() == b"secret"
        assert up.connections == 1
        async with client_for(url) as client:
            with pytest.raises(ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await client.request("GET", "/", [])


async def test_interim_responses_are_skipped() -> None:
    interim = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
    async with upstream(answer(interim + OK)) as up, client_for(up.url) as client:
        response = await client.request("POST", "/", [], b"{}")
        assert (response.status, dict(response.headers)) == (200, {"content-length": "5"})
        assert await response.read() == b"hello"


async def test_repeated_headers_are_joined_and_names_lowered() -> None:
    head = b"HTTP/1.1 429 Too Many\r\nSet-Cookie: a=1\r\nX-Case: V\r\nset-cookie: b=2\r\n"
    async with (
        upstream(answer(head + b"Content-Length: 0\r\n\r\n")) as up,
        client_for(up.url) as client,
    ):
        response = await client.request("GET", "/", [])
    assert response.status == 429
    assert dict(response.headers) == {
        "set-cookie": "a=1, b=2",
        "x-case": "V",
        "content-length": "0",
    }


async def test_head_204_and_304_have_no_body() -> None:
    routes: dict[bytes, bytes | None] = {
        b"/head": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
        b"/204": b"HTTP/1.1 204 No Content\r\n\r\n",
        b"/304": b"HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n",
        b"/ok": OK,
    }
    async with upstream(by_path(routes)) as up, client_for(up.url) as client:
        for method, path, body in [("HEAD", "/head", b""), ("GET", "/204", b""),
                                   ("GET", "/304", b""), ("HEAD", "/head", b""),
                                   ("GET", "/ok", b"hello")]:  # fmt: skip
            assert await (await client.request(method, path, [])).read() == body
    assert up.connections == 1


async def test_idle_connections_expire() -> None:
    async with upstream(answer(OK)) as up, client_for(up.url, idle_timeout=0.05) as client:
        await (await client.request("GET", "/", [])).read()
        await asyncio.sleep(0.12)
        assert (client._open, client._idle) == (0, [])
        await (await client.request("GET", "/", [])).read()
    assert up.connections == 2


async def test_garbage_is_a_protocol_error() -> None:
    async with upstream(answer(b"SMTP ready\r\n\r\n")) as up, client_for(up.url) as client:
        with pytest.raises(RemoteProtocolError):
            await client.request("GET", "/", [])
        assert client._open == 0


async def test_close_fails_in_flight_and_later_requests() -> None:
    async with upstream(by_path({b"/stall": None})) as up:
        client = HttpClient(up.url)
        stalled = asyncio.create_task(client.request("GET", "/stall", []))
        await asyncio.sleep(0.02)
        await client.close()
        with pytest.raises(HttpError):
            await stalled
        with pytest.raises(HttpError):
            await client.request("GET", "/stall", [])


async def test_header_injection_is_refused() -> None:
    client = HttpClient("http://127.0.0.1:9")
    with pytest.raises(ValueError):
        await client.request("GET", "/", [("x-a", "1\r\nx-b: 2")])


def test_on_uvloop(certificate: tuple[Path, Path]) -> None:
    uvloop = pytest.importorskip("uvloop")
    cert, key = certificate
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    trusting = ssl.create_default_context(cafile=str(cert))

    async def scenario() -> None:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await read_request(reader)
            writer.write(CHUNKED_HEAD + chunk(b"a"))
            await asyncio.sleep(0.01)
            writer.write(chunk(b"b") + b"0\r\n\r\n")
            await read_request(reader)  # then hang up: the client retries on a fresh one

        async with upstream(handle) as up, client_for(up.url) as client:
            response = await client.request("GET", "/", [])
            sock = response._conn.transport.get_extra_info("socket")  # type: ignore[union-attr]
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
            assert [piece async for piece in response.iter_chunks()] == [b"a", b"b"]
            assert await (await client.request("GET", "/", [])).read() == b"ab"
        assert up.connections == 2
        async with (
            upstream(by_path({b"/stall": None})) as up,
            client_for(up.url, max_connections=1) as client,
        ):
            tasks = [asyncio.create_task(client.request("GET", "/stall", [])) for _ in range(3)]
            await asyncio.sleep(0.02)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            assert (client._open, len(client._waiters)) == (0, 0)
        async with upstream(answer(OK), server_tls) as up:
            url = f"https://127.0.0.1:{up.port}"
            async with client_for(url, ssl_context=trusting) as client:
                for _ in range(2):
                    assert await (await client.request("GET", "/", [])).read() == b"hello"
            assert up.connections == 1
        async with upstream(by_path({})) as up:  # speaks no TLS: the handshake stalls
            url = f"https://127.0.0.1:{up.port}"
            async with client_for(url, ssl_context=trusting, connect_timeout=0.05) as client:
                with pytest.raises(ConnectTimeout):
                    await client.request("GET", "/", [])

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(scenario())
