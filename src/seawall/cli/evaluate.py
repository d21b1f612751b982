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
    if args.kind == "cache":
        from ..evals import cache

        result = cache.evaluate(args.data, args.threshold, _FOLDS[args.refit])
        print(json.dumps(result) if args.json else _cache_table(result))
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


def _cache_table(result: dict[str, Any]) -> str:
    how = "out of fold (the file holds training pairs)" if result["out_of_fold"] else "as shipped"
    lines = [
        f"semantic cache, {result['pairs']} pairs, {result['entries']} stored, {how}:",
        f"  cosine threshold {result['threshold']}, verifier threshold "
        f"{result['verify_threshold']}: hit rate {result['hit_rate']:.3f}  "
        f"wrong-hit share {result['wrong_hit_share']:.3f}  ({result['hits']} hits, "
        f"{result['wrong_hits']} wrong, {result['wrong_hits_identical_text']} of them on the "
        "very same text stored for another pair)",
        f"  lookup (no embedding): p50 {result['lookup_ms']['p50']:.3f} ms, "
        f"p99 {result['lookup_ms']['p99']:.3f} ms; embedding one text: p50 "
        f"{result['embedding_ms']['p50']:.2f} ms; the verifier's word pieces needed for "
        f"{result['lookups_aligned']} of {result['pairs']} lookups",
        "",
        f"  {'cosine':>7}{'hit rate':>10}{'wrong share':>13}{'wrong/non-dup':>15}"
        f"{'| cosine only: hit rate':>24}{'wrong share':>13}",
    ]
    for row in result["by_threshold"]:
        mark = " <" if row.get("shipped") or row.get("chosen") else ""
        only = row["cosine_only"]
        lines.append(
            f"  {row['threshold']:>7.2f}{row['hit_rate']:>10.3f}{row['wrong_hit_share']:>13.3f}"
            f"{row['wrong_hits_per_nonduplicate']:>15.3f}{only['hit_rate']:>24.3f}"
            f"{only['wrong_hit_share']:>13.3f}{mark}"
        )
    if result["rejected_by"]:
        lines.append(
            "  candidates turned down by: "
            + ", ".join(f"{k} {v}" for k, v in sorted(result["rejected_by"].items()))
        )
    return "\n".join(lines)


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
