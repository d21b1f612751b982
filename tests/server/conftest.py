from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from seawall import config
from seawall.gateway import Gateway
from seawall.server.app import SeawallApp

InProcess = Callable[[dict[str, Any]], Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def in_process(tmp_path: Path) -> AsyncIterator[InProcess]:
    """Started gateways served in-process (ASGI transport); all share one durable store,
    ``tmp_path / "gw.db"``, as replicas would."""
    gateways: list[Gateway] = []

    async def make(data: dict[str, Any]) -> httpx.AsyncClient:
        data = {"stores": {"durable": f"sqlite:///{tmp_path}/gw.db"}, **data}
        gateway = Gateway(config.parse(data, env={}))
        await gateway.start()
        gateways.append(gateway)
        transport = httpx.ASGITransport(app=SeawallApp(gateway))
        return httpx.AsyncClient(transport=transport, base_url="http://gw")

    yield make
    for gateway in gateways:
        await gateway.close()
