"""Polite load: at most N requests per second (or minute, hour) to the server under test.

The owner of a staging or production server wants a cap on what a test run sends. Under a cap the suite
sends one request at a time (one client, each request after the previous answer), so its concurrency is
1; `--rate-limit` caps the rate. Without a cap (on loopback by default, or `--rate-limit none`) the CLI
checks the families side by side (runner.run_side_by_side), each one request at a time. Every request
leaves through the client's one send path (client.py), the Schemathesis cases included
(checks/schemathesis_run.py sends them through it), and waits there for the pacer: one request per
period/N at most, so that no period holds more than N and the cap never arrives as a burst. On loopback
the default is no limit (the server is the tester's own); elsewhere it is `DEFAULT_REMOTE`, and
`--rate-limit none` lifts it.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

PERIODS_S = {"s": 1.0, "m": 60.0, "h": 3600.0}
UNLIMITED = ("none", "unlimited", "off")
# A server sees each request a little later than it was sent, by a delay that varies: the pace leaves 2 %
# of the period spare, so that what the server counts in any period stays at or under N.
_GUARD = 1.02


class RateLimitError(ValueError):
    """A `--rate-limit` the suite cannot use; the message says what to write."""


@dataclass(frozen=True)
class RateLimit:
    requests: int
    unit: str = "s"

    def __str__(self) -> str:
        return f"{self.requests}/{self.unit}"

    @property
    def per_second(self) -> float:
        return self.requests / PERIODS_S[self.unit]

    @property
    def interval(self) -> float:
        """The least time between two exchanges, in seconds: N + 1 requests span more than the period."""
        return PERIODS_S[self.unit] * _GUARD / self.requests


def parse_rate_limit(text: str) -> RateLimit | None:
    """`50` or `50/s` (per second), `600/m`, `3000/h`; `none` for no limit."""
    value = text.strip().lower()
    if value in UNLIMITED:
        return None
    count, _, unit = value.partition("/")
    unit = unit.strip() or "s"
    if not count.strip().isdigit() or int(count) < 1 or unit not in PERIODS_S:
        raise RateLimitError(
            f"{text!r} is not a rate limit: write requests per second (50), per period (50/s, 600/m, "
            "3000/h) or none"
        )
    return RateLimit(int(count), unit)


def is_loopback(base_url: str) -> bool:
    host = (urlsplit(base_url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


DEFAULT_REMOTE = RateLimit(10, "s")


@dataclass(frozen=True)
class LoadPolicy:
    """The rate limit a run keeps and why: stated, or the default for where the server is."""

    limit: RateLimit | None
    stated: bool

    @classmethod
    def for_target(cls, base_url: str, stated: str | None) -> LoadPolicy:
        if stated is not None:
            return cls(parse_rate_limit(stated), stated=True)
        return cls(None if is_loopback(base_url) else DEFAULT_REMOTE, stated=False)

    def describe(self, side_by_side: int = 1) -> str:
        """For every report: the cap, where it comes from, and the concurrency (`side_by_side` families
        checked at once, each one request at a time: only without a cap)."""
        if self.limit is None:
            origin = "--rate-limit none" if self.stated else "the default on loopback"
            if side_by_side > 1:
                each = "one request at a time per family"
                return f"no rate limit ({origin}), {each}, {side_by_side} families at once"
            return f"no rate limit ({origin}), one request at a time"
        origin = "--rate-limit" if self.stated else "the default off loopback; --rate-limit changes it"
        return f"at most {self.limit.requests} requests/{self.limit.unit} ({origin}), one request at a time"


class Pacer:
    """Spaces the exchanges: each request starts `limit.interval` after the previous answer came.

    Counting from the answer, not from the previous request, is what holds as the server sees it: a
    server that starts on a request late (its event loop busy) would otherwise see the next one close
    behind it (the reference server's log showed two requests 19 ms apart at 10/s, and 11 in one second).
    Hand-written rather than pyrate-limiter, the limiter of Schemathesis' own `--rate-limit`, which counts
    from when a request asked to go and showed the same closeness; the suite sends one request at a time,
    so a spacing on the monotonic clock is the whole limiter, and it cannot burst.
    """

    def __init__(self, limit: RateLimit | None) -> None:
        self.limit = limit
        self._next = 0.0

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Wait for this exchange's turn; the next one's turn is `limit.interval` after this one ends."""
        if self.limit is None:
            yield
            return
        delay = self._next - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        try:
            yield
        finally:
            self._next = time.monotonic() + self.limit.interval
