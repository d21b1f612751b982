"""Traces and metrics as a client reads them (in-process, through the ASGI transport)."""

from __future__ import annotations

import json

import httpx
import pytest

SIM = {"name": "sim", "deployments": [{"id": "s", "provider": "simulated", "model": "m"}]}
BODY = {"model": "sim", "messages": [{"role": "user", "content": "secret question"}]}


@pytest.fixture
def make(in_process):
    async def make(**extra: object) -> httpx.AsyncClient:
        return await in_process({"models": [SIM], **extra})

    return make


async def flushed(http: httpx.AsyncClient) -> None:
    await http._transport.app.gateway.traces.flush()  # type: ignore[attr-defined]


async def test_a_trace_per_request_with_spans_and_no_text_by_default(make):
    http = await make()
    response = await http.post("/v1/chat/completions", json=BODY)
    trace_id = response.headers["x-seawall-trace-id"]
    await flushed(http)
    trace = (await http.get(f"/v1/traces/{trace_id}")).json()
    assert trace["id"] == trace_id and trace["model"] == "sim" and trace["deployment"] == "s"
    assert trace["status"] == 200 and trace["usage"]["completion_tokens"] > 0
    assert [s["name"] for s in trace["spans"]] == [
        "guard.injection",
        "upstream",
        "dispatch",
        "structured",
        "output_guard",
        "guard",
        "injection",
        "limits",
    ]
    assert trace["spans"][1]["attributes"] == {"deployment": "s", "group": "sim"}
    assert trace["request"] is None and trace["response"] is None


async def test_content_is_captured_only_when_asked(make):
    http = await make(tracing={"capture_content": True})
    response = await http.post("/v1/chat/completions", json=BODY)
    await flushed(http)
    trace = (await http.get(f"/v1/traces/{response.headers['x-seawall-trace-id']}")).json()
    assert "secret question" in trace["request"]
    assert trace["response"] == response.json()["choices"][0]["message"]["content"]

    streamed = await http.post("/v1/chat/completions", json={**BODY, "stream": True})
    await flushed(http)
    trace = (await http.get(f"/v1/traces/{streamed.headers['x-seawall-trace-id']}")).json()
    events = [line[6:] for line in streamed.text.splitlines() if line.startswith("data: {")]
    text = "".join(
        c["choices"][0]["delta"].get("content") or ""
        for c in map(json.loads, events)
        if c["choices"]
    )
    assert text and trace["response"] == text and trace["stream"] is True


async def test_pages_go_newest_first_and_bad_queries_are_400(make):
    http = await make()
    ids = []
    for _ in range(5):
        ids.append(
            (await http.post("/v1/chat/completions", json=BODY)).headers["x-seawall-trace-id"]
        )
    await flushed(http)
    first = (await http.get("/v1/traces?limit=3")).json()
    second = (await http.get(f"/v1/traces?limit=3&cursor={first['next_cursor']}")).json()
    assert [t["id"] for t in first["data"] + second["data"]] == ids[::-1]
    assert second["next_cursor"] is None
    for query in ("limit=0", "limit=500", "limit=x", "cursor=abc"):
        assert (await http.get(f"/v1/traces?{query}")).status_code == 400
    assert (await http.get("/v1/traces/nope")).status_code == 404


async def test_metrics_count_requests_tokens_and_attempts(make):
    http = await make()
    await http.post("/v1/chat/completions", json=BODY)
    await http.post("/v1/chat/completions", json={**BODY, "model": "ghost"})
    text = (await http.get("/metrics")).text
    assert 'seawall_requests_total{deployment="s",model="sim",status="200"} 1.0' in text
    assert 'seawall_upstream_attempts_total{deployment="s",outcome="ok"} 1.0' in text
    assert 'seawall_tokens_total{deployment="s",kind="completion",model="sim"}' in text
    assert 'seawall_breaker_state{deployment="s"} 0.0' in text
    assert 'seawall_requests_total{deployment="-",model="-",status="404"} 1.0' in text


async def test_traces_are_bounded_by_count(tmp_path):
    from seawall.stores.sqlite import SqliteTraceSink
    from seawall.trace.tracer import Trace

    sink = SqliteTraceSink(str(tmp_path / "t.db"), max_traces=100, max_age_s=3600)
    await sink.start()
    for i in range(250):
        trace = Trace.start(f"r{i}", None)
        sink.record(trace.record(200, 1, 1))
    await sink.flush()
    page, _ = await sink.recent(None, 200, None)
    assert len(page) == 100 and page[0].request_id == "r249" and page[-1].request_id == "r150"
    await sink.close()


async def test_traces_are_bounded_by_age(tmp_path):
    import dataclasses
    import time

    from seawall.stores.sqlite import SqliteTraceSink
    from seawall.trace.tracer import Trace

    sink = SqliteTraceSink(str(tmp_path / "t.db"), max_traces=1000, max_age_s=3600)
    await sink.start()
    old = Trace.start("old", None).record(200, 1, 1)
    sink.record(dataclasses.replace(old, started_at=time.time() - 7200))
    sink.record(Trace.start("new", None).record(200, 1, 1))
    await sink.flush()
    page, _ = await sink.recent(None, 10, None)
    assert [t.request_id for t in page] == ["new"]
    await sink.close()
