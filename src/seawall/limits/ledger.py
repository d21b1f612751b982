"""The spend ledger's writer: usage is summed per (key, tenant, model, day) in memory
and added to the durable store every ``flush_s``, in one transaction per flush, off
the request path. A failed flush keeps the sums and tries again; nothing is lost
unless the process dies with a flush pending (at most ``flush_s`` of spend).

    ledger = Ledger(accounts, flush_s=0.5)
    await ledger.start(); ledger.add(entry); await ledger.flush(); await ledger.close()
"""

from __future__ import annotations

import asyncio
import logging

from ..stores.base import AccountStore, SpendEntry

log = logging.getLogger("seawall.ledger")

_Row = tuple[str, str, str, str]
_MAX_ROWS = 100_000  # distinct rows waiting; past this, new rows are counted as dropped


class Ledger:
    def __init__(self, store: AccountStore, *, flush_s: float) -> None:
        self._store = store
        self._flush_s = flush_s
        self._pending: dict[_Row, list[int]] = {}
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0
        self.failing = False

    @property
    def store(self) -> AccountStore:
        return self._store

    async def start(self) -> None:
        self._task = asyncio.create_task(self._flush_forever(), name="seawall-ledger")

    def add(self, entry: SpendEntry) -> None:
        row = (entry.key_id, entry.tenant, entry.model, entry.day)
        sums = self._pending.get(row)
        if sums is None:
            if len(self._pending) >= _MAX_ROWS:
                self.dropped += 1
                return
            sums = self._pending[row] = [0, 0, 0, 0, 0]
        sums[0] += entry.requests
        sums[1] += entry.prompt_tokens
        sums[2] += entry.completion_tokens
        sums[3] += entry.cached_tokens
        sums[4] += entry.micros

    async def flush(self) -> None:
        """Write everything added so far (waits for a flush already under way)."""
        async with self._lock:
            if not self._pending:
                return
            batch, self._pending = self._pending, {}
            entries = [SpendEntry(*row, *sums) for row, sums in batch.items()]
            # shielded: a cancelled caller must not abandon a write that may still commit,
            # nor put back sums that did get written
            write = asyncio.ensure_future(self._store.add_spend(entries))
            write.add_done_callback(lambda done: self._restore_if_failed(done, batch))
            await asyncio.shield(write)

    def _restore_if_failed(self, write: asyncio.Future[None], batch: dict[_Row, list[int]]) -> None:
        if write.cancelled() or write.exception() is not None:
            for row, sums in batch.items():  # put back, merged with what came meanwhile
                merged = self._pending.setdefault(row, [0, 0, 0, 0, 0])
                for i, value in enumerate(sums):
                    merged[i] += value

    async def _flush_forever(self) -> None:
        while True:
            await asyncio.sleep(self._flush_s)
            try:
                await self.flush()
                self.failing = False
            except Exception as exc:  # the durable store is down: keep the sums, retry
                if not self.failing:
                    log.error("writing the spend ledger failed; will retry: %s", exc)
                self.failing = True

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        try:
            await self.flush()
        except Exception as exc:
            log.error("the last ledger flush failed; %d rows lost: %s", len(self._pending), exc)
