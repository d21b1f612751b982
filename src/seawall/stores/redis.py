"""Hot state shared through Redis, so any number of gateway replicas agree on
concurrency slots and breaker health.

    hot = open_redis("redis://localhost:6379/0")
    lease = await slots.acquire("chat/0", limit=8, wait_s=0.5)

Slots are leases in one sorted set per key, scored by their expiry on the Redis clock
and renewed while held, so a replica that dies cannot leak them. Breaker outcomes are
counted per time bucket (a tenth of the window) as totals and per replica, so a pull
subtracts this replica's share instead of reading every other replica's.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import secrets
import time
from collections import Counter
from collections.abc import Awaitable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

from .base import HealthOutcome, HotStores, Lease, SharedHealth
from .failover import FailoverSlotStore

log = logging.getLogger("seawall.stores.redis")

T = TypeVar("T")

_BUCKETS = 10  # as in the local breaker, so both count the same window
_POLL_S = (0.005, 0.02)
_POOL_SIZE = 64  # connections per client; a burst beyond it waits for one
_POOL_WAIT_S = 2.0
_MARK_SLACK_S = 60.0  # marks outlive their deadline a little: readers compare anyway

_NOW_MS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# never shorten the key's expiry: another replica may hold a longer lease in it
_EXTEND_KEY = "if redis.call('PTTL', {key}) < ttl then redis.call('PEXPIRE', {key}, ttl) end"

_ACQUIRE = (
    _NOW_MS
    + """
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
"""
    + _EXTEND_KEY.format(key="KEYS[1]")
    + "\nreturn 1"
)

# KEYS[i] holds the lease ARGV[i + 1]; returns the indexes of leases already gone
_RENEW = (
    _NOW_MS
    + """
local ttl = tonumber(ARGV[1])
local lost = {}
for i, key in ipairs(KEYS) do
  local score = redis.call('ZSCORE', key, ARGV[i + 1])
  if score and tonumber(score) > now then
    redis.call('ZADD', key, now + ttl, ARGV[i + 1])
    """
    + _EXTEND_KEY.format(key="key")
    + """
  else
    lost[#lost + 1] = i
  end
end
return lost
"""
)

# per deployment: its open mark, its cooldown, then its buckets; returns 4 values each
_PULL = """
local mine_ok, mine_fail, n = ARGV[1] .. ':s', ARGV[1] .. ':f', tonumber(ARGV[2])
local out = {}
for i = 1, #KEYS, n + 2 do
  local ok, fail = 0, 0
  for j = i + 2, i + n + 1 do
    local c = redis.call('HMGET', KEYS[j], 's', 'f', mine_ok, mine_fail)
    ok = ok + (tonumber(c[1]) or 0) - (tonumber(c[3]) or 0)
    fail = fail + (tonumber(c[2]) or 0) - (tonumber(c[4]) or 0)
  end
  out[#out + 1] = ok
  out[#out + 1] = fail
  out[#out + 1] = redis.call('GET', KEYS[i]) or '0'
  out[#out + 1] = redis.call('GET', KEYS[i + 1]) or '0'
end
return out
"""

_RAISE_TO = """
if tonumber(ARGV[1]) <= tonumber(redis.call('GET', KEYS[1]) or '0') then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

# the bucket names come from the index: Redis Cluster would need them in one hash slot
_RESET = """
for _, bucket in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do redis.call('DEL', bucket) end
redis.call('DEL', unpack(KEYS))
"""


def open_redis(url: str) -> HotStores:
    """The ``redis://`` hot stores; each has its own pool, so slots never queue behind
    a health pull. A stalled server costs at most half a second before slots fail over
    to in-process counting (URL parameters such as ``socket_timeout`` override this)."""
    from .memory import MemoryLimitStore
    from .redis_limits import RedisLimitStore

    return HotStores(
        FailoverSlotStore(RedisSlotStore(_client(url))),
        RedisHealthSync(_client(url)),
        RedisLimitStore(_client(url)),
        MemoryLimitStore,
    )


def _client(url: str) -> Redis:
    """A client whose pool waits (briefly) for a free connection under a burst instead of
    failing, and that tries once more, on a fresh connection, when a pooled one turns
    out dead (Redis restarted). A server that does not answer is not retried."""
    options: dict[str, Any] = {
        "max_connections": _POOL_SIZE,
        "timeout": _POOL_WAIT_S,
        "retry": Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        "retry_on_error": [RedisConnectionError],
    }
    query = urlsplit(url).query
    if "socket_timeout" not in query and "socket_connect_timeout" not in query:
        options.update(socket_timeout=0.5, socket_connect_timeout=0.5)
    return Redis.from_pool(BlockingConnectionPool.from_url(url, **options))


async def _cancellable(call: Awaitable[T]) -> T:
    """Await a redis-py call without losing a cancellation that arrives meanwhile.

    On Python 3.11 redis-py sends through ``asyncio.wait_for``, which drops a cancel
    landing just as the send completes (fixed in 3.12): the reply then comes back
    instead of the CancelledError, and a cancelled acquire would go on waiting."""
    task = asyncio.current_task()
    before = task.cancelling() if task is not None else 0
    result = await call
    if task is not None and task.cancelling() > before:
        raise asyncio.CancelledError
    return result


class RedisSlotStore:
    """Concurrency slots shared by replicas, as leases with a TTL renewed while held.

    store = RedisSlotStore(Redis.from_url(url), ttl_s=30.0)
    """

    def __init__(self, client: Redis, *, prefix: str = "seawall:", ttl_s: float = 30.0) -> None:
        self._redis = client
        self._prefix = f"{prefix}slots:"
        self._ttl_ms = max(1, round(ttl_s * 1000))
        self._acquire = client.register_script(_ACQUIRE)
        self._renew = client.register_script(_RENEW)
        self._held: dict[str, set[str]] = {}
        self._lost: set[str] = set()
        self._owner = secrets.token_hex(6)  # in the token, so a stray lease names its replica
        self._count = itertools.count()
        self._renewal: asyncio.Task[None] | None = None
        self._cleanups: set[asyncio.Task[None]] = set()

    async def acquire(self, key: str, limit: int, wait_s: float) -> Lease | None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_s
        token = f"{self._owner}:{next(self._count)}"
        while not await self._try(key, limit, token):
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            await asyncio.sleep(min(remaining, random.uniform(*_POLL_S)))
        self._held.setdefault(key, set()).add(token)
        self._start_renewal()
        return Lease(key, token)

    async def _try(self, key: str, limit: int, token: str) -> bool:
        args: list[int | str] = [limit, self._ttl_ms, token]
        try:
            return bool(await _cancellable(self._acquire(keys=[self._key(key)], args=args)))
        except asyncio.CancelledError:
            # the script may have run already: do not leave its slot taken for a whole TTL
            self._cleanup(self._forget([(key, token)]))
            raise

    async def release(self, lease: Lease) -> None:
        tokens = self._held.get(lease.key)
        if tokens is None or lease.token not in tokens:
            return  # released twice, or after close
        tokens.discard(lease.token)
        if not tokens:
            del self._held[lease.key]
        self._lost.discard(lease.token)
        await _cancellable(self._redis.zrem(self._key(lease.key), lease.token))

    def in_flight(self, key: str) -> int:
        return len(self._held.get(key, ()))

    @property
    def degraded(self) -> str | None:
        return None

    async def close(self) -> None:
        if self._renewal is not None:
            self._renewal.cancel()
            await asyncio.wait([self._renewal], timeout=2.0)
        held = [(key, token) for key, tokens in self._held.items() for token in tokens]
        self._held.clear()
        await self._forget(held)
        if self._cleanups:
            await asyncio.wait(self._cleanups, timeout=2.0)
        await self._redis.aclose()

    def _key(self, key: str) -> str:
        return self._prefix + key

    def _start_renewal(self) -> None:
        if self._renewal is None or self._renewal.done():
            self._renewal = asyncio.create_task(self._renew_forever(), name="seawall-slot-renewal")

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self._ttl_ms / 3000)
            try:
                await self._renew_once()
            except Exception as exc:  # a lost store must not stop renewing once it is back
                log.warning("slot lease renewal failed: %s", exc)

    async def _renew_once(self) -> None:
        leases = [(k, t) for k, ts in self._held.items() for t in ts if t not in self._lost]
        if not leases:
            return
        keys = [self._key(key) for key, _ in leases]
        lost = await _cancellable(
            self._renew(keys=keys, args=[self._ttl_ms, *(t for _, t in leases)])
        )
        for index in lost:
            key, token = leases[int(index) - 1]
            if token in self._held.get(key, ()):
                # re-adding it could exceed the limit, so it stays lost until released
                self._lost.add(token)
                log.warning("slot lease on %s expired while held (renewal came too late)", key)

    async def _forget(self, leases: Sequence[tuple[str, str]]) -> None:
        """Best effort: whatever is not removed here expires with its TTL."""
        if not leases:
            return
        pipe = self._redis.pipeline(transaction=False)
        for key, token in leases:
            pipe.zrem(self._key(key), token)
        try:
            await _cancellable(pipe.execute())
        except (RedisError, OSError) as exc:
            log.warning("could not return %d slot leases: %s", len(leases), exc)

    def _cleanup(self, coro: Coroutine[object, object, None]) -> None:
        task = asyncio.ensure_future(coro)
        self._cleanups.add(task)
        task.add_done_callback(self._cleanups.discard)


class RedisHealthSync:
    """Breaker outcomes, open marks and cooldowns exchanged between replicas.

    sync = RedisHealthSync(Redis.from_url(url))
    await sync.push(outcomes, window_s=30.0)
    """

    shared = True

    def __init__(self, client: Redis, *, prefix: str = "seawall:") -> None:
        self._redis = client
        self._prefix = f"{prefix}health:"
        self.replica = secrets.token_hex(8)
        self._pull = client.register_script(_PULL)
        self._raise_to = client.register_script(_RAISE_TO)
        self._reset = client.register_script(_RESET)

    async def push(self, outcomes: Sequence[HealthOutcome], window_s: float) -> None:
        width = window_s / _BUCKETS
        ttl_ms = max(1, round((window_s + width) * 1000))
        counts = Counter((o.key, int(o.at // width), "s" if o.ok else "f") for o in outcomes)
        newest: dict[str, int] = {}
        # one transaction: a pull must never see a total without this replica's share
        pipe = self._redis.pipeline(transaction=True)
        for (key, epoch, kind), n in counts.items():
            bucket = self._bucket(key, epoch)
            pipe.hincrby(bucket, kind, n)
            pipe.hincrby(bucket, f"{self.replica}:{kind}", n)
            pipe.pexpire(bucket, ttl_ms)
            pipe.zadd(self._name(key, "buckets"), {bucket: epoch})
            newest[key] = max(epoch, newest.get(key, epoch))
        for key, epoch in newest.items():
            index = self._name(key, "buckets")  # what reset deletes; kept to the live buckets
            pipe.zremrangebyscore(index, "-inf", epoch - _BUCKETS - 1)
            pipe.pexpire(index, ttl_ms)
        await _cancellable(pipe.execute())

    async def pull(
        self, keys: Sequence[str], window_s: float, now_wall: float
    ) -> Mapping[str, SharedHealth]:
        if not keys:
            return {}
        current = int(now_wall // (window_s / _BUCKETS))
        epochs = range(current - _BUCKETS + 1, current + 1)
        names = [
            name
            for key in keys
            for name in (
                self._name(key, "open"),
                self._name(key, "cooldown"),
                *(self._bucket(key, e) for e in epochs),
            )
        ]
        flat = await _cancellable(self._pull(keys=names, args=[self.replica, _BUCKETS]))
        return {key: _shared(flat[4 * i : 4 * i + 4]) for i, key in enumerate(keys)}

    async def set_open(self, key: str, until: float) -> None:
        await self._raise_mark(self._name(key, "open"), until)

    async def set_cooldown(self, key: str, until: float) -> None:
        await self._raise_mark(self._name(key, "cooldown"), until)

    async def reset(self, key: str) -> None:
        names = [self._name(key, what) for what in ("buckets", "open", "probe")]
        await _cancellable(self._reset(keys=names))

    async def claim_probe(self, key: str, ttl_s: float) -> bool:
        ttl_ms = max(1, round(ttl_s * 1000))
        return bool(
            await _cancellable(
                self._redis.set(self._name(key, "probe"), self.replica, nx=True, px=ttl_ms)
            )
        )

    async def close(self) -> None:
        await self._redis.aclose()

    async def _raise_mark(self, name: str, until: float) -> None:
        ttl_ms = round((max(0.0, until - time.time()) + _MARK_SLACK_S) * 1000)
        await _cancellable(self._raise_to(keys=[name], args=[repr(until), ttl_ms]))

    def _name(self, key: str, what: str) -> str:
        return f"{self._prefix}{key}:{what}"

    def _bucket(self, key: str, epoch: int) -> str:
        return f"{self._prefix}{key}:b:{epoch}"


def _shared(row: Sequence[int | bytes]) -> SharedHealth:
    ok, fail, open_until, cooldown = row
    return SharedHealth(int(ok), int(fail), float(open_until), float(cooldown))
