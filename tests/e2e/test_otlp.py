"""Traces exported to an OpenTelemetry collector over OTLP/HTTP (a fake collector)."""

from __future__ import annotations

from typing import Any

import orjson

from tests.fakes.openai_server import Served, read_body


class Collector:
    def __init__(self) -> None:
        self.batches: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.status = 200

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = await read_body(receive)
        assert scope["path"] == "/v1/traces"
        self.headers.append({k.decode(): v.decode() for k, v in scope["headers"]})
        self.batches.append(orjson.loads(body))
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    def spans(self) -> list[dict[str, Any]]:
        return [
            span
            for batch in self.batches
            for resource in batch["resourceSpans"]
            for scope in resource["scopeSpans"]
            for span in scope["spans"]
        ]


def attrs(span: dict[str, Any]) -> dict[str, Any]:
    return {a["key"]: next(iter(a["value"].values())) for a in span["attributes"]}


async def test_spans_reach_the_collector_linked_to_the_caller(start_gateway):
    collector = Collector()
    served = await Served(collector).start()
    try:
        gw = await start_gateway(
            {
                "models": [
                    {
                        "name": "sim",
                        "deployments": [{"id": "s", "provider": "simulated", "model": "m"}],
                    }
                ],
                "tracing": {"otlp_endpoint": served.url, "otlp_headers": {"x-team": "ai"}},
            }
        )
        caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        response = await gw.client().chat.completions.with_raw_response.create(
            model="sim",
            messages=[{"role": "user", "content": "hi"}],
            extra_headers={"traceparent": caller},
        )
        await gw.gateway.otlp.flush()
        spans = collector.spans()
        root = next(s for s in spans if s["kind"] == 2)
        assert root["traceId"] == "4bf92f3577b34da6a3ce929d0e0e4736"
        assert root["parentSpanId"] == "00f067aa0ba902b7"
        assert response.headers["traceparent"].split("-")[2] == root["spanId"]
        assert attrs(root)["seawall.deployment"] == "s"
        assert attrs(root)["http.response.status_code"] == "200"
        children = [s for s in spans if s["kind"] == 1]
        assert [c["name"] for c in children] == [
            "guard.injection",
            "upstream",
            "dispatch",
            "structured",
            "output_guard",
            "guard",
            "injection",
            "limits",
        ]
        assert all(c["parentSpanId"] == root["spanId"] for c in children)
        assert len({s["spanId"] for s in spans}) == 9
        dispatch = next(c for c in children if c["name"] == "dispatch")
        assert int(root["endTimeUnixNano"]) >= int(dispatch["endTimeUnixNano"])
        assert collector.headers[0]["x-team"] == "ai"
        assert collector.headers[0]["content-type"] == "application/json"
        resource = collector.batches[0]["resourceSpans"][0]["resource"]
        assert attrs(resource)["service.name"] == "seawall"
    finally:
        await served.stop()


async def test_a_failing_collector_drops_and_counts_without_hurting_requests(start_gateway):
    collector = Collector()
    collector.status = 503
    served = await Served(collector).start()
    try:
        gw = await start_gateway(
            {
                "models": [
                    {"name": "sim", "deployments": [{"provider": "simulated", "model": "m"}]}
                ],
                "tracing": {"otlp_endpoint": served.url},
            }
        )
        for _ in range(3):
            await gw.client().chat.completions.create(
                model="sim", messages=[{"role": "user", "content": "hi"}]
            )
        await gw.gateway.otlp.flush()
        assert gw.gateway.otlp.dropped == 3 and gw.gateway.otlp.sent == 0
    finally:
        await served.stop()
