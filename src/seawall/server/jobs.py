"""``/v1/jobs``: chat completions run later by a worker.

    POST   /v1/jobs        {"request": {...chat body...}, "webhook_url": ..., "metadata": {...}}
                           Idempotency-Key: ...   ->  202 {"id", "object", "status"}, Location
    GET    /v1/jobs/{id}   the job: status, result (a chat completion) or error, and
                           its webhook deliveries
    DELETE /v1/jobs/{id}   cancel it while it is queued, running or pending review

The request is checked as ``/v1/chat/completions`` checks it before it is queued. The
same Idempotency-Key with the same body returns the job made first; with another
body, 409 ``idempotency_conflict``. A tenant sees only its own jobs (admins every
tenant's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import orjson

from ..auth.keys import Principal
from ..clock import Clock
from ..config import JobSettings
from ..errors import BadRequest, Forbidden, IdempotencyConflict, ModelNotFound, NotFound
from ..jobs.model import Job, JobStore, body_hash, new_id
from .asgi import Exchange, read_body, send_json
from .parse import chat_request, json_object

_MAX_IDEMPOTENCY_KEY = 255


class JobsApi:
    def __init__(
        self,
        store: JobStore,
        models: list[str],
        settings: JobSettings,
        clock: Clock,
        limit: int,
        queued: Callable[[], None] | None = None,
    ) -> None:
        self._store = store
        self._models = set(models)
        self._settings = settings
        self._clock = clock
        self._limit = limit
        self._queued = queued  # called when a job is queued (wakes local workers)

    async def create(self, x: Exchange) -> None:
        document = json_object(await read_body(x.receive, x.headers, self._limit))
        if "request" not in document:
            raise BadRequest(
                'a job is {"request": <a chat completion body>, "webhook_url": ..., '
                '"metadata": {...}}: "request" is missing',
                param="request",
            )
        unknown = sorted(set(document) - {"request", "webhook_url", "metadata"})
        if unknown:
            raise BadRequest(f"unknown field '{unknown[0]}'", param=unknown[0])
        request = self._request(document.get("request"), x.principal)
        webhook = _webhook(document.get("webhook_url"))
        metadata = self._metadata(document.get("metadata"))
        key = x.headers.get("idempotency-key")
        if key is not None and not 0 < len(key) <= _MAX_IDEMPOTENCY_KEY:
            raise BadRequest(
                f"Idempotency-Key must be 1 to {_MAX_IDEMPOTENCY_KEY} characters",
                param="Idempotency-Key",
            )
        now = self._clock.wall()
        job = Job(
            new_id(),
            x.principal.tenant,
            x.principal.key_id,
            request,
            metadata=metadata,
            webhook_url=webhook,
            idempotency_key=key,
            body_hash=body_hash(document),
            created_at=now,
            updated_at=now,
        )
        stored, created = await self._store.create(job)
        if not created and stored.body_hash != job.body_hash:
            raise IdempotencyConflict(
                "this Idempotency-Key was used for a job with another body",
                param="Idempotency-Key",
            )
        if created and self._queued is not None:
            self._queued()
        headers = [*x.base, (b"location", f"/v1/jobs/{stored.id}".encode())]
        body = {"id": stored.id, "object": "job", "status": stored.status}
        await send_json(x.send, 202, body, headers)

    async def item(self, x: Exchange) -> None:
        job_id = x.scope["path"].removeprefix("/v1/jobs/")
        tenant = None if x.principal.sees_all_tenants else x.principal.tenant
        method = x.scope["method"]
        if method == "DELETE":
            job = await self._store.cancel(job_id, tenant, self._clock.wall())
        else:
            job = await self._store.get(job_id, tenant)
        if job is None:
            raise NotFound(f"no job {job_id}")
        shown = job.public()
        if job.webhook_url:
            deliveries = await self._store.deliveries(job.id)
            shown["webhook"] = {
                "url": job.webhook_url,
                "deliveries": [
                    {"attempt": d.attempt, "at": round(d.at, 3), "status": d.status}
                    | ({"detail": d.detail} if d.detail else {})
                    for d in deliveries
                ],
            }
        await x.json(200, shown)

    def _request(self, request: Any, principal: Principal) -> dict[str, Any]:
        if not isinstance(request, dict):
            raise BadRequest("request must be a chat completion body (an object)", param="request")
        try:
            parsed = chat_request(orjson.dumps(request))
        except BadRequest as exc:
            raise BadRequest(f"request: {exc.message}", param=f"request.{exc.param}") from None
        if parsed.model not in self._models:
            raise ModelNotFound(f"model '{parsed.model}' does not exist", param="request.model")
        if not principal.may_use(parsed.model):
            raise Forbidden(f"this key may not use model '{parsed.model}'", param="request.model")
        return {k: v for k, v in request.items() if k not in ("stream", "stream_options")}

    def _metadata(self, metadata: Any) -> dict[str, Any]:
        if metadata is None:
            return {}
        if not isinstance(metadata, dict):
            raise BadRequest("metadata must be an object", param="metadata")
        if len(orjson.dumps(metadata)) > self._settings.max_metadata_bytes:
            raise BadRequest(
                f"metadata is over {self._settings.max_metadata_bytes} bytes", param="metadata"
            )
        return metadata


def _webhook(url: Any) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadRequest("webhook_url must be an http(s) URL", param="webhook_url")
    if len(url) > 2048:
        raise BadRequest("webhook_url is over 2048 characters", param="webhook_url")
    return str(url)
