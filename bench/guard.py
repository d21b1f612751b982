"""What the input guard costs per request, in process: the fast PII and secrets tier
and its redaction over prompts of several sizes, with and without sensitive values.

    python bench/guard.py [--iterations N] [--json]

One core, no I/O; the figures are per prompt.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from seawall.guard.pii import detect
from seawall.guard.redact import Vault
from seawall.tokens import TokenCounter

PLAIN = (
    "Please summarise the quarterly report for the board, including revenue, costs and "
    "the outlook for next year, and list the three largest risks with one line each. "
)
SENSITIVE = "Contact jane.doe@example.com or +44 20 7946 0958; card 4929 7524 9019 7650. "


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
    rows = []
    for tokens in (100, 500, 2000):
        for sensitive in (False, True):
            text = prompt(tokens, sensitive)
            rows.append(
                {
                    "tokens": tokens,
                    "chars": len(text),
                    "sensitive": sensitive,
                    "findings": len(detect(text)),
                    "detect": timed(detect, text, args.iterations),
                    "redact": timed(lambda t: Vault().redact(t), text, args.iterations),
                }
            )
    if args.json:
        print(json.dumps(rows))
        return
    print(f"{'prompt':<22}{'findings':>9}{'detect p50':>12}{'p99':>8}{'redact p50':>12}{'p99':>8}")
    for row in rows:
        label = f"~{row['tokens']} tokens" + (", with PII" if row["sensitive"] else "")
        d, r = row["detect"], row["redact"]
        print(
            f"{label:<22}{row['findings']:>9}{d['p50_ms']:>11.3f}ms{d['p99_ms']:>7.3f}"
            f"{r['p50_ms']:>11.3f}ms{r['p99_ms']:>7.3f}"
        )


if __name__ == "__main__":
    main()
