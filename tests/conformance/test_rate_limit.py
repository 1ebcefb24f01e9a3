"""`--rate-limit`: every request the suite sends waits for it, Schemathesis' included, as the server sees it.

The measured test counts the requests in the reference server's own log (one line per request, with the
time it was answered and how long it took), so a request that bypassed the client's limiter would show.
Run it with `-s` to see the numbers.
"""

from __future__ import annotations

import bisect
import json
import re
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from conformance.pacing import DEFAULT_REMOTE, LoadPolicy, Pacer, RateLimit, RateLimitError, parse_rate_limit
from tests.conformance.cli_runs import run_cli
from tests.conftest import ReferenceServerFactory

pytestmark = pytest.mark.xdist_group("conformance-rate-limit")

LIMIT = 50
# A line of the reference server's request log: when it answered, and in how many milliseconds.
REQUEST_LINE = re.compile(
    r"^(?P<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO reference_impl\.requests: "
    r"(?P<method>[A-Z]+) \S+ \d{3} (?P<ms>[\d.]+)ms$"
)


@pytest.mark.parametrize(
    ("text", "limit"),
    [
        ("50", RateLimit(50, "s")),
        ("50/s", RateLimit(50, "s")),
        (" 600/m ", RateLimit(600, "m")),
        ("3000/h", RateLimit(3000, "h")),
        ("none", None),
        ("unlimited", None),
    ],
)
def test_rate_limit_values(text: str, limit: RateLimit | None) -> None:
    assert parse_rate_limit(text) == limit


@pytest.mark.parametrize("text", ["", "0", "-5", "fast", "50/d", "5.5", "50/s/s"])
def test_bad_rate_limit_says_what_to_write(text: str) -> None:
    with pytest.raises(RateLimitError, match=r"50/s, 600/m"):
        parse_rate_limit(text)


@pytest.mark.parametrize(
    ("base_url", "limit"),
    [
        ("http://127.0.0.1:8000", None),
        ("http://127.8.0.1", None),
        ("http://localhost:8000", None),
        ("http://[::1]:8000", None),
        ("https://api.example.org", DEFAULT_REMOTE),
        ("http://10.0.0.5:8000", DEFAULT_REMOTE),
    ],
)
def test_default_is_unlimited_on_loopback_only(base_url: str, limit: RateLimit | None) -> None:
    policy = LoadPolicy.for_target(base_url, None)
    assert policy.limit == limit and not policy.stated
    assert "one request at a time" in policy.describe()
    assert LoadPolicy.for_target(base_url, "none").limit is None
    assert LoadPolicy.for_target(base_url, "5/s").limit == RateLimit(5)


def test_pacer_spaces_each_request_from_the_previous_answer() -> None:
    """No burst: at 100/s, each request starts at least 10.2 ms (2 % spare) after the previous answer, however
    long that exchange took."""
    pacer = Pacer(RateLimit(100))
    gaps = []
    ended = None
    for index in range(21):
        with pacer.turn():
            started = time.monotonic()
            if ended is not None:
                gaps.append(started - ended)
            time.sleep(0.03 if index == 10 else 0.0)  # a slow answer
            ended = time.monotonic()
    assert RateLimit(100).interval >= 0.0102
    assert min(gaps) >= RateLimit(100).interval
    with Pacer(None).turn():
        pass


@dataclass
class Served:
    """The requests a server logged: when each arrived and was answered (seconds since the epoch)."""

    arrived: list[float]
    answered: list[float]

    @classmethod
    def from_log(cls, text: str) -> Served:
        arrived, answered = [], []
        for line in text.splitlines():
            match = REQUEST_LINE.match(line)
            if match:
                end = datetime.strptime(match["at"], "%Y-%m-%d %H:%M:%S,%f").timestamp()
                answered.append(end)
                arrived.append(end - float(match["ms"]) / 1000)
        return cls(arrived, answered)

    @property
    def duration(self) -> float:
        return max(self.answered) - min(self.arrived)

    def busiest_second(self) -> int:
        """The most requests that arrived within any one second (a sliding window)."""
        stamps = sorted(self.arrived)
        return max(bisect.bisect_left(stamps, start + 1.0) - i for i, start in enumerate(stamps))

    def most_at_once(self, resolution: float = 0.002) -> int:
        """The most requests in progress at one moment (log times are to the millisecond)."""
        events = sorted([(t, 1) for t in self.arrived] + [(t - resolution, -1) for t in self.answered])
        current = peak = 0
        for _, change in events:
            current += change
            peak = max(peak, current)
        return peak


def test_run_with_a_rate_limit_stays_under_it(
    reference_server_factory: ReferenceServerFactory, tmp_path: Path
) -> None:
    """Deterministic checks and the Schemathesis run, at --rate-limit 50, as the server's log counts them."""
    server = reference_server_factory()
    tokens = [server.token(name) for name in ("rate-alice", "rate-bob", "rate-carol")]
    log_path = server.process.log_path
    before = len(log_path.read_text(errors="replace"))
    report = tmp_path / "report.json"
    completed = run_cli(
        "run", "--base-url", server.base_url, "--rate-limit", str(LIMIT), "--seed", "2", "--family", "event",
        "--only", "SPEC-STATUS", "--only", "AUTH-MISSING", "--only", "INV-ALL-IDS", "--json", str(report),
        env={"CONFORMANCE_TOKENS": " ".join(tokens)},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    body = json.loads(report.read_text())
    served = Served.from_log(log_path.read_text(errors="replace")[before:])
    # Every request the suite sent reached the server through the limiter, and no other: the run's, and
    # the cleanup's at its end (counted apart).
    sent = body["requests"] + body["throttled"]["answers"] + body["cleanup"]["requests"]
    assert len(served.arrived) == sent and body["requests"] > 300 and body["cleanup"]["requests"] > 0
    rate = len(served.arrived) / served.duration
    busiest = served.busiest_second()
    print(
        f"\n--rate-limit {LIMIT}: {len(served.arrived)} requests in {served.duration:.1f} s = {rate:.1f}/s; "
        f"busiest second {busiest}; at most {served.most_at_once()} at once"
    )
    assert busiest <= LIMIT
    assert rate <= LIMIT
    assert served.most_at_once() == 1
    assert body["load"] == f"at most {LIMIT} requests/s (--rate-limit), one request at a time"
