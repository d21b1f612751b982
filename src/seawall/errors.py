"""The exception tree. Every error a client can see knows its HTTP status and its
OpenAI error ``type`` and ``code`` (CONTRACT.md, "Errors"); one handler renders them.

::

    SeawallError
      ConfigError
      ClientError (4xx)
        BadRequest, GuardBlocked, PayloadTooLarge, ModelNotFound, Unauthorized, Forbidden,
        NotFound, Conflict, RateLimited, BudgetExceeded, StructuredOutputFailed (422),
        UpstreamRejected (an upstream 4xx passed through)
      Overloaded, LimitsUnavailable, StoreUnavailable, KeysUnavailable (503)
      UpstreamError (5xx, one failed attempt; retryable or not)
        ProviderTimeout, ProviderUnavailable, ProviderRateLimited, ProviderBadResponse,
        NotSupported, StreamBroken (StreamBlocked: the output guard, mid-stream)
      RoutingError
        NoRouteAvailable(attempts=[...])   every deployment and fallback failed
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class SeawallError(Exception):
    status: int = 500
    type: str = "server_error"
    code: str = "internal_error"

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.retry_after = retry_after

    should_retry: bool | None = None  # rendered as x-should-retry when not None

    def body(self) -> dict[str, object]:
        return {
            "error": {
                "message": self.message,
                "type": self.type,
                "code": self.code,
                "param": self.param,
            }
        }

    def headers(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self.retry_after is not None:
            out.append(("retry-after", str(max(1, int(self.retry_after + 0.999)))))
        if self.should_retry is not None:
            out.append(("x-should-retry", "true" if self.should_retry else "false"))
        return out


class ConfigError(SeawallError):
    """A configuration file or value is invalid; ``message`` names the field path."""


class ClientError(SeawallError):
    status = 400
    type = "invalid_request_error"
    code = "invalid_request"
    should_retry: bool | None = False


class BadRequest(ClientError):
    pass


class PayloadTooLarge(ClientError):
    status = 413
    code = "payload_too_large"


class GuardBlocked(ClientError):
    """The input or output guard refused the request; ``param`` names the check."""

    code = "guard_blocked"


class ContextTooLong(ClientError):
    """The prompt is over the model group's input token budget (and cannot be trimmed)."""

    code = "context_too_long"


class CostLimitExceeded(ClientError):
    """The request's estimated cost is over the model group's per-request cap."""

    code = "cost_limit_exceeded"


class StructuredOutputFailed(ClientError):
    """No attempt yielded JSON that fits the requested schema; the message lists them."""

    status = 422
    code = "structured_output_failed"
    should_retry = False


class ReviewRejected(ClientError):
    """A reviewer rejected the answer (or its review expired under on_expire: reject)."""

    status = 422
    code = "review_rejected"
    should_retry = False


class ModelNotFound(ClientError):
    status = 404
    code = "model_not_found"


class Unauthorized(ClientError):
    status = 401
    type = "authentication_error"
    code = "invalid_api_key"


class Forbidden(ClientError):
    status = 403
    type = "permission_error"
    code = "forbidden"


class NotFound(ClientError):
    status = 404
    code = "not_found"


class Conflict(ClientError):
    status = 409
    code = "conflict"


class IdempotencyConflict(Conflict):
    """An idempotency key used again with another body."""

    code = "idempotency_conflict"
    should_retry = False


class ReviewPending(Conflict):
    """The answer waits for a reviewer past the time the caller may wait: the job holds it."""

    code = "review_pending"

    def __init__(self, message: str, job_id: str) -> None:
        super().__init__(message)
        self.job_id = job_id

    def body(self) -> dict[str, object]:
        data = super().body()
        error = data["error"]
        assert isinstance(error, dict)
        error["job_id"] = self.job_id
        return data

    def headers(self) -> list[tuple[str, str]]:
        return [*super().headers(), ("location", f"/v1/jobs/{self.job_id}")]


class ReviewAccepted(SeawallError):
    """Not an error: the caller asked for async (``Prefer: respond-async``) and its
    answer waits for a reviewer; 202 with the job."""

    status = 202
    code = "review_pending"

    def __init__(self, job_id: str) -> None:
        super().__init__(f"the answer waits for review in job {job_id}")
        self.job_id = job_id

    def body(self) -> dict[str, object]:
        return {"id": self.job_id, "object": "job", "status": "pending_review"}

    def headers(self) -> list[tuple[str, str]]:
        return [("location", f"/v1/jobs/{self.job_id}")]


class ReviewHeld(SeawallError):
    """Inside a job: its answer was parked for review (the worker marks it so)."""

    status = 202
    code = "review_pending"


class MethodNotAllowed(ClientError):
    status = 405
    code = "method_not_allowed"


class RateLimited(ClientError):
    status = 429
    type = "rate_limit_error"
    code = "rate_limit_exceeded"
    should_retry = None

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        should_retry: bool | None = None,
        limit_headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(message, retry_after=retry_after)
        self.should_retry = should_retry
        self.limit_headers = tuple(limit_headers)

    def headers(self) -> list[tuple[str, str]]:
        return [*super().headers(), *self.limit_headers]


class BudgetExceeded(ClientError):
    """A budget would be overrun; refused before anything is spent."""

    status = 429
    type = "insufficient_quota"
    code = "budget_exceeded"


class LimitsUnavailable(SeawallError):
    """The shared store that counts limits is unreachable and the tenant's policy is
    ``fail_closed``."""

    status = 503
    code = "limits_unavailable"


class StoreUnavailable(SeawallError):
    """The durable store cannot be read right now."""

    status = 503
    code = "store_unavailable"


class KeysUnavailable(StoreUnavailable):
    """A key not seen recently cannot be checked: the durable store is unreachable."""

    code = "auth_unavailable"


class UpstreamRejected(ClientError):
    """An upstream refused the request itself (a 4xx that another try cannot fix).

    The upstream's own error body is passed through unchanged when it has one.
    """

    def __init__(self, status: int, message: str, upstream_body: bytes | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.upstream_body = upstream_body


class Overloaded(SeawallError):
    status = 503
    code = "overloaded"


class UpstreamError(SeawallError):
    """One failed attempt at one deployment."""

    status = 502
    code = "upstream_unavailable"
    retryable = True
    counts_against_health = True

    def __init__(
        self,
        message: str,
        *,
        upstream_status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, retry_after=retry_after)
        self.upstream_status = upstream_status


class ProviderTimeout(UpstreamError):
    status = 504
    code = "upstream_timeout"


class ProviderUnavailable(UpstreamError):
    pass


class ProviderRateLimited(UpstreamError):
    counts_against_health = False  # a quota, not a fault: cooldown, not the breaker


class ProviderBadResponse(UpstreamError):
    pass


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """What happened on one try, for the final error message and the trace."""

    deployment: str
    outcome: str  # "timeout", "unavailable", "rate_limited", "bad_response", "skipped:<why>"
    detail: str


class RoutingError(SeawallError):
    status = 502
    code = "upstream_unavailable"


class NoRouteAvailable(RoutingError):
    """Every deployment of the group and of its fallbacks failed or was unavailable."""

    def __init__(
        self,
        model: str,
        attempts: Sequence[AttemptRecord],
        *,
        retry_after: float | None = None,
    ) -> None:
        tried = [a for a in attempts if not a.outcome.startswith("skipped")]
        if tried and all(a.outcome == "timeout" for a in tried):
            self.status = 504
            self.code = "upstream_timeout"
        listing = "; ".join(f"{a.deployment}: {a.outcome} ({a.detail})" for a in attempts)
        super().__init__(
            f"no upstream could serve model '{model}'. attempts: {listing or 'none'}",
            retry_after=retry_after,
        )
        self.attempts = tuple(attempts)


class NotSupported(UpstreamError):
    """The deployment cannot serve this kind of request (embeddings on a chat-only API)."""

    counts_against_health = False


class StreamBroken(UpstreamError):
    """A stream failed after its first byte reached the client."""


class StreamBlocked(StreamBroken):
    """The output guard stopped a stream after its first byte; ``param`` names the check."""

    status = 400
    type = "invalid_request_error"
    code = "guard_blocked"

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param
