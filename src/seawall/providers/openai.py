"""Any OpenAI-compatible server: OpenAI, vLLM, Ollama, llama.cpp, TGI and most hosted
APIs. Bodies pass through unchanged except ``model``; answers pass through as bytes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping

import orjson

from ..config import DeploymentSettings
from ..errors import ProviderBadResponse, ProviderUnavailable
from ..sse import DONE, SSEError, SSEParser
from ..types import JSON, ChatRequest, Chunk, Completion, EmbeddingRequest
from .base import ProviderOptions, error_for_status, register, transport_error
from .http import HttpClient, HttpError, HttpResponse

DEFAULT_BASE_URL = "https://api.openai.com/v1"
_DRAIN_S = 1.0


class OpenAIProvider:
    def __init__(self, settings: DeploymentSettings, options: ProviderOptions) -> None:
        self.id = settings.id
        self._model = settings.model
        self._client = HttpClient(
            settings.base_url or DEFAULT_BASE_URL,
            max_connections=settings.max_concurrency,
            connect_timeout=options.connect_timeout,
            idle_timeout=options.keepalive_s,
        )
        headers = [("content-type", "application/json"), ("accept", "application/json")]
        if settings.api_key:
            headers.append(("authorization", f"Bearer {settings.api_key}"))
        headers.extend((k.lower(), v) for k, v in settings.headers.items())
        self._headers = headers

    async def complete(self, request: ChatRequest, headers: Mapping[str, str]) -> Completion:
        body = dict(request.body)
        body["model"] = self._model
        body.pop("stream_options", None)
        body["stream"] = False
        payload = await self._post("/chat/completions", body, headers)
        data = self._decode(payload)
        if not isinstance(data.get("choices"), list):
            raise ProviderBadResponse(f"{self.id}: answer has no choices")
        return Completion(data, raw=payload, deployment=self.id)

    async def stream(
        self, request: ChatRequest, headers: Mapping[str, str]
    ) -> AsyncIterator[Chunk]:
        body = dict(request.body)
        body["model"] = self._model
        body["stream"] = True
        options = body.get("stream_options")
        body["stream_options"] = {
            **(options if isinstance(options, dict) else {}),
            "include_usage": True,
        }
        response = await self._open("/chat/completions", body, headers)
        try:
            await self._check(response)
            async for chunk in self._events(response):
                yield chunk
        finally:
            await response.aclose()

    async def embed(self, request: EmbeddingRequest, headers: Mapping[str, str]) -> JSON:
        body = dict(request.body)
        body["model"] = self._model
        return self._decode(await self._post("/embeddings", body, headers))

    async def close(self) -> None:
        await self._client.close()

    async def _events(self, response: HttpResponse) -> AsyncIterator[Chunk]:
        parser = SSEParser()
        pieces = response.iter_chunks()
        done = False
        try:
            async for piece in pieces:
                for event in parser.feed(piece):
                    if event.data == DONE:
                        done = True
                        break
                    yield self._chunk(event.data)
                if done:
                    break
            if done:
                await _drain(pieces)
                return
        except HttpError as exc:
            raise ProviderUnavailable(f"{self.id}: stream lost: {exc}") from None
        except SSEError as exc:
            raise ProviderBadResponse(f"{self.id}: {exc}") from None
        raise ProviderUnavailable(f"{self.id}: stream ended without [DONE]")

    def _chunk(self, raw: bytes) -> Chunk:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            raise ProviderBadResponse(f"{self.id}: malformed stream chunk") from None
        if not isinstance(data, dict):
            raise ProviderBadResponse(f"{self.id}: stream chunk is not an object")
        if "error" in data:
            raise ProviderBadResponse(f"{self.id}: error inside the stream: {data['error']}")
        return Chunk(data, raw)

    async def _post(self, path: str, body: JSON, headers: Mapping[str, str]) -> bytes:
        response = await self._open(path, body, headers)
        try:
            await self._check(response)
            return await response.read()
        except HttpError as exc:
            raise transport_error(self.id, exc) from None
        finally:
            await response.aclose()

    async def _open(self, path: str, body: JSON, headers: Mapping[str, str]) -> HttpResponse:
        try:
            return await self._client.request(
                "POST", path, [*self._headers, *headers.items()], orjson.dumps(body)
            )
        except HttpError as exc:
            raise transport_error(self.id, exc) from None

    async def _check(self, response: HttpResponse) -> None:
        if response.status == 200:
            return
        try:
            payload = await response.read()
        except HttpError:
            payload = b""
        raise error_for_status(self.id, response.status, payload, response.headers, time.time())

    def _decode(self, payload: bytes) -> JSON:
        try:
            data = orjson.loads(payload)
        except orjson.JSONDecodeError:
            raise ProviderBadResponse(f"{self.id}: answer is not JSON") from None
        if not isinstance(data, dict):
            raise ProviderBadResponse(f"{self.id}: answer is not a JSON object")
        return data


async def _drain(pieces: AsyncIterator[bytes]) -> None:
    """Read the body's end after [DONE], so the connection can be reused; a server that
    keeps the body open past it loses the connection instead of stalling the stream."""
    try:
        async with asyncio.timeout(_DRAIN_S):
            async for _ in pieces:
                pass
    except (TimeoutError, HttpError):
        pass


@register("openai")
def _create(settings: DeploymentSettings, options: ProviderOptions) -> OpenAIProvider:
    return OpenAIProvider(settings, options)
