"""The cache stage: answer a request the gateway has answered before.

It sits inside the input and output guards: it sees the request as it goes upstream
(PII already replaced by placeholders, so keys and stored answers hold none, and the
caller's own values are put back into a hit by the input guard as for any answer),
and a hit still passes the output guard. An answer is stored only when the whole
response reached the client with status 200, finished by itself (``stop`` or
``tool_calls``), and nothing flagged it on the way (``ctx.no_store``, a guard flag).

Per request (headers):

- ``Cache-Control: no-cache``: do not answer from the cache (the fresh answer is still
  stored); ``no-store``: neither answer from it nor store.
- ``x-seawall-cache-ttl: SECONDS``: the stored entry's TTL (at most a year).
- ``x-seawall-cache-namespace: NAME``: a separate scope inside the partition.

Response headers: ``x-seawall-cache: hit-exact | hit-semantic | miss`` and, on a
semantic hit, ``x-seawall-cache-similarity``; a hit is ``x-seawall-deployment: cache``.
If the embedder fails, is busy, or takes longer than ``embed_budget_ms``, the semantic
lookup is skipped and the request goes on: the cache never takes a request down. The
same holds for the verifier's word pieces (``verify.py``): without them in time, a
candidate that differs by a word is turned down (``unaligned``), never waved through.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

import numpy as np
import orjson

from ..clock import Clock
from ..config import CacheSettings, Price
from ..embed import Embedder, EmbedderBusy, EmbedderUnavailable, Pieces
from ..errors import BadRequest
from ..limits.pricing import cost_micros
from ..pipeline import Context, Next
from ..replay import as_stream
from ..trace.metrics import Metrics
from ..types import Chunk, ChunkStream, Completion, Result, StreamAccumulator, Usage
from .key import Keys, keys_of
from .semantic import lookup
from .store import CacheStore, Entry, Selector, pack
from .verify import Verifier

log = logging.getLogger("seawall.cache")

_MAX_TTL_S = 365 * 86400
_NAMESPACE = re.compile(r"[A-Za-z0-9._:/-]{1,128}")
_STORABLE_FINISH = frozenset({"stop", "tool_calls"})
_MAX_QUEUED = 1024  # answers waiting to be embedded and stored; past it, left out
_WRITE_BATCH = 32  # answers stored together
_EMBED_BATCH = 8  # of them embedded in one call (~15-25 ms of the embedder's thread)
_BEHIND = _MAX_QUEUED // 4  # answers waiting past which new ones are stored unembedded
_DROP_LOG_S = 60.0  # at most one warning a minute about answers left out


class CacheStage:
    name = "cache"

    def __init__(
        self,
        groups: Mapping[str, CacheSettings | None],
        stores: Mapping[str, CacheStore],
        embedder: Embedder,
        verifier: Verifier,
        clock: Clock,
        metrics: Metrics,
        prices: Mapping[str, Price],
    ) -> None:
        self._groups = {name: s for name, s in groups.items() if s is not None}
        self.stores = dict(stores)  # one per cached model group, each with its own bound
        self._embedder = embedder
        self._verifier = verifier
        self._clock = clock
        self._metrics = metrics
        self._prices = prices  # deployment id -> price, for what a hit saved
        self._queue: asyncio.Queue[tuple[Entry, bool]] = asyncio.Queue(_MAX_QUEUED)
        self._writer: asyncio.Task[None] | None = None
        self._dropped_logged_at = -_DROP_LOG_S

    @property
    def enabled(self) -> bool:
        return bool(self._groups)

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        settings = self._groups.get(ctx.request.model)
        if settings is None or not (settings.exact or settings.semantic):
            return await call_next(ctx)
        start = ctx.trace.now_ms()
        control = _Control.of(ctx.headers)
        model = ctx.request.model
        skip = control.skip_reason or _skip_reason(ctx.request.body, settings)
        if skip:
            self._metrics.cache(model, "skip")
            ctx.trace.add("cache.lookup", start, "skip", {"reason": skip})
            ctx.response_headers.append(("x-seawall-cache", "miss"))
            return await call_next(ctx)
        partition = ctx.tenant if settings.scope == "tenant" else ctx.principal.key_id
        keys = keys_of(ctx.request.body, partition, model, control.namespace, ctx.planted)
        vector: np.ndarray | None = None
        semantic = settings.semantic and 0 < len(keys.question) <= settings.max_semantic_chars
        why: dict[str, object] = {"no_cache": control.no_cache}
        if not control.no_cache:
            store = self.stores[model]
            entry = await store.get(keys.exact) if settings.exact else None
            if entry is not None:
                return self._hit(ctx, entry, "exact", 1.0, start)
            if semantic:
                vector = await self._embed(ctx, keys.question, settings)
                if vector is not None:
                    threshold = settings.threshold or self._verifier.cosine
                    decision = await lookup(
                        store,
                        keys.scope,
                        keys.question,
                        vector,
                        threshold,
                        self._verifier,
                        settings.verify_threshold,
                        functools.partial(self._pieces, ctx, settings),
                    )
                    if decision.match is not None:
                        match = decision.match
                        return self._hit(ctx, match.entry, "semantic", match.similarity, start)
                    why["candidates"] = decision.candidates
                    if decision.rejected:
                        self._metrics.cache_rejected(model, decision.rejected)
                        why["rejected"] = decision.rejected
                        why["nearest"] = round(decision.nearest, 4)
                        ctx.trace.add(
                            "cache.verify",
                            start,
                            "rejected",
                            {"reason": decision.rejected, "candidates": decision.candidates},
                        )
        self._metrics.cache(model, "miss")
        ctx.trace.add("cache.lookup", start, "miss", why)
        ctx.response_headers.append(("x-seawall-cache", "miss"))
        result = await call_next(ctx)
        ttl = control.ttl_s or settings.ttl_s
        if isinstance(result, Completion):
            answer = _answer_of_completion(result.data)
            if answer is not None:
                self._store_on_success(ctx, keys, settings, answer, result.deployment, ttl, vector)
            return result
        return self._watch(ctx, result, keys, settings, ttl, vector)

    # hits

    def _hit(
        self, ctx: Context, entry: Entry, kind: str, similarity: float, start: float
    ) -> Result:
        model = ctx.request.model
        self._metrics.cache(model, f"hit-{kind}")
        answer = entry.reply()
        usage = Usage.from_json(answer.get("usage")) or Usage()
        price = self._prices.get(entry.deployment)
        micros = cost_micros(price, usage) if price is not None else 0
        self._metrics.cache_saved(model, usage.prompt_tokens, usage.completion_tokens, micros)
        attrs: dict[str, object] = {
            "similarity": round(similarity, 4),
            "saved_prompt_tokens": usage.prompt_tokens,
            "saved_completion_tokens": usage.completion_tokens,
            "saved_usd": micros / 1_000_000,
            "answered_by": entry.deployment,
        }
        ctx.trace.add("cache.lookup", start, f"hit-{kind}", attrs)
        ctx.response_headers.append(("x-seawall-cache", f"hit-{kind}"))
        if kind == "semantic":
            ctx.response_headers.append(("x-seawall-cache-similarity", f"{similarity:.4f}"))
        return replay(answer, model, ctx.request.stream, ctx.request.include_usage)

    # misses: store what comes back, once the client has it all

    async def _embed(
        self, ctx: Context, question: str, settings: CacheSettings
    ) -> np.ndarray | None:
        start = ctx.trace.now_ms()
        try:
            vectors = await asyncio.wait_for(
                self._embedder.aembed([question]), settings.embed_budget_ms / 1000
            )
        except (TimeoutError, EmbedderBusy, EmbedderUnavailable) as exc:
            reason = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
            ctx.trace.add("cache.embed", start, "skipped", {"reason": reason})
            self._metrics.cache(ctx.request.model, "embed-skipped")
            return None
        ctx.trace.add("cache.embed", start)
        vector: np.ndarray = vectors[0]
        return vector

    async def _pieces(
        self, ctx: Context, settings: CacheSettings, texts: list[str]
    ) -> list[Pieces] | None:
        """The word pieces the verifier asks for, within the embedding budget."""
        start = ctx.trace.now_ms()
        try:
            pieces = await asyncio.wait_for(
                self._embedder.apieces(texts), settings.embed_budget_ms / 1000
            )
        except (TimeoutError, EmbedderBusy, EmbedderUnavailable) as exc:
            reason = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
            ctx.trace.add("cache.align", start, "skipped", {"reason": reason, "texts": len(texts)})
            return None
        ctx.trace.add("cache.align", start, attrs={"texts": len(texts)})
        return pieces

    def _store_on_success(
        self,
        ctx: Context,
        keys: Keys,
        settings: CacheSettings,
        answer: dict[str, Any],
        deployment: str,
        ttl: float,
        vector: np.ndarray | None,
    ) -> None:
        def stored() -> None:
            if ctx.no_store or ctx.guard_flags or ctx.pii in ("flagged", "blocked"):
                return
            entry = Entry(
                keys.exact,
                keys.scope,
                ctx.tenant,
                ctx.principal.key_id,
                ctx.request.model,
                keys.namespace,
                keys.question,
                pack(answer),
                deployment,
                self._clock.wall() + ttl,
                vector,
            )
            want_vector = (
                settings.semantic
                and vector is None
                and 0 < len(keys.question) <= settings.max_semantic_chars
            )
            self._enqueue(entry, want_vector)

        if _answer_bytes(answer) <= settings.max_answer_bytes:
            ctx.on_success.append(stored)

    def _enqueue(self, entry: Entry, want_vector: bool) -> None:
        """Off the request path: one writer embeds and stores answers in batches. When it
        falls behind by ``_MAX_QUEUED`` answers, new ones are left out (and counted)."""
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(
                self._write(), name="seawall-cache-writer"
            )
        try:
            self._queue.put_nowait((entry, want_vector))
        except asyncio.QueueFull:
            self._metrics.cache(entry.group, "store-dropped")
            now = self._clock.now()
            if now - self._dropped_logged_at >= _DROP_LOG_S:
                self._dropped_logged_at = now
                log.warning(
                    "cache: %d answers wait to be stored; new ones are left out", _MAX_QUEUED
                )

    async def _write(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < _WRITE_BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._store_batch(batch)
            except Exception:  # a cache write never fails a request; it is logged
                log.exception("cache: storing %d answers failed", len(batch))
            finally:
                for _ in batch:
                    self._queue.task_done()

    async def _store_batch(self, batch: list[tuple[Entry, bool]]) -> None:
        entries = [entry for entry, _ in batch]
        wanting = [i for i, (_, want) in enumerate(batch) if want]
        # in small calls behind every waiting lookup: a lookup that comes during a burst
        # of stores waits for one small call at most, not for the burst
        for at in range(0, len(wanting), _EMBED_BATCH):
            chunk = wanting[at : at + _EMBED_BATCH]
            if self._queue.qsize() > _BEHIND:
                # the embedder cannot keep up: store the rest for exact lookups now rather
                # than leave the answers coming after them out
                for i in chunk:
                    self._metrics.cache(entries[i].group, "store-exact-only")
                continue
            try:
                vectors = await self._embedder.aembed(
                    [entries[i].question for i in chunk], background=True
                )
            except (EmbedderBusy, EmbedderUnavailable):
                continue  # stored for exact lookups only
            for i, vector in zip(chunk, vectors, strict=True):
                entries[i] = entries[i]._replace(vector=vector)
        for entry in entries:
            await self.stores[entry.group].put(entry)
        self._metrics.cache_entries.set(sum(len(s) for s in self.stores.values()))

    def _watch(
        self,
        ctx: Context,
        stream: ChunkStream,
        keys: Keys,
        settings: CacheSettings,
        ttl: float,
        vector: np.ndarray | None,
    ) -> ChunkStream:
        seen = StreamAccumulator()
        seen.add(stream.first)
        model_name: list[str] = [str(stream.first.data.get("model") or "")]

        async def rest() -> AsyncIterator[Chunk]:
            async for chunk in stream.rest:
                seen.add(chunk)
                yield chunk
            answer = _answer_of_stream(seen, model_name[0])
            if answer is not None:
                self._store_on_success(ctx, keys, settings, answer, stream.deployment, ttl, vector)

        return ChunkStream(stream.deployment, stream.first, rest(), stream.close)

    async def delete(self, selector: Selector) -> int:
        deleted = 0
        for group, store in self.stores.items():
            if selector.group is None or selector.group == group:
                deleted += await store.delete(selector)
        self._metrics.cache_entries.set(sum(len(s) for s in self.stores.values()))
        return deleted

    async def close(self) -> None:
        await self.drain()
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        for store in self.stores.values():
            await store.close()

    async def drain(self) -> None:
        """Waits until every answer handed to the writer is stored."""
        if self._writer is not None and not self._writer.done():
            await self._queue.join()


class _Control:
    __slots__ = ("namespace", "no_cache", "skip_reason", "ttl_s")

    def __init__(self) -> None:
        self.no_cache = False
        self.skip_reason = ""
        self.ttl_s: float | None = None
        self.namespace = ""

    @classmethod
    def of(cls, headers: Mapping[str, str]) -> _Control:
        control = cls()
        directives = {
            d.strip().split("=", 1)[0].lower()
            for d in headers.get("cache-control", "").split(",")
            if d.strip()
        }
        if "no-store" in directives:
            control.skip_reason = "no-store"
        # max-age=0 asks for a fresh answer as no-cache does
        control.no_cache = "no-cache" in directives or "max-age=0" in {
            d.strip().lower().replace(" ", "") for d in headers.get("cache-control", "").split(",")
        }
        ttl = headers.get("x-seawall-cache-ttl")
        if ttl is not None:
            try:
                value = float(ttl)
            except ValueError:
                value = -1.0
            if not 0 < value <= _MAX_TTL_S:
                raise BadRequest(
                    f"x-seawall-cache-ttl must be a number of seconds in (0, {_MAX_TTL_S}]",
                    param="x-seawall-cache-ttl",
                )
            control.ttl_s = value
        namespace = headers.get("x-seawall-cache-namespace")
        if namespace is not None:
            if not _NAMESPACE.fullmatch(namespace):
                raise BadRequest(
                    "x-seawall-cache-namespace must be 1 to 128 of A-Z a-z 0-9 . _ : / -",
                    param="x-seawall-cache-namespace",
                )
            control.namespace = namespace
        return control


def _skip_reason(body: dict[str, Any], settings: CacheSettings) -> str:
    n = body.get("n")
    if isinstance(n, int) and n > 1:
        return "n > 1"
    temperature = body.get("temperature")
    if settings.sampled == "skip" and isinstance(temperature, (int, float)) and temperature > 0:
        return "temperature > 0"
    return ""


def _answer_of_completion(data: dict[str, Any]) -> dict[str, Any] | None:
    choices = data.get("choices")
    if not isinstance(choices, list) or len(choices) != 1 or not isinstance(choices[0], dict):
        return None
    choice = choices[0]
    message = choice.get("message")
    finish = choice.get("finish_reason")
    if not isinstance(message, dict) or finish not in _STORABLE_FINISH:
        return None
    # a copy: later stages edit the answer in place (the input guard puts the caller's
    # own values back), and what is stored must stay as it came from upstream
    return _copy(
        {
            "message": message,
            "finish_reason": finish,
            "model": data.get("model") or "",
            "usage": data.get("usage"),
        }
    )


def _copy(value: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = orjson.loads(orjson.dumps(value))
    return copied


def _answer_of_stream(seen: StreamAccumulator, model: str) -> dict[str, Any] | None:
    if seen.finish_reason not in _STORABLE_FINISH:
        return None
    message: dict[str, Any] = {"role": "assistant", "content": seen.content or None}
    if seen.tool_calls:
        message["tool_calls"] = [
            {
                "id": call["id"],
                "type": "function",
                "function": {"name": call["name"], "arguments": call["arguments"]},
            }
            for _, call in sorted(seen.tool_calls.items())
        ]
    usage = seen.usage
    return {
        "message": message,
        "finish_reason": seen.finish_reason,
        "model": model,
        "usage": None
        if usage is None
        else {
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "total_tokens": usage.total_tokens,
        },
    }


def _answer_bytes(answer: dict[str, Any]) -> int:
    message = answer["message"]
    size = len(str(message.get("content") or "").encode())
    for call in message.get("tool_calls") or ():
        size += len(str(call).encode())
    return size


_ZERO = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


def replay(answer: dict[str, Any], group: str, stream: bool, include_usage: bool) -> Result:
    """A stored answer as a new completion, or as a stream when the client asked for
    one. Nothing was spent upstream, so usage is zero."""
    message = _copy(answer["message"])  # stages after this one edit answers in place
    choice = {"index": 0, "message": message, "finish_reason": answer["finish_reason"]}
    data = {
        "id": f"chatcmpl-{secrets.token_hex(12)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": answer.get("model") or group,
        "system_fingerprint": None,
        "choices": [{**choice, "logprobs": None}],
        "usage": dict(_ZERO),
    }
    completion = Completion(data, raw=None, deployment="cache")
    return as_stream(completion, include_usage) if stream else completion
