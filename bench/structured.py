"""Structured output under drift: for each way the simulated model strays from the
requested JSON schema, the share of requests that end with valid JSON and the mean
number of upstream answers each took, through the gateway's whole pipeline in process
(two simulated deployments, no latency, no backoff).

    python bench/structured.py [--requests N] [--rates 0.3,1.0] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import tempfile
import time
from typing import Any

from seawall import config
from seawall.errors import StructuredOutputFailed
from seawall.gateway import Gateway
from seawall.pipeline import Context
from seawall.trace.tracer import Trace
from seawall.types import ChatRequest

MODES = ("fenced", "prose", "trailing_comma", "wrapped", "renamed", "missing", "not_json")
SCHEMA = {
    "type": "object",
    "properties": {"amount": {"type": "number"}, "currency": {"enum": ["EUR", "USD"]}},
    "required": ["amount", "currency"],
    "additionalProperties": False,
}
FORMAT = {"type": "json_schema", "json_schema": {"name": "refund", "schema": SCHEMA}}


def settings(mode: str, rate: float, db: str) -> config.Settings:
    def deployment(seed: int) -> dict[str, Any]:
        faults = {"drift_rate": rate, "drift": [mode], "seed": seed}
        return {"id": f"sim-{seed}", "provider": "simulated", "model": "m", "faults": faults}

    chat = {
        "name": "chat",
        "deployments": [deployment(1), deployment(2)],
        "guard": {"injection": "allow", "pii": "allow", "output": "allow"},
        "structured": {"backoff_ms": 0},
    }
    return config.parse({"models": [chat], "stores": {"durable": f"sqlite:///{db}"}}, env={})


async def measure(mode: str, rate: float, requests: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        gateway = Gateway(settings(mode, rate, f"{tmp}/bench.db"))
        await gateway.start()
        valid = answers = 0
        start = time.perf_counter()
        try:
            for index in range(requests):
                body = {
                    "model": "chat",
                    "messages": [{"role": "user", "content": f"refund {index}?"}],
                    "response_format": FORMAT,
                }
                trace = Trace.start(f"r{index}", None)
                ctx = Context(ChatRequest(body, "chat"), trace, {})
                try:
                    await gateway.chat(ctx)
                    valid += 1
                except StructuredOutputFailed:
                    pass
                answers += sum(1 for span in trace.spans if span[0] == "upstream")
        finally:
            await gateway.close()
        seconds = time.perf_counter() - start
    return {
        "mode": mode,
        "drift_rate": rate,
        "valid_share": round(valid / requests, 3),
        "mean_answers": round(answers / requests, 2),
        "ms_per_request": round(seconds / requests * 1000, 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rates", default="0.3,1.0")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.getLogger("seawall").setLevel(logging.ERROR)  # no keys: said once per gateway
    rows = [
        await measure(mode, float(rate), args.requests)
        for rate in args.rates.split(",")
        for mode in MODES
    ]
    if args.json:
        print(json.dumps(rows))
        return
    print(f"{'drift':<16}{'rate':>6}{'valid':>8}{'answers/request':>17}{'ms/request':>12}")
    for row in rows:
        print(
            f"{row['mode']:<16}{row['drift_rate']:>6}{row['valid_share']:>8}"
            f"{row['mean_answers']:>17}{row['ms_per_request']:>12}"
        )


if __name__ == "__main__":
    asyncio.run(main())
