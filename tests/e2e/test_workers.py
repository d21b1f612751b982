"""``seawall serve --workers N`` over a shared Redis, as a real multi-process server."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid

import httpx
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.fakes.openai_server import free_socket, wait_until_serving


def requests_total(text: str) -> float:
    for family in text_string_to_metric_families(text):
        if family.name == "seawall_requests":
            return sum(s.value for s in family.samples if s.name.endswith("_total"))
    return 0.0


async def test_two_workers_share_metrics_and_serve(tmp_path):
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    group = f"sim-{uuid.uuid4().hex[:8]}"  # its own slot keys in the shared Redis
    config = {
        "server": {"port": port, "drain_s": 5},
        "models": [{"name": group, "deployments": [{"provider": "simulated", "model": "m"}]}],
        "stores": {"hot": "redis://127.0.0.1:6379/0", "durable": f"sqlite:///{tmp_path}/t.db"},
    }
    path = tmp_path / "seawall.yaml"
    path.write_text(yaml.safe_dump(config))
    command = [sys.executable, "-m", "seawall.cli.main", "serve", "--config", str(path)]
    process = subprocess.Popen([*command, "--workers", "2"], env=dict(os.environ))  # noqa: ASYNC220
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_serving(url, "/readyz")
        body = {"model": group, "messages": [{"role": "user", "content": "hi"}]}
        for _ in range(20):
            async with httpx.AsyncClient(timeout=10) as fresh:  # new connections spread out
                answer = await fresh.post(url + "/v1/chat/completions", json=body)
                assert answer.status_code == 200
        totals = set()
        for _ in range(6):
            async with httpx.AsyncClient(timeout=10) as fresh:
                totals.add(requests_total((await fresh.get(url + "/metrics")).text))
        assert totals == {20.0}  # every worker's /metrics counts all workers' requests
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.to_thread(process.wait, 15)
