"""What the corpus generators share: drawing unique texts from a maker."""

from __future__ import annotations

import random
import re
from collections.abc import Callable


def collect(
    rng: random.Random,
    make: Callable[[random.Random], str],
    n: int,
    seen: set[str],
    norm: re.Pattern[str],
    tries: int,
) -> list[str]:
    """Up to ``n`` new texts from ``make`` (at most ``n * tries`` draws). A text whose
    characters outside ``norm``, lower-cased, match an earlier one is skipped, so case and
    punctuation alone never make a row new. ``seen`` is only tested, never iterated."""
    out: list[str] = []
    for _ in range(n * tries):
        if len(out) >= n:
            break
        text = make(rng).strip()
        key = norm.sub("", text.lower())
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return out
