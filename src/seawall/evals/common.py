"""What every evaluation shares: reading a JSONL file with clear errors, and latency
percentiles."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..errors import ConfigError


def read_jsonl(path: str | Path, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """Rows of a JSONL file, each an object with the ``required`` fields; ConfigError
    (exit status 2) naming the line otherwise."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{number}: not JSON ({exc.msg})") from None
        missing = [f for f in required if not isinstance(row, dict) or f not in row]
        if missing:
            raise ConfigError(f"{path}:{number}: missing {', '.join(missing)}")
        rows.append(row)
    if not rows:
        raise ConfigError(f"{path}: no rows")
    return rows


def percentiles_ms(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    if not ordered:
        return {"p50": 0.0, "p99": 0.0}

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 4)

    return {"p50": at(0.5), "p99": at(0.99)}


def text_key(text: str) -> int:
    """A 63-bit hash of a text: how a shipped model remembers which texts it was fitted on
    (so that an evaluation on them can refit out of fold instead)."""
    return int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "little") >> 1
