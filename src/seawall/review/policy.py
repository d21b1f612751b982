"""Which answers a person must approve first: a pure decision over the request's facts
and the answer.

    reason = caught(settings.when, Facts(flags=..., low_confidence=..., intent=...), data)
    # "" (let it through) | "always" | "flagged" | "low_confidence" | "intent:card_lost"
    # | "json_path:$.amount>1000"
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from ..config import ReviewIntent, ReviewJsonPath, ReviewWhen

_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}
_MISSING = object()


@dataclass(frozen=True, slots=True)
class Facts:
    flagged: bool = False  # a guard flagged the request and let it pass
    low_confidence: str = ""  # why the answer is not trusted, if it is not
    intent: str = ""


def caught(rules: Sequence[ReviewWhen], facts: Facts, answer: dict[str, Any]) -> str:
    for rule in rules:
        if rule == "always":
            return "always"
        if rule == "flagged" and facts.flagged:
            return "flagged"
        if rule == "low_confidence" and facts.low_confidence:
            return "low_confidence"
        if isinstance(rule, ReviewIntent):
            wanted = [rule.intent] if isinstance(rule.intent, str) else rule.intent
            if facts.intent and facts.intent in wanted:
                return f"intent:{facts.intent}"
        if isinstance(rule, ReviewJsonPath) and _holds(rule, answer):
            return f"json_path:{rule.json_path}{rule.op}{rule.value}"
    return ""


def _holds(rule: ReviewJsonPath, answer: dict[str, Any]) -> bool:
    """The condition on the first choice's JSON content; an answer that is not JSON, or
    has no such path, or a value of another type, does not meet it."""
    for choice in answer.get("choices") or ():
        message = choice.get("message") if isinstance(choice, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        try:
            document = orjson.loads(content) if isinstance(content, str) else _MISSING
        except orjson.JSONDecodeError:
            document = _MISSING
        value = _at(document, rule.json_path)
        if value is _MISSING or isinstance(value, bool) != isinstance(rule.value, bool):
            continue
        try:
            if _OPS[rule.op](value, rule.value):
                return True
        except TypeError:  # "12" > 1000: not comparable, not met
            continue
    return False


def _at(document: Any, path: str) -> Any:
    current = document
    for name, index in _STEP.findall(path[1:]):
        if name and isinstance(current, dict) and name in current:
            current = current[name]
        elif index and isinstance(current, list) and int(index) < len(current):
            current = current[int(index)]
        else:
            return _MISSING
    return current
