"""``seawall eval intent``: how often intent routing answers right, and how often it
leaves what is not an intent to the model.

``in_scope_accuracy`` is over rows labelled with a configured intent, an abstention
counting as an error; ``oos_recall`` is over rows labelled ``oos``, an abstention being
correct (CONTRACT.md). Latency is per query: embedding plus classification.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..embed import shared
from ..errors import ConfigError
from ..intent import IntentClassifier
from .common import percentiles_ms, read_jsonl

OOS = "oos"


def evaluate(
    examples_path: str | Path, data_path: str | Path, threshold: float | None = None
) -> dict[str, Any]:
    classifier = IntentClassifier.from_file(examples_path, shared(), threshold)
    rows = read_jsonl(data_path, ("text", "intent"))
    known = {*classifier.intents, OOS}
    counts: Counter[str] = Counter()
    oos_by_source: dict[str, list[int]] = {}
    seconds = []
    for number, row in enumerate(rows, 1):
        text, gold = _checked(row, known, f"{data_path}: row {number}")
        start = time.perf_counter()
        predicted = classifier.classify(text).intent
        seconds.append(time.perf_counter() - start)
        if gold == OOS:
            tally = oos_by_source.setdefault(str(row.get("source", "unknown")), [0, 0])
            tally[0] += predicted is None
            tally[1] += 1
        counts[_outcome(gold, predicted)] += 1
    n_in = counts["right"] + counts["abstained"] + counts["misrouted"]
    n_oos = counts["refused"] + counts["routed"]
    return {
        "task": "intent",
        "n": len(rows),
        "in_scope_accuracy": _share(counts["right"], n_in),
        "oos_recall": _share(counts["refused"], n_oos),
        "oos_recall_by_source": {s: _share(*t) for s, t in sorted(oos_by_source.items())},
        "latency_ms": percentiles_ms(seconds),
        "threshold": classifier.threshold,
        "n_in_scope": n_in,
        "n_oos": n_oos,
        "in_scope_abstained": counts["abstained"],
        "in_scope_misrouted": counts["misrouted"],
        "oos_routed": counts["routed"],
    }


def _checked(row: dict[str, Any], known: set[str], where: str) -> tuple[str, str]:
    text, gold = row["text"], row["intent"]
    if not isinstance(text, str) or not isinstance(gold, str):
        raise ConfigError(f"{where}: 'text' and 'intent' must be strings")
    if gold not in known:
        raise ConfigError(
            f"{where}: intent {gold!r} is neither 'oos' nor an intent of the examples file"
        )
    return text, gold


def _outcome(gold: str, predicted: str | None) -> str:
    if gold == OOS:
        return "refused" if predicted is None else "routed"
    if predicted is None:
        return "abstained"
    return "right" if predicted == gold else "misrouted"


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
