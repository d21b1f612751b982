"""Load balancing across a group's deployments, pure.

    order(targets, in_flight={"chat/0": 3}, strategy="least_busy", rng=random.Random())

``weighted``: a weighted random order (each target's chance to come first is
proportional to its weight). ``least_busy``: the lowest share of its concurrency limit
in use first, ties broken by the weighted random order.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True, slots=True)
class Target:
    id: str
    weight: float
    limit: int


T = TypeVar("T", bound=Target)


def order(
    targets: Sequence[T],
    in_flight: Callable[[str], int],
    strategy: str,
    rng: random.Random,
) -> list[T]:
    if len(targets) <= 1:
        return list(targets)
    # Efraimidis-Spirakis: sorting by u ** (1 / w) gives a weighted random permutation
    keyed = [(rng.random() ** (1.0 / t.weight), t) for t in targets]
    if strategy == "least_busy":
        keyed.sort(key=lambda kt: (in_flight(kt[1].id) / kt[1].limit, -kt[0]))
    else:
        keyed.sort(key=lambda kt: -kt[0])
    return [t for _, t in keyed]
