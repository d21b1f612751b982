"""The outbound client: Standard Webhooks signatures a receiver can verify, SSRF refusals
checked on the resolved address, time and size bounds."""

from __future__ import annotations

import base64

import pytest

from seawall.outbound import Outbound, OutboundError, OutboundRefused, refused, sign, verify
from tests.fakes.openai_server import Served
from tests.fakes.webhook_server import WebhookReceiver

SECRET = "whsec_" + base64.b64encode(b"a-32-byte-secret-for-the-tests!!").decode()


@pytest.fixture
async def receiver():
    app = WebhookReceiver()
    served = await Served(app).start()
    yield app, served.url
    await served.stop()


async def test_a_delivery_is_signed_so_the_receiver_can_verify_it(receiver):
    app, url = receiver
    outbound = Outbound(allow_private=["127.0.0.0/8"])
    reply = await outbound.post_json(f"{url}/hook?x=1", {"intent": "balance"}, secret=SECRET)
    await outbound.close()
    assert reply.status == 200 and reply.json() == {"content": "handled"}
    delivery = app.deliveries[0]
    assert delivery.json() == {"intent": "balance"}
    assert delivery.headers["webhook-id"].startswith("msg_")
    assert verify(SECRET, delivery.headers, delivery.body)
    assert not verify(SECRET, delivery.headers, delivery.body + b" ")  # tampered body
    assert not verify(
        "whsec_" + base64.b64encode(b"other").decode(), delivery.headers, delivery.body
    )


def test_signature_matches_the_standard_webhooks_definition():
    # HMAC-SHA256 over "id.timestamp.body" with the base64-decoded whsec_ key
    import hashlib
    import hmac

    key = base64.b64decode(SECRET[len("whsec_") :])
    expected = base64.b64encode(
        hmac.new(key, b"msg_1.1700000000.{}", hashlib.sha256).digest()
    ).decode()
    assert sign(SECRET, "msg_1", 1_700_000_000, b"{}") == f"v1,{expected}"


def test_old_deliveries_fail_verification():
    body = b"{}"
    headers = {"webhook-id": "msg_1", "webhook-timestamp": "1700000000"}
    headers["webhook-signature"] = sign(SECRET, "msg_1", 1_700_000_000, body)
    assert not verify(SECRET, headers, body)  # years old: outside the tolerance


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_internal_addresses_are_refused(address):
    assert refused(address, [])


def test_public_addresses_pass_and_allow_listed_networks_open_a_door():
    import ipaddress

    assert not refused("93.184.216.34", [])
    assert not refused("2606:4700::1111", [])
    assert not refused("127.0.0.1", [ipaddress.ip_network("127.0.0.0/8")])
    assert refused("10.0.0.1", [ipaddress.ip_network("127.0.0.0/8")])


async def test_loopback_is_refused_at_connect_time_by_name_and_by_literal(receiver):
    app, url = receiver
    outbound = Outbound()  # nothing allow-listed
    port = url.rsplit(":", 1)[1]
    for target in (url, f"http://localhost:{port}", f"http://[::ffff:127.0.0.1]:{port}"):
        with pytest.raises(OutboundRefused):
            await outbound.post_json(target, {})
    with pytest.raises(OutboundRefused):
        await outbound.post_json("file:///etc/passwd", {})
    await outbound.close()
    assert app.deliveries == []


async def test_slow_and_oversized_replies_are_errors(receiver):
    app, url = receiver
    outbound = Outbound(allow_private=["127.0.0.0/8"], timeout_s=0.2, max_response_bytes=2048)
    app.delay = 1.0
    with pytest.raises(OutboundError, match="no reply within"):
        await outbound.post_json(url, {})
    app.delay, app.reply = 0.0, {"content": "x" * 5000}
    with pytest.raises(OutboundError, match="larger than"):
        await outbound.post_json(url, {})
    await outbound.close()
