"""The semantic lookup's decision: nearest stored questions of the scope, each checked
by the verifier, the best verified one answers. ``seawall eval cache`` runs exactly
this function, so its figures are the gateway's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ..embed import Pieces
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
    pieces: Mapping[str, Pieces] | None = None,
) -> Decision:
    """The candidate the verifier is surest of; ``verifier`` None: the nearest one
    (cosine alone, for comparison). ``pieces``: the word pieces of the question and of
    the candidates ``wanting_pieces`` names (``Verifier.check``)."""
    best: Match | None = None
    rejected = ""
    for entry, similarity in candidates:
        if verifier is None:
            match = Match(entry, similarity, Verdict(True, similarity, ""))
            return Decision(match, 1, "", similarity)
        verdict = verifier.check(question, entry.question, similarity, verify_threshold, pieces)
        if not verdict.same:
            rejected = rejected or verdict.reason
            continue
        if best is None or verdict.score > best.verdict.score:
            best = Match(entry, similarity, verdict)
    nearest = candidates[0][1] if candidates else 0.0
    return Decision(best, len(candidates), "" if best else rejected, nearest)


def wanting_pieces(question: str, candidates: list[tuple[Entry, float]]) -> list[str]:
    """The texts whose word pieces the verifier needs to decide: none, or the question
    and each candidate that differs from it by a word no veto settles."""
    wanted = [e.question for e, _ in candidates if Verifier.needs_pieces(question, e.question)]
    return [question, *dict.fromkeys(wanted)] if wanted else []


async def lookup(
    store: CacheStore,
    scope: str,
    question: str,
    vector: np.ndarray,
    threshold: float,
    verifier: Verifier | None,
    verify_threshold: float | None = None,
    read: Callable[[list[str]], Awaitable[list[Pieces] | None]] | None = None,
) -> Decision:
    """``read``: the texts' word pieces, or None when the model cannot give them in time
    (the candidates that needed them are then turned down as "unaligned")."""
    candidates = await store.nearest(scope, vector, CANDIDATES, threshold)
    pieces: dict[str, Pieces] = {}
    wanted = wanting_pieces(question, candidates) if verifier and read else []
    if wanted and read is not None:
        got = await read(wanted)
        if got is not None:
            pieces = dict(zip(wanted, got, strict=True))
    return choose(question, candidates, verifier, verify_threshold, pieces)
