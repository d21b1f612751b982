"""``seawall eval KIND``: figures as JSON (``--json``, nothing else on stdout) or as a
short table for people."""

from __future__ import annotations

import argparse
import json
from typing import Any


def run_eval(args: argparse.Namespace) -> int:
    from ..evals import pii

    result = pii.evaluate(args.data, args.tier)
    if args.json:
        print(json.dumps(result))
    else:
        print(_table(result))
    return 0


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['task']} ({result.get('tier', '')} tier), {result['n_entities']} entities: "
        f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
        f"f1 {result['f1']:.3f}",
        f"latency per text: p50 {result['latency_ms']['p50']:.3f} ms, "
        f"p99 {result['latency_ms']['p99']:.3f} ms",
        "",
        f"{'type':<20}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}",
    ]
    for name, row in result["by_type"].items():
        lines.append(
            f"{name:<20}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}"
            f"{row['support']:>10}"
        )
    return "\n".join(lines)
