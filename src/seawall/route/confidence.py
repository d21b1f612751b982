"""Whether a tier's answer is trusted: a pure judgment of one completion.

    verdict = judge(completion_json, request_body, escalation_settings)
    verdict.reason    # "" (trusted) | "empty" | "refusal" | "schema" | "length" | "logprob"

The signals, each enabled by ``escalate.<tier>.signals``:

- ``empty``: no text and no tool call in some choice;
- ``refusal``: the provider's ``refusal`` field, or an answer that opens the way refusals
  and non-answers do ("I'm sorry, but I can't", "As an AI", "I don't know"); English
  phrasings only;
- ``schema``: the request asked for JSON (``response_format``) and the answer is not
  JSON, or not what the schema asks;
- ``length``: the answer was cut at its token limit;
- ``logprob``: the mean log-probability of the answer's tokens, over every choice, is
  under ``min_logprob``. Only where the provider returns log-probabilities; an answer
  without them is not judged on this signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..config import EscalationSettings
from ..structured.validate import problems

_REFUSAL = re.compile(
    r"^\W*(?:"
    r"(?:i'?m|i am) (?:very |so |really )?sorry,? (?:but )?(?:i|we) (?:can'?t|cannot|am "
    r"(?:not able|unable)|won'?t|do not|don'?t)"
    r"|(?:i|we) (?:can'?t|cannot|am unable to|am not able to|won'?t|must decline to) "
    r"(?:help|assist|provide|answer|comply|do that|share|fulfil|discuss|respond)"
    r"|as an ai(?: language model| assistant)?,? i"
    r"|i (?:do not|don'?t) (?:know|have (?:enough |any )?(?:information|data|access))"
    r"|i'?m (?:not sure|unable to)"
    r"|sorry,? (?:but )?i (?:can'?t|cannot|don'?t|do not)"
    r"|unfortunately,? i (?:can'?t|cannot|am unable|don'?t have)"
    r")",
    re.IGNORECASE,
)
_OPENING = 240  # characters of an answer read for a refusal


@dataclass(frozen=True, slots=True)
class Verdict:
    reason: str = ""  # "" when nothing counts against the answer
    mean_logprob: float | None = None

    @property
    def trusted(self) -> bool:
        return not self.reason


def judge(data: dict[str, Any], body: dict[str, Any], settings: EscalationSettings) -> Verdict:
    signals = set(settings.signals)
    choices = [c for c in data.get("choices") or () if isinstance(c, dict)]
    mean = mean_logprob(choices)
    messages: list[dict[str, Any]] = [_message(c) for c in choices]
    if "empty" in signals and (not messages or any(_empty(m) for m in messages)):
        return Verdict("empty", mean)
    if "refusal" in signals and any(_refuses(m) for m in messages):
        return Verdict("refusal", mean)
    if "schema" in signals and any(
        problems(m.get("content"), body.get("response_format"))
        for m in messages
        if not m.get("tool_calls")  # a tool call has no JSON answer to check
    ):
        return Verdict("schema", mean)
    if "length" in signals and any(c.get("finish_reason") == "length" for c in choices):
        return Verdict("length", mean)
    if "logprob" in signals and mean is not None and mean < settings.min_logprob:
        return Verdict("logprob", mean)
    return Verdict("", mean)


def mean_logprob(choices: list[dict[str, Any]]) -> float | None:
    values = []
    for choice in choices:
        logprobs = choice.get("logprobs")
        content = logprobs.get("content") if isinstance(logprobs, dict) else None
        for token in content or ():
            value = token.get("logprob") if isinstance(token, dict) else None
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values.append(float(value))
    return sum(values) / len(values) if values else None


def _message(choice: dict[str, Any]) -> dict[str, Any]:
    message = choice.get("message")
    return message if isinstance(message, dict) else {}


def _empty(message: dict[str, Any]) -> bool:
    content = message.get("content")
    text = content if isinstance(content, str) else ""
    return not text.strip() and not message.get("tool_calls") and not message.get("refusal")


def _refuses(message: dict[str, Any]) -> bool:
    if message.get("refusal"):
        return True
    content = message.get("content")
    if not isinstance(content, str) or message.get("tool_calls"):
        return False
    return bool(_REFUSAL.match(content[:_OPENING].replace("\u2019", "'")))
