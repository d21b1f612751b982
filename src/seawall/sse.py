"""Server-sent events, sans I/O: a parser that turns bytes into events, and the
encoding the gateway writes.

    parser = SSEParser()
    for event in parser.feed(b"data: {}\\n\\n"): ...
"""

from __future__ import annotations

from dataclasses import dataclass

import orjson

DONE = b"[DONE]"
MAX_EVENT_BYTES = 8 * 1024 * 1024  # one event larger than this is a broken stream


class SSEError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Event:
    data: bytes
    event: str = ""


class SSEParser:
    """Incremental parser for ``text/event-stream`` (lines end in LF, CRLF or CR)."""

    __slots__ = ("_buffer", "_data", "_event")

    def __init__(self) -> None:
        self._buffer = b""
        self._data: list[bytes] = []
        self._event = ""

    def feed(self, chunk: bytes) -> list[Event]:
        buffer = self._buffer + chunk if self._buffer else chunk
        pending_cr = False
        if b"\r" in buffer:
            # a trailing CR may be the first half of a CRLF: decide with the next piece
            pending_cr = buffer.endswith(b"\r")
            if pending_cr:
                buffer = buffer[:-1]
            buffer = buffer.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = buffer.split(b"\n")
        rest = lines.pop()
        self._buffer = rest + b"\r" if pending_cr else rest
        if len(self._buffer) > MAX_EVENT_BYTES:
            raise SSEError("event exceeds the size limit")
        events: list[Event] = []
        for line in lines:
            self._line(line, events)
        return events

    def _line(self, line: bytes, events: list[Event]) -> None:
        if not line:
            if self._data:
                events.append(Event(b"\n".join(self._data), self._event))
            self._data = []
            self._event = ""
            return
        if line[0] == 58:  # ":" comment / keep-alive
            return
        field, _, value = line.partition(b":")
        if value[:1] == b" ":
            value = value[1:]
        if field == b"data":
            self._data.append(value)
        elif field == b"event":
            self._event = value.decode("utf-8", "replace")


def encode(data: bytes) -> bytes:
    return b"data: " + data + b"\n\n"


DONE_EVENT = encode(DONE)


def encode_error(error_body: dict[str, object]) -> bytes:
    return encode(orjson.dumps(error_body))
