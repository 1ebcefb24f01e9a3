"""Polite load: at most N requests per second (or minute, hour) to the server under test.

The owner of a staging or production server wants a cap on what a test run sends. The suite sends one
request at a time (one client, each request after the previous answer), so its concurrency is always 1;
`--rate-limit` caps the rate. Every request leaves through the client's one send path (client.py), the
Schemathesis cases included (checks/schemathesis_run.py sends them through it), and waits there for the
limiter: pyrate-limiter, the library behind Schemathesis' own `--rate-limit`, with two rates: N per
period over any sliding window, and an even pace of one request per period/N, so that the cap never
arrives as a burst. On loopback the default is no limit (the server is the tester's own); elsewhere it
is `DEFAULT_REMOTE`, and `--rate-limit none` lifts it.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from pyrate_limiter import Limiter, Rate

PERIODS_MS = {"s": 1000, "m": 60_000, "h": 3_600_000}
UNLIMITED = ("none", "unlimited", "off")
# pyrate-limiter sleeps in steps of its buffer; 1 ms keeps the pace close to the cap.
_BUFFER_MS = 1


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
        return self.requests * 1000 / PERIODS_MS[self.unit]

    def limiter(self) -> Limiter:
        period = PERIODS_MS[self.unit]
        pace_ms = max(1, math.ceil(period / self.requests))  # rounded up: the pace never exceeds the cap
        return Limiter([Rate(1, pace_ms), Rate(self.requests, period)], buffer_ms=_BUFFER_MS)


def parse_rate_limit(text: str) -> RateLimit | None:
    """`50` or `50/s` (per second), `600/m`, `3000/h`; `none` for no limit."""
    value = text.strip().lower()
    if value in UNLIMITED:
        return None
    count, _, unit = value.partition("/")
    unit = unit.strip() or "s"
    if not count.strip().isdigit() or int(count) < 1 or unit not in PERIODS_MS:
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

    def describe(self) -> str:
        """For every report: the cap, where it comes from, and the concurrency."""
        if self.limit is None:
            origin = "--rate-limit none" if self.stated else "the default on loopback"
            return f"no rate limit ({origin}), one request at a time"
        origin = "--rate-limit" if self.stated else "the default off loopback; --rate-limit changes it"
        return f"at most {self.limit} requests ({origin}), one request at a time"


class Pacer:
    """Waits before each request until the rate limit allows it (nothing to wait for without one)."""

    def __init__(self, limit: RateLimit | None) -> None:
        self.limit = limit
        self._limiter = limit.limiter() if limit is not None else None

    def wait(self) -> None:
        if self._limiter is not None:
            self._limiter.try_acquire("requests")

    def close(self) -> None:
        if self._limiter is not None:
            self._limiter.close()
