"""The provider protocol and its registry.

A provider adapts one upstream API to the OpenAI chat format. It makes one attempt
per call and raises an :class:`~seawall.errors.UpstreamError` (or
:class:`~seawall.errors.UpstreamRejected`) on failure; retries, timeouts between
chunks, breakers and fallbacks belong to the dispatcher.

Providers are chosen through ``PROVIDERS`` (name -> factory). The built-in ones
register exactly as a third-party one would::

    @register("myvendor")
    def _create(settings: DeploymentSettings, options: ProviderOptions) -> Provider: ...
"""

from __future__ import annotations

import email.utils
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import orjson

from ..config import DeploymentSettings
from ..errors import (
    ConfigError,
    ProviderBadResponse,
    ProviderRateLimited,
    ProviderTimeout,
    ProviderUnavailable,
    SeawallError,
    UpstreamError,
    UpstreamRejected,
)
from ..types import JSON, ChatRequest, Chunk, Completion, EmbeddingRequest
from .http import ConnectTimeout, HttpError


@dataclass(frozen=True, slots=True)
class ProviderOptions:
    connect_timeout: float = 2.0
    keepalive_s: float = 30.0


class Provider(Protocol):
    id: str

    async def complete(self, request: ChatRequest, headers: Mapping[str, str]) -> Completion:
        """One non-streamed attempt."""
        ...

    def stream(self, request: ChatRequest, headers: Mapping[str, str]) -> AsyncIterator[Chunk]:
        """One streamed attempt: an async generator of chunks. Usage arrives as a final
        usage-only chunk whether or not the client asked for it."""
        ...

    async def embed(self, request: EmbeddingRequest, headers: Mapping[str, str]) -> JSON:
        """One embeddings attempt."""
        ...

    async def close(self) -> None: ...


ProviderFactory = Callable[[DeploymentSettings, ProviderOptions], Provider]
PROVIDERS: dict[str, ProviderFactory] = {}


def register(name: str) -> Callable[[ProviderFactory], ProviderFactory]:
    def wrap(factory: ProviderFactory) -> ProviderFactory:
        PROVIDERS[name] = factory
        return factory

    return wrap


def create(settings: DeploymentSettings, options: ProviderOptions) -> Provider:
    from . import anthropic, openai, simulated  # noqa: F401  (built-ins register on import)

    factory = PROVIDERS.get(settings.provider)
    if factory is None:
        known = ", ".join(sorted(PROVIDERS))
        raise ConfigError(
            f"deployment {settings.id}: unknown provider '{settings.provider}' (known: {known})"
        )
    return factory(settings, options)


def parse_retry_after(headers: Mapping[str, str], now_wall: float) -> float | None:
    """Seconds to wait from ``retry-after-ms``, ``retry-after`` (seconds or HTTP date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now_wall)


def upstream_message(body: bytes) -> str:
    """The human part of an upstream error body, whatever its shape."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return body[:200].decode("utf-8", "replace").strip() or "empty body"
    if isinstance(data, dict):
        error = data.get("error", data)
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return error
    return body[:200].decode("utf-8", "replace")


# A deployment that answers these has a problem of its own (bad key, wrong model name,
# wrong URL): another deployment may serve the same request.
_DEPLOYMENT_FAULTS = frozenset({401, 403, 404, 405})


def error_for_status(
    deployment: str, status: int, body: bytes, headers: Mapping[str, str], now_wall: float
) -> SeawallError:
    """Map an upstream HTTP error to the exception the dispatcher acts on."""
    message = f"{deployment} answered {status}: {upstream_message(body)}"
    retry_after = parse_retry_after(headers, now_wall)
    if status == 429:
        return ProviderRateLimited(message, upstream_status=status, retry_after=retry_after)
    if status >= 500 or status == 408 or status in _DEPLOYMENT_FAULTS:
        return ProviderUnavailable(message, upstream_status=status, retry_after=retry_after)
    if 400 <= status < 500:
        return UpstreamRejected(status, message, body)
    return ProviderBadResponse(message, upstream_status=status)


def transport_error(deployment: str, exc: HttpError) -> UpstreamError:
    """The gateway error for a failure below HTTP (connect, read, pool)."""
    if isinstance(exc, ConnectTimeout):
        return ProviderTimeout(f"{deployment}: connect timed out")
    return ProviderUnavailable(f"{deployment}: connection failed: {exc or type(exc).__name__}")
