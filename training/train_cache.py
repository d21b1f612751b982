"""Fit the semantic cache's verifier and write ``src/seawall/cache/verifier.json``.

    python training/train_cache.py [--data ../shared/data/cache_pairs_dev.jsonl]

Deterministic: the same file gives the same weights. The learning rows are the
lookups of the file's `b` texts among its `a` texts (``seawall eval cache``'s
protocol) plus near-identical negatives made from the `a` texts
(``cache/verify_train.py``). The thresholds are parameters, chosen from the
out-of-fold table of ``seawall eval cache`` on the same file; see the README.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from seawall.cache.verify_train import FLOOR, Params, fit  # noqa: E402
from seawall.embed import shared  # noqa: E402
from seawall.evals import cache as evaluation  # noqa: E402
from seawall.evals.common import text_key  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared/data/cache_pairs_dev.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "src/seawall/cache/verifier.json"))
    args = parser.parse_args()
    params = Params()
    pairs = evaluation.read_pairs(args.data)
    embedder = shared()
    stored = sorted({p.a for p in pairs})
    texts = sorted(set(stored) | {p.b for p in pairs})
    vectors = dict(zip(texts, embedder.embed(texts), strict=True))
    _, candidates, _ = evaluation.lookups(pairs, vectors, FLOOR)
    rows = evaluation.training_samples(pairs, candidates)
    wanted = {t for row in rows for t in (row.query, row.cached)}
    pieces = evaluation.read_pieces(embedder, wanted)
    rows += evaluation.synthetic_samples(
        stored, vectors, embedder, params.seed, params.synthetic_weight, pieces
    )
    verifier = fit(rows, params, pieces)
    verifier.train_keys = frozenset(text_key(t) for t in texts)
    Path(args.out).write_text(json.dumps(verifier.to_json(), indent=None) + "\n")
    print(f"{len(rows)} rows; weights {verifier.weights} bias {verifier.bias} -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
