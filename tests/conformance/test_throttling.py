"""Retry-After as RFC 9110 §10.2.3 defines it: delay-seconds or an HTTP date; a backoff otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conformance.throttling import MAX_WAIT_S, retry_after

NOW = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "attempt", "wait"),
    [
        ("0", 0, 0.0),
        ("3", 0, 3.0),
        (" 2 ", 4, 2.0),  # the server's word wins over the backoff
        ("Tue, 01 Dec 2026 12:00:05 GMT", 0, 5.0),
        ("Tue, 01 Dec 2026 11:59:00 GMT", 0, 0.0),  # a date passed: send again now
        ("3600", 0, MAX_WAIT_S),  # capped: one request never stalls a run for an hour
        (None, 0, 1.0),
        (None, 3, 8.0),
        ("", 1, 2.0),
        ("soon", 2, 4.0),  # not a Retry-After value: the backoff
        ("-1", 0, 1.0),
        (None, 10, MAX_WAIT_S),
    ],
)
def test_wait(value: str | None, attempt: int, wait: float) -> None:
    assert retry_after(value, attempt, NOW) == pytest.approx(wait)
