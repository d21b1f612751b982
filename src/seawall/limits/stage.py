"""The pipeline stage that admits a request against its limits and budgets, and
settles what it used when it is done, streamed or not.

    stage = LimitStage(admission)     # first in the pipeline, after authentication
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from ..pipeline import Context, Next
from ..types import Chunk, ChunkStream, Completion, Result, StreamAccumulator
from .admission import Admission, Ticket


class LimitStage:
    name = "limits"

    def __init__(self, admission: Admission) -> None:
        self._admission = admission

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        ticket = await self._admit(ctx)
        ticket.discarded = ctx.discarded  # the router adds escalated answers as it goes
        ctx.response_headers.extend(ticket.headers)
        try:
            result = await call_next(ctx)
        except BaseException:
            self._admission.settle_later(ticket, None, "", "")  # frees what it held
            raise
        if isinstance(result, Completion):
            self._admission.settle_later(ticket, result.usage, result.deployment, _text(result))
            return result
        return self._watch(result, ticket)

    async def _admit(self, ctx: Context) -> Ticket:
        """Admission runs to its end even if the client leaves meanwhile: a script that
        charged the counters must be known, so that what it held is given back. Without
        limits it does no I/O, and needs no task of its own."""
        if not self._admission.limited(ctx.principal):
            return await self._admission.admit(ctx.principal, ctx.request)
        admitting = asyncio.ensure_future(self._admission.admit(ctx.principal, ctx.request))
        try:
            return await asyncio.shield(admitting)
        except asyncio.CancelledError:
            admitting.add_done_callback(self._give_back)
            raise

    def _give_back(self, admitting: asyncio.Future[Ticket]) -> None:
        if not admitting.cancelled() and admitting.exception() is None:
            self._admission.settle_later(admitting.result(), None, "", "")

    def _watch(self, stream: ChunkStream, ticket: Ticket) -> ChunkStream:
        """Settles when the stream is closed: at its end, on an error, or when the client
        goes away (then with the tokens counted so far)."""
        seen = StreamAccumulator()
        seen.add(stream.first)
        admission = self._admission

        async def rest() -> AsyncIterator[Chunk]:
            async for chunk in stream.rest:
                seen.add(chunk)
                yield chunk

        async def close() -> None:
            try:
                await stream.close()
            finally:
                admission.settle_later(ticket, seen.usage, stream.deployment, _seen_text(seen))

        return ChunkStream(stream.deployment, stream.first, rest(), close)


def _text(result: Completion) -> str:
    """What a provider that reports no usage answered, for counting."""
    if result.usage is not None:
        return ""
    parts = []
    for choice in result.data.get("choices") or ():
        message = choice.get("message") if isinstance(choice, dict) else None
        if isinstance(message, dict):
            if isinstance(message.get("content"), str):
                parts.append(message["content"])
            for call in message.get("tool_calls") or ():
                function = call.get("function") if isinstance(call, dict) else None
                if isinstance(function, dict):
                    parts.append(str(function.get("arguments") or ""))
    return "".join(parts)


def _seen_text(seen: StreamAccumulator) -> str:
    if seen.usage is not None:
        return ""
    calls = "".join(c["arguments"] for c in seen.tool_calls.values())
    return seen.content + calls
