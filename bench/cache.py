"""What a semantic cache lookup costs, in process: the nearest stored questions of one
scope (a matrix product over the scope's vectors, and past 20,000 entries also through
the scope's HNSW graph once built) and the verifier over the candidates,
at 10k and 100k entries of real MiniLM embeddings and at 1M synthetic unit vectors;
what embedding the question costs, and the verifier's word pieces; and memory per entry.

    python bench/cache.py [--sizes 10000,50000] [--synthetic 100000,1000000] [--queries 500]
                          [--graph-max 200000]

Real texts come from ../shared/data: every question, prompt and sentence of the
retrieval corpus, de-duplicated (56,498 of them), then runs of 8 to 16 words from the
corpus's texts to reach 100k and more. Their vectors are kept in /tmp between runs
(embedding 100k takes ~25 min). All
entries sit in one scope, the worst case: a scope is one tenant, system prompt,
conversation prefix and parameter set, so real scopes are smaller.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import re
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import orjson

from seawall.cache.ann import ANN_FROM
from seawall.cache.semantic import CANDIDATES, choose, wanting_pieces
from seawall.cache.store import Entry, MemoryCache
from seawall.cache.verify import shipped
from seawall.clock import FakeClock
from seawall.embed import shared

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ANSWER = orjson.dumps(
    {"message": {"role": "assistant", "content": "x" * 400}, "finish_reason": "stop"}
)


def real_texts(limit: int) -> list[str]:
    texts: dict[str, None] = {}

    def add(text: object) -> None:
        if isinstance(text, str) and 8 <= len(text) <= 400:
            texts.setdefault(text.strip(), None)

    for name, fields in (
        ("cache_pairs_dev.jsonl", ("a", "b")),
        ("intent_dev.jsonl", ("text",)),
        ("injection_dev.jsonl", ("text",)),
        ("pii_dev.jsonl", ("text",)),
        ("retrieval/queries_train.jsonl", ("text",)),
        ("retrieval/queries_dev.jsonl", ("text",)),
    ):
        for line in (DATA / name).read_text().splitlines():
            row = json.loads(line)
            for field in fields:
                add(row.get(field))
    corpus = [json.loads(line)["text"] for line in (DATA / "retrieval/corpus.jsonl").open()]
    for text in corpus:
        for sentence in re.split(r"(?<=[.;:])\s+", text):
            add(sentence)
            if len(texts) >= limit:
                return list(texts)
    # past the whole texts: runs of 8 to 16 words from the corpus (real wording, shorter
    # than a sentence), enough to reach 100k entries
    for text in corpus:
        words = text.split()
        for start in range(0, max(1, len(words) - 8), 6):
            add(" ".join(words[start : start + 8 + start % 9]))
            if len(texts) >= limit:
                return list(texts)
    return list(texts)[:limit]


def vectors(texts: list[str]) -> np.ndarray:
    """Embeddings of ``texts``, kept in /tmp: ``real_texts`` always lists texts in the same
    order, so a kept file of more texts holds these as its first rows."""
    for kept in sorted(Path("/tmp").glob("seawall-bench-cache-*.npy")):
        matrix = np.load(kept, mmap_mode="r")
        if matrix.shape[0] >= len(texts):
            return np.array(matrix[: len(texts)])
    start = time.perf_counter()
    out = shared().embed(texts, batch=64)
    print(f"embedded {len(texts)} texts in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    np.save(f"/tmp/seawall-bench-cache-{len(texts)}.npy", out)
    return out


def bytes_per_entry(texts: list[str], matrix: np.ndarray) -> int:
    """Python and numpy allocations of a store of these entries, per entry (answers of
    400 characters)."""
    tracemalloc.start()
    store = MemoryCache(len(texts) + 1, FakeClock())
    fill(store, texts, matrix)
    used, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del store
    return round(used / len(texts))


def fill(store: MemoryCache, texts: list[str], matrix: np.ndarray) -> None:
    for i, text in enumerate(texts):
        store.put_now(
            Entry(f"k{i}", "scope", "t", "k", "chat", "", text, ANSWER, "d", 1e18, matrix[i])
        )


async def measure(
    store: MemoryCache, queries: list[str], matrix: np.ndarray, graph: bool
) -> dict[str, object]:
    """Exact figures, and with ``graph`` the graph's (after waiting for its build)."""
    figures: dict[str, object] = {"exact": await lookups(store, queries, matrix, False)}
    built = store._scopes["scope"].graph
    if graph and built is not None:
        start = time.perf_counter()
        await asyncio.wrap_future(built.built)
        figures["graph_build_wait_s"] = round(time.perf_counter() - start, 1)
        # entries stored after the first build are inserted one batch at a time: until
        # the graph has caught up, searches take the exact path
        for _ in range(7200):  # an hour at most
            if not built.behind:
                break
            await asyncio.sleep(0.5)
        figures["graph_catch_up_s"] = round(time.perf_counter() - start, 1)
        figures["graph"] = await lookups(store, queries, matrix, True)
    return figures


async def lookups(
    store: MemoryCache, queries: list[str], matrix: np.ndarray, graph: bool
) -> dict[str, float]:
    """Search (exact, or through the scope's HNSW graph) plus verification, per query."""
    verifier = shipped()
    index = store._scopes["scope"]
    seconds, aligning = [], []
    hits = 0
    for text, vector in zip(queries, matrix, strict=True):
        start = time.perf_counter()
        if graph:
            pairs = await index.search(vector, CANDIDATES, verifier.cosine)
        else:
            pairs = index.nearest(vector, CANDIDATES, verifier.cosine)
        found = [(e, s) for e, s in ((store.get_now(key), score) for key, score in pairs) if e]
        wanted = wanting_pieces(text, found)
        pieces = {}
        if wanted:  # a model run, like the embedding: timed on its own
            paused = time.perf_counter()
            pieces = dict(zip(wanted, shared().pieces(wanted), strict=True))
            aligning.append(time.perf_counter() - paused)
            start += aligning[-1]
        decision = choose(text, found, verifier, None, pieces)
        seconds.append(time.perf_counter() - start)
        hits += decision.match is not None
    seconds.sort()
    aligning.sort()
    return {
        "p50_ms": round(seconds[len(seconds) // 2] * 1000, 3),
        "p99_ms": round(seconds[int(len(seconds) * 0.99)] * 1000, 3),
        "mean_ms": round(statistics.fmean(seconds) * 1000, 3),
        "hits": hits,
        # lookups whose candidates differed by a word: the word pieces' model run
        "aligned": len(aligning),
        "align_p50_ms": round(aligning[len(aligning) // 2] * 1000, 2) if aligning else None,
    }


def main() -> int:
    return asyncio.run(run())


def timed(calls: list, rounds: int = 50) -> dict[str, float]:
    """p50 and p99 in ms of each call, every call made ``rounds`` times."""
    times = []
    for _ in range(rounds):
        for call in calls:
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    times.sort()
    return {
        "p50": round(times[len(times) // 2] * 1000, 2),
        "p99": round(times[int(len(times) * 0.99)] * 1000, 2),
    }


async def run() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,50000", help="entries of real embeddings")
    parser.add_argument("--synthetic", default="100000,1000000", help="entries of random ones")
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument(
        "--graph-max",
        type=int,
        default=200_000,
        help="build and measure the HNSW graph up to this many entries (~1 s per 1,000)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    result: dict[str, object] = {}

    embedder = shared()
    embedder.load()
    samples = ["How do I reset my password?", "what's the refund policy for damaged items"]
    result["embedding_ms"] = timed([lambda t=text: embedder.embed([t]) for text in samples])
    # the verifier's word pieces: a question and four candidates, in one model run
    texts_five = [
        "How do I talk fluent English?",
        "How can I speak English fluently?",
        "What is the best way to become fluent in English?",
        "How can I improve my spoken English?",
        "how to get fluent in english fast",
    ]
    result["pieces_of_five_ms"] = timed([lambda: embedder.pieces(texts_five)])

    want = max(sizes, default=0) + args.queries
    texts = real_texts(want)
    matrix = vectors(texts)
    queries, query_matrix = texts[-args.queries :], matrix[-args.queries :]
    for size in sizes:
        if size + args.queries > len(texts):
            result[f"real_{size}"] = f"only {len(texts)} real texts"
            continue
        gc.collect()
        graph = args.graph_max >= size
        store = MemoryCache(size + 1, FakeClock(), ann_from=ANN_FROM if graph else size + 1)
        fill(store, texts[:size], matrix[:size])
        figures = await measure(store, queries, query_matrix, graph)
        del store
        figures["bytes_per_entry"] = bytes_per_entry(texts[:size], matrix[:size])
        result[f"real_{size}"] = figures

    rng = np.random.default_rng(7)
    for count in [int(s) for s in args.synthetic.split(",") if s]:
        synthetic = rng.standard_normal((count, 384), dtype=np.float32)
        synthetic /= np.linalg.norm(synthetic, axis=1, keepdims=True)
        graph = args.graph_max >= count
        store = MemoryCache(count + 1, FakeClock(), ann_from=ANN_FROM if graph else count + 1)
        fill(store, [f"q{i}" for i in range(count)], synthetic)
        del synthetic
        probes = rng.standard_normal((min(args.queries, 100), 384), dtype=np.float32)
        probes /= np.linalg.norm(probes, axis=1, keepdims=True)
        names = [f"p{i}" for i in range(len(probes))]
        result[f"synthetic_{count}"] = await measure(store, names, probes, args.graph_max >= count)
        del store
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
