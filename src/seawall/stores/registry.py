"""Backends by URL scheme. Built-in backends register the way a third-party one would.

slots, health = open_hot("memory")
sink = open_traces("sqlite:///seawall.db", settings.tracing)
accounts = open_accounts("sqlite:///seawall.db")
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from ..config import TracingSettings
from ..errors import ConfigError
from .base import AccountStore, HealthSync, SlotStore, TraceSink
from .memory import LocalHealthSync, MemorySlotStore

HotFactory = Callable[[str], tuple[SlotStore, HealthSync]]
TraceFactory = Callable[[str, TracingSettings], TraceSink]
AccountFactory = Callable[[str], AccountStore]

HOT_STORES: dict[str, HotFactory] = {}
TRACE_STORES: dict[str, TraceFactory] = {}
ACCOUNT_STORES: dict[str, AccountFactory] = {}


def _scheme(url: str) -> str:
    return "memory" if url == "memory" else urlsplit(url).scheme


def open_hot(url: str) -> tuple[SlotStore, HealthSync]:
    factory = HOT_STORES.get(_scheme(url))
    if factory is None:
        raise ConfigError(f"stores.hot: unsupported store '{url}' (memory or redis://...)")
    return factory(url)


def open_traces(url: str, settings: TracingSettings) -> TraceSink:
    factory = TRACE_STORES.get(_scheme(url))
    if factory is None:
        raise ConfigError(f"stores.durable: unsupported store '{url}' (sqlite:///path)")
    return factory(url, settings)


def open_accounts(url: str) -> AccountStore:
    factory = ACCOUNT_STORES.get(_scheme(url))
    if factory is None:
        raise ConfigError(f"stores.durable: unsupported store '{url}' (sqlite:///path)")
    return factory(url)


def _memory(url: str) -> tuple[SlotStore, HealthSync]:
    return MemorySlotStore(), LocalHealthSync()


def _redis(url: str) -> tuple[SlotStore, HealthSync]:
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


HOT_STORES.update(memory=_memory, redis=_redis, rediss=_redis)
TRACE_STORES.update(sqlite=_sqlite)
ACCOUNT_STORES.update(sqlite=_sqlite_accounts)
