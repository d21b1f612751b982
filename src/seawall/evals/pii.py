"""``seawall eval pii``: precision, recall and F1 of a PII tier on a labelled file.

Micro-averaged over every gold entity (CONTRACT.md): a prediction is a true positive
when its type equals the gold type (after the alias map) and the spans overlap with
intersection-over-union >= 0.5, each gold entity matched at most once; a gold type the
tier does not cover counts as missed.

The heavy tier's tagger was trained on the dev file. When the file holds texts it was
trained on, the tagger is refitted in 5 folds, the rows of one ``template_id`` always in
one fold, and each row is scored by the fit that saw neither it nor its template:
``"out_of_fold": true``. That needs python-crfsuite and Faker (``seawall[train]``).
"""

from __future__ import annotations

import functools
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..guard.pii import Finding, detect
from .common import percentiles_ms, read_jsonl, text_key

# gold names (Presidio's) that the detectors call otherwise: a postal code is part of
# an address (the dev file labels it ADDRESS; newer Presidio data says ZIP_CODE)
ALIASES = {
    "DOMAIN_NAME": "URL",
    "STREET_ADDRESS": "ADDRESS",
    "GPE": "LOCATION",
    "ZIP_CODE": "ADDRESS",
}
TIERS = ("fast", "heavy")
DEFAULT_TIER = "fast"
Detector = Callable[[str], list[Finding]]


def evaluate(
    path: str | Path, tier: str = DEFAULT_TIER, folds: bool | None = None
) -> dict[str, Any]:
    """``folds`` (heavy tier): None refits only when the file overlaps the training data."""
    if tier not in TIERS:
        raise ConfigError(f"unknown tier '{tier}' (known: {', '.join(TIERS)})")
    rows = read_jsonl(path, ("text", "entities"))
    golds = [_entities(row, f"{path}: row {n}") for n, row in enumerate(rows, 1)]
    detectors: list[Detector] = [detect] * len(rows)
    overlap, refit = 0, False
    if tier == "heavy":
        detectors, overlap, refit = _heavy(rows, golds, folds)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, predicted, gold
    seconds = []
    for row, gold, detector in zip(rows, golds, detectors, strict=True):
        start = time.perf_counter()
        found = detector(row["text"])
        seconds.append(time.perf_counter() - start)
        _score(found, gold, counts)
    tp, predicted, support = (sum(c[i] for c in counts.values()) for i in range(3))
    out = {
        "task": "pii",
        "tier": tier,
        "n_entities": support,
        **_prf(tp, predicted, support),
        "by_type": {name: {**_prf(*c), "support": c[2]} for name, c in sorted(counts.items())},
        "latency_ms": percentiles_ms(seconds),
    }
    if tier == "heavy":
        out.update(out_of_fold=refit, rows_seen_in_training=overlap)
    return out


def _heavy(
    rows: list[dict[str, Any]], golds: list[list[tuple[str, int, int]]], folds: bool | None
) -> tuple[list[Detector], int, bool]:
    """A detector per row: the shipped tagger, or the fold's refit that never saw it."""
    from ..guard import pii_tagger

    tagger = pii_tagger.shipped()  # TaggerUnavailable is a ConfigError
    trained = set(pii_tagger.shipped_meta().get("train_keys", ()))
    overlap = sum(text_key(row["text"]) in trained for row in rows)
    refit = overlap > 0 if folds is None else folds
    if not refit:
        return [pii_tagger.detect] * len(rows), overlap, False
    from ..guard import pii_train

    labelled = _labelled(rows, golds)
    params = pii_train.Params(**tagger.params) if tagger.params else pii_train.Params()
    try:
        taggers = pii_train.out_of_fold(
            labelled,
            params,
            progress=lambda line: print(f"seawall eval pii: {line}", file=sys.stderr),
        )
    except RuntimeError as exc:  # python-crfsuite or Faker missing
        raise ConfigError(
            f"{exc}; or score the file as shipped, which flatters the tagger on its own "
            "training texts, with --refit never"
        ) from None
    fold_of = pii_train.folds(labelled)
    return [functools.partial(pii_tagger.detect, tagger=taggers[f]) for f in fold_of], overlap, True


def labelled_rows(path: str | Path) -> list[Any]:
    """A labelled file as the tagger's training rows (``pii_train.Row``: gold types
    after the alias map, rows of one ``template_id`` in one group)."""
    rows = read_jsonl(path, ("text", "entities"))
    return _labelled(rows, [_entities(row, f"{path}: row {n}") for n, row in enumerate(rows, 1)])


def _labelled(rows: list[dict[str, Any]], golds: list[list[tuple[str, int, int]]]) -> list[Any]:
    from ..guard import pii_train

    return [
        pii_train.Row(row["text"], gold, str(row.get("template_id", f"row:{index}")))
        for index, (row, gold) in enumerate(zip(rows, golds, strict=True))
    ]


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
