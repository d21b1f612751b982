"""Where cached answers live: the protocol and the in-process implementation.

An entry is one answer under one exact key, with the question it answered and that
question's embedding (when the semantic cache is on), in one scope. Entries expire
after their TTL and the least recently used go first when a replica holds
``max_entries``. The in-process store keeps one vector matrix per scope and finds the
nearest questions by a matrix product (exact; ~0.5 ms for a scope of 10,000 entries
of 384 dimensions), and past ``ann.ANN_FROM`` entries in a scope through an HNSW graph
as well (``ann.py``).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

import numpy as np
import orjson

from ..clock import Clock
from . import ann

_GRAPH_WAIT_S = 0.05  # a graph search slower than this (its thread busy) goes exact


def pack(answer: dict[str, Any]) -> bytes:
    """An answer encoded for keeping: copied to its own exact-size buffer, because
    orjson's output keeps the 4 KB it was written into (a cache of 100,000 answers
    would hold 400 MB of slack)."""
    return bytes(memoryview(orjson.dumps(answer)))


class Entry(NamedTuple):
    """A tuple of plain values on purpose: once the garbage collector has seen one it
    stops tracking it (a tuple of strings, bytes, floats and a numpy array holds no
    reference cycle), so a replica holding 100,000 entries adds nothing to the pauses
    of full collections. The answer is kept encoded for the same reason."""

    key: str  # the exact key
    scope: str
    tenant: str
    key_id: str  # the API key whose request stored it
    group: str
    namespace: str
    question: str
    answer: bytes  # JSON: {"message", "finish_reason", "model", "usage"} (see ``reply``)
    deployment: str
    expires_at: float  # wall clock
    vector: np.ndarray | None = None

    def reply(self) -> dict[str, Any]:
        """The stored answer, decoded (a new object each time: callers may edit it)."""
        decoded: dict[str, Any] = orjson.loads(self.answer)
        return decoded


@dataclass(frozen=True, slots=True)
class Selector:
    """Which entries ``DELETE /admin/cache`` removes: every field set must match."""

    tenant: str | None = None
    key_id: str | None = None
    group: str | None = None
    namespace: str | None = None

    def matches(self, entry: Entry) -> bool:
        return (
            (self.tenant is None or entry.tenant == self.tenant)
            and (self.key_id is None or entry.key_id == self.key_id)
            and (self.group is None or entry.group == self.group)
            and (self.namespace is None or entry.namespace == self.namespace)
        )


class CacheStore(Protocol):
    async def get(self, key: str) -> Entry | None: ...

    async def nearest(
        self, scope: str, vector: np.ndarray, k: int, floor: float
    ) -> list[tuple[Entry, float]]:
        """Up to ``k`` live entries of ``scope`` with cosine >= ``floor``, nearest first."""
        ...

    async def put(self, entry: Entry) -> None: ...

    async def delete(self, selector: Selector) -> int: ...

    def __len__(self) -> int: ...

    async def close(self) -> None: ...


class _ScopeIndex:
    """The vectors of one scope, in a matrix that grows by doubling; removed rows are
    zeroed (a zero row's cosine is 0, below any floor) and reused. Past ``ann_from``
    rows the scope also gets an HNSW graph (``ann.py``), searched once it is built."""

    __slots__ = ("ann_from", "free", "graph", "keys", "matrix", "rows")

    def __init__(self, dim: int, ann_from: int = ann.ANN_FROM) -> None:
        self.matrix = np.zeros((8, dim), dtype=np.float32)
        self.keys: list[str | None] = [None] * 8
        self.rows: dict[str, int] = {}
        self.free: list[int] = list(range(7, -1, -1))
        self.ann_from = ann_from
        self.graph: ann.Graph | None = None

    def add(self, key: str, vector: np.ndarray) -> None:
        if key in self.rows:
            row = self.rows[key]
            self.matrix[row] = vector
            if self.graph is not None:
                self.graph.add(row, vector)
            return
        if not self.free:
            size = len(self.keys)
            grown = np.zeros((size * 2, self.matrix.shape[1]), dtype=np.float32)
            grown[:size] = self.matrix
            self.matrix = grown
            self.keys.extend([None] * size)
            self.free = list(range(size * 2 - 1, size - 1, -1))
        row = self.free.pop()
        self.matrix[row] = vector
        self.keys[row] = key
        self.rows[key] = row
        if self.graph is not None:
            self.graph.add(row, vector)
        elif len(self.rows) >= self.ann_from and ann.available():
            rows = np.fromiter(self.rows.values(), dtype=np.int64, count=len(self.rows))
            self.graph = ann.Graph(
                self.matrix.shape[1], rows, self.matrix[rows].copy(), 2 * len(self.keys)
            )

    def remove(self, key: str) -> None:
        row = self.rows.pop(key, None)
        if row is not None:
            self.matrix[row] = 0.0
            self.keys[row] = None
            self.free.append(row)
            if self.graph is not None:
                self.graph.remove(row)

    async def search(self, vector: np.ndarray, k: int, floor: float) -> list[tuple[str, float]]:
        """``nearest``, through the graph when the scope has a built one."""
        graph = self.graph
        if graph is None or not graph.ready or graph.behind > ann.BEHIND:
            return self.nearest(vector, k, floor)  # no graph yet, or one far behind
        try:
            rows = await asyncio.wait_for(graph.search(vector, 2 * k), _GRAPH_WAIT_S)
        except TimeoutError:  # its thread is busy inserting: the exact answer is ready
            return self.nearest(vector, k, floor)
        if not rows:
            return []
        # scored again from the matrix: a row may have been removed or reused meanwhile
        picked = np.array(rows, dtype=np.int64)
        scores = self.matrix[picked] @ vector
        out = []
        for i in np.argsort(-scores):
            key = self.keys[rows[i]]
            if scores[i] < floor:
                break
            if key is not None:
                out.append((key, float(scores[i])))
        return out[:k]

    def nearest(self, vector: np.ndarray, k: int, floor: float) -> list[tuple[str, float]]:
        used = len(self.keys) - len(self.free)
        if not used:
            return []
        scores = self.matrix @ vector
        if k < len(scores):
            top = np.argpartition(-scores, k)[:k]
        else:
            top = np.arange(len(scores))
        out = []
        for row in top[np.argsort(-scores[top])]:
            key = self.keys[row]
            if scores[row] < floor:
                break
            if key is not None:
                out.append((key, float(scores[row])))
        return out


class MemoryCache:
    """One replica's cache: a dict in LRU order and a vector index per scope."""

    def __init__(
        self, max_entries: int, clock: Clock, dim: int = 384, ann_from: int = ann.ANN_FROM
    ) -> None:
        self.max_entries = max_entries
        self._clock = clock
        self._dim = dim
        self._ann_from = ann_from
        # plain tuples (see Entry), without the vector: the scope's matrix holds it
        self._entries: OrderedDict[str, tuple[Any, ...]] = OrderedDict()
        self._scopes: dict[str, _ScopeIndex] = {}
        self.evicted = 0

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[Entry]:
        """Every entry held, least recently used first (vectors left out)."""
        return [Entry._make(row) for row in self._entries.values()]

    async def get(self, key: str) -> Entry | None:
        return self.get_now(key)

    def get_now(self, key: str) -> Entry | None:
        row = self._entries.get(key)
        if row is None:
            return None
        entry = Entry._make(row)
        if entry.expires_at <= self._clock.wall():
            self._drop(entry)
            return None
        self._entries.move_to_end(key)
        return entry

    async def nearest(
        self, scope: str, vector: np.ndarray, k: int, floor: float
    ) -> list[tuple[Entry, float]]:
        index = self._scopes.get(scope)
        if index is None:
            return []
        out = []
        for key, score in await index.search(vector, k, floor):
            entry = self.get_now(key)
            if entry is not None:
                out.append((entry, score))
        return out

    async def put(self, entry: Entry) -> None:
        self.put_now(entry)

    def put_now(self, entry: Entry) -> None:
        row = self._entries.pop(entry.key, None)
        old = None if row is None else Entry._make(row)
        if old is not None and old.scope != entry.scope:  # cannot happen: the key hashes the scope
            self._unindex(old)
        self._entries[entry.key] = tuple(entry._replace(vector=None))
        if entry.vector is not None:
            index = self._scopes.get(entry.scope)
            if index is None:
                index = self._scopes[entry.scope] = _ScopeIndex(self._dim, self._ann_from)
            index.add(entry.key, entry.vector)
        elif old is not None:
            self._unindex(old)
        while len(self._entries) > self.max_entries:
            _, oldest = self._entries.popitem(last=False)
            self._unindex(Entry._make(oldest))
            self.evicted += 1

    async def delete(self, selector: Selector) -> int:
        doomed = [e for e in self.entries() if selector.matches(e)]
        for entry in doomed:
            self._drop(entry)
        return len(doomed)

    def _drop(self, entry: Entry) -> None:
        self._entries.pop(entry.key, None)
        self._unindex(entry)

    def _unindex(self, entry: Entry) -> None:
        index = self._scopes.get(entry.scope)
        if index is not None:
            index.remove(entry.key)
            if not index.rows:
                del self._scopes[entry.scope]

    async def close(self) -> None:
        self._entries.clear()
        self._scopes.clear()
