"""Rate windows and budget counters in Redis, shared by every replica.

One script checks every limit of a request and charges them all, or none: the key's
and the tenant's requests and tokens per minute and their budgets. Windows are hashes
of one-second buckets on Redis's own clock, so replicas agree on what "the last
minute" is and a limit of 100 lets 100 through across any number of replicas. Budget
counters are hashes of micro-dollars (``m``) and an epoch (``e``) that changes when a
lost counter is rebuilt from the ledger.

    store = RedisLimitStore(client)
    decision = await store.admit([Window("rpm:key:k1", 100, 1)], [], window_s=60)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis

from .base import Decision, Hold, Settlement, Window, WindowState
from .redis import _cancellable

# KEYS: the windows, then the budget counters (whose expiry the seed set: a counter
# is rebuilt from the ledger at least that often, which also clears any hold that a
# crashed replica never settled).
# ARGV: window_s, number of windows, then (limit, cost) per window and per counter.
# Returns {1, bucket, now_ms, (remaining, oldest bucket) per window, epoch per counter},
# or {0, index, wait_ms} (a window refuses), {2, index} (a counter is missing) or
# {3, index} (a budget refuses).
_ADMIT = """
local t = redis.call('TIME')
local now_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local bucket = tonumber(t[1])
local window = tonumber(ARGV[1])
local nwin = tonumber(ARGV[2])
local nhold = #KEYS - nwin
local out = {1, bucket, now_ms}
for i = 1, nwin do
  local limit, cost = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local flat = redis.call('HGETALL', KEYS[i])
  local used, stale, live = 0, {}, {}
  for j = 1, #flat, 2 do
    local b, n = tonumber(flat[j]), tonumber(flat[j + 1])
    if b <= bucket - window then stale[#stale + 1] = flat[j]
    else used = used + n; live[#live + 1] = {b, n} end
  end
  if #stale > 0 then redis.call('HDEL', KEYS[i], unpack(stale)) end
  table.sort(live, function(a, b) return a[1] < b[1] end)
  if used + cost > limit then
    local freed, wait = 0, window * 1000
    for _, slot in ipairs(live) do
      freed = freed + slot[2]
      if used - freed + cost <= limit then wait = (slot[1] + window) * 1000 - now_ms; break end
    end
    return {0, i, wait}
  end
  out[#out + 1] = limit - used - cost
  out[#out + 1] = live[1] and live[1][1] or bucket
end
for k = 1, nhold do
  local key = KEYS[nwin + k]
  local limit, cost = tonumber(ARGV[1 + 2 * (nwin + k)]), tonumber(ARGV[2 + 2 * (nwin + k)])
  local spent = redis.call('HGET', key, 'm')
  if not spent then return {2, k} end
  if tonumber(spent) + cost > limit then return {3, k} end
end
for i = 1, nwin do
  local cost = tonumber(ARGV[2 + 2 * i])
  if cost > 0 then redis.call('HINCRBY', KEYS[i], bucket, cost) end
  redis.call('EXPIRE', KEYS[i], window + 1)
end
for k = 1, nhold do
  local key = KEYS[nwin + k]
  redis.call('HINCRBY', key, 'm', tonumber(ARGV[2 + 2 * (nwin + k)]))
  out[#out + 1] = redis.call('HGET', key, 'e')
end
return out
"""

# KEYS[1]: a counter; ARGV: micros, epoch, ttl_s. Creates it only if it is missing.
_SEED = """
if redis.call('HSETNX', KEYS[1], 'm', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'e', ARGV[2])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[3]))
end
return 1
"""

# KEYS: the windows, then the counters. ARGV: bucket, number of windows, a delta per
# window, then (reserved, actual, epoch) per counter, then 1 for "same epoch only".
_SETTLE = """
local nwin = tonumber(ARGV[2])
local same_only = ARGV[#ARGV] == '1'
for i = 1, nwin do
  if redis.call('HEXISTS', KEYS[i], ARGV[1]) == 1 then
    redis.call('HINCRBY', KEYS[i], ARGV[1], tonumber(ARGV[2 + i]))
  end
end
for k = 1, #KEYS - nwin do
  local key = KEYS[nwin + k]
  local at = 2 + nwin + 3 * (k - 1)
  local epoch = redis.call('HGET', key, 'e')
  if epoch and (epoch == ARGV[at + 3] or not same_only) then
    local change = tonumber(ARGV[at + 2])
    if epoch == ARGV[at + 3] then change = change - tonumber(ARGV[at + 1]) end
    redis.call('HINCRBY', key, 'm', change)
  end
end
return 1
"""


class RedisLimitStore:
    degraded: str | None = None

    def __init__(self, client: Redis, *, prefix: str = "seawall:limits:") -> None:
        self._client = client
        self._prefix = prefix
        self._admit = client.register_script(_ADMIT)
        self._seed = client.register_script(_SEED)
        self._settle = client.register_script(_SETTLE)

    async def admit(
        self, windows: Sequence[Window], holds: Sequence[Hold], window_s: int
    ) -> Decision:
        keys = [self._prefix + w.key for w in windows] + [self._prefix + h.key for h in holds]
        args: list[int] = [window_s, len(windows)]
        for w in windows:
            args += [w.limit, w.cost]
        for h in holds:
            args += [h.limit, h.cost]
        reply = await _cancellable(self._admit(keys=keys, args=args))
        return _decision(reply, windows, window_s)

    async def seed(self, key: str, micros: int, ttl_s: int) -> None:
        args: list[int | str] = [micros, os.urandom(6).hex(), ttl_s]
        await _cancellable(self._seed(keys=[self._prefix + key], args=args))

    async def settle(self, settlement: Settlement, window_s: int) -> None:
        keys = [self._prefix + k for k, _ in settlement.windows]
        keys += [self._prefix + h[0] for h in settlement.holds]
        args: list[int | str] = [settlement.bucket, len(settlement.windows)]
        args += [delta for _, delta in settlement.windows]
        for _, reserved, actual, epoch in settlement.holds:
            args += [reserved, actual, epoch]
        args.append(1 if settlement.same_epoch_only else 0)
        if keys:
            await _cancellable(self._settle(keys=keys, args=args))

    async def close(self) -> None:
        await self._client.aclose()


def _decision(reply: list[Any], windows: Sequence[Window], window_s: int) -> Decision:
    status = int(reply[0])
    if status == 0:
        return Decision(
            False, refused=int(reply[1]) - 1, retry_after_s=max(int(reply[2]), 0) / 1000
        )
    if status == 2:
        return Decision(False, unseeded=int(reply[1]) - 1)
    if status == 3:
        return Decision(False, refused=int(reply[1]) - 1, over_budget=True)
    bucket, now = int(reply[1]), int(reply[2]) / 1000
    states = []
    for i, window in enumerate(windows):
        remaining, oldest = int(reply[3 + 2 * i]), int(reply[4 + 2 * i])
        states.append(WindowState(window.limit, remaining, oldest + window_s - now))
    epochs = tuple(_text(e) for e in reply[3 + 2 * len(windows) :])
    return Decision(True, tuple(states), bucket, epochs)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
