"""What one benchmark target measured, and the two ways of printing a run: an aligned
text table (one column per target) and a JSON document.

    print(render_table(results, header_lines))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class TargetResult:
    """Figures for one target, filled in as the run goes; ``None`` means not measured."""

    key: str  # direct | seawall | litellm
    name: str  # the column heading
    version: str = ""
    notes: list[str] = field(default_factory=list)  # anything that went wrong
    rps: float | None = None  # non-streamed, c=connections
    stream_rps: float | None = None  # streamed, c=connections
    p50_us: float | None = None  # c=1, whole request
    p99_us: float | None = None
    ttft_p50_us: float | None = None
    ttft_p99_us: float | None = None
    cpu_us_per_request: float | None = None  # the server under test, during the rps run
    cpu_pct: float | None = None  # the server under test, % of one core, during the rps run
    rss_before_kb: int | None = None
    rss_after_kb: int | None = None
    hwm_kb: int | None = None
    other_cpu_pct: float | None = None  # busy time on the server's core not ours: noise
    wrk_cpu_pct: float | None = None  # wrk, % of one core, during the rps run
    upstream_cpu_pct: float | None = None  # fake upstream, % of one core, during the rps run
    failed_requests: int = 0  # socket errors and non-2xx answers over every wrk run
    soak_rss_kb: list[tuple[float, int]] = field(default_factory=list)  # (seconds, RSS)
    soak_rps: float | None = None


def added(result: TargetResult, direct: TargetResult, name: str) -> float | None:
    """``name`` through the target minus the same figure direct, if both exist."""
    through, base = getattr(result, name), getattr(direct, name)
    if result is direct or through is None or base is None:
        return None
    return float(through - base)


BUSY_CORE_PCT = 10.0  # other load on a measured core above this gets a warning
Cell = Callable[[TargetResult, TargetResult], float | None]


def _field(name: str) -> Cell:
    return lambda result, _direct: getattr(result, name)


def _added(name: str) -> Cell:
    return lambda result, direct: added(result, direct, name)


def _mb(name: str) -> Cell:
    return lambda result, _direct: (
        None if getattr(result, name) is None else getattr(result, name) / 1024
    )


ROWS: tuple[tuple[str, Cell, str], ...] = (
    ("throughput, non-streamed, c={c} (req/s)", _field("rps"), "{:,.0f}"),
    ("throughput, streamed, c={c} (req/s)", _field("stream_rps"), "{:,.0f}"),
    ("latency p50, c=1 (us)", _field("p50_us"), "{:,.0f}"),
    ("latency p99, c=1 (us)", _field("p99_us"), "{:,.0f}"),
    ("added latency p50, c=1 (us)", _added("p50_us"), "{:+,.0f}"),
    ("added latency p99, c=1 (us)", _added("p99_us"), "{:+,.0f}"),
    ("time to first token p50 (us)", _field("ttft_p50_us"), "{:,.0f}"),
    ("time to first token p99 (us)", _field("ttft_p99_us"), "{:,.0f}"),
    ("added time to first token p50 (us)", _added("ttft_p50_us"), "{:+,.0f}"),
    ("added time to first token p99 (us)", _added("ttft_p99_us"), "{:+,.0f}"),
    ("CPU per request, server under test (us)", _field("cpu_us_per_request"), "{:,.1f}"),
    ("CPU of server under test in the c={c} run (% of a core)", _field("cpu_pct"), "{:.0f}"),
    ("RSS before load (MB)", _mb("rss_before_kb"), "{:,.1f}"),
    ("RSS after load (MB)", _mb("rss_after_kb"), "{:,.1f}"),
    ("peak RSS, VmHWM (MB)", _mb("hwm_kb"), "{:,.1f}"),
    ("wrk CPU in the c={c} run (% of a core)", _field("wrk_cpu_pct"), "{:.0f}"),
    ("upstream CPU in the c={c} run (% of a core)", _field("upstream_cpu_pct"), "{:.0f}"),
    ("other load on the server's core in the c={c} run (%)", _field("other_cpu_pct"), "{:.0f}"),
    ("failed requests (socket errors, non-2xx)", _field("failed_requests"), "{:,.0f}"),
)


def _cell(value: float | None, fmt: str) -> str:
    return "-" if value is None or math.isnan(value) else fmt.format(value)


def render_table(results: Sequence[TargetResult], header: Sequence[str], connections: int) -> str:
    direct = results[0]
    labels = [label.format(c=connections) for label, _, _ in ROWS]
    grid = [[_cell(cell(r, direct), fmt) for r in results] for _, cell, fmt in ROWS]
    width = max(len(label) for label in labels)
    cols = [max(len(r.name), *(len(row[i]) for row in grid)) for i, r in enumerate(results)]
    lines = [*header, "", _line("", [r.name for r in results], width, cols)]
    lines += [_line(label, row, width, cols) for label, row in zip(labels, grid, strict=True)]
    lines.extend(_footer(results))
    return "\n".join(lines)


def _line(label: str, cells: Sequence[str], width: int, cols: Sequence[int]) -> str:
    return f"{label:<{width}}" + "".join(f"  {v:>{w}}" for v, w in zip(cells, cols, strict=True))


def throughput_ratio(results: Sequence[TargetResult]) -> float | None:
    """Seawall's non-streamed throughput over LiteLLM's, when both were measured."""
    by_key = {r.key: r for r in results}
    seawall, litellm = by_key.get("seawall"), by_key.get("litellm")
    if not seawall or not litellm or not seawall.rps or not litellm.rps:
        return None
    return seawall.rps / litellm.rps


def _footer(results: Sequence[TargetResult]) -> list[str]:
    versions = ", ".join(f"{r.key} {r.version}" for r in results if r.version)
    lines = ["", f"versions: {versions}"] if versions else []
    ratio = throughput_ratio(results)
    if ratio is not None:
        lines += ["", f"throughput ratio, seawall / litellm (non-streamed): {ratio:.1f}x"]
    for result in results:
        lines += _soak_lines(result)
    for result in results:
        lines += [f"note ({result.name}): {note}" for note in result.notes]
        if (result.other_cpu_pct or 0) > BUSY_CORE_PCT:
            lines.append(
                f"warning ({result.name}): other processes used {result.other_cpu_pct:.0f}% of "
                "the server's core during the throughput run; its figures read low"
            )
    return lines


def _soak_lines(result: TargetResult) -> list[str]:
    if not result.soak_rss_kb:
        return []
    series = "  ".join(f"{t:.0f}s:{kb / 1024:.1f}" for t, kb in result.soak_rss_kb)
    first, last = result.soak_rss_kb[0][1], result.soak_rss_kb[-1][1]
    rps = f", {result.soak_rps:,.0f} req/s" if result.soak_rps else ""
    return [
        "",
        f"soak {result.name}{rps}: RSS (MB) every 10 s",
        f"  {series}",
        f"  change first to last sample: {(last - first) / 1024:+.1f} MB",
    ]


def to_json(results: Sequence[TargetResult], settings: dict[str, Any]) -> dict[str, Any]:
    direct = results[0]
    targets: dict[str, Any] = {}
    for result in results:
        entry = asdict(result)
        for name in ("p50_us", "p99_us", "ttft_p50_us", "ttft_p99_us"):
            entry[f"added_{name}"] = added(result, direct, name)
        targets[result.key] = entry
    return {
        "settings": settings,
        "targets": targets,
        "throughput_ratio_seawall_over_litellm": throughput_ratio(results),
    }
