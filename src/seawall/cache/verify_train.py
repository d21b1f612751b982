"""Fitting the cache verifier's logistic model (``verify.py``): used by
``training/train_cache.py`` and by ``seawall eval cache`` for its out-of-fold figures.
Needs scikit-learn (``pip install 'seawall[train]'``); serving never imports this.

The rows it learns from are the decisions the cache really faces: each `b` of a pair
file looked up among every `a`, and each candidate above the cosine floor labelled
"same" only when it is the pair's own `a` of a duplicate pair. Vetoed candidates are
left out (no score overrides a veto). To these it adds near-identical negatives it
makes itself: an `a` with one content word replaced by, or joined by, a word from
another text of the file. Real pairs rarely differ by one word in the data, and that
one word is what the verifier must not wave through.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..embed import Pieces
from .verify import _STOP, Verifier, alignment, compare, features

Embed = Callable[[Sequence[str]], np.ndarray]

FLOOR = 0.6  # candidates below this cosine are not learned from
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Params:
    c: float = 1.0  # inverse L2 strength
    synthetic_weight: float = 0.3  # each made-up negative against a real row's 1
    cosine: float = 0.80  # the shipped cosine threshold
    threshold: float = 0.8  # the shipped verifier threshold
    seed: int = 20261128


@dataclass(frozen=True)
class Sample:
    query: str
    cached: str
    cosine: float
    same: bool
    weight: float = 1.0


def synthetic(texts: Sequence[str], seed: int) -> list[tuple[str, str]]:
    """(variant, original) pairs: two per text, each with one content word replaced
    (3 in 5) or one to three words added before one (2 in 5, a narrowing qualifier),
    the words drawn from the other texts."""
    rng = random.Random(seed)
    vocabulary = sorted({w for t in texts for w in _WORD.findall(t) if _content(w)})
    out = []
    for text in texts:
        spots = [m for m in _WORD.finditer(text) if _content(m.group())]
        if not spots or not vocabulary:
            continue
        for _ in range(2):
            spot = rng.choice(spots)
            word = rng.choice(vocabulary)
            if rng.random() < 0.6:
                variant = text[: spot.start()] + word + text[spot.end() :]
            else:
                words = " ".join([word, *rng.sample(vocabulary, rng.randint(0, 2))])
                variant = text[: spot.start()] + words + " " + text[spot.start() :]
            if variant != text:
                out.append((variant, text))
    return out


def _content(word: str) -> bool:
    return len(word) > 3 and word.islower() and word not in _STOP


def fit(rows: Sequence[Sample], params: Params, pieces: Mapping[str, Pieces]) -> Verifier:
    """``pieces``: ``Embedder.pieces`` of every text of ``rows``, by text."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:
        raise RuntimeError(
            "refitting the cache verifier needs scikit-learn "
            "(pip install scikit-learn, or the package's [train] extra)"
        ) from exc
    x, y, w = [], [], []
    for row in rows:
        diff = compare(row.query, row.cached)
        if diff.veto or (not row.same and diff.unmatched == 0):
            continue  # a veto decides alone; a made-up "change" that changed nothing
        aligned = alignment(diff, pieces[row.query], pieces[row.cached]) if diff.unmatched else []
        x.append(features(diff, row.cosine, aligned))
        y.append(row.same)
        w.append(row.weight)
    if len(set(y)) < 2:
        raise ValueError("the verifier needs both same and different pairs to learn from")
    model: Any = LogisticRegression(C=params.c, max_iter=5000)
    model.fit(np.array(x), np.array(y), sample_weight=np.array(w))
    return Verifier(
        [round(float(v), 6) for v in model.coef_[0]],
        round(float(model.intercept_[0]), 6),
        params.threshold,
        params.cosine,
    )
