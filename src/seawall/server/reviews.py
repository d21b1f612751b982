"""``/v1/reviews``: the approval queue, for keys with the reviewer role (admins too).

    GET  /v1/reviews?status=pending&limit=50      oldest first, with the request
    GET  /v1/reviews/{id}
    POST /v1/reviews/{id}/approve   {"edited_response": "..."}   (optional edit)
    POST /v1/reviews/{id}/reject    {"reason": "..."}

A decision completes the review's job (the caller waiting on it, or polling
``/v1/jobs/{id}``, gets the approved answer or ``review_rejected``) and fires the job's
webhook. It is recorded: who (the key id), when, and for an edit the unified diff of
the answer's text. A reviewer sees its own tenant's reviews; admins every tenant's.
"""

from __future__ import annotations

import copy
import difflib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from ..auth.keys import Principal
from ..clock import Clock
from ..errors import BadRequest, Conflict, NotFound
from ..jobs.model import Decision, Job, JobStore, Review
from ..jobs.worker import Outcome
from .asgi import Exchange, read_body
from .parse import json_object, page_limit, query_params

log = logging.getLogger("seawall.reviews")

_STATUSES = ("pending", "approved", "rejected", "expired", "all")
_MAX_REASON = 2000

Finished = Callable[[Job, Outcome], Awaitable[None]]


class ReviewsApi:
    def __init__(self, store: JobStore, clock: Clock, limit: int, finished: Finished) -> None:
        self._store = store
        self._clock = clock
        self._limit = limit
        self._finished = finished

    async def collection(self, x: Exchange) -> None:
        params = query_params(x.scope)
        status = params.get("status", "pending")
        if status not in _STATUSES:
            raise BadRequest(f"status must be one of {', '.join(_STATUSES)}", param="status")
        data = await self.listed(x.principal, status, page_limit(params.get("limit")))
        await x.json(200, {"object": "list", "data": data})

    async def item(self, x: Exchange) -> None:
        rest = x.scope["path"].removeprefix("/v1/reviews/")
        review_id, _, action = rest.partition("/")
        method = x.scope["method"]
        if method == "GET" and not action:
            found = await self._store.review(review_id, _tenant(x.principal))
            if found is None:
                raise NotFound(f"no review {review_id}")
            await x.json(200, found[0].public(found[1].request))
            return
        if method != "POST" or action not in ("approve", "reject"):
            raise NotFound(f"no route {x.scope['path']} for {method}")
        document = await self._document(x)
        await x.json(200, await self.act(x.principal, review_id, action, document))

    async def listed(self, principal: Principal, status: str, limit: int) -> list[dict[str, Any]]:
        found = await self._store.reviews(
            _tenant(principal), None if status == "all" else status, limit
        )
        return [review.public(job.request) for review, job in found]

    async def act(
        self, principal: Principal, review_id: str, action: str, document: dict[str, Any]
    ) -> dict[str, Any]:
        """Approve or reject a pending review; the review as it now is."""
        found = await self._store.review(review_id, _tenant(principal))
        if found is None:
            raise NotFound(f"no review {review_id}")
        review, _ = found
        decision = (
            self._approval(principal, review, document)
            if action == "approve"
            else self._rejection(principal, document)
        )
        job = await self._store.decide(review_id, _tenant(principal), decision)
        if job is None:
            raise Conflict(f"review {review_id} is not pending any more")
        try:
            await self._finished(job, Outcome(job.status, job.result, job.error))
        except Exception:
            log.exception("reviews: notifying the end of %s failed", job.id)
        decided = await self._store.review(review_id, None)
        assert decided is not None
        return decided[0].public(decided[1].request)

    async def _document(self, x: Exchange) -> dict[str, Any]:
        raw = await read_body(x.receive, x.headers, self._limit)
        return json_object(raw) if raw.strip() else {}

    def _approval(self, principal: Principal, review: Review, document: dict[str, Any]) -> Decision:
        unknown = sorted(set(document) - {"edited_response"})
        if unknown:
            raise BadRequest(f"unknown field '{unknown[0]}'", param=unknown[0])
        edited = document.get("edited_response")
        result = copy.deepcopy(review.proposed)
        diff = ""
        if edited is not None:
            if not isinstance(edited, str):
                raise BadRequest(
                    "edited_response must be the answer's text", param="edited_response"
                )
            message = _first_message(result)
            before = str(message.get("content") or "")
            message["content"] = edited
            lines = difflib.unified_diff(
                before.splitlines(), edited.splitlines(), "proposed", "approved", lineterm=""
            )
            diff = "\n".join(lines)
        return Decision("approved", principal.key_id, self._clock.wall(), result, diff=diff)

    def _rejection(self, principal: Principal, document: dict[str, Any]) -> Decision:
        unknown = sorted(set(document) - {"reason"})
        if unknown:
            raise BadRequest(f"unknown field '{unknown[0]}'", param=unknown[0])
        reason = document.get("reason", "")
        if not isinstance(reason, str) or len(reason) > _MAX_REASON:
            raise BadRequest(
                f"reason must be text of at most {_MAX_REASON} characters", param="reason"
            )
        return Decision("rejected", principal.key_id, self._clock.wall(), note=reason)


def _tenant(principal: Principal) -> str | None:
    return None if principal.sees_all_tenants else principal.tenant


def _first_message(result: dict[str, Any]) -> dict[str, Any]:
    choices = result.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise BadRequest("the proposed answer has no message to edit", param="edited_response")
    message = choices[0].setdefault("message", {"role": "assistant"})
    if not isinstance(message, dict):
        raise BadRequest("the proposed answer has no message to edit", param="edited_response")
    return message
