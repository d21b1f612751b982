"""``seawall eval pii``: precision, recall and F1 of a PII tier on a labelled file.

Micro-averaged over every gold entity (CONTRACT.md): a prediction is a true positive
when its type equals the gold type (after the alias map) and the spans overlap with
intersection-over-union >= 0.5, each gold entity matched at most once; a gold type the
tier does not cover counts as missed.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..guard.pii import Finding, detect
from .common import percentiles_ms, read_jsonl

# gold names (Presidio's) that the detectors call otherwise
ALIASES = {"DOMAIN_NAME": "URL", "STREET_ADDRESS": "ADDRESS", "GPE": "LOCATION"}
TIERS: dict[str, Callable[[str], list[Finding]]] = {"fast": detect}
DEFAULT_TIER = "fast"


def evaluate(path: str | Path, tier: str = DEFAULT_TIER) -> dict[str, Any]:
    detector = TIERS.get(tier)
    if detector is None:
        raise ConfigError(f"unknown tier '{tier}' (known: {', '.join(TIERS)})")
    rows = read_jsonl(path, ("text", "entities"))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, predicted, gold
    seconds = []
    for number, row in enumerate(rows, 1):
        gold = _entities(row, f"{path}: row {number}")
        start = time.perf_counter()
        found = detector(row["text"])
        seconds.append(time.perf_counter() - start)
        _score(found, gold, counts)
    tp, predicted, support = (sum(c[i] for c in counts.values()) for i in range(3))
    return {
        "task": "pii",
        "tier": tier,
        "n_entities": support,
        **_prf(tp, predicted, support),
        "by_type": {name: {**_prf(*c), "support": c[2]} for name, c in sorted(counts.items())},
        "latency_ms": percentiles_ms(seconds),
    }


def _entities(row: dict[str, Any], where: str) -> list[tuple[str, int, int]]:
    """The row's gold entities, checked: a string text, and spans inside it."""
    text, entities = row["text"], row["entities"]
    if not isinstance(text, str) or not isinstance(entities, list):
        raise ConfigError(f"{where}: 'text' must be a string and 'entities' a list")
    gold = []
    for entity in entities:
        ok = isinstance(entity, dict) and isinstance(entity.get("type"), str)
        start, end = (entity.get("start"), entity.get("end")) if ok else (None, None)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ConfigError(
                f"{where}: each entity needs a type and 0 <= start < end <= len(text)"
            )
        gold.append((ALIASES.get(entity["type"], entity["type"]), start, end))
    return gold


def _score(
    found: Sequence[Finding], gold: list[tuple[str, int, int]], counts: dict[str, list[int]]
) -> None:
    for name, _, _ in gold:
        counts[name][2] += 1
    unmatched = list(gold)
    for item in found:
        counts[item.type][1] += 1
        for index, (name, start, end) in enumerate(unmatched):
            if name == item.type and _iou(item.start, item.end, start, end) >= 0.5:
                counts[name][0] += 1
                del unmatched[index]
                break


def _iou(a0: int, a1: int, b0: int, b1: int) -> float:
    inter = max(0, min(a1, b1) - max(a0, b0))
    union = max(a1, b1) - min(a0, b0)
    return inter / union if union else 0.0


def _prf(tp: int, predicted: int, support: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
