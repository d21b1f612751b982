"""What a router's decision costs per request, in process: counting the prompt's
tokens (exact o200k), reading the user turns for code and maths, and choosing a tier
by rules; and judging a tier's answer (logprobs, refusal, schema) before release.

    python bench/route.py [--iterations N] [--json]

One core, no I/O; the figures are per request, for prompts of several sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from typing import Any

from seawall.config import EscalationSettings, RouterSettings
from seawall.route.confidence import judge
from seawall.route.features import has_code, has_images, has_math, user_text, wants_tools
from seawall.route.rules import Facts, Router
from seawall.tokens import TokenCounter

PROSE = (
    "Please summarise the quarterly report for the board, including revenue, costs and "
    "the outlook for next year, and list the three largest risks with one line each. "
)
ROUTER = RouterSettings.model_validate(
    {
        "tiers": ["fast", "frontier"],
        "rules": [
            {"tier": "frontier", "when": {"min_tokens": 4000}},
            {"tier": "frontier", "when": {"code": True}},
            {"tier": "frontier", "when": {"math": True}},
            {"tier": "frontier", "when": {"tools": True}},
            {"tier": "fast", "when": {"intent": ["balance"]}},
        ],
    }
)


def body(tokens: int, counter: TokenCounter) -> dict[str, Any]:
    text = PROSE
    while counter.text(text) < tokens:
        text += PROSE
    return {"messages": [{"role": "user", "content": text}]}


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


async def decide(router: Router, counter: TokenCounter, request: dict[str, Any]) -> str:
    tokens = await counter.prompt(request)
    text = user_text(request)
    facts = Facts(
        tokens=tokens,
        tools=wants_tools(request),
        code=has_code(text),
        math=has_math(text),
        images=has_images(request),
    )
    return router.choose(facts).tier


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    counter = TokenCounter()
    await counter.load()
    router = Router("auto", ROUTER, {})
    results: dict[str, Any] = {"decide_ms": {}}
    for size in (100, 500, 2000, 8000):
        request = body(size, counter)
        samples = []
        for _ in range(args.iterations):
            start = time.perf_counter()
            await decide(router, counter, request)
            samples.append((time.perf_counter() - start) * 1000)
        p50, p99 = percentiles(samples)
        results["decide_ms"][str(size)] = {"p50": round(p50, 3), "p99": round(p99, 3)}
    words = ("Paris is the capital and largest city of France. " * 8).split()
    logprobs = {"content": [{"token": w, "logprob": -0.2} for w in words]}
    answer = {
        "choices": [
            {"message": {"content": " ".join(words)}, "logprobs": logprobs, "finish_reason": "stop"}
        ]
    }
    escalation = EscalationSettings(to="frontier")
    samples = []
    for _ in range(args.iterations * 10):
        start = time.perf_counter()
        judge(answer, {}, escalation)
        samples.append((time.perf_counter() - start) * 1000)
    p50, p99 = percentiles(samples)
    results["judge_ms"] = {"p50": round(p50, 4), "p99": round(p99, 4), "tokens": len(words)}
    if args.json:
        print(json.dumps(results))
        return
    print("router decision (count tokens, read for code and maths, choose), per request:")
    for size, figures in results["decide_ms"].items():
        print(f"  {size:>5} prompt tokens: p50 {figures['p50']} ms, p99 {figures['p99']} ms")
    judged = results["judge_ms"]
    print(
        f"judging an answer of {judged['tokens']} tokens: "
        f"p50 {judged['p50']} ms, p99 {judged['p99']} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
