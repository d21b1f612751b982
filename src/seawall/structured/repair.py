"""Safe repairs of JSON answers, and the re-ask that feeds errors back: pure functions.

    repair('Sure! ```json\\n{"a": 1,}\\n```', fmt)   -> '{"a": 1}'  (or None)
    reask(messages, bad_answer, problems)          -> messages for the next attempt

Only drifts whose fix cannot change what the answer says are repaired: a markdown
fence around the JSON, prose before or after it, trailing commas, one object wrapped
in a one-item list when an object was asked for. A renamed or missing field is not
guessed at: the model is asked again, with what was wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson

from .validate import problems

_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)\n?\s*```", re.DOTALL)
_CLOSER = re.compile(r"\s*[}\]]")  # what may follow a trailing comma
_MAX_REPAIR_CHARS = 262_144  # longer answers are asked again, not scanned


def repair(text: str | None, response_format: Any) -> str | None:
    """The answer made valid by safe repairs, or None when they do not suffice."""
    if not text or len(text) > _MAX_REPAIR_CHARS:
        return None
    for candidate in _candidates(text):
        if not problems(candidate, response_format):
            return candidate
    return None


def _candidates(text: str) -> list[str]:
    out: list[str] = []
    fenced = _FENCE.search(text)
    inner = fenced.group(1).strip() if fenced else text.strip()
    for base in dict.fromkeys((inner, _outermost(inner) or "")):
        if not base:
            continue
        for variant in (base, _without_trailing_commas(base)):
            out.append(variant)
            unwrapped = _single_in_list(variant)
            if unwrapped is not None:
                out.append(unwrapped)
    return list(dict.fromkeys(out))


def _scan(text: str, start: int = 0) -> Iterator[tuple[int, str, bool]]:
    """Each character from ``start`` with whether it is inside a JSON string."""
    in_string = escaped = False
    for index in range(start, len(text)):
        ch = text[index]
        inside = in_string
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = inside = True
        yield index, ch, inside


def _outermost(text: str) -> str | None:
    """The first balanced ``{...}`` or ``[...]`` in the text, strings respected."""
    start = next((i for i, ch in enumerate(text) if ch in "{["), None)
    if start is None:
        return None
    depth = 0
    for index, ch, inside in _scan(text, start):
        if inside:
            continue
        if ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    return None


def _without_trailing_commas(text: str) -> str:
    """``{"a": 1,}`` -> ``{"a": 1}``, leaving commas inside strings alone."""
    return "".join(
        ch
        for index, ch, inside in _scan(text)
        if inside or ch != "," or not _CLOSER.match(text, index + 1)
    )


def _single_in_list(text: str) -> str | None:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        return orjson.dumps(value[0]).decode()
    return None


def reask(messages: list[Any], answer: str | None, found: list[str]) -> list[Any]:
    """The conversation for the next attempt: the bad answer, then what was wrong."""
    feedback = (
        "Your previous answer is not valid for the required JSON format: "
        + "; ".join(found)
        + ". Reply again with only the corrected JSON: no prose, no markdown fences."
    )
    return [
        *messages,
        {"role": "assistant", "content": answer or ""},
        {"role": "user", "content": feedback},
    ]
