"""Fitting the injection cascade (``injection.py``): used by ``training/train_injection.py``
and by ``seawall eval injection`` for its out-of-fold figures. Needs scikit-learn and
scipy (``pip install 'seawall[train]'``); serving never imports this module.

Stage one: L2 logistic regression on the hashed features of each whole text (view 0,
the normalised text), each occurrence weighted 1/sqrt(n) as the screen does per window.
Stage two: a small neural network (one hidden layer of 128 ReLU units, L2, early
stopping on a tenth of the rows) on the MiniLM embedding of the text (its first 256
tokens): out of fold, at 1% false positives, it catches 0.58 of the attacks on its own
where a logistic regression on the same vectors caught 0.32. Classes are weighted to
balance, and within a class the rows of each source are weighted so that no single
source (one template family, one data set) dominates.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .injection import BUCKETS, N_FEATURES, WINDOW, InjectionScreen, Model, features, scale
from .normalize import normalize

Embed = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Row:
    text: str
    injection: bool
    source: str


@dataclass(frozen=True)
class Params:
    c_fast: float = 8.0  # inverse L2 strength, stage one
    hidden: int = 128  # stage two's hidden units
    alpha: float = 1e-3  # stage two's L2 strength
    mix: float = 0.5
    band: tuple[float, float] = (0.1, 0.9)
    threshold: float = 0.5


def _sklearn() -> Any:
    try:
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression
        from sklearn.neural_network import MLPClassifier
    except ImportError as exc:
        raise RuntimeError(
            "refitting the injection screen needs scikit-learn and scipy "
            "(pip install scikit-learn scipy, or the package's [train] extra)"
        ) from exc
    return sparse, LogisticRegression, MLPClassifier


def sample_weights(rows: Sequence[Row]) -> np.ndarray:
    """Each class sums to half the rows; inside a class each source to an equal share,
    tempered (square root) so that a big source still counts for more than a small one."""
    per_source = Counter((r.injection, r.source) for r in rows)
    raw = np.array([1.0 / np.sqrt(per_source[(r.injection, r.source)]) for r in rows])
    labels = np.array([r.injection for r in rows])
    for label in (True, False):
        mask = labels == label
        if mask.any():
            raw[mask] *= (len(rows) / 2) / raw[mask].sum()
    return raw


def design(texts: Sequence[str]) -> Any:
    """The stage-one matrix, as ``fast_windows`` reads a single window: n-gram counts
    over the square root of their total, rule signals 1 when present."""
    sparse, _, _ = _sklearn()
    indptr, indices, values = [0], [], []
    for text in texts:
        ids, _ = features(normalize(text))
        grams = ids[ids < BUCKETS]
        unique, counts = np.unique(grams, return_counts=True)
        rules = np.unique(ids[ids >= BUCKETS])
        indices.append(np.concatenate((unique, rules)))
        factor = scale(len(grams)) if len(grams) else 1.0
        values.append(np.concatenate((counts * factor, np.ones(len(rules)))))
        indptr.append(indptr[-1] + len(unique) + len(rules))
    return sparse.csr_matrix(
        (
            np.concatenate(values) if values else np.empty(0),
            np.concatenate(indices) if indices else np.empty(0, np.int64),
            np.array(indptr),
        ),
        shape=(len(texts), N_FEATURES),
        dtype=np.float64,
    )


def fit(rows: Sequence[Row], vectors: np.ndarray, params: Params, matrix: Any = None) -> Model:
    """Both stages on ``rows`` (``vectors``: their embeddings, row for row)."""
    _, LogisticRegression, MLPClassifier = _sklearn()
    y = np.array([r.injection for r in rows], dtype=np.int64)
    weights = sample_weights(rows)
    x = design([r.text for r in rows]) if matrix is None else matrix
    fast = LogisticRegression(C=params.c_fast, solver="liblinear", max_iter=500)
    fast.fit(x, y, sample_weight=weights)
    slow = MLPClassifier(
        (params.hidden,), alpha=params.alpha, max_iter=300, early_stopping=True, random_state=0
    )
    slow.fit(vectors.astype(np.float64), y, sample_weight=weights)
    (first_layer, output), (first_bias, output_bias) = slow.coefs_, slow.intercepts_
    return Model(
        weights=fast.coef_[0].astype(np.float32),
        bias=float(fast.intercept_[0]),
        embed_hidden=first_layer.astype(np.float32),
        embed_hidden_bias=first_bias.astype(np.float32),
        embed_weights=output[:, 0].astype(np.float32),
        embed_bias=float(output_bias[0]),
        mix=params.mix,
        band=params.band,
        threshold=params.threshold,
    )


def folds(rows: Sequence[Row], k: int = 5, seed: int = 20261127) -> np.ndarray:
    """Stratified fold numbers: each label's rows dealt round-robin after a shuffle."""
    rng = np.random.default_rng(seed)
    out = np.zeros(len(rows), dtype=np.int64)
    for label in (True, False):
        members = np.array([i for i, r in enumerate(rows) if r.injection == label])
        rng.shuffle(members)
        out[members] = np.arange(len(members)) % k
    return out


def out_of_fold(
    evaluated: Sequence[Row],
    extra: Sequence[Row],
    embed: Embed,
    params: Params,
    k: int = 5,
    screen_embed: Embed | None = None,
    seconds: list[float] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[tuple[float, bool]]:
    """(score, flagged) for each evaluated row by a cascade fitted on the other folds of
    ``evaluated`` plus all of ``extra``, scored through the serving path
    (``InjectionScreen.check``: views, windows, band). ``seconds`` collects each
    check's time, with ``screen_embed`` (the uncached embedder) for its unsure windows."""
    every = list(evaluated) + list(extra)
    say = progress or (lambda _: None)
    say(f"embedding {len(every)} texts (cached after the first time)")
    vectors = embed([training_view(r.text) for r in every])
    matrix = design([r.text for r in every])
    fold_of = folds(evaluated, k)
    results: list[tuple[float, bool]] = [(0.0, False)] * len(evaluated)
    embedder = _Adapter(screen_embed or embed)
    for fold in range(k):
        say(f"fold {fold + 1} of {k}: fitting on the other folds and the corpus, scoring")
        keep = np.concatenate((fold_of != fold, np.ones(len(extra), dtype=bool)))
        chosen = [row for row, kept in zip(every, keep, strict=True) if kept]
        model = fit(chosen, vectors[keep], params, matrix[keep])
        screen = InjectionScreen(model, params.threshold, embedder)  # type: ignore[arg-type]
        for index in map(int, np.flatnonzero(fold_of == fold)):
            start = time.perf_counter()
            verdict = screen.check(evaluated[index].text)
            if seconds is not None:
                seconds.append(time.perf_counter() - start)
            results[index] = (verdict.score, verdict.flagged)
    return results


def training_view(text: str) -> str:
    """What stage two is trained on: the text's first window (the embedder reads at most
    256 tokens of it)."""
    return normalize(text)[:WINDOW]


class _Adapter:
    """An ``embed`` function dressed as the embedder the screen expects."""

    def __init__(self, embed: Embed) -> None:
        self.embed = embed


def cached_embed(embedder: Any, cache_dir: Path | None = None) -> Embed:
    """``embedder.embed`` with a disk cache keyed by text: the out-of-fold figures embed
    thousands of texts, most of them every time. The file is named for the pinned model
    (the embedder refuses any other), so a different model would need a new name."""
    root = cache_dir or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    path = root / "seawall" / "embeddings-minilm-int8.npz"
    store: dict[str, np.ndarray] = {}
    if path.is_file():
        try:
            data = np.load(path, allow_pickle=False)
            store = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            store = {}

    def embed(texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in store}.items())
        if missing:
            fresh = embedder.embed([t for _, t in missing])
            store.update({k: v for (k, _), v in zip(missing, fresh, strict=True)})
            if len(missing) > 8:
                _save(path, store)
        return np.stack([store[k] for k in keys]) if keys else np.empty((0, 384), np.float32)

    return embed


def _save(path: Path, store: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = list(store)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, keys=np.array(keys), vectors=np.stack([store[k] for k in keys]))
    os.replace(tmp, path)
