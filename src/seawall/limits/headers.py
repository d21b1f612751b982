"""OpenAI's ``x-ratelimit-*`` response headers, from the windows a request was admitted
against."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..stores.base import Decision, Window


def rate_headers(windows: Sequence[Window], decision: Decision) -> list[tuple[str, str]]:
    """OpenAI's ``x-ratelimit-*``, from the tightest request and token windows."""
    headers: list[tuple[str, str]] = []
    for kind, unit in (("rpm", "requests"), ("tpm", "tokens")):
        states = [
            s for w, s in zip(windows, decision.windows, strict=True) if w.key.startswith(kind)
        ]
        if not states:
            continue
        tight = min(states, key=lambda s: s.remaining)
        headers += [
            (f"x-ratelimit-limit-{unit}", str(tight.limit)),
            (f"x-ratelimit-remaining-{unit}", str(max(tight.remaining, 0))),
            (f"x-ratelimit-reset-{unit}", duration(tight.reset_s)),
        ]
    return headers


def duration(seconds: float) -> str:
    """As OpenAI writes them: ``20ms``, ``1.5s``, ``6m0s``."""
    if seconds < 1:
        return f"{max(0, math.ceil(seconds * 1000))}ms"
    if seconds < 60:
        return f"{seconds:.3g}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest}s"
