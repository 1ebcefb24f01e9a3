"""The reference server against a stock no-op Connexion app on the same spec, measured alternately.

The machine is shared and noisy, so absolute req/s mean little: both servers run side by side (idle
while the other is loaded) and are loaded in turns, A/B/A/B, with the same wrk load, the same
uvicorn and the same worker count. The ratio of their totals is what is reported and guarded.

CPU time per request is read from /proc for each round: the serving processes' own, and, for a
reference server on a PostgreSQL cluster on this machine, that of the cluster's backends serving its
database (the work a request costs the database), which shares the same cores. A backend that ends
during a round is left out of it (the server keeps its connections open, so none should).
"""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from bench.load import InviteLoad, LoadResult, run_load
from bench.scenarios import INVITE_PATH, create_events, describe_load, wait_until_idle
from testkit.processes import ServerProcess, free_port, python_module
from testkit.reference import Reference

Row = dict[str, Any]
# Below this the bench run fails (python -m bench exits non-zero): the regression guard.
GUARD_RATIO = 0.8
#: Above any throughput either server reaches on one machine: it sizes a round's (event, user) pairs.
MAX_RPS = 8000
TARGET_RATIO = 1.0


def noop_server(workers: int, env: dict[str, str]) -> ServerProcess:
    """bench.noop_connexion on the reference server's stack: uvicorn, same workers, no access log."""
    port = free_port()
    argv = python_module(
        "uvicorn", "bench.noop_connexion:create_app", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning",
    )  # fmt: skip
    return ServerProcess(argv, port, ready_path="/api/v2/user/me/", env=env, startup_timeout=60)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            found.extend(int(child) for child in children.read_text().split())
    return found


def _is_worker(pid: int) -> bool:
    """A child that serves requests, not multiprocessing's resource tracker."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    return cmdline.exists() and b"resource_tracker" not in cmdline.read_bytes()


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU time of each of ``pids`` so far (those that are gone are left out)."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return found


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings by the processes alive at both."""
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


def database_backends(database_url: str) -> Callable[[], list[int]] | None:
    """The pids of the PostgreSQL backends serving ``database_url``'s database, when they run on this
    machine (their /proc entries are readable); None otherwise (SQLite: the work is in the workers)."""
    url = make_url(database_url)
    if not url.drivername.startswith("postgresql") or url.host not in ("127.0.0.1", "localhost", "::1"):
        return None
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)

    def pids() -> list[int]:
        with psycopg.connect(dsn, autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()"
            ).fetchall()
        found = [int(pid) for (pid,) in rows]
        return found if all(Path(f"/proc/{pid}").exists() for pid in found) else []

    return pids


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serving_pids(server: ServerProcess) -> list[int]:
    """The processes that serve requests: uvicorn's workers, or the server itself when alone."""
    if server.process is None or not Path("/proc").is_dir():
        return []
    pid = server.process.pid
    return [child for child in _children(pid) if _is_worker(child)] or [pid]


def worker_rss_mib(server: ServerProcess) -> list[float]:
    """RSS of each process that serves requests."""
    try:
        return [round(_rss_mib(p), 1) for p in serving_pids(server)]
    except FileNotFoundError:
        return []


@dataclass
class Side:
    """One server's rounds."""

    name: str
    rounds: list[LoadResult]
    rss_mib: list[float]
    cpu_s: list[float] = field(default_factory=list)  # the serving processes', per round
    database_cpu_s: list[float] | None = None  # the database backends', per round (None: not measured)

    @property
    def rps(self) -> float:
        seconds = sum(r.duration_s for r in self.rounds)
        return sum(r.requests for r in self.rounds) / seconds if seconds else 0.0

    def median(self, name: str) -> float:
        return float(statistics.median(getattr(r, name) for r in self.rounds))

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.rounds)

    @property
    def cpu_ms_per_request(self) -> float | None:
        return 1000 * sum(self.cpu_s) / self.requests if self.cpu_s and self.requests else None

    @property
    def database_cpu_ms_per_request(self) -> float | None:
        if self.database_cpu_s is None or not self.requests:
            return None
        return 1000 * sum(self.database_cpu_s) / self.requests

    def summary(self) -> dict[str, Any]:
        return {
            "rps": round(self.rps, 1),
            "p50_ms": self.median("p50_ms"),
            "p99_ms": self.median("p99_ms"),
            "cpu_ms_per_request": self.cpu_ms_per_request,
            "database_cpu_ms_per_request": self.database_cpu_ms_per_request,
            "errors": sum(r.errors for r in self.rounds),
            "rss_mib_per_worker": self.rss_mib,
            "rounds": [r.as_dict() for r in self.rounds],
        }


@dataclass
class Contender:
    """One server under load: what to send it, whose CPU time its requests cost, what was measured."""

    name: str
    load: Callable[[], InviteLoad]  # called before each round: a round may need new events
    pids: list[int] = field(default_factory=list)
    backends: Callable[[], list[int]] | None = None  # the database's processes (None: not measured)

    def __post_init__(self) -> None:
        self.side = Side(self.name, [], [], database_cpu_s=None if self.backends is None else [])

    def run_round(self, *, connections: int, duration_s: float) -> None:
        load = self.load()
        wait_until_idle(load.base_url)
        backends = self.backends() if self.backends else []
        workers_before, backends_before = cpu_seconds(self.pids), cpu_seconds(backends)
        self.side.rounds.append(run_load(load, connections=connections, duration_s=duration_s))
        self.side.cpu_s.append(cpu_spent(workers_before, cpu_seconds(self.pids)))
        if self.side.database_cpu_s is not None:
            self.side.database_cpu_s.append(cpu_spent(backends_before, cpu_seconds(backends)))


def _load_rounds(contenders: list[Contender], *, rounds: int, connections: int, duration_s: float) -> None:
    for _ in range(rounds):
        for contender in contenders:
            contender.run_round(connections=connections, duration_s=duration_s)


def invite_against_noop(
    reference: Reference,
    *,
    workers: int,
    connections: int,
    duration_s: float,
    rounds: int,
    label: str,
    guarded: bool,
) -> tuple[float, list[Row]]:
    """POST invite on the reference server and on the no-op Connexion app, in alternate rounds.

    Every round of the reference's invites new users: it gets events of its own, more (event, user) pairs
    than it can send in the round, so what is measured is what a team's users do, not re-invitations
    that change nothing and skip the commit's flush.
    """
    user_ids = reference.seed(1001)
    manager, users = reference.token(user_ids[0]), user_ids[1:]
    events_per_round = max(2, math.ceil(duration_s * MAX_RPS / len(users)))
    with reference.server(workers=workers) as server, noop_server(workers, reference.env) as noop:

        def fresh(count: int) -> Callable[[], InviteLoad]:
            return lambda: InviteLoad(
                server.base_url, INVITE_PATH, create_events(server.base_url, manager, count), users, manager
            )

        noop_load = InviteLoad(
            noop.base_url, INVITE_PATH, list(range(1, events_per_round + 1)), users, manager
        )
        warmups = [Contender("reference", fresh(2)), Contender("noop", lambda: noop_load)]
        _load_rounds(warmups, rounds=1, connections=connections, duration_s=2)
        contenders = [
            Contender(
                "reference",
                fresh(events_per_round),
                serving_pids(server),
                database_backends(reference.database_url),
            ),
            Contender("noop", lambda: noop_load, serving_pids(noop)),
        ]
        _load_rounds(contenders, rounds=rounds, connections=connections, duration_s=duration_s)
        for contender, process in zip(contenders, (server, noop), strict=True):
            contender.side.rss_mib = worker_rss_mib(process)
    ref, base = (contender.side for contender in contenders)
    ratio = ref.rps / base.rps if base.rps else 0.0
    per_round = [r.rps / b.rps for r, b in zip(ref.rounds, base.rounds, strict=True) if b.rps]
    rows = [
        _side_row(f"POST invite, reference, {label}", ref),
        _side_row(f"POST invite, stock no-op Connexion, {label}", base),
        {
            "name": f"POST invite reference / no-op Connexion, {label}",
            "value": f"{ratio:.2f}×",
            "target": f"≥ {TARGET_RATIO:.1f}" + (f" (guard {GUARD_RATIO})" if guarded else " (not guarded)"),
            "details": f"{ref.rps:,.0f} / {base.rps:,.0f} req/s over {rounds} alternate rounds of "
            f"{duration_s:.0f} s; per round {', '.join(f'{x:.2f}' for x in per_round)}",
            "raw": {"ratio": ratio, "per_round": per_round, "guard": GUARD_RATIO if guarded else None},
        },
    ]
    return ratio, rows


def _side_row(name: str, side: Side) -> Row:
    rss = ", ".join(f"{value:.0f}" for value in side.rss_mib) or "?"
    return {
        "name": name,
        "value": f"{side.rps:,.0f} req/s",
        "details": f"p50 {side.median('p50_ms'):.1f} ms, p99 {side.median('p99_ms'):.1f} ms (median of "
        f"rounds), CPU per request {_cpu_text(side)}, {sum(r.errors for r in side.rounds)} errors, "
        f"RSS per worker {rss} MiB; last round: {describe_load(side.rounds[-1])}",
        "raw": side.summary(),
    }


def _cpu_text(side: Side) -> str:
    workers, database = side.cpu_ms_per_request, side.database_cpu_ms_per_request
    text = "?" if workers is None else f"{workers:.2f} ms"
    return text if database is None else f"{text} + {database:.2f} ms in PostgreSQL"


def guard_failures(ratios: dict[str, float]) -> list[str]:
    """The scenarios whose ratio is below the guard, worded for the person who must fix them."""
    return [
        f"{name}: the reference server does {ratio:.2f}× the requests of a stock no-op Connexion app, "
        f"below the guard of {GUARD_RATIO}; profile with `python -m bench.profile` and find what got slower"
        for name, ratio in ratios.items()
        if ratio < GUARD_RATIO
    ]
