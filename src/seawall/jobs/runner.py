"""Running one job: its chat completion request through the gateway's pipeline, as the
key that posted it (limits, budgets, guards, cache and routing all apply), with a trace
of its own whose request id is the job's id.

    runner = JobRunner(gateway.chat, gateway.keys.principal_of, gateway.record)
    outcome = await runner(job)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from ..auth.keys import Principal
from ..errors import ReviewHeld, SeawallError
from ..pipeline import Context
from ..stores.base import TraceRecord
from ..trace.tracer import Trace
from ..types import ChatRequest, Completion, Result, StreamAccumulator, Usage
from .model import FAILED, PENDING_REVIEW, SUCCEEDED, Job
from .worker import Outcome

Chat = Callable[[Context], Awaitable[Result]]
PrincipalOf = Callable[[str], Awaitable[Principal]]
Record = Callable[[TraceRecord], None]

_STREAM_ONLY = ("stream", "stream_options")


class JobRunner:
    def __init__(self, chat: Chat, principal_of: PrincipalOf, record: Record) -> None:
        self._chat = chat
        self._principal_of = principal_of
        self._record = record

    async def __call__(self, job: Job) -> Outcome:
        trace = Trace.start(job.id, None)
        body = {k: v for k, v in job.request.items() if k not in _STREAM_ONLY}
        trace.model, trace.tenant = str(body.get("model", "")), job.tenant
        try:
            principal = await self._principal_of(job.key_id)
            ctx = Context(ChatRequest(body, trace.model), trace, {}, {})
            ctx.upstream_headers["traceparent"] = trace.traceparent()
            ctx.principal, ctx.tenant = principal, principal.tenant
            ctx.job_id = job.id
            result = await self._chat(ctx)
            data: dict[str, Any] = (
                result.data if isinstance(result, Completion) else await _collected(result)
            )
        except ReviewHeld:  # its answer waits for a reviewer, who will finish the job
            self._record(trace.record(202, 0, 0))
            return Outcome(PENDING_REVIEW)
        except SeawallError as exc:
            trace.error = exc.message
            self._record(trace.record(exc.status, 0, 0))
            return Outcome(FAILED, error=dict(exc.body()["error"]))  # type: ignore[call-overload]
        for done in ctx.on_success:
            done()
        usage = Usage.from_json(data.get("usage")) or Usage()
        trace.deployment = result.deployment
        self._record(trace.record(200, usage.prompt_tokens, usage.completion_tokens))
        return Outcome(SUCCEEDED, result=data)


async def _collected(stream: Result) -> dict[str, Any]:
    """A stream's content as one completion (only if a stage answered with a stream)."""
    seen = StreamAccumulator()
    try:
        async for chunk in stream:  # type: ignore[union-attr]
            seen.add(chunk)
    finally:
        await stream.close()  # type: ignore[union-attr]
    message = {"role": "assistant", "content": seen.content}
    return {
        "object": "chat.completion",
        "choices": [{"index": 0, "message": message, "finish_reason": seen.finish_reason}],
        "usage": None,
    }
