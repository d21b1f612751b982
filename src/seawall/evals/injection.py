"""``seawall eval injection``: recall and false-positive rate of the injection screen.

At the shipped threshold (or ``--threshold``), over a file of ``{text, label:
injection|benign, source}`` rows. When the file holds texts the shipped screen was
trained on, its figures would flatter it, so the screen is refitted in stratified folds
(the file's other folds plus the project's synthetic corpus) and each row is scored by
the fit that never saw it, through the same path as serving (views, windows, cascade):
``"out_of_fold": true``. That needs scikit-learn (``pip install 'seawall[train]'``).
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..guard.injection import InjectionScreen, Model, Verdict, shipped
from .common import percentiles_ms, read_jsonl, text_key

LABELS = {"injection": True, "benign": False}


def evaluate(
    path: str | Path, threshold: float | None = None, folds: bool | None = None
) -> dict[str, Any]:
    """``folds``: None refits only when the file overlaps the training data."""
    from ..guard.injection_train import Row

    rows = []
    for number, raw in enumerate(read_jsonl(path, ("text", "label")), 1):
        if not isinstance(raw["text"], str) or raw["label"] not in LABELS:
            raise ConfigError(
                f"{path}: row {number}: 'text' must be a string and 'label' injection or benign"
            )
        rows.append(Row(raw["text"], LABELS[raw["label"]], str(raw.get("source", "unknown"))))
    if len({r.injection for r in rows}) < 2:
        raise ConfigError(f"{path}: needs both injection and benign rows")
    model = shipped()
    if threshold is not None and not 0.0 < threshold < 1.0:
        raise ConfigError("--threshold must be between 0 and 1")
    trained = set(np.asarray(model.meta.get("train_keys", np.empty(0))).tolist())
    overlap = sum(text_key(r.text) in trained for r in rows)
    refit = overlap > 0 if folds is None else folds
    if refit:
        try:
            scores, seconds = _out_of_fold(rows, model, threshold)
        except RuntimeError as exc:  # scikit-learn missing
            raise ConfigError(
                f"{exc}; or score the file as shipped, which flatters the screen on its own "
                "training texts, with --refit never"
            ) from None
        used = threshold if threshold is not None else model.threshold
    else:
        screen = InjectionScreen.default(threshold)
        screen.embedder.load()
        scores, seconds = [], []
        for row in rows:
            start = time.perf_counter()
            verdict: Verdict = screen.check(row.text)
            seconds.append(time.perf_counter() - start)
            scores.append(verdict.score)
        used = screen.threshold
    return _figures(rows, np.array(scores), used, seconds, refit, overlap)


def _out_of_fold(
    rows: Sequence[Any], model: Model, threshold: float | None
) -> tuple[list[float], list[float]]:
    from ..embed import shared
    from ..guard import injection_train as train
    from ..guard.corpus import synthetic_rows

    params = train.Params(mix=model.mix, band=model.band, threshold=threshold or model.threshold)
    embedder = shared()
    timed: list[float] = []
    results = train.out_of_fold(
        rows,
        synthetic_rows(),
        train.cached_embed(embedder),
        params,
        screen_embed=embedder.embed,
        seconds=timed,
        progress=lambda line: print(f"seawall eval injection: {line}", file=sys.stderr),
    )
    return [score for score, _ in results], timed


def _figures(
    rows: Sequence[Any],
    scores: np.ndarray,
    threshold: float,
    seconds: list[float],
    out_of_fold: bool,
    overlap: int,
) -> dict[str, Any]:
    y = np.array([r.injection for r in rows])
    flags = scores >= threshold
    by_source: dict[str, list[bool]] = defaultdict(list)
    for row, flag in zip(rows, flags, strict=True):
        by_source[row.source].append(bool(flag))
    benign_scores = np.sort(scores[~y])
    return {
        "task": "injection",
        "n": len(rows),
        "threshold": round(threshold, 4),
        "recall": round(float(flags[y].mean()), 4),
        "fpr": round(float(flags[~y].mean()), 4),
        "recall_at_fpr": {
            f"{target:.2f}": round(_recall_at(scores[y], benign_scores, target), 4)
            for target in (0.01, 0.03)
        },
        "fpr_by_source": {
            src: round(float(np.mean(v)), 4)
            for src, v in sorted(by_source.items())
            if not any(r.injection for r in rows if r.source == src)
        },
        "recall_by_source": {
            src: round(float(np.mean(v)), 4)
            for src, v in sorted(by_source.items())
            if all(r.injection for r in rows if r.source == src)
        },
        "latency_ms": percentiles_ms(seconds),
        "out_of_fold": out_of_fold,
        "rows_seen_in_training": overlap,
    }


def _recall_at(attacks: np.ndarray, benign_sorted: np.ndarray, fpr: float) -> float:
    """Recall at the lowest threshold whose false-positive rate is at most ``fpr``."""
    allowed = int(np.floor(fpr * len(benign_sorted)))
    # flagged benign rows = those >= t; allow `allowed` of them: t just above the next one
    cut = benign_sorted[len(benign_sorted) - allowed - 1] if allowed < len(benign_sorted) else -1
    return float((attacks > cut).mean())
