"""The key ring: checks a request's key, and manages keys for the admin API.

Keys from the config file are held in memory. Keys made through the admin API live in
the durable store; each replica keeps a copy of the ones it has seen for at most
``auth.cache_s``, so a revocation made on one replica reaches the others within that
time (and at once on the replica that made it). Unknown keys are remembered as
unknown for the same time, so a flood of bad keys does not become a flood of queries.

    ring = KeyRing(settings, store, clock)
    await ring.start()
    principal = await ring.authenticate(headers.get("authorization"))
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

from ..clock import Clock
from ..config import Settings
from ..errors import ConfigError, Conflict, KeysUnavailable, NotFound, Unauthorized
from ..stores.base import AccountStore, KeyRecord
from .keys import (
    ANONYMOUS,
    Principal,
    admin_record,
    digest,
    display_prefix,
    new_key,
    new_key_id,
    record_from_settings,
)

log = logging.getLogger("seawall.auth")

_CACHE_ENTRIES = 10_000
_WRITE_TRIES = 5
_SECRET_META = "key_hmac_secret"


class KeyRing:
    def __init__(self, settings: Settings, store: AccountStore, clock: Clock) -> None:
        self.enabled = settings.auth_enabled
        self._settings = settings
        self._store = store
        self._clock = clock
        self._ttl = settings.auth.cache_s
        self._secret = b""
        self._fixed: dict[str, KeyRecord] = {}  # digest -> config key
        # known keys, and (apart, so a flood of made-up keys cannot push them out) unknown ones
        self._cache: OrderedDict[str, tuple[KeyRecord | None, float]] = OrderedDict()
        self._unknown: OrderedDict[str, tuple[KeyRecord | None, float]] = OrderedDict()
        self._generation = 0  # bumped by every local change: older reads are not cached
        self._loading: dict[str, asyncio.Future[KeyRecord | None]] = {}

    async def start(self) -> None:
        configured = self._settings.auth.secret
        if configured is None:
            configured = await self._store.meta(_SECRET_META, os.urandom(32).hex())
        self._secret = configured.encode()
        records = [record_from_settings(self._secret, k) for k in self._settings.keys]
        if self._settings.admin_key:
            records.append(admin_record(self._secret, self._settings.admin_key))
        self._fixed = {r.digest: r for r in records}
        if not self.enabled and not self._settings.auth.allow_open:
            made, _ = await self._store.list_keys(None, 1, None)
            if made:
                raise ConfigError(
                    "the durable store holds API keys, but neither admin_key (or "
                    "SEAWALL_ADMIN_KEY) nor keys: is set, so every route would be open. "
                    "Set admin_key, or auth.allow_open: true to run open on purpose."
                )
        if not self.enabled:
            log.warning(
                "NO API KEYS ARE CONFIGURED: every route is open to anyone who can reach "
                "this port, and the admin API is off. Set admin_key or keys: to require keys."
            )

    # checking a key

    async def authenticate(self, authorization: str | None) -> Principal:
        if not self.enabled:
            return ANONYMOUS
        key = _bearer(authorization)
        hashed = digest(self._secret, key)
        record = self._fixed.get(hashed) or await self._lookup(hashed)
        now = self._clock.wall()
        if record is None:
            raise Unauthorized("invalid API key")
        name = f"API key {record.prefix}" if record.digest == hashed else "this key (rotated out)"
        if record.revoked_at is not None:
            raise Unauthorized(f"{name} has been revoked")
        if record.expires_at is not None and now >= record.expires_at:
            raise Unauthorized(f"{name} has expired")
        if record.digest != hashed and (record.previous_until or 0) <= now:
            raise Unauthorized("this key was rotated; use the new key")
        return Principal.of(record)

    def mac(self, purpose: str, data: str) -> str:
        """A keyed digest for tokens the gateway hands out (web sessions, CSRF), with the
        secret every replica shares."""
        return digest(self._secret, f"{purpose}\x00{data}")

    async def principal_of(self, key_id: str) -> Principal:
        """What a key may do now, by its id: for work done later on its behalf (jobs).
        A key revoked or expired since is refused as at the door."""
        if not self.enabled:
            return ANONYMOUS
        record = next((r for r in self._fixed.values() if r.id == key_id), None)
        if record is None:
            record = await self._store.key_by_id(key_id)
        if record is None:
            raise Unauthorized("the key that made this request no longer exists")
        if record.revoked_at is not None:
            raise Unauthorized(f"API key {record.prefix} has been revoked")
        if record.expires_at is not None and self._clock.wall() >= record.expires_at:
            raise Unauthorized(f"API key {record.prefix} has expired")
        return Principal.of(record)

    async def _lookup(self, hashed: str) -> KeyRecord | None:
        cached = self._cache.get(hashed) or self._unknown.get(hashed)
        if cached is not None and self._clock.now() - cached[1] < self._ttl:
            return cached[0]
        pending = self._loading.get(hashed)
        if pending is not None:  # one query per key, however many requests wait on it
            return await asyncio.shield(pending)
        future: asyncio.Future[KeyRecord | None] = asyncio.get_running_loop().create_future()
        self._loading[hashed] = future
        try:
            record = await self._fetch(hashed, cached)
            future.set_result(record)
            return record
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, none may be waiting
            raise
        finally:
            del self._loading[hashed]

    async def _fetch(
        self, hashed: str, stale: tuple[KeyRecord | None, float] | None
    ) -> KeyRecord | None:
        generation = self._generation
        try:
            record = await self._store.key_by_digest(hashed)
        except Exception as exc:
            if stale is not None:  # the store is down: a key we knew keeps its last state
                log.warning("key store unreachable, using a stale copy of a key: %s", exc)
                return stale[0]
            log.error("key store unreachable, cannot check a key: %s", exc)
            raise KeysUnavailable(
                "API keys cannot be checked right now; try again", retry_after=2
            ) from None
        if generation == self._generation:  # no change made here while we read
            self._remember(hashed, record)
        return record

    def _remember(self, hashed: str, record: KeyRecord | None) -> None:
        cache = self._cache if record is not None else self._unknown
        cache[hashed] = (record, self._clock.now())
        cache.move_to_end(hashed)
        while len(cache) > _CACHE_ENTRIES:
            cache.popitem(last=False)

    def _forget(self, record: KeyRecord) -> None:
        self._generation += 1
        for hashed in (record.digest, record.previous_digest):
            if hashed:
                self._cache.pop(hashed, None)

    # managing keys (the admin API)

    async def create(self, spec: Mapping[str, Any]) -> tuple[KeyRecord, str]:
        """A new key; the key itself is returned here and never again."""
        key = new_key()
        record = KeyRecord(
            id=new_key_id(),
            digest=digest(self._secret, key),
            prefix=display_prefix(key),
            created_at=self._clock.wall(),
            **spec,
        )
        if not await self._store.put_key(record):
            raise Conflict("a key id collided; try again")
        return record, key

    async def get(self, key_id: str) -> KeyRecord:
        for record in self._fixed.values():
            if record.id == key_id:
                return record
        stored = await self._store.key_by_id(key_id)
        if stored is None:
            raise NotFound(f"no key {key_id}")
        return stored

    async def list(
        self, tenant: str | None, limit: int, cursor: str | None
    ) -> tuple[list[KeyRecord], str | None]:
        """Keys from the config file first (cursors "c<offset>"), then the stored ones."""
        if cursor is None or cursor.startswith("c"):
            fixed = [r for r in self._fixed.values() if tenant in (None, r.tenant)]
            offset = int(cursor[1:]) if cursor else 0
            page = fixed[offset : offset + limit]
            if offset + limit < len(fixed):
                return page, f"c{offset + limit}"
            if len(page) == limit:
                return page, "0"  # the stored keys start on the next page
            stored, next_cursor = await self._store.list_keys(tenant, limit - len(page), None)
            return page + stored, next_cursor
        return await self._store.list_keys(tenant, limit, cursor)

    async def update(self, key_id: str, changes: Mapping[str, Any]) -> KeyRecord:
        def change(record: KeyRecord) -> KeyRecord:
            return dataclasses.replace(record, **changes)

        return await self._change(key_id, change)

    async def revoke(self, key_id: str) -> KeyRecord:
        """Revocation is final: a change racing it reads it again and keeps it."""

        def revoke(record: KeyRecord) -> KeyRecord | None:
            if record.revoked_at is not None:
                return None
            return dataclasses.replace(record, revoked_at=self._clock.wall())

        return await self._change(key_id, revoke)

    async def rotate(self, key_id: str, grace_s: float) -> tuple[KeyRecord, str]:
        """A new key for the same id (same tenant, limits and ledger). The old key keeps
        working for ``grace_s`` seconds, so callers can switch without an outage."""
        key = new_key()
        until = self._clock.wall() + grace_s if grace_s > 0 else None

        def rotate(record: KeyRecord) -> KeyRecord:
            if record.revoked_at is not None:
                raise Conflict(f"key {key_id} is revoked; create a new one")
            return dataclasses.replace(
                record,
                digest=digest(self._secret, key),
                prefix=display_prefix(key),
                previous_digest=record.digest if until else None,
                previous_until=until,
            )

        return await self._change(key_id, rotate), key

    async def _change(
        self, key_id: str, change: Callable[[KeyRecord], KeyRecord | None]
    ) -> KeyRecord:
        """Read, change, write only if nobody wrote in between; else read again."""
        for _ in range(_WRITE_TRIES):
            record = await self._managed(key_id)
            changed = change(record)
            if changed is None:
                return record
            changed = dataclasses.replace(changed, version=record.version + 1)
            written = await self._store.put_key(changed)
            self._forget(record)
            if written:
                return changed
        raise Conflict(f"key {key_id} is being changed by someone else; try again")

    async def _managed(self, key_id: str) -> KeyRecord:
        record = await self.get(key_id)
        if record.digest in self._fixed:
            raise Conflict(f"key {key_id} is defined in the config file; change it there")
        return record


def _bearer(authorization: str | None) -> str:
    if not authorization:
        raise Unauthorized("no API key: send it as 'Authorization: Bearer <key>'")
    scheme, _, key = authorization.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise Unauthorized("the Authorization header must be 'Bearer <key>'")
    return key
