"""Token budgets per request: what a prompt may cost before it is sent.

Per model group (``models[].tokens``):

- ``max_input``: prompt tokens (messages and tool definitions, counted as OpenAI
  counts them). Over it, ``overflow: reject`` refuses with 400 ``context_too_long``;
  ``overflow: trim`` drops whole turns, oldest first (a user message with the
  assistant messages, tool calls and tool results that answered it), and refuses only
  if the system prompt and the last user turn alone are over.
- ``max_output``: a request's ``max_tokens`` / ``max_completion_tokens`` is lowered to
  it, and a request that sets neither gets ``max_tokens`` set to it.
- ``max_request_usd``: the prompt at the group's dearest input price plus the output
  cap at its dearest output price; over it, 400 ``cost_limit_exceeded``, before anything
  is spent.

Counting is exact (o200k_base, tiktoken) for OpenAI deployments. For groups with other
providers it is an estimate, corrected by the ratio of the prompt tokens the provider
reported to the count, learnt per group from its answers (bounded to 0.5-2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..config import Settings, TokenSettings
from ..errors import ContextTooLong, CostLimitExceeded
from ..pipeline import Context, Next
from ..tokens import TokenCounter
from ..types import Completion, Result

_LEARN = 0.1  # weight of each new answer in the learnt correction
_OUTPUT_FIELDS = ("max_completion_tokens", "max_tokens")


@dataclass
class _Group:
    limits: TokenSettings
    input_price: float  # the dearest deployment's, USD per million tokens
    output_price: float
    default_output: int  # what a request that sets no cap may use (max_output_tokens)
    exact: bool  # every deployment speaks OpenAI's tokens
    calls: int = 1  # upstream answers a request may be charged for (escalation)
    ratio: float = 1.0


class TokenBudget:
    name = "tokens"

    def __init__(self, settings: Settings, counter: TokenCounter) -> None:
        self._counter = counter
        self._groups: dict[str, _Group] = {}
        for group in settings.models:
            t = group.tokens
            if t.max_input is None and t.max_output is None and t.max_request_usd is None:
                continue
            reachable = settings.reachable(group.name)
            self._groups[group.name] = _Group(
                t,
                max(d.price.input for d in reachable),
                max(d.price.output for d in reachable),
                group.max_output_tokens,
                all(d.provider == "openai" for d in reachable),
                group.router.most_calls if group.router is not None else 1,
            )

    @property
    def enabled(self) -> bool:
        return bool(self._groups)

    async def __call__(self, ctx: Context, call_next: Next) -> Result:
        group = self._groups.get(ctx.request.model)
        if group is None:
            return await call_next(ctx)
        start = ctx.trace.now_ms()
        limits = group.limits
        body = ctx.request.body
        counted = await self._counter.prompt(body)
        prompt = round(counted * group.ratio)
        attrs: dict[str, object] = {"prompt_tokens": prompt, "exact": group.exact}
        if limits.max_input is not None and prompt > limits.max_input:
            if limits.overflow == "reject":
                ctx.trace.add("tokens", start, "refused", attrs)
                raise ContextTooLong(
                    f"the prompt is {prompt} tokens; model '{ctx.request.model}' takes at "
                    f"most {limits.max_input}",
                    param="messages",
                )
            body, prompt, dropped = self._trim(body, limits.max_input, group.ratio)
            if dropped is None:
                ctx.trace.add("tokens", start, "refused", attrs)
                raise ContextTooLong(
                    f"the prompt is {prompt} tokens with every earlier turn dropped (what is "
                    "kept: system messages and the last user turn onwards); model "
                    f"'{ctx.request.model}' takes at most {limits.max_input}",
                    param="messages",
                )
            ctx.request.body = body
            attrs |= {"trimmed_messages": dropped, "prompt_tokens": prompt}
        output = _requested_output(body)
        if limits.max_output is not None and (output is None or output > limits.max_output):
            field = next((f for f in _OUTPUT_FIELDS if f in body), "max_tokens")
            ctx.request.body = body = {**body, field: limits.max_output}
            attrs["max_output"] = limits.max_output
            output = limits.max_output
        if limits.max_request_usd is not None:
            cap = output if output is not None else group.default_output
            usd = group.calls * (prompt * group.input_price + cap * group.output_price) / 1e6
            attrs["estimate_usd"] = round(usd, 6)
            if usd > limits.max_request_usd:
                ctx.trace.add("tokens", start, "refused", attrs)
                output_usd = group.calls * cap * group.output_price / 1e6
                escalation = f", up to {group.calls} answers" if group.calls > 1 else ""
                raise CostLimitExceeded(
                    f"this request may cost up to ${usd:.4f} ({prompt} prompt tokens, up to "
                    f"{cap} answer tokens{escalation}); model '{ctx.request.model}' allows "
                    f"${limits.max_request_usd} a request",
                    param="max_tokens" if output_usd >= usd / 2 else "messages",
                )
        ctx.trace.add("tokens", start, "ok", attrs)
        ctx.prompt_tokens = prompt
        result = await call_next(ctx)
        if not group.exact and isinstance(result, Completion):
            self._learn(group, result, counted)
        return result

    def _trim(
        self, body: dict[str, Any], limit: int, ratio: float
    ) -> tuple[dict[str, Any], int, int | None]:
        messages = body.get("messages")
        if not isinstance(messages, list):
            return body, round(self._counter.messages(body) * ratio), None
        # each message counted once: the prompt is the tools and overheads plus its messages
        base = self._counter.messages({**body, "messages": []})
        empty = self._counter.messages({"messages": []})
        costs = [self._counter.messages({"messages": [m]}) - empty for m in messages]
        budget = limit / ratio - base
        kept, dropped, cost = trim_turns(messages, costs, budget)
        prompt = round((base + cost) * ratio)
        if dropped is None:
            return body, prompt, None
        return {**body, "messages": kept}, prompt, dropped

    @staticmethod
    def _learn(group: _Group, result: Completion, counted: int) -> None:
        usage = result.usage
        if usage is None or not usage.prompt_tokens or counted <= 0:
            return
        seen = min(2.0, max(0.5, usage.prompt_tokens / counted))
        group.ratio += _LEARN * (seen - group.ratio)


def _requested_output(body: dict[str, Any]) -> int | None:
    values = [body[f] for f in _OUTPUT_FIELDS if isinstance(body.get(f), int)]
    return min(values) if values else None


def trim_turns(
    messages: Sequence[Any], costs: Sequence[int], budget: float
) -> tuple[list[Any], int | None, int]:
    """Drops whole turns, oldest first, until the messages' ``costs`` sum to at most
    ``budget``: (what is left, how many messages went, what is left costs), or (the
    messages, None, their cost with every droppable turn gone) when that is too much.

    Kept always: system and developer messages, and everything from the last user
    message on. A turn is a user message with what follows it up to the next user
    message (assistant answers, tool calls, tool results), so a tool result never
    loses the call it answers."""
    last_user = max(
        (i for i, m in enumerate(messages) if isinstance(m, dict) and m.get("role") == "user"),
        default=len(messages),
    )
    turns: list[list[int]] = []
    for index in range(last_user):
        message = messages[index]
        role = message.get("role") if isinstance(message, dict) else None
        if role in ("system", "developer"):
            continue
        if role == "user" or not turns:
            turns.append([])
        turns[-1].append(index)
    total = sum(costs)
    gone: set[int] = set()
    for turn in turns:
        if total <= budget:
            break
        gone.update(turn)
        total -= sum(costs[i] for i in turn)
    if total > budget:
        return list(messages), None, total
    return [m for i, m in enumerate(messages) if i not in gone], len(gone), total
