"""The ledger writer: sums per row, nothing lost or written twice."""

from __future__ import annotations

import asyncio

import pytest

from seawall.limits.ledger import Ledger
from seawall.stores.base import SpendEntry


class SlowStore:
    def __init__(self, fail: bool = False) -> None:
        self.written: list[SpendEntry] = []
        self.fail = fail

    async def add_spend(self, entries):
        await asyncio.sleep(0.05)
        if self.fail:
            raise ConnectionError("database down")
        self.written += entries


def entry(micros: int) -> SpendEntry:
    return SpendEntry("k", "t", "m", "2026-11-27", 1, 10, 5, 0, micros)


async def test_rows_are_summed_before_writing():
    store = SlowStore()
    ledger = Ledger(store, flush_s=60)  # type: ignore[arg-type]
    ledger.add(entry(100))
    ledger.add(entry(200))
    await ledger.flush()
    assert [(e.requests, e.micros) for e in store.written] == [(2, 300)]


async def test_a_cancelled_flush_still_writes_once():
    store = SlowStore()
    ledger = Ledger(store, flush_s=60)  # type: ignore[arg-type]
    ledger.add(entry(1000))
    flushing = asyncio.create_task(ledger.flush())
    await asyncio.sleep(0.01)
    flushing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await flushing
    await asyncio.sleep(0.1)
    await ledger.flush()
    assert sum(e.micros for e in store.written) == 1000


async def test_a_failed_write_keeps_the_sums_for_the_next_flush():
    store = SlowStore(fail=True)
    ledger = Ledger(store, flush_s=60)  # type: ignore[arg-type]
    ledger.add(entry(1000))
    with pytest.raises(ConnectionError):
        await ledger.flush()
    ledger.add(entry(500))
    store.fail = False
    await ledger.flush()
    assert sum(e.micros for e in store.written) == 1500
