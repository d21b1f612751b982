"""The semantic lookup's decision: nearest stored questions of the scope, each checked
by the verifier, the best verified one answers. ``seawall eval cache`` runs exactly
this function, so its figures are the gateway's."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .store import CacheStore, Entry
from .verify import Verdict, Verifier

CANDIDATES = 4  # nearest questions looked at per lookup


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    similarity: float
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class Decision:
    match: Match | None
    candidates: int  # above the cosine threshold
    rejected: str  # the nearest candidate's veto or "score", when nothing matched
    nearest: float = 0.0  # the nearest candidate's similarity (0 without candidates)


def choose(
    question: str,
    candidates: list[tuple[Entry, float]],
    verifier: Verifier | None,
    verify_threshold: float | None = None,
) -> Decision:
    """The candidate the verifier is surest of; ``verifier`` None: the nearest one
    (cosine alone, for comparison)."""
    best: Match | None = None
    rejected = ""
    for entry, similarity in candidates:
        if verifier is None:
            match = Match(entry, similarity, Verdict(True, similarity, ""))
            return Decision(match, 1, "", similarity)
        verdict = verifier.check(question, entry.question, similarity, verify_threshold)
        if not verdict.same:
            rejected = rejected or verdict.reason
            continue
        if best is None or verdict.score > best.verdict.score:
            best = Match(entry, similarity, verdict)
    nearest = candidates[0][1] if candidates else 0.0
    return Decision(best, len(candidates), "" if best else rejected, nearest)


async def lookup(
    store: CacheStore,
    scope: str,
    question: str,
    vector: np.ndarray,
    threshold: float,
    verifier: Verifier | None,
    verify_threshold: float | None = None,
) -> Decision:
    candidates = await store.nearest(scope, vector, CANDIDATES, threshold)
    return choose(question, candidates, verifier, verify_threshold)
