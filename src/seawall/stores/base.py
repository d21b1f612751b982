"""Protocols for every piece of shared state, with their value types.

Each protocol has an embedded implementation (``memory.py``, ``sqlite.py``) that needs
no setup and a scale-out one (``redis.py``) that replicas share. Backends are chosen
through ``HOT_STORES`` / ``DURABLE_STORES`` (URL scheme -> factory), never by name
checks in the code that uses them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Lease:
    """A held concurrency slot. ``token`` identifies it to a shared store."""

    key: str
    token: str


class SlotStore(Protocol):
    """Concurrency slots per deployment (the bulkhead).

    Shared implementations hand out leases with a TTL, so a replica that crashes
    while holding slots cannot leak them."""

    async def acquire(self, key: str, limit: int, wait_s: float) -> Lease | None:
        """A slot, waiting at most ``wait_s``; None when none freed up in time."""
        ...

    async def release(self, lease: Lease) -> None: ...

    def in_flight(self, key: str) -> int:
        """This replica's view of how many slots are held (no I/O)."""
        ...

    @property
    def degraded(self) -> str | None:
        """Why the store is running degraded right now, or None."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class HealthOutcome:
    """One attempt's result at one deployment, as replicas exchange it."""

    key: str
    ok: bool
    at: float  # wall-clock seconds


@dataclass(frozen=True, slots=True)
class SharedHealth:
    """What the other replicas know of one deployment (their counts, not this one's)."""

    successes: int = 0  # within the breaker window, other replicas only
    failures: int = 0
    open_until: float = 0.0  # wall clock; 0 when the breaker is not open
    cooldown_until: float = 0.0  # wall clock; set by an upstream Retry-After


class HealthSync(Protocol):
    """Shares breaker outcomes and cooldowns between replicas.

    The hot path never waits on it: the resilience layer keeps a local copy, pushes
    its outcomes and pulls the shared view in the background."""

    shared: bool  # False: single process, nothing to exchange

    async def push(self, outcomes: Sequence[HealthOutcome], window_s: float) -> None: ...

    async def pull(
        self, keys: Sequence[str], window_s: float, now_wall: float
    ) -> Mapping[str, SharedHealth]: ...

    async def set_open(self, key: str, until: float) -> None: ...

    async def set_cooldown(self, key: str, until: float) -> None: ...

    async def reset(self, key: str) -> None:
        """The breaker closed again: forget the window's failures and the open mark."""
        ...

    async def claim_probe(self, key: str, ttl_s: float) -> bool:
        """True for exactly one caller across replicas until ``ttl_s`` passes."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class TraceRecord:
    """One finished request. ``spans`` is ``(name, start_ms, duration_ms, status, attrs)``
    tuples with times relative to the request start."""

    trace_id: str
    request_id: str
    started_at: float  # wall clock
    tenant: str
    model: str
    deployment: str
    status: int
    duration_ms: float
    ttft_ms: float | None
    prompt_tokens: int
    completion_tokens: int
    stream: bool
    error: str | None
    spans: tuple[tuple[str, float, float, str, Mapping[str, object]], ...]
    request: bytes | None = None  # only with tracing.capture_content
    response: str | None = None
    span_id: str = ""  # the request's own span (the one in the response's traceparent)
    parent_id: str | None = None  # the caller's span, from an incoming traceparent


class TraceSink(Protocol):
    dropped: int  # traces given up because the writer fell too far behind

    async def start(self) -> None: ...

    def record(self, trace: TraceRecord) -> None:
        """Queue a finished trace; never blocks the request path."""
        ...

    @property
    def backlog(self) -> int:
        """Traces queued and not yet written."""
        ...

    async def get(self, trace_id: str, tenant: str | None) -> TraceRecord | None: ...

    async def recent(
        self, tenant: str | None, limit: int, cursor: str | None
    ) -> tuple[list[TraceRecord], str | None]:
        """Newest first; returns the page and the cursor of the next one."""
        ...

    async def flush(self) -> None: ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """An API key as the durable store keeps it: never the key itself, only its keyed
    digest (HMAC-SHA256 with the server secret) and a short prefix to recognise it by."""

    id: str
    digest: str
    prefix: str
    tenant: str
    name: str = ""
    roles: tuple[str, ...] = ("user",)
    models: tuple[str, ...] | None = None  # model groups it may call; None: all
    rpm: int | None = None
    tpm: int | None = None
    budget_usd: float | None = None
    budget_period: str = "month"  # day | month | total
    expires_at: float | None = None  # wall clock
    metadata: Mapping[str, object] = field(default_factory=dict)
    guard: Mapping[str, object] | None = None  # its own guard settings over its groups'
    created_at: float = 0.0
    revoked_at: float | None = None
    # after a rotation the old key keeps working until previous_until
    previous_digest: str | None = None
    previous_until: float | None = None
    version: int = 1  # bumped by every change; writes compare it (no lost updates)


@dataclass(frozen=True, slots=True)
class SpendEntry:
    """Usage to add to the ledger row of (key, tenant, model, day)."""

    key_id: str
    tenant: str
    model: str
    day: str  # YYYY-MM-DD, UTC
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    micros: int = 0  # cost in millionths of a US dollar


class AccountStore(Protocol):
    """Keys and the spend ledger: durable state (SQLite, PostgreSQL), never Redis."""

    async def start(self) -> None: ...

    async def meta(self, name: str, default: str) -> str:
        """A server-wide value, set to ``default`` by the first replica to ask."""
        ...

    async def put_key(self, record: KeyRecord) -> bool:
        """Store ``record``: a new id when ``record.version`` is 1, else a replacement of
        the stored record only if that one is at ``record.version - 1``. False when the
        id exists already or another writer changed it first (read again, retry)."""
        ...

    async def key_by_digest(self, digest: str) -> KeyRecord | None:
        """The key whose current (or, within its grace period, previous) digest this is."""
        ...

    async def key_by_id(self, key_id: str) -> KeyRecord | None: ...

    async def list_keys(
        self, tenant: str | None, limit: int, cursor: str | None
    ) -> tuple[list[KeyRecord], str | None]:
        """Oldest first; the page and the cursor of the next one."""
        ...

    async def add_spend(self, entries: Sequence[SpendEntry]) -> None:
        """Add each entry to its ledger row, in one transaction."""
        ...

    async def spend(self, *, tenant: str | None, key_id: str | None, since_day: str | None) -> int:
        """Micro-dollars spent since ``since_day`` (inclusive; None: ever)."""
        ...

    async def usage(
        self, tenant: str, key_id: str | None, since_day: str, until_day: str
    ) -> list[SpendEntry]:
        """Ledger rows of a tenant (one key's, if given) from one day to another."""
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Window:
    """A sliding-window limit: at most ``limit`` units (requests or tokens) in any
    window; this request costs ``cost`` of them."""

    key: str
    limit: int
    cost: int


@dataclass(frozen=True, slots=True)
class Hold:
    """A budget counter (micro-dollars spent plus held for requests in flight) and what
    this request holds on it. A counter seeded from the ledger lives ``ttl_s``, then
    is rebuilt from the ledger again."""

    key: str
    limit: int
    cost: int
    ttl_s: int


@dataclass(frozen=True, slots=True)
class WindowState:
    limit: int
    remaining: int
    reset_s: float  # until the oldest counted unit leaves the window


@dataclass(frozen=True, slots=True)
class Decision:
    """What the limit store decided, all limits at once (all or nothing).

    Admitted: ``windows`` holds each window's state after this request, ``bucket`` the
    window slot its costs went into, ``epochs`` each budget counter's epoch (a counter
    rebuilt from the ledger gets a new one). Refused: ``refused`` is the index of the
    window (or, with ``over_budget``, of the hold) that refused, ``retry_after_s``
    when a window will let it through. ``unseeded``: a budget counter does not exist
    (never used, or lost with Redis) and must be seeded from the ledger first."""

    admitted: bool
    windows: tuple[WindowState, ...] = ()
    bucket: int = 0
    epochs: tuple[str, ...] = ()
    refused: int = -1
    over_budget: bool = False
    retry_after_s: float = 0.0
    unseeded: int = -1


@dataclass(frozen=True, slots=True)
class Settlement:
    """What a finished request really cost, against what it held."""

    windows: tuple[tuple[str, int], ...]  # (window key, actual - reserved units)
    bucket: int
    holds: tuple[tuple[str, int, int, str], ...]  # (counter key, reserved, actual, epoch)
    # late settlements (after an outage) touch only counters not rebuilt since: a
    # rebuilt counter took their spend from the ledger already
    same_epoch_only: bool = False


class LimitStore(Protocol):
    """Rate windows and budget counters, checked and charged atomically. Shared
    implementations count on the store's clock, so replicas agree on windows."""

    async def admit(
        self, windows: Sequence[Window], holds: Sequence[Hold], window_s: int
    ) -> Decision: ...

    async def seed(self, key: str, micros: int, ttl_s: int) -> None:
        """Create a budget counter at ``micros`` unless another replica just did."""
        ...

    async def settle(self, settlement: Settlement, window_s: int) -> None:
        """Replace reservations by actual costs. A counter rebuilt since admission (a new
        epoch) gets the actual cost only; a missing one is left to be rebuilt."""
        ...

    @property
    def degraded(self) -> str | None: ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class HotStores:
    """The hot state of one store URL. ``local_limits`` makes the in-process store that
    stands in for a shared limit store while it is unreachable, a fresh one for each
    outage (None when the limits are in-process already)."""

    slots: SlotStore
    health: HealthSync
    limits: LimitStore
    local_limits: Callable[[], LimitStore] | None = None
