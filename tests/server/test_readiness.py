"""/readyz: ready once started, degraded (never unready) for upstream trouble."""

from __future__ import annotations

import httpx

from seawall import config
from seawall.gateway import Gateway
from seawall.server.app import SeawallApp


def settings(tmp_path):
    return config.parse(
        {
            "models": [
                {"name": "sim", "deployments": [{"id": "s", "provider": "simulated", "model": "m"}]}
            ],
            "breaker": {"min_requests": 2, "failure_rate": 0.5, "cooldown_s": 30},
            "stores": {"durable": f"sqlite:///{tmp_path}/t.db"},
        },
        env={},
    )


async def readyz(gateway: Gateway) -> httpx.Response:
    transport = httpx.ASGITransport(app=SeawallApp(gateway))
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
        return await http.get("/readyz")


async def test_unready_until_started_and_after_closing(tmp_path):
    gateway = Gateway(settings(tmp_path))
    assert (await readyz(gateway)).status_code == 503
    await gateway.start()
    response = await readyz(gateway)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "degraded": [],
        "warnings": ["authentication is off: no keys are configured, anyone may call"],
    }
    await gateway.close()
    assert (await readyz(gateway)).status_code == 503


async def test_every_upstream_down_is_degraded_not_unready(tmp_path):
    gateway = Gateway(settings(tmp_path))
    await gateway.start()
    try:
        gateway.board.record("s", ok=False)
        gateway.board.record("s", ok=False)
        response = await readyz(gateway)
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "degraded"
        assert body["degraded"] == ["circuit open: s", "no usable deployment for model sim"]
    finally:
        await gateway.close()
