from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from seawall import config
from seawall.gateway import Gateway
from seawall.server.app import SeawallApp
from tests.fakes.openai_server import FakeOpenAI, Served


@pytest.fixture(scope="session")
async def _upstreams() -> AsyncIterator[tuple[Served, FakeOpenAI, Served, FakeOpenAI]]:
    a, b = FakeOpenAI("upstream-a"), FakeOpenAI("upstream-b")
    served_a, served_b = await Served(a).start(), await Served(b).start()
    yield served_a, a, served_b, b
    await served_a.stop()
    await served_b.stop()


class Upstream:
    def __init__(self, served: Served, fake: FakeOpenAI) -> None:
        self.url = served.url + "/v1"
        self.fake = fake
        self.plan = fake.plan


@pytest.fixture
async def upstream_a(_upstreams: Any) -> Upstream:
    _upstreams[1].reset()
    return Upstream(_upstreams[0], _upstreams[1])


@pytest.fixture
async def upstream_b(_upstreams: Any) -> Upstream:
    _upstreams[3].reset()
    return Upstream(_upstreams[2], _upstreams[3])


class RunningGateway:
    def __init__(self, served: Served, gateway: Gateway) -> None:
        self.served = served
        self.gateway = gateway
        self.url = served.url
        self.base_url = served.url + "/v1"

    def client(self, **options: Any) -> Any:
        from openai import AsyncOpenAI

        options.setdefault("max_retries", 0)
        options.setdefault("timeout", 20)
        options.setdefault("api_key", "test")
        return AsyncOpenAI(base_url=self.base_url, **options)


GatewayFactory = Callable[[dict[str, Any]], Awaitable[RunningGateway]]


def settings_from(data: dict[str, Any], tmp_path: Path) -> config.Settings:
    data = dict(data)
    data.setdefault("stores", {"hot": "memory", "durable": f"sqlite:///{tmp_path}/traces.db"})
    data.setdefault("retry", {"attempts": 3, "backoff_ms": 10, "max_backoff_ms": 50})
    return config.parse(data, env={})


@pytest.fixture
async def start_gateway(tmp_path: Path) -> AsyncIterator[GatewayFactory]:
    running: list[RunningGateway] = []

    async def start(data: dict[str, Any]) -> RunningGateway:
        gateway = Gateway(settings_from(data, tmp_path))
        served = await Served(SeawallApp(gateway), lifespan=True).start()
        running.append(RunningGateway(served, gateway))
        return running[-1]

    yield start
    for item in running:
        await item.served.stop()
