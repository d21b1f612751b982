"""``seawall eval KIND``: figures as JSON (``--json``, nothing else on stdout) or as a
short table for people."""

from __future__ import annotations

import argparse
import json
from typing import Any

# --refit: None = refit only when the file holds training texts
_FOLDS = {"auto": None, "always": True, "never": False}


def run_eval(args: argparse.Namespace) -> int:
    if args.kind == "injection":
        from ..evals import injection

        result = injection.evaluate(args.data, args.threshold, _FOLDS[args.refit])
        print(json.dumps(result) if args.json else _injection_table(result))
        return 0
    if args.kind == "intent":
        from ..evals import intent

        result = intent.evaluate(args.examples, args.data, args.threshold)
        print(json.dumps(result) if args.json else _intent_table(result))
        return 0
    from ..evals import pii

    result = pii.evaluate(args.data, args.tier, _FOLDS[args.refit])
    print(json.dumps(result) if args.json else _table(result))
    return 0


def _intent_table(result: dict[str, Any]) -> str:
    lines = [
        f"intent routing, {result['n']} texts: in-scope accuracy "
        f"{result['in_scope_accuracy']:.3f}  oos recall {result['oos_recall']:.3f}",
        f"  latency per text: p50 {result['latency_ms']['p50']:.2f} ms, "
        f"p99 {result['latency_ms']['p99']:.2f} ms",
        "  oos recall by source:",
    ]
    lines += [f"    {src:<56}{v:.3f}" for src, v in result["oos_recall_by_source"].items()]
    return "\n".join(lines)


def _injection_table(result: dict[str, Any]) -> str:
    how = "out of fold (the file holds training texts)" if result["out_of_fold"] else "as shipped"
    lines = [
        f"injection screen, {result['n']} texts, {how}, threshold {result['threshold']}:",
        f"  recall {result['recall']:.3f}  fpr {result['fpr']:.3f}  "
        f"recall at fpr 0.01 {result['recall_at_fpr']['0.01']:.3f}, "
        f"at 0.03 {result['recall_at_fpr']['0.03']:.3f}",
        f"  latency per text: p50 {result['latency_ms']['p50']:.2f} ms, "
        f"p99 {result['latency_ms']['p99']:.2f} ms",
    ]
    for name in ("fpr_by_source", "recall_by_source"):
        if result[name]:
            lines.append(f"  {name.replace('_', ' ')}:")
            lines += [f"    {src:<56}{value:.3f}" for src, value in result[name].items()]
    return "\n".join(lines)


def _table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['task']} ({result.get('tier', '')} tier), {result['n_entities']} entities: "
        f"precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
        f"f1 {result['f1']:.3f}",
        f"latency per text: p50 {result['latency_ms']['p50']:.3f} ms, "
        f"p99 {result['latency_ms']['p99']:.3f} ms",
    ]
    if result.get("out_of_fold"):
        lines.append(
            "out of fold: the file holds the tagger's training texts, so each row was "
            "scored by a refit that saw neither it nor its template"
        )
    lines += [
        "",
        f"{'type':<20}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}",
    ]
    for name, row in result["by_type"].items():
        lines.append(
            f"{name:<20}{row['precision']:>10.3f}{row['recall']:>10.3f}{row['f1']:>10.3f}"
            f"{row['support']:>10}"
        )
    return "\n".join(lines)
