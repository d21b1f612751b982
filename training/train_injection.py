"""Train the injection screen and write ``src/seawall/guard/injection.npz``.

    pip install -e '.[train]'
    python training/train_injection.py [--dev ../shared/data/injection_dev.jsonl]
                                       [--carry-report] [--check]

Data: the dev file (its README names the sources) and the synthetic corpora of
``seawall.guard.corpus`` (benign prompts and attacks written for this project, most
generated from a fixed seed, some written one at a time). Nothing else: no other public
collection, so that a holdout drawn from them stays meaningful.

Steps, all deterministic:
1. Embed every text once (cached under ~/.cache/seawall).
2. Stratified 5-fold out-of-fold logits for both stages on all rows.
3. From those: the band outside which stage one decides alone (at most 1% of attacks
   below it, at most 1% of benign rows above it), the blend weight, and a first
   threshold (out-of-fold false-positive rate <= TARGET_FPR on benign rows, sources
   weighted by the square root of their size, so that the many synthetic rows do not
   set it alone).
4. Carry: each dev source is scored by a fit without it. The threshold is raised until
   the held-out benign dev sources are flagged at most CARRY_FPR of the time: text of
   a kind the screen never saw is what a holdout of other sources brings, and in-fold
   figures say nothing about it. The band's top is raised to (1 + threshold) / 2, so
   that stage one never blocks alone with a small margin. ``--carry-report`` also holds
   out each synthetic benign category (50 more fits, ~5 minutes).
5. Fit both stages on everything and save. The figures of record are out of fold through
   the serving path on the dev rows: ``seawall eval injection --data <dev file>``.

``--check`` refits and compares with the shipped file instead of writing it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from seawall.embed import shared  # noqa: E402
from seawall.evals.common import text_key  # noqa: E402
from seawall.guard import injection_train as train  # noqa: E402
from seawall.guard.corpus import synthetic_rows  # noqa: E402
from seawall.guard.injection import Model, sigmoid  # noqa: E402

TARGET_FPR = 0.01  # out of fold, all benign sources
CARRY_FPR = 0.05  # each dev benign source scored by a fit without it
OUT = ROOT / "src" / "seawall" / "guard" / "injection.npz"


def dev_rows(path: Path) -> list[train.Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append(train.Row(row["text"], row["label"] == "injection", row["source"]))
    return rows


def oof_logits(rows, vectors, matrix, params):
    """Whole-text out-of-fold logits of stage one and stage two."""
    fold_of = train.folds(rows)
    first = np.zeros(len(rows))
    second = np.zeros(len(rows))
    for fold in range(5):
        keep = fold_of != fold
        chosen = [r for r, k in zip(rows, keep, strict=True) if k]
        model = train.fit(chosen, vectors[keep], params, matrix[keep])
        test = ~keep
        w = model.weights.astype(np.float64)
        first[test] = model.bias + matrix[test] @ w
        second[test] = model.second(vectors[test])
    return first, second


def weighted_fpr(flags, rows) -> float:
    """Benign sources' false-positive rates, each weighted by the square root of its size
    (a source of 5 rows counts, but not as much as one of 250)."""
    by_source: dict[str, list[bool]] = {}
    for flag, row in zip(flags, rows, strict=True):
        if not row.injection:
            by_source.setdefault(row.source, []).append(bool(flag))
    weights = np.array([np.sqrt(len(v)) for v in by_source.values()])
    rates = np.array([np.mean(v) for v in by_source.values()])
    return float((weights * rates).sum() / weights.sum())


def choose(rows, first, second):
    y = np.array([r.injection for r in rows])
    p1 = np.array([sigmoid(z) for z in first])
    low = float(np.quantile(p1[y], 0.01))
    high = float(np.quantile(p1[~y], 0.99))
    low, high = min(low, 0.5), max(high, 0.5)
    best = None
    # never stage one alone (mix 1.0): stage two, on the embedding, is what carries to
    # text unlike the training set, which in-fold figures cannot show. A fit that chose
    # 1.0 here flagged 2.7% of the fresh set's ordinary prompts and 2.0% of the carry
    # set's; the same weights blended at 0.75 flagged 1.6% and 1.4%, and caught as many.
    for mix in (0.5, 0.75):
        unsure = (p1 > low) & (p1 < high)
        final = np.where(unsure, mix * first + (1 - mix) * second, first)
        for threshold in np.linspace(0.05, 0.995, 190):
            flags = np.array([sigmoid(z) for z in final]) >= threshold
            fpr = weighted_fpr(flags, rows)
            if fpr > TARGET_FPR:
                continue
            recall = float(flags[y].mean())
            if best is None or recall > best[0]:
                best = (recall, fpr, mix, float(threshold))
            break
    assert best is not None
    return (low, high), best


def groups(rows):
    """Dev sources one by one (dev first), then the synthetic benign rows by category
    (every language one group)."""

    def group(source):
        if source.startswith("synthetic/benign/multilingual"):
            return "synthetic/benign/multilingual"
        return source

    names = sorted({group(r.source) for r in rows if not r.source.startswith("synthetic/")})
    names += sorted({group(r.source) for r in rows if r.source.startswith("synthetic/benign")})
    return names, np.array([group(r.source) for r in rows])


def held_out_scores(rows, vectors, matrix, params, names):
    """For each group: its label and the cascade's probabilities for its rows, from a fit
    without it (how the screen carries to text of a kind it never saw: the closest stand-in
    for a holdout of other sources)."""
    _, of = groups(rows)
    labels = np.array([r.injection for r in rows])
    out = {}
    for name in names:
        keep = of != name
        chosen = [r for r, k in zip(rows, keep, strict=True) if k]
        model = train.fit(chosen, vectors[keep], params, matrix[keep])
        test = ~keep
        z1 = model.bias + matrix[test] @ model.weights.astype(np.float64)
        z2 = model.second(vectors[test])
        p1 = 1 / (1 + np.exp(-z1))
        unsure = (p1 > params.band[0]) & (p1 < params.band[1])
        mixed = np.where(unsure, params.mix * z1 + (1 - params.mix) * z2, z1)
        out[name] = (bool(labels[test][0]), 1 / (1 + np.exp(-mixed)))
    return out


def carry_threshold(scores, floor):
    """The lowest threshold (not under ``floor``) at which the dev benign sources, each
    scored by a fit that never saw it, are flagged at most CARRY_FPR of the time
    (sources weighted by the square root of their size)."""
    benign = [(np.sqrt(len(p)), p) for label, p in scores.values() if not label]
    for threshold in np.arange(floor, 0.995, 0.005):
        rate = sum(w * float((p >= threshold).mean()) for w, p in benign)
        if rate / sum(w for w, _ in benign) <= CARRY_FPR:
            return float(threshold)
    return 0.995


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared/data/injection_dev.jsonl")
    parser.add_argument("--check", action="store_true")
    parser.add_argument(
        "--carry-report", action="store_true", help="also hold out each synthetic category"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    dev = dev_rows(args.dev)
    synthetic = synthetic_rows()
    rows = dev + synthetic
    print(f"rows: {len(dev)} dev + {len(synthetic)} synthetic")
    embed = train.cached_embed(shared())
    vectors = embed([train.training_view(r.text) for r in rows])
    matrix = train.design([r.text for r in rows])
    print(f"embedded and featurised in {time.perf_counter() - started:.0f} s")

    params = train.Params()
    first, second = oof_logits(rows, vectors, matrix, params)
    band, (recall, fpr, mix, threshold) = choose(rows, first, second)
    print(
        f"out-of-fold, whole texts: band {band[0]:.3f}..{band[1]:.3f}, mix {mix}, "
        f"threshold {threshold:.3f}: recall {recall:.3f}, source-weighted fpr {fpr:.3f}"
    )
    params = train.Params(mix=mix, band=band, threshold=threshold)
    names, _ = groups(rows)
    dev_sources = [n for n in names if not n.startswith("synthetic/")]
    scores = held_out_scores(rows, vectors, matrix, params, dev_sources)
    threshold = round(carry_threshold(scores, threshold), 3)
    # stage one flags alone only with a margin over the threshold: a window between the
    # threshold and (1 + threshold) / 2 is read by stage two too, which can clear it
    band = (band[0], max(band[1], (1 + threshold) / 2))
    params = train.Params(mix=mix, band=band, threshold=threshold)
    print(f"threshold raised to {threshold:.3f} for dev benign sources held out (<= {CARRY_FPR})")
    if args.carry_report:
        scores.update(held_out_scores(rows, vectors, matrix, params, names[len(dev_sources) :]))
    print("each source (and synthetic category) scored by a fit without it, at the threshold:")
    for name in names:
        if name in scores:
            label, p = scores[name]
            rate = float((p >= threshold).mean())
            print(f"  {name:<55} {'recall' if label else 'fpr':<7}{rate:.3f}  (n={len(p)})")

    model = train.fit(rows, vectors, params, matrix)
    digest = hashlib.sha256("\n".join(r.text for r in rows).encode()).hexdigest()
    model = Model(
        **{
            **model.__dict__,
            "meta": {
                "trained_on": digest,
                "dev_rows": len(dev),
                "synthetic_rows": len(synthetic),
                "dev_sha256": hashlib.sha256(args.dev.read_bytes()).hexdigest(),
                # which texts it has seen, so that `seawall eval injection` knows to refit
                "train_keys": np.array([text_key(r.text) for r in dev], dtype=np.uint64),
            },
        }
    )
    if args.check:
        shipped = Model.load(OUT)
        same = np.allclose(shipped.weights, model.weights.astype(np.float16), atol=1e-3)
        print("shipped file matches a fresh fit" if same else "shipped file differs")
        return 0 if same else 1
    model.save(OUT)
    print(
        f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KB) "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
