"""The shared embedder: pinned files, unit vectors, meaning over surface, word pieces, a
bounded queue where requests go before background work."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import threading

import numpy as np
import pytest

from seawall import embed
from seawall.embed import Embedder, EmbedderBusy, EmbedderUnavailable


def test_vectors_are_unit_length_and_paraphrases_are_closer_than_strangers():
    vectors = embed.shared().embed(
        [
            "How do I reset my password?",
            "I forgot my password, how can I change it?",
            "What is the capital of France?",
        ]
    )
    assert vectors.shape == (3, embed.DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar = float(vectors[0] @ vectors[1])
    assert similar > 0.8 > 0.2 > float(vectors[0] @ vectors[2])


def test_batches_give_the_same_vectors_as_one_at_a_time():
    texts = ["short one", "a somewhat longer sentence about the weather in Lisbon today", "x"]
    together = embed.shared().embed(texts)
    alone = np.stack([embed.shared().embed([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_word_pieces_cover_the_text_in_context_whatever_the_batch():
    texts = ["Reset my password", "", "a somewhat longer sentence about the weather in Lisbon"]
    together = embed.shared().pieces(texts)
    first = together[0]
    # the special tokens cover nothing and are left out; each piece names its characters
    assert [texts[0][a:b].lower() for a, b in first.spans] == ["reset", "my", "password"]
    assert first.vectors.shape == (3, embed.DIM) and first.vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(first.vectors, axis=1), 1.0, atol=1e-5)
    assert together[1].vectors.shape == (0, embed.DIM) and together[1].spans == ()
    for text, pieces in zip(texts, together, strict=True):  # padding changes nothing
        alone = embed.shared().pieces([text])[0]
        assert alone.spans == pieces.spans
        assert np.allclose(alone.vectors, pieces.vectors, atol=1e-4)
    # in context: the same word in two sentences is not the same vector
    bank = [embed.shared().pieces([t])[0] for t in ("the river bank", "the bank loan")]
    assert float(bank[0].vectors[2] @ bank[1].vectors[1]) < 0.95


def test_a_model_file_that_does_not_match_its_pin_is_refused(tmp_path, monkeypatch):
    model, _ = embed._locate()
    altered = tmp_path / "model.onnx"
    shutil.copyfile(model, altered)
    with altered.open("ab") as file:
        file.write(b"\0")
    monkeypatch.setenv("SEAWALL_EMBED_MODEL", str(altered))
    with pytest.raises(EmbedderUnavailable, match="sha256"):
        Embedder().load()
    monkeypatch.setenv("SEAWALL_EMBED_MODEL", str(tmp_path / "missing.onnx"))
    with pytest.raises(EmbedderUnavailable, match="not installed"):
        Embedder().load()


async def test_callers_past_max_pending_are_turned_away_at_once():
    embedder = Embedder(max_pending=1)
    embedder.load()
    first = asyncio.ensure_future(embedder.aembed(["a long enough sentence " * 20]))
    await asyncio.sleep(0)
    with pytest.raises(EmbedderBusy):
        await embedder.aembed(["another"])
    assert (await first).shape == (1, embed.DIM)


def _recorder(order: list[str], release: threading.Event):
    def work(name: str):
        def run(texts: list[str]) -> str:
            if name == "blocker":
                release.wait(5)
            order.append(name)
            return name

        return run

    return work


async def test_requests_go_before_background_work_and_cancelled_calls_never_run():
    embedder = Embedder()
    order: list[str] = []
    release = threading.Event()
    work = _recorder(order, release)
    blocker = asyncio.ensure_future(embedder._on_thread(work("blocker"), []))
    await asyncio.sleep(0.05)  # the thread is busy with it now
    stores = [
        asyncio.ensure_future(embedder._on_thread(work(f"store{i}"), [], background=True))
        for i in range(2)
    ]
    dropped = asyncio.ensure_future(embedder._on_thread(work("dropped"), []))
    lookup = asyncio.ensure_future(embedder._on_thread(work("lookup"), []))
    await asyncio.sleep(0.01)
    dropped.cancel()  # a lookup past its budget, before its turn
    # the cancellation reaches the thread's queue once the loop has run the task; only
    # then may the thread move on (else, on a loaded machine, it can get there first)
    with contextlib.suppress(asyncio.CancelledError):
        await dropped
    release.set()
    assert await asyncio.gather(blocker, lookup, *stores) == [
        "blocker",
        "lookup",
        "store0",
        "store1",
    ]
    assert order == ["blocker", "lookup", "store0", "store1"]


async def test_background_work_that_waited_long_enough_goes_before_newer_requests(monkeypatch):
    monkeypatch.setattr(embed, "BACKGROUND_DELAY_S", 0.05)
    embedder = Embedder()
    order: list[str] = []
    release = threading.Event()
    work = _recorder(order, release)
    blocker = asyncio.ensure_future(embedder._on_thread(work("blocker"), []))
    await asyncio.sleep(0.02)
    store = asyncio.ensure_future(embedder._on_thread(work("store"), [], background=True))
    await asyncio.sleep(0.1)  # longer than the delay: the store is due before a new lookup
    lookup = asyncio.ensure_future(embedder._on_thread(work("lookup"), []))
    await asyncio.sleep(0.01)
    release.set()
    await asyncio.gather(blocker, store, lookup)
    assert order == ["blocker", "store", "lookup"]
