"""What the input guard costs per request, in process: the injection screen's stage one
(normalisation, views, windows), the fast PII and secrets tier and its redaction, and the
default input guard as a whole (the injection cascade, stage two included when stage one
is unsure, then PII detection), the heavy PII tier (``guard.pii_tier: heavy``), over
benign prompts of several sizes, with and without sensitive values; and what one
stage-two window costs.

    python bench/guard.py [--iterations N] [--json]

One core, no I/O; the figures are per prompt.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from seawall.embed import shared
from seawall.guard import pii_tagger
from seawall.guard.injection import InjectionScreen
from seawall.guard.pii import detect
from seawall.guard.redact import Vault
from seawall.tokens import TokenCounter

PLAIN = (
    "Please summarise the quarterly report for the board, including revenue, costs and "
    "the outlook for next year, and list the three largest risks with one line each. "
)
SENSITIVE = (
    "Contact Jane Doe in Leeds at jane.doe@example.com or +44 20 7946 0958; "
    "card 4929 7524 9019 7650. "
)


def prompt(tokens: int, sensitive: bool) -> str:
    counter = TokenCounter()
    unit = PLAIN + (SENSITIVE if sensitive else "")
    text = unit
    while counter.text(text, exact=False) // 2 < tokens:  # the estimate runs ~2x high
        text += unit
    return text


def timed(work: object, text: str, iterations: int) -> dict[str, float]:
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        work(text)  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 4),
        "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    screen = InjectionScreen.default()
    screen.embedder.load()

    def guard(text: str) -> None:  # the default input guard: injection cascade, fast PII
        screen.check(text)
        detect(text)

    rows = []
    for tokens in (100, 500, 2000):
        for sensitive in (False, True):
            text = prompt(tokens, sensitive)
            verdict = screen.check(text)
            rows.append(
                {
                    "tokens": tokens,
                    "chars": len(text),
                    "sensitive": sensitive,
                    "findings": len(detect(text)),
                    "injection_score": round(verdict.score, 4),
                    "stage_two_windows": verdict.embedded,
                    "stage_one": timed(screen.stage_one, text, args.iterations),
                    "detect": timed(detect, text, args.iterations),
                    "redact": timed(lambda t: Vault().redact(t), text, args.iterations),
                    "guard": timed(guard, text, args.iterations),
                    "heavy": timed(pii_tagger.detect, text, args.iterations),
                    "heavy_findings": len(pii_tagger.detect(text)),
                }
            )
    window = prompt(250, False)[:1200]
    embed_window = timed(lambda t: shared().embed([t]), window, max(20, args.iterations // 10))
    if args.json:
        print(json.dumps({"prompts": rows, "stage_two_window": embed_window}))
        return
    print(
        f"{'prompt':<22}{'stage one':>10}{'pii':>8}{'redact':>8}{'guard p50':>11}{'p99':>8}"
        f"{'  stage two windows'}{'  heavy pii p50':>16}"
    )
    for row in rows:
        label = f"~{row['tokens']} tokens" + (", with PII" if row["sensitive"] else "")
        print(
            f"{label:<22}{row['stage_one']['p50_ms']:>8.3f}ms{row['detect']['p50_ms']:>6.3f}ms"
            f"{row['redact']['p50_ms']:>6.3f}ms{row['guard']['p50_ms']:>9.3f}ms"
            f"{row['guard']['p99_ms']:>8.3f}{row['stage_two_windows']:>8}"
            f"{row['heavy']['p50_ms']:>19.3f}ms"
        )
    print(
        f"one stage-two window (1,200 characters, ~250 tokens): p50 "
        f"{embed_window['p50_ms']:.1f} ms, p99 {embed_window['p99_ms']:.1f} ms"
    )


if __name__ == "__main__":
    main()
