"""``seawall eval cache``: how often the semantic cache answers a paraphrase with its
own answer, and how often it answers with another question's.

Over a file of ``{a, b, duplicate, source}`` pairs, with CONTRACT.md's protocol: every
distinct `a` goes into one fresh in-process cache under one scope, each with its own
answer, then every `b` is looked up through the gateway's own path (exact key, then the
nearest stored questions above the cosine threshold, each checked by the verifier). A
hit is correct only for a duplicate pair whose `b` comes back with its own `a`.

``by_threshold`` repeats the figures at other cosine thresholds, with the verifier and
without it (``cosine_only``: what a cache that trusts the nearest neighbour would do),
so that what verification buys is on the table. When the file holds pairs the shipped
verifier was fitted on, it is refitted in 5 folds (pairs that share a text stay in one
fold) and each lookup is decided by the fit that saw none of its fold:
``"out_of_fold": true``.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..cache.key import keys_of
from ..cache.semantic import CANDIDATES, Decision, choose, wanting_pieces
from ..cache.store import Entry, MemoryCache
from ..cache.verify import Verifier, shipped
from ..cache.verify_train import FLOOR
from ..clock import FakeClock
from ..embed import Pieces
from ..errors import ConfigError
from .common import percentiles_ms, read_jsonl, text_key

THRESHOLDS = (0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.96)
FOLDS = 5


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    duplicate: bool
    source: str


def read_pairs(path: str | Path) -> list[Pair]:
    pairs = []
    for number, raw in enumerate(read_jsonl(path, ("a", "b", "duplicate")), 1):
        a, b, dup = raw["a"], raw["b"], raw["duplicate"]
        if not isinstance(a, str) or not isinstance(b, str) or not isinstance(dup, bool):
            raise ConfigError(
                f"{path}: row {number}: 'a' and 'b' must be strings, 'duplicate' true or false"
            )
        if not a.strip() or not b.strip():
            raise ConfigError(f"{path}: row {number}: 'a' and 'b' must not be empty")
        pairs.append(Pair(a, b, dup, str(raw.get("source", "unknown"))))
    return pairs


def _body(question: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": question}]}


def evaluate(
    path: str | Path, threshold: float | None = None, folds: bool | None = None
) -> dict[str, Any]:
    """``folds``: None refits only when the file overlaps the verifier's training pairs."""
    from ..embed import shared

    pairs = read_pairs(path)
    if not any(p.duplicate for p in pairs):
        raise ConfigError(f"{path}: needs at least one duplicate pair")
    verifier = shipped()
    cosine = verifier.cosine if threshold is None else threshold
    if not 0.0 < cosine <= 1.0:
        raise ConfigError("--threshold must be in (0, 1]")
    overlap = sum(
        text_key(p.a) in verifier.train_keys or text_key(p.b) in verifier.train_keys for p in pairs
    )
    refit = overlap > 0 if folds is None else folds

    embedder = shared()
    stored = sorted({p.a for p in pairs})
    texts = sorted(set(stored) | {p.b for p in pairs})
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    embed_seconds = []
    for text in texts[:: max(1, len(texts) // 50)][:50]:
        start = time.perf_counter()
        embedder.embed([text])
        embed_seconds.append(time.perf_counter() - start)

    exact, candidates, lookup_seconds = lookups(pairs, vectors, min(FLOOR, cosine))
    wanted = {t for p, c in zip(pairs, candidates, strict=True) for t in wanting_pieces(p.b, c)}
    pieces = read_pieces(embedder, wanted)
    if refit:
        try:
            verifiers = _fold_verifiers(pairs, candidates, vectors, embedder, verifier, pieces)
        except RuntimeError as exc:
            raise ConfigError(
                f"{exc}; or score the file with the shipped verifier, which flatters it on "
                "its own training pairs, with --refit never"
            ) from None
    else:
        verifiers = [verifier] * len(pairs)

    def run(at: float, verify: bool) -> tuple[list[str | None], list[Decision | None]]:
        answers: list[str | None] = []
        decisions: list[Decision | None] = []
        for index, pair in enumerate(pairs):
            if exact[index] is not None:
                answers.append(exact[index])
                decisions.append(None)
                continue
            above = [(e, s) for e, s in candidates[index] if s >= at]
            decision = choose(pair.b, above, verifiers[index] if verify else None, None, pieces)
            decisions.append(decision)
            answers.append(decision.match.entry.question if decision.match else None)
        return answers, decisions

    answers, decisions = run(cosine, True)
    result: dict[str, Any] = {"task": "cache", "pairs": len(pairs)}
    result |= _figures(pairs, answers)
    result |= {
        "threshold": cosine,
        "verify_threshold": verifier.threshold,
        "out_of_fold": refit,
        "rows_seen_in_training": overlap,
        "entries": len(stored),
        "rejected_by": dict(Counter(d.rejected for d in decisions if d is not None and d.rejected)),
        "by_threshold": [],
        "lookup_ms": percentiles_ms(lookup_seconds),
        "embedding_ms": percentiles_ms(embed_seconds),
        # lookups at the threshold whose candidates differ by a word: the gateway runs
        # the model once more for them (the verifier's word pieces)
        "lookups_aligned": sum(
            bool(wanting_pieces(p.b, [(e, s) for e, s in c if s >= cosine]))
            for p, c in zip(pairs, candidates, strict=True)
        ),
    }
    for at in sorted(set(THRESHOLDS) | {cosine}):
        row = {"threshold": at, **_figures(pairs, run(at, True)[0])}
        row["cosine_only"] = _figures(pairs, run(at, False)[0])
        if at == cosine:
            row["shipped" if threshold is None else "chosen"] = True
        result["by_threshold"].append(row)
    return result


def lookups(
    pairs: Sequence[Pair], vectors: dict[str, np.ndarray], floor: float
) -> tuple[list[str | None], list[list[tuple[Entry, float]]], list[float]]:
    """Every `a` stored once in one scope, every `b` looked up: the exact hit's text
    (or None), the candidates at or above ``floor``, and each lookup's time."""
    stored = sorted({p.a for p in pairs})
    cache = MemoryCache(len(stored) + 1, FakeClock())
    for a in stored:
        keys = keys_of(_body(a), "eval", "eval", "")
        entry = Entry(keys.exact, keys.scope, "eval", "eval", "eval", "", a, b"{}", "", 1e18)
        cache.put_now(entry._replace(vector=vectors[a]))
    exact: list[str | None] = []
    candidates: list[list[tuple[Entry, float]]] = []
    seconds = []
    for pair in pairs:
        keys = keys_of(_body(pair.b), "eval", "eval", "")
        start = time.perf_counter()
        hit = cache.get_now(keys.exact)
        found = [] if hit else _nearest(cache, keys.scope, vectors[pair.b], floor)
        seconds.append(time.perf_counter() - start)
        exact.append(hit.question if hit else None)
        candidates.append(found)
    return exact, candidates, seconds


def _nearest(
    cache: MemoryCache, scope: str, vector: np.ndarray, floor: float
) -> list[tuple[Entry, float]]:
    # the store's own search, synchronously (the eval has no event loop to spare)
    index = cache._scopes.get(scope)
    if index is None:
        return []
    out = []
    for key, score in index.nearest(vector, CANDIDATES, floor):
        entry = cache.get_now(key)
        if entry is not None:
            out.append((entry, score))
    return out


def _figures(pairs: Sequence[Pair], answers: Sequence[str | None]) -> dict[str, Any]:
    duplicates = sum(p.duplicate for p in pairs)
    others = len(pairs) - duplicates
    hits = correct = identical = on_duplicates = 0
    for pair, answer in zip(pairs, answers, strict=True):
        if answer is None:
            continue
        hits += 1
        if pair.duplicate and answer == pair.a:
            correct += 1
        elif answer == pair.b:
            identical += 1  # the very text was stored as another pair's `a`
        elif pair.duplicate:
            on_duplicates += 1  # a duplicate answered with another stored text
    wrong = hits - correct
    return {
        "hit_rate": round(correct / duplicates, 4) if duplicates else 0.0,
        "wrong_hit_share": round(wrong / hits, 4) if hits else 0.0,
        "wrong_hits_per_nonduplicate": round(wrong / others, 4) if others else 0.0,
        "hits": hits,
        "wrong_hits": wrong,
        "wrong_hits_identical_text": identical,
        "wrong_hits_on_duplicate_pairs": on_duplicates,
    }


def fold_of(pairs: Sequence[Pair]) -> list[int]:
    """Pairs that share a text (either side) go to one fold; folds by a stable hash."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        parent[find(pair.a)] = find(pair.b)
    return [
        int.from_bytes(hashlib.sha256(find(p.a).encode()).digest()[:4], "little") % FOLDS
        for p in pairs
    ]


def training_samples(
    pairs: Sequence[Pair], candidates: Sequence[list[tuple[Entry, float]]]
) -> list[Any]:
    from ..cache.verify_train import Sample

    out = []  # lookups that hit exactly have no candidates, and teach nothing
    for pair, found in zip(pairs, candidates, strict=True):
        own = pair.a if pair.duplicate else None
        for entry, cosine in found:
            if entry.question != pair.b:
                out.append(Sample(pair.b, entry.question, cosine, entry.question == own))
    return out


def read_pieces(embedder: Any, texts: set[str]) -> dict[str, Pieces]:
    """``Embedder.pieces`` of each text, by text."""
    ordered = sorted(texts)
    return dict(zip(ordered, embedder.pieces(ordered), strict=True)) if ordered else {}


def synthetic_samples(
    texts: Sequence[str],
    vectors: dict[str, np.ndarray],
    embedder: Any,
    seed: int,
    weight: float,
    pieces: dict[str, Pieces],
) -> list[Any]:
    """Made-up near-identical negatives; their texts' pieces are added to ``pieces``."""
    from ..cache.verify_train import Sample, synthetic

    made = synthetic(texts, seed)
    if not made:
        return []
    made_vectors = embedder.embed([variant for variant, _ in made])
    pieces |= read_pieces(embedder, {t for pair in made for t in pair} - pieces.keys())
    return [
        Sample(variant, original, float(made_vectors[i] @ vectors[original]), False, weight)
        for i, (variant, original) in enumerate(made)
    ]


def _fold_verifiers(
    pairs: Sequence[Pair],
    candidates: Sequence[list[tuple[Entry, float]]],
    vectors: dict[str, np.ndarray],
    embedder: Any,
    shipped_verifier: Verifier,
    pieces: dict[str, Pieces],
) -> list[Verifier]:
    from ..cache.verify_train import Params, fit

    params = Params(threshold=shipped_verifier.threshold, cosine=shipped_verifier.cosine)
    folds = fold_of(pairs)
    per_pair = [training_samples([p], [c]) for p, c in zip(pairs, candidates, strict=True)]
    stored = sorted({p.a for p in pairs})
    a_fold: dict[str, int] = {}
    for pair, fold in zip(pairs, folds, strict=True):
        a_fold.setdefault(pair.a, fold)
    pieces = dict(pieces)  # the made-up negatives' pieces join the lookups' own
    made = synthetic_samples(
        stored, vectors, embedder, params.seed, params.synthetic_weight, pieces
    )
    fitted = []
    for fold in range(FOLDS):
        rows = [s for f, group in zip(folds, per_pair, strict=True) if f != fold for s in group]
        rows += [s for s in made if a_fold.get(s.cached) != fold]
        fitted.append(fit(rows, params, pieces))
    return [fitted[f] for f in folds]
