"""Does the intent classifier's threshold carry to a config it was not tuned on?

Splits the dev examples file into two configs, its 15 banking intents and its 15 travel
intents. For a config, the in-scope rows are the dev rows of its intents and every other
row (the other half's intents, generic oos, other CLINC domains) is out of scope.

1. The shipped defaults on each config (nothing is tuned per config).
2. Tune on one half, test on the other: the (shrinkage, threshold) pair with the largest
   slack min(accuracy - 0.93, oos recall - 0.90) on one config, scored on the other.
3. Random configs: 15 intents drawn from the 30 (harder: the out-of-scope rows include
   sibling intents of the same domain).

    python training/intent_carry.py [--examples E] [--data F] [--draws 20]
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from seawall.embed import shared
from seawall.intent import IntentClassifier

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SHRINKAGES = (0.8, 0.9, 0.95)
THRESHOLDS = (0.02, 0.03, 0.04, 0.05)


class CachedEmbedder:
    """Embeds each distinct text once across the many configs built here."""

    def __init__(self) -> None:
        self._inner = shared()
        self._cache: dict[str, npt.NDArray[np.float32]] = {}

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            self._cache.update(zip(missing, self._inner.embed(missing), strict=True))
        return np.stack([self._cache[t] for t in texts])


def score(
    classifier: IntentClassifier, rows: list[dict[str, str]], vectors: npt.NDArray[np.float32]
) -> dict[str, object]:
    names = set(classifier.intents)
    right = refused = n_in = 0
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, vector in zip(rows, vectors, strict=True):
        predicted = classifier.classify_vector(row["text"], vector).intent
        if row["intent"] in names:
            n_in += 1
            right += predicted == row["intent"]
            continue
        refused += predicted is None
        source = "other_half" if row["intent"] != "oos" else row["source"].split(":")[-1]
        by_source[source][0] += predicted is None
        by_source[source][1] += 1
    return {
        "acc": round(right / n_in, 3),
        "oos": round(refused / (len(rows) - n_in), 3),
        "by_source": {k: round(a / b, 2) for k, (a, b) in sorted(by_source.items())},
    }


def slack(result: dict[str, object]) -> float:
    return min(float(result["acc"]) - 0.93, float(result["oos"]) - 0.90)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", default=DATA / "intent_examples.json")
    parser.add_argument("--data", default=DATA / "intent_dev.jsonl")
    parser.add_argument("--draws", type=int, default=20)
    args = parser.parse_args()
    config = json.loads(Path(args.examples).read_text())
    intents: dict[str, list[str]] = config["intents"]
    rows = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line]
    embedder = CachedEmbedder()
    vectors = embedder.embed([r["text"] for r in rows])
    halves = {d: {i: intents[i] for i in names} for d, names in config["domains"].items()}

    def run(subset: dict[str, list[str]], shrink: float, threshold: float) -> dict[str, object]:
        classifier = IntentClassifier(subset, embedder, threshold, shrinkage=shrink)
        return score(classifier, rows, vectors)

    print("1. shipped defaults (shrinkage 0.9, threshold 0.03)")
    for name, subset in [("all 30", intents), *halves.items()]:
        print(f"   {name:<8} {run(subset, 0.9, 0.03)}")

    print("2. tuned on one half, tested on the other")
    grid = [(s, t) for s in SHRINKAGES for t in THRESHOLDS]
    for source, target in [("banking", "travel"), ("travel", "banking")]:
        results = {p: run(halves[source], *p) for p in grid}
        best = max(grid, key=lambda p: slack(results[p]))
        tested = run(halves[target], *best)
        print(
            f"   {source}->{target}: chose shrinkage {best[0]}, threshold {best[1]} "
            f"({source}: acc {results[best]['acc']}, oos {results[best]['oos']})"
        )
        print(f"      on {target}: {tested}")

    print(f"3. {args.draws} random 15-intent configs, shipped defaults")
    rng = random.Random(20261127)
    figures = []
    for _ in range(args.draws):
        names = rng.sample(sorted(intents), 15)
        result = run({n: intents[n] for n in names}, 0.9, 0.03)
        figures.append((float(result["acc"]), float(result["oos"])))  # type: ignore[arg-type]
    acc, oos = np.array(figures).T
    met = np.mean((acc >= 0.93) & (oos >= 0.90))
    print(
        f"   acc mean {acc.mean():.3f} min {acc.min():.3f}; oos mean {oos.mean():.3f} "
        f"min {oos.min():.3f}; both targets met in {met:.0%}"
    )


if __name__ == "__main__":
    main()
