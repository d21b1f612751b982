"""Train the heavy PII tier's tagger and write ``src/seawall/guard/pii_tagger.crfsuite``
and ``pii_tagger.json.gz``.

    pip install -e '.[train]'
    python training/train_pii.py [--dev ../shared/data/pii_dev.jsonl] [--report]

Data (``seawall.guard.pii_train`` says how it is built): the dev file's rows, each also
with its entities replaced by fake values of the same look, and sentences of
``seawall.guard.corpus.pii_templates`` (written for this project) filled with fake
values, plus text with nothing to find. Fake values and the gazetteer come from Faker,
from a fixed seed. No other data set.

Deterministic: the same inputs give the same file. ``--report`` first prints the
figures of record, out of fold with the rows of each template held out together
(the same as ``seawall eval pii --tier heavy --data <dev file>``, ~2 minutes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from seawall.evals.common import text_key  # noqa: E402
from seawall.evals.pii import labelled_rows  # noqa: E402
from seawall.guard import pii_train as train  # noqa: E402
from seawall.guard.pii_tagger import META_FILE, MODEL_FILE, gazetteer  # noqa: E402

OUT = ROOT / "src" / "seawall" / "guard"
PARAMS = train.Params()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dev", type=Path, default=ROOT.parent / "shared" / "data" / "pii_dev.jsonl"
    )
    parser.add_argument("--report", action="store_true", help="print the out-of-fold figures first")
    args = parser.parse_args()
    rows = labelled_rows(args.dev)
    if args.report:
        from seawall.evals.pii import evaluate

        result = evaluate(args.dev, "heavy", folds=True)
        print(json.dumps({k: result[k] for k in ("precision", "recall", "f1")}))
        for name, figures in result["by_type"].items():
            print(f"  {name:<20}{figures['f1']:.3f}  ({figures['support']})")
    started = time.perf_counter()
    lists = train.word_lists()
    examples = train.training_rows(rows, PARAMS, train.Fakes())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / MODEL_FILE
        train.fit(examples, path, PARAMS, gazetteer({"gazetteer": lists}))
        model = path.read_bytes()
    meta = {
        "version": 1,
        "params": asdict(PARAMS),
        "data": {"dev": args.dev.name, "dev_rows": len(rows), "training_rows": len(examples)},
        "gazetteer": lists,
        "train_keys": sorted({text_key(r.text) for r in rows}),
    }
    (OUT / MODEL_FILE).write_bytes(model)
    packed = json.dumps(meta, sort_keys=True, separators=(",", ":")).encode()
    (OUT / META_FILE).write_bytes(gzip.compress(packed, mtime=0))
    print(
        f"wrote {MODEL_FILE} ({len(model) / 1e6:.1f} MB) and {META_FILE} from "
        f"{len(examples)} texts in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
