"""API keys: making them, digesting them, and what a key allows (its principal).

A key is 32 random bytes, URL-safe base64 behind the ``sk-sw-`` prefix. Stores keep
only ``digest(secret, key)``, an HMAC-SHA256 under the server secret, so checking a
key is one hash and one dictionary or index lookup, and a stolen table is useless
without the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime

from ..config import KeySettings
from ..guard.policy import Override, freeze
from ..stores.base import KeyRecord

KEY_PREFIX = "sk-sw-"
ROLES = ("user", "reviewer", "admin")
_IMPLIED = {"admin": frozenset({"admin", "reviewer", "user"}), "reviewer": frozenset({"reviewer"})}


def new_key() -> str:
    return KEY_PREFIX + base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()


def new_key_id() -> str:
    return "key_" + os.urandom(8).hex()


def digest(secret: bytes, key: str) -> str:
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


def display_prefix(key: str) -> str:
    """Enough of a key to tell keys apart in a list, too little to guess it: at most a
    quarter of it (a short key from the config file shows only a few characters)."""
    return key[: min(len(KEY_PREFIX) + 4, len(key) // 4)] + "..."


def effective_roles(roles: tuple[str, ...] | list[str]) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= _IMPLIED.get(role, frozenset({role}))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Principal:
    """What one authenticated request may do, and whose limits it counts against."""

    key_id: str
    tenant: str
    roles: frozenset[str]
    models: frozenset[str] | None = None  # None: every model group
    rpm: int | None = None
    tpm: int | None = None
    budget_usd: float | None = None
    budget_period: str = "month"
    guard: Override | None = None  # the key's own guard settings (guard/policy.py)

    def has(self, role: str) -> bool:
        return role in self.roles

    def may_use(self, model: str) -> bool:
        return self.models is None or model in self.models

    @property
    def sees_all_tenants(self) -> bool:
        """Operators (admins) read every tenant's traces and usage."""
        return "admin" in self.roles

    @classmethod
    def of(cls, record: KeyRecord) -> Principal:
        return cls(
            key_id=record.id,
            tenant=record.tenant,
            roles=effective_roles(record.roles),
            models=None if record.models is None else frozenset(record.models),
            rpm=record.rpm,
            tpm=record.tpm,
            budget_usd=record.budget_usd,
            budget_period=record.budget_period,
            guard=freeze(record.guard),
        )


# the caller when the gateway runs without keys: one tenant, no admin API
ANONYMOUS = Principal("anonymous", "default", frozenset({"user", "reviewer"}))


def record_from_settings(secret: bytes, key: KeySettings) -> KeyRecord:
    """A key from the config file, as the durable store would hold it."""
    hashed = digest(secret, key.key)
    return KeyRecord(
        id=key.name or "cfg_" + hashed[:12],
        digest=hashed,
        prefix=display_prefix(key.key),
        tenant=key.tenant,
        name=key.name,
        roles=tuple(key.roles),
        models=None if key.models is None else tuple(key.models),
        rpm=key.rpm,
        tpm=key.tpm,
        budget_usd=None if key.budget is None else key.budget.usd,
        budget_period="month" if key.budget is None else key.budget.period,
        expires_at=_timestamp(key.expires_at),
        metadata={**key.metadata, "source": "config"},
        guard=None if key.guard is None else key.guard.fields(),
    )


def admin_record(secret: bytes, key: str) -> KeyRecord:
    return KeyRecord(
        id="admin",
        digest=digest(secret, key),
        prefix=display_prefix(key),
        tenant="admin",
        name="bootstrap admin key",
        roles=("admin",),
        metadata={"source": "config"},
    )


def _timestamp(value: datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:  # an ISO-8601 time without a zone is read as UTC
        from datetime import UTC

        value = value.replace(tzinfo=UTC)
    return value.timestamp()
