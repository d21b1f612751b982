"""Backends by URL scheme. Built-in backends register the way a third-party one would.

hot = open_hot("memory")           # slots, health sync, limits
sink = open_traces("sqlite:///seawall.db", settings.tracing)
accounts = open_accounts("sqlite:///seawall.db")
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from ..config import TracingSettings
from ..errors import ConfigError
from .base import AccountStore, HotStores, TraceSink

if TYPE_CHECKING:
    from ..cache.shared import CacheLog, ExactStore
    from ..jobs.model import JobStore
from .memory import LocalHealthSync, MemoryLimitStore, MemorySlotStore

HotFactory = Callable[[str], HotStores]
TraceFactory = Callable[[str, TracingSettings], TraceSink]
AccountFactory = Callable[[str], AccountStore]

CacheLogFactory = Callable[[str], "CacheLog"]
JobFactory = Callable[[str], "JobStore"]
ExactFactory = Callable[[str], "ExactStore | None"]

HOT_STORES: dict[str, HotFactory] = {}
CACHE_LOGS: dict[str, CacheLogFactory] = {}
CACHE_EXACT: dict[str, ExactFactory] = {}
TRACE_STORES: dict[str, TraceFactory] = {}
ACCOUNT_STORES: dict[str, AccountFactory] = {}
JOB_STORES: dict[str, JobFactory] = {}


def _scheme(url: str) -> str:
    return "memory" if url == "memory" else urlsplit(url).scheme


def open_hot(url: str) -> HotStores:
    factory = HOT_STORES.get(_scheme(url))
    if factory is None:
        raise ConfigError(f"stores.hot: unsupported store '{url}' (memory or redis://...)")
    return factory(url)


_F = TypeVar("_F")


def _durable(table: dict[str, _F], url: str) -> _F:
    factory = table.get(_scheme(url))
    if factory is None:
        raise ConfigError(
            f"stores.durable: unsupported store '{url}' (sqlite:///path or postgresql://...)"
        )
    return factory


def open_traces(url: str, settings: TracingSettings) -> TraceSink:
    return _durable(TRACE_STORES, url)(url, settings)


def open_accounts(url: str) -> AccountStore:
    return _durable(ACCOUNT_STORES, url)(url)


def open_cache_log(url: str) -> CacheLog:
    return _durable(CACHE_LOGS, url)(url)


def open_jobs(url: str) -> JobStore:
    return _durable(JOB_STORES, url)(url)


def open_cache_exact(url: str) -> ExactStore | None:
    """The shared exact cache of a hot store URL; None for the in-process one."""
    factory = CACHE_EXACT.get(_scheme(url))
    return None if factory is None else factory(url)


def _memory(url: str) -> HotStores:
    return HotStores(MemorySlotStore(), LocalHealthSync(), MemoryLimitStore())


def _redis(url: str) -> HotStores:
    try:
        from .redis import open_redis
    except ImportError as exc:  # the optional extra is missing
        raise ConfigError(
            f"stores.hot is Redis but {exc.name} is not installed: pip install 'seawall[redis]'"
        ) from None
    return open_redis(url)


def _sqlite(url: str, settings: TracingSettings) -> TraceSink:
    from .sqlite import SqliteTraceSink, path_from_url

    return SqliteTraceSink(
        path_from_url(url), max_traces=settings.max_traces, max_age_s=settings.max_age_h * 3600
    )


def _sqlite_accounts(url: str) -> AccountStore:
    from .sqlite import path_from_url
    from .sqlite_accounts import SqliteAccountStore

    return SqliteAccountStore(path_from_url(url))


@contextlib.contextmanager
def _postgres_extra() -> Iterator[None]:
    try:
        yield
    except ImportError as exc:  # the optional extra is missing
        missing = exc.name or "psycopg"
        raise ConfigError(
            f"stores.durable is PostgreSQL but {missing} is not installed: "
            "pip install 'seawall[postgres]'"
        ) from None


def _postgres(url: str, settings: TracingSettings) -> TraceSink:
    with _postgres_extra():
        from .postgres import PostgresTraceSink

    return PostgresTraceSink(
        url, max_traces=settings.max_traces, max_age_s=settings.max_age_h * 3600
    )


def _postgres_accounts(url: str) -> AccountStore:
    with _postgres_extra():
        from .postgres import PostgresAccountStore

    return PostgresAccountStore(url)


def _sqlite_cache(url: str) -> CacheLog:
    from .sqlite import path_from_url
    from .sqlite_cache import SqliteCacheLog

    return SqliteCacheLog(path_from_url(url))


def _postgres_cache(url: str) -> CacheLog:
    with _postgres_extra():
        from .postgres_cache import PostgresCacheLog

    return PostgresCacheLog(url)


def _sqlite_jobs(url: str) -> JobStore:
    from .sqlite import path_from_url
    from .sqlite_jobs import SqliteJobStore

    return SqliteJobStore(path_from_url(url))


def _postgres_jobs(url: str) -> JobStore:
    with _postgres_extra():
        from .postgres_jobs import PostgresJobStore

    return PostgresJobStore(url)


def _redis_exact(url: str) -> ExactStore:
    from ..cache.shared import RedisExact
    from .redis import _client

    return RedisExact(_client(url))


HOT_STORES.update(memory=_memory, redis=_redis, rediss=_redis)
CACHE_LOGS.update(sqlite=_sqlite_cache, postgresql=_postgres_cache, postgres=_postgres_cache)
JOB_STORES.update(sqlite=_sqlite_jobs, postgresql=_postgres_jobs, postgres=_postgres_jobs)
CACHE_EXACT.update(redis=_redis_exact, rediss=_redis_exact)
TRACE_STORES.update(sqlite=_sqlite, postgresql=_postgres, postgres=_postgres)
ACCOUNT_STORES.update(
    sqlite=_sqlite_accounts, postgresql=_postgres_accounts, postgres=_postgres_accounts
)
