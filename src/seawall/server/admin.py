"""The admin API for keys (admin role only):

POST   /admin/keys                 create; the answer shows the key, once
GET    /admin/keys?tenant=&limit=&cursor=
GET    /admin/keys/{id}
PATCH  /admin/keys/{id}            change tenant, roles, models, limits, budget, ...
DELETE /admin/keys/{id}            revoke
POST   /admin/keys/{id}/rotate     a new key for the same id; {"grace_s": N} keeps the
                                   old one working for N seconds
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..auth.keyring import KeyRing
from ..config import BudgetSettings, GuardOverride, GuardSettings, Role, Tenant
from ..errors import BadRequest, MethodNotAllowed, NotFound
from ..guard.policy import check
from ..stores.base import KeyRecord
from .asgi import Exchange, read_body
from .parse import iso_time, json_object, page_limit, query_params


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyFields(_Body):
    tenant: Tenant = "default"
    name: str = Field(default="", max_length=64)
    roles: list[Role] = ["user"]
    models: list[str] | None = None
    rpm: int | None = Field(default=None, ge=1, strict=True)
    tpm: int | None = Field(default=None, ge=1, strict=True)
    budget: BudgetSettings | None = None
    expires_at: datetime | None = None
    metadata: dict[str, Any] = Field(default={}, max_length=64)
    guard: GuardOverride | None = None


class RotateBody(_Body):
    grace_s: float = Field(default=0.0, ge=0, le=30 * 86400)


class AdminKeys:
    """Handlers for ``/admin/keys``; the server checks the admin role before these run."""

    def __init__(self, keys: KeyRing, guards: dict[str, GuardSettings], body_limit: int) -> None:
        self._keys = keys
        self._models = set(guards)
        self._guards = guards
        self._limit = body_limit

    async def collection(self, x: Exchange) -> None:
        if x.scope["method"] == "POST":
            fields = await self._fields(x, partial=False)
            record, key = await self._keys.create(fields)
            await x.json(201, {**key_json(record), "key": key})
            return
        query = query_params(x.scope)
        limit = page_limit(query.get("limit"))
        cursor = query.get("cursor")
        if cursor is not None and not cursor.removeprefix("c").isdigit():
            raise BadRequest("'cursor' must come from a previous page", param="cursor")
        page, next_cursor = await self._keys.list(query.get("tenant"), limit, cursor)
        data = [key_json(r) for r in page]
        await x.json(200, {"object": "list", "data": data, "next_cursor": next_cursor})

    async def item(self, x: Exchange) -> None:
        rest = x.scope["path"][len("/admin/keys/") :]
        key_id, _, action = rest.partition("/")
        method = x.scope["method"]
        if action == "rotate" and method == "POST":
            body = _validate(RotateBody, await read_body(x.receive, x.headers, self._limit))
            record, key = await self._keys.rotate(key_id, body.grace_s)
            await x.json(200, {**key_json(record), "key": key})
        elif action:
            raise NotFound(f"no route {x.scope['path']}")
        elif method == "GET":
            await x.json(200, key_json(await self._keys.get(key_id)))
        elif method == "PATCH":
            changes = await self._fields(x, partial=True)
            await x.json(200, key_json(await self._keys.update(key_id, changes)))
        elif method == "DELETE":
            await x.json(200, key_json(await self._keys.revoke(key_id)))
        else:
            raise MethodNotAllowed(f"{method} is not allowed on {x.scope['path']}")

    async def _fields(self, x: Exchange, *, partial: bool) -> dict[str, Any]:
        raw = await read_body(x.receive, x.headers, self._limit)
        spec = _validate(KeyFields, raw)
        for model in spec.models or ():
            if model not in self._models:
                raise BadRequest(f"unknown model group '{model}'", param="models")
        if spec.guard is not None:
            callable_groups = {
                name: guard
                for name, guard in self._guards.items()
                if spec.models is None or name in spec.models
            }
            problem = check(spec.guard.fields(), callable_groups)
            if problem:
                raise BadRequest(f"guard: {problem}", param="guard")
        if spec.expires_at is not None and "expires_at" in spec.model_fields_set:
            when = spec.expires_at
            if (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp() <= time.time():
                raise BadRequest("expires_at is in the past", param="expires_at")
        names = spec.model_fields_set if partial else set(KeyFields.model_fields)
        return {out: value for name in names for out, value in _record_fields(spec, name)}


def _record_fields(spec: KeyFields, name: str) -> list[tuple[str, Any]]:
    value = getattr(spec, name)
    if name == "budget":
        if value is None:
            return [("budget_usd", None)]
        return [("budget_usd", value.usd), ("budget_period", value.period)]
    if name == "expires_at":
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return [(name, None if value is None else value.timestamp())]
    if name in ("roles", "models") and value is not None:
        return [(name, tuple(value))]
    if name == "guard":
        return [(name, None if value is None else value.fields() or None)]
    return [(name, value)]


_B = TypeVar("_B", bound=_Body)


def _validate(model: type[_B], raw: bytes) -> _B:
    try:
        return model.model_validate(json_object(raw or b"{}"))
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        raise BadRequest(f"{path}: {first['msg']}", param=path or None) from None


def key_json(record: KeyRecord) -> dict[str, object]:
    budget = None
    if record.budget_usd is not None:
        budget = {"usd": record.budget_usd, "period": record.budget_period}
    metadata = dict(record.metadata)
    source = metadata.pop("source", "api")
    return {
        "id": record.id,
        "object": "api_key",
        "prefix": record.prefix,
        "tenant": record.tenant,
        "name": record.name,
        "roles": list(record.roles),
        "models": None if record.models is None else list(record.models),
        "rpm": record.rpm,
        "tpm": record.tpm,
        "budget": budget,
        "expires_at": iso_time(record.expires_at),
        "metadata": metadata,
        "guard": None if record.guard is None else dict(record.guard),
        "source": source,
        "created_at": iso_time(record.created_at or None),
        "revoked_at": iso_time(record.revoked_at),
        "previous_key_valid_until": iso_time(record.previous_until),
    }
