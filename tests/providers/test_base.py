from seawall.errors import (
    ProviderRateLimited,
    ProviderUnavailable,
    UpstreamRejected,
)
from seawall.providers.base import error_for_status, parse_retry_after, upstream_message

NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z


def test_retry_after_in_seconds_http_date_and_milliseconds():
    assert parse_retry_after({"retry-after": "2"}, NOW) == 2.0
    assert parse_retry_after({"retry-after": "Fri, 15 Jan 2027 08:00:30 GMT"}, NOW) == 30.0
    assert parse_retry_after({"retry-after-ms": "1500", "retry-after": "9"}, NOW) == 1.5
    assert parse_retry_after({"retry-after": "Fri, 15 Jan 2027 07:59:00 GMT"}, NOW) == 0.0
    assert parse_retry_after({"retry-after": "soon"}, NOW) is None
    assert parse_retry_after({}, NOW) is None


def test_statuses_map_to_what_the_dispatcher_does_with_them():
    body = b'{"error": {"message": "slow down", "type": "rate_limit_error"}}'
    limited = error_for_status("d", 429, body, {"retry-after": "3"}, NOW)
    assert isinstance(limited, ProviderRateLimited) and limited.retry_after == 3.0
    assert "d answered 429: slow down" in limited.message
    for status in (500, 502, 503, 529, 408, 401, 403, 404):
        assert isinstance(error_for_status("d", status, b"", {}, NOW), ProviderUnavailable)
    rejected = error_for_status("d", 400, body, {}, NOW)
    assert isinstance(rejected, UpstreamRejected) and rejected.status == 400


def test_upstream_messages_of_any_shape():
    assert upstream_message(b'{"error": {"message": "bad"}}') == "bad"
    assert upstream_message(b'{"type": "error", "error": {"message": "over"}}') == "over"
    assert upstream_message(b'{"error": "plain"}') == "plain"
    assert upstream_message(b"<html>gateway timeout</html>") == "<html>gateway timeout</html>"
    assert upstream_message(b"") == "empty body"
