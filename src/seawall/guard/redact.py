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

import re
from collections.abc import Callable

from .pii import Finding, detect

_PLACEHOLDER = re.compile(r"<([A-Z_]{2,24})_(\d{1,4})>")
_LONGEST = 32  # no placeholder is longer: a "<" further back than this is plain text


class Vault:
    """The values one request redacted, and their placeholders."""

    def __init__(self, detector: Callable[[str], list[Finding]] = detect) -> None:
        self._detect = detector
        self._by_value: dict[tuple[str, str], str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._counts: dict[str, int] = {}
        self.found: list[Finding] = []

    def __bool__(self) -> bool:
        return bool(self._by_placeholder)

    @property
    def types(self) -> list[str]:
        return sorted({f.type for f in self.found})

    def redact(self, text: str) -> str:
        findings = self._detect(text)
        if not findings:
            return text
        self.found.extend(findings)
        parts, last = [], 0
        for item in findings:
            parts += [text[last : item.start], self._placeholder(item)]
            last = item.end
        parts.append(text[last:])
        return "".join(parts)

    def _placeholder(self, item: Finding) -> str:
        key = (item.type, item.value)
        placeholder = self._by_value.get(key)
        if placeholder is None:
            number = self._counts.get(item.type, 0) + 1
            self._counts[item.type] = number
            placeholder = f"<{item.type}_{number}>"
            self._by_value[key] = placeholder
            self._by_placeholder[placeholder] = item.value
        return placeholder

    def restore(self, text: str) -> str:
        if not self._by_placeholder or "<" not in text:
            return text
        return _PLACEHOLDER.sub(lambda m: self._by_placeholder.get(m.group(), m.group()), text)

    def stream_restorer(self) -> StreamRestorer:
        return StreamRestorer(self)


class StreamRestorer:
    """Restores streamed text, holding back a possible placeholder's beginning until
    the chunk that completes (or rules out) it arrives."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._held = ""

    def feed(self, text: str) -> str:
        text = self._held + text
        cut = _open_placeholder(text)
        self._held = text[cut:]
        return self._vault.restore(text[:cut])

    def flush(self) -> str:
        held, self._held = self._held, ""
        return self._vault.restore(held)


def _open_placeholder(text: str) -> int:
    """Where an unfinished placeholder starts at the end of ``text`` (else its length)."""
    start = text.rfind("<", max(0, len(text) - _LONGEST))
    if start < 0 or ">" in text[start:]:
        return len(text)
    if re.fullmatch(r"<[A-Z_]*\d{0,4}", text[start:]):
        return start
    return len(text)
