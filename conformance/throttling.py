"""A server's throttling is not a verdict: a 429 is waited out and the request sent again.

A production server limits how fast one client may call it (RFC 6585 §4: 429 Too Many Requests, with an
optional Retry-After). The suite sends a few thousand requests per family, so a throttled answer says
nothing about the contract; judging it would be a false alarm. The wait honours Retry-After (seconds or
an HTTP date, RFC 9110 §10.2.3), else backs off 1, 2, 4, … s; after `MAX_RETRIES` the 429 is what the
check sees.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

TOO_MANY_REQUESTS = 429
MAX_RETRIES = 6
MAX_WAIT_S = 30.0


def retry_after(value: str | None, attempt: int, now: datetime | None = None) -> float:
    """Seconds to wait before attempt `attempt` + 1 (0-based), from a Retry-After value or a backoff."""
    backoff = min(MAX_WAIT_S, 2.0**attempt)
    if value is None or not value.strip():
        return backoff
    text = value.strip()
    if text.isdigit():
        return min(MAX_WAIT_S, float(text))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return backoff
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(MAX_WAIT_S, max(0.0, (when - (now or datetime.now(UTC))).total_seconds()))
