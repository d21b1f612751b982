"""An approximate nearest-neighbour index (HNSW, hnswlib) for large cache scopes.

An exact search costs one matrix product over every vector of the scope: ~0.5 ms at
10k entries, ~10 ms at 100k. Past ``ANN_FROM`` entries a scope also gets an HNSW
graph (~0.5 ms at 100k). Every operation on the graphs runs on one thread of their
own, in the order it was asked: a search asked after an insert sees it, no two
operations touch a graph at once, and the event loop never waits for a build (~1 s
per 1,000 vectors) or an insert (~2.5 ms). Until its graph is built a scope is searched
exactly. hnswlib is optional (``pip install 'seawall[ann]'``); without it every scope
is searched exactly.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import numpy as np

log = logging.getLogger("seawall.cache")

ANN_FROM = 20_000  # entries in one scope before it gets a graph
_M = 16  # graph degree
_EF_CONSTRUCTION = 100
_EF_SEARCH = 64
_DRAIN_MAX = 256  # operations one drain applies; the rest get the next drain
BEHIND = 256  # operations waiting past which a search goes exact instead of queueing
_EXECUTOR: ThreadPoolExecutor | None = None


def available() -> bool:
    try:
        import hnswlib  # noqa: F401
    except ImportError:
        return False
    return True


def _executor() -> ThreadPoolExecutor:
    global _EXECUTOR
    if _EXECUTOR is None:
        _EXECUTOR = ThreadPoolExecutor(1, thread_name_prefix="seawall-ann")
    return _EXECUTOR


class Graph:
    """One scope's HNSW graph over the rows of its matrix (label = row)."""

    def __init__(self, dim: int, rows: np.ndarray, vectors: np.ndarray, capacity: int) -> None:
        self._dim = dim
        self._index: Any = None
        self._deleted: set[int] = set()
        self._ops: list[tuple[str, int, np.ndarray | None]] = []
        self._draining = False
        self._lock = threading.Lock()
        self.built: Future[None] = _executor().submit(self._build, rows, vectors, capacity)

    @property
    def ready(self) -> bool:
        return self.built.done() and self.built.exception() is None

    @property
    def behind(self) -> int:
        """Operations not yet applied to the graph."""
        return len(self._ops)

    def _build(self, rows: np.ndarray, vectors: np.ndarray, capacity: int) -> None:
        import hnswlib

        index = hnswlib.Index(space="ip", dim=self._dim)
        index.init_index(max_elements=capacity, ef_construction=_EF_CONSTRUCTION, M=_M)
        index.set_num_threads(1)
        index.set_ef(_EF_SEARCH)
        if len(rows):
            index.add_items(vectors, rows)
        self._index = index

    def add(self, row: int, vector: np.ndarray) -> None:
        self._queue(("add", row, vector.copy()))

    def remove(self, row: int) -> None:
        self._queue(("remove", row, None))

    def _queue(self, op: tuple[str, int, np.ndarray | None]) -> None:
        """Operations wait in order; one drain on the graph's thread applies all that
        are waiting, consecutive inserts in one batch (a single insert costs ~2.5 ms, a
        batch ~1 ms each). A search queued later runs after that drain."""
        with self._lock:
            self._ops.append(op)
            if self._draining:
                return
            self._draining = True
        _executor().submit(self._drain)

    def _drain(self) -> None:
        with self._lock:  # operations queued from here on get a drain of their own
            ops, self._ops = self._ops[:_DRAIN_MAX], self._ops[_DRAIN_MAX:]
            self._draining = bool(self._ops)
        if self._draining:  # short drains: a search queued meanwhile waits for one only
            _executor().submit(self._drain)
        index = self._index
        if index is None:
            return  # the build failed; the scope stays exact
        batch_rows: list[int] = []
        batch_vectors: list[np.ndarray] = []

        def flush() -> None:
            if batch_rows:
                needed = max(batch_rows) + 1
                if needed > index.get_max_elements():
                    index.resize_index(max(needed, index.get_max_elements() * 2))
                index.add_items(np.stack(batch_vectors), batch_rows)
                batch_rows.clear()
                batch_vectors.clear()

        for kind, row, vector in ops:
            if kind == "add" and vector is not None:
                if row in self._deleted:
                    flush()
                    index.unmark_deleted(row)
                    self._deleted.discard(row)
                if row in batch_rows:
                    flush()  # the same row twice in a batch: keep the order
                batch_rows.append(row)
                batch_vectors.append(vector)
            elif row not in self._deleted:
                flush()
                try:
                    index.mark_deleted(row)
                    self._deleted.add(row)
                except RuntimeError:  # never added
                    pass
        flush()

    async def search(self, vector: np.ndarray, k: int) -> list[int]:
        """Rows of (about) the ``k`` nearest vectors."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_executor(), self._search, vector, k)

    def _search(self, vector: np.ndarray, k: int) -> list[int]:
        index = self._index
        if index is None:
            return []
        live = index.get_current_count() - len(self._deleted)
        if live <= 0:
            return []
        labels, _ = index.knn_query(vector[None, :], k=min(k, live))
        return [int(label) for label in labels[0]]
