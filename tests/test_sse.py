from seawall.sse import Event, SSEParser


def test_events_split_anywhere_and_in_any_line_ending():
    raw = (
        b'data: {"a": 1}\r\n\r\n: keep-alive\n\n'
        b"event: message_start\ndata: x\ndata: y\n\ndata: [DONE]\n\n"
    )
    for size in (1, 2, 5, 7, len(raw)):
        parser = SSEParser()
        events = []
        for i in range(0, len(raw), size):
            events += parser.feed(raw[i : i + size])
        assert events == [Event(b'{"a": 1}'), Event(b"x\ny", "message_start"), Event(b"[DONE]")]


def test_a_lone_cr_ends_a_line():
    parser = SSEParser()
    assert parser.feed(b"data: a\r\rdata: b\r") == [Event(b"a")]
    assert parser.feed(b"\r") == []  # may still be the first half of a CRLF
    assert parser.feed(b"\ndata: c\n\n") == [Event(b"b"), Event(b"c")]
