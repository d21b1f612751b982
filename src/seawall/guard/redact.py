"""Reversible pseudonymisation: each sensitive value becomes a typed placeholder
(``<EMAIL_ADDRESS_1>``), the same value the same placeholder throughout one request;
the answer is restored for the caller, in streams too, where a placeholder may be split
across chunks.

    vault = Vault()
    vault.redact("write to a@b.io")        # "write to <EMAIL_ADDRESS_1>"
    vault.restore("sent to <EMAIL_ADDRESS_1>")   # "sent to a@b.io"
    stream = vault.stream_restorer()
    stream.feed("sent to <EMAIL_AD") + stream.feed("DRESS_1>.") + stream.flush()
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from .pii import Finding, detect

_ISSUED = re.compile(r"<([A-Z_]{2,24})_(\d{1,6})>")
# what comes back may be altered: other case, inner spaces, JSON's \u003c escapes
_PLACEHOLDER = re.compile(
    r"(?:<|\\u003c)\s*([A-Za-z_]{2,24})_(\d{1,6})\s*(?:>|\\u003e)", re.IGNORECASE
)
_LONGEST = 48  # no placeholder is longer: a "<" further back than this is plain text


# types whose values carry a checksum or a fixed shape: a reading across parts that
# finds one beats the parts' own weaker readings
_CHECKED = frozenset({"SECRET", "CREDIT_CARD", "IBAN_CODE", "US_SSN"})


class Vault:
    """The values one request redacted, and their placeholders."""

    def __init__(self, detector: Callable[[str], list[Finding]] = detect) -> None:
        self._detect = detector
        self._by_value: dict[tuple[str, str], str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self._written: set[str] = set()  # placeholder-shaped text the caller wrote
        self.found: list[Finding] = []

    def reserve(self, text: str) -> None:
        """Note placeholder-shaped text the caller wrote, so none is issued with its name
        (and what the caller wrote is never replaced by a real value)."""
        self._written.update(m.group().upper() for m in _ISSUED.finditer(text))

    def __bool__(self) -> bool:
        return bool(self._by_placeholder)

    @property
    def types(self) -> list[str]:
        return sorted({f.type for f in self.found})

    def redact(self, text: str) -> str:
        """``text`` with its findings replaced (and invisible characters, which can hide
        a value from the patterns, removed); unchanged when nothing is found."""
        cleaned = strip_invisible(text)
        findings = self._detect(cleaned)
        if not findings:
            return text
        text = cleaned
        self.found.extend(findings)
        parts, last = [], 0
        for item in findings:
            parts += [text[last : item.start], self._placeholder(item)]
            last = item.end
        parts.append(text[last:])
        return "".join(parts)

    def redact_parts(self, texts: Sequence[str]) -> list[str]:
        """The text parts of one message. Each part is read on its own, as ``redact``
        does; then the parts are read as one text, and a value found there that crosses
        a part boundary is added ("jane.doe@exa" + "mple.com") when it touches nothing
        found in a single part, or when it is a checked type (a card, an IBAN) where
        the parts only saw weaker ones. It becomes one placeholder in the part where it
        starts, the rest of it cut from the parts after. A part without findings comes
        back as it was."""
        cleaned = [strip_invisible(t) for t in texts]
        joined = "".join(cleaned)
        bounds, offset, findings = [], 0, []
        for part in cleaned:
            findings += [
                Finding(f.type, f.start + offset, f.end + offset, f.value)
                for f in self._detect(part)
            ]
            offset += len(part)
            bounds.append(offset)
        for f in self._detect(joined):
            if not any(f.start < b < f.end for b in bounds[:-1]):
                continue  # inside one part: already read
            touched = [g for g in findings if f.start < g.end and g.start < f.end]
            if not touched:
                findings.append(f)
            elif f.type in _CHECKED and not any(g.type in _CHECKED for g in touched):
                # a card split in two reads as two phone numbers: the card wins, over
                # the union of what both readings cover
                start = min(f.start, *(g.start for g in touched))
                end = max(f.end, *(g.end for g in touched))
                findings = [g for g in findings if g not in touched]
                findings.append(Finding(f.type, start, end, joined[start:end]))
            # else the parts' own reading wins: "jane@corp.io" + "Thanks" is no address
        if not findings:
            return list(texts)
        findings.sort(key=lambda f: f.start)
        self.found.extend(findings)
        out, offset = [], 0
        for original, part in zip(texts, cleaned, strict=True):
            end = offset + len(part)
            here = [f for f in findings if f.start < end and offset < f.end]
            if not here:
                out.append(original)
                offset = end
                continue
            pieces, at = [], offset
            for item in here:
                if item.start >= offset:
                    pieces += [joined[at : item.start], self._placeholder(item)]
                at = min(item.end, end)
            pieces.append(joined[at:end])
            out.append("".join(pieces))
            offset = end
        return out

    def _placeholder(self, item: Finding) -> str:
        key = (item.type, item.value)
        placeholder = self._by_value.get(key)
        if placeholder is None:
            number = self._counts.get(item.type, 0) + 1
            while f"<{item.type}_{number}>" in self._written:
                number += 1
            self._counts[item.type] = number
            placeholder = f"<{item.type}_{number}>"
            self._by_value[key] = placeholder
            self._by_placeholder[placeholder] = item.value
        return placeholder

    def restore(self, text: str, *, json_string: bool = False) -> str:
        """Placeholders this vault issued back to their values (escaped for the inside
        of a JSON string when ``json_string``, as in tool call arguments)."""
        if not self._by_placeholder or ("<" not in text and "\\u003" not in text):
            return text

        def value(m: re.Match[str]) -> str:
            found = self._by_placeholder.get(f"<{m.group(1).upper()}_{m.group(2)}>")
            if found is None:
                return m.group()
            return json.dumps(found)[1:-1] if json_string else found

        return _PLACEHOLDER.sub(value, text)

    def stream_restorer(self, *, json_string: bool = False) -> StreamRestorer:
        return StreamRestorer(self, json_string)


class StreamRestorer:
    """Restores streamed text, holding back a possible placeholder's beginning until
    the chunk that completes (or rules out) it arrives."""

    def __init__(self, vault: Vault, json_string: bool = False) -> None:
        self._vault = vault
        self._json = json_string
        self._held = ""

    def feed(self, text: str) -> str:
        text = self._held + text
        cut = _open_placeholder(text)
        self._held = text[cut:]
        return self._vault.restore(text[:cut], json_string=self._json)

    def flush(self) -> str:
        held, self._held = self._held, ""
        return self._vault.restore(held, json_string=self._json)


_UNFINISHED = re.compile(r"(?:<|\\u003c)\s*[A-Za-z_]*\d{0,6}\s*", re.IGNORECASE)
_ESCAPED_OPEN = "\\u003c"


def _open_placeholder(text: str) -> int:
    """Where an unfinished placeholder (or its JSON-escaped form) starts at the end of
    ``text``; else the length of ``text``."""
    window = max(0, len(text) - _LONGEST)
    start = max(text.rfind("<", window), text.lower().rfind(_ESCAPED_OPEN, window))
    if start >= 0 and _UNFINISHED.fullmatch(text[start:]):
        return start
    tail = text[-len(_ESCAPED_OPEN) :].lower()
    for size in range(len(_ESCAPED_OPEN) - 1, 0, -1):  # "\\", "\\u", ... "\\u003"
        if tail.endswith(_ESCAPED_OPEN[:size]):
            return len(text) - size
    return len(text)


_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def strip_invisible(text: str) -> str:
    return _INVISIBLE.sub("", text) if not text.isascii() else text


def strings_of(value: object) -> str:
    """Every string inside a JSON value, one per line (for "does the request contain")."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(strings_of(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(strings_of(v) for v in value.values())
    return ""


def split_parts(body: dict[str, Any]) -> str:
    """The text parts of each message's content array, joined as the model reads them
    (so that "does the request contain" sees a value split across parts); "" when no
    message has more than one."""
    out = []
    for message in body.get("messages") or ():
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list):
            texts = [part["text"] for part in content if is_text_part(part)]
            if len(texts) > 1:
                out.append("".join(texts))
    return "\n" + "\n".join(out) if out else ""


def is_text_part(item: object) -> bool:
    return (
        isinstance(item, dict) and item.get("type") == "text" and isinstance(item.get("text"), str)
    )
