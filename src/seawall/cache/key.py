"""What makes two requests the same request, and what makes them the same question.

The exact key is a hash of everything in the body that can change the answer, after a
canonical encoding (sorted keys, no whitespace), together with the partition (tenant
or API key), the model group and the namespace. The semantic scope is the same hash
with the text of the last user turn taken out: two requests in one scope differ only
in how the last question is worded, so the nearest stored question of that scope is a
candidate answer and nothing else is. Earlier turns, the system prompt, tools, the
response format and every sampling parameter are inside the scope.

Fields that never change the answer (``stream``, ``stream_options``, ``user``,
``metadata``, ``store``) are left out, so a streamed and a plain request share entries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

_IGNORED = frozenset({"stream", "stream_options", "user", "metadata", "store"})
_HOLE = "\x00seawall:last-user-turn\x00"


@dataclass(frozen=True, slots=True)
class Keys:
    exact: str
    scope: str
    question: str  # the last user turn's text; "" when it is not plain text
    namespace: str = ""


def question_of(body: dict[str, Any]) -> str:
    """The last message's text when it is a user turn of text only, else ""."""
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return ""
    last = messages[-1]
    if not isinstance(last, dict) or last.get("role") != "user":
        return ""
    content = last.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if not isinstance(part, dict) or part.get("type") != "text":
                return ""  # images, audio, files: the words alone do not say what is asked
            text = part.get("text")
            if not isinstance(text, str):
                return ""
            texts.append(text)
        return "\n".join(texts)
    return ""


def keys_of(
    body: dict[str, Any], partition: str, group: str, namespace: str, strip: str = ""
) -> Keys:
    """``strip``: text a stage added to the body for this process only (the output
    guard's canary mark), which must not split the cache between replicas."""
    question = question_of(body)
    kept = {k: v for k, v in body.items() if k not in _IGNORED and k != "model"}
    if question:
        messages = list(kept["messages"])
        messages[-1] = {**messages[-1], "content": _HOLE}
        kept["messages"] = messages
    encoded = orjson.dumps(kept, option=orjson.OPT_SORT_KEYS)
    if strip:
        encoded = encoded.replace(orjson.dumps(strip)[1:-1], b"")
    head = "\x00".join(("v1", partition, group, namespace)).encode()
    scope = hashlib.sha256(head + b"\x00" + encoded).hexdigest()
    exact = hashlib.sha256(scope.encode() + b"\x00" + question.encode()).hexdigest()
    return Keys(exact, scope, question, namespace)
