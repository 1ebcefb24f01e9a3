"""The reference server against a stock no-op Connexion app on the same spec, measured alternately.

The machine is shared and noisy, so absolute req/s mean little: both servers run side by side (idle
while the other is loaded) and are loaded in turns, A/B/A/B, with the same wrk load, the same
uvicorn and the same worker count. The ratio of their totals is what is reported and guarded.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.load import InviteLoad, LoadResult, run_load
from bench.scenarios import INVITE_PATH, create_events, describe_load, wait_until_idle
from testkit.processes import ServerProcess, free_port, python_module
from testkit.reference import Reference

Row = dict[str, Any]
# Below this the bench run fails (python -m bench exits non-zero): the regression guard.
GUARD_RATIO = 0.8
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


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_rss_mib(server: ServerProcess) -> list[float]:
    """RSS of each process that serves requests: uvicorn's workers, or the server itself when alone."""
    if server.process is None or not Path("/proc").is_dir():
        return []
    pid = server.process.pid
    workers = [child for child in _children(pid) if _is_worker(child)]
    try:
        return [round(_rss_mib(p), 1) for p in (workers or [pid])]
    except FileNotFoundError:
        return []


@dataclass
class Side:
    """One server's rounds."""

    name: str
    rounds: list[LoadResult]
    rss_mib: list[float]

    @property
    def rps(self) -> float:
        seconds = sum(r.duration_s for r in self.rounds)
        return sum(r.requests for r in self.rounds) / seconds if seconds else 0.0

    def median(self, field: str) -> float:
        return float(statistics.median(getattr(r, field) for r in self.rounds))

    def summary(self) -> dict[str, Any]:
        return {
            "rps": round(self.rps, 1),
            "p50_ms": self.median("p50_ms"),
            "p99_ms": self.median("p99_ms"),
            "errors": sum(r.errors for r in self.rounds),
            "rss_mib_per_worker": self.rss_mib,
            "rounds": [r.as_dict() for r in self.rounds],
        }


def _load_rounds(
    loads: dict[str, InviteLoad], *, rounds: int, connections: int, duration_s: float
) -> dict[str, list[LoadResult]]:
    results: dict[str, list[LoadResult]] = {name: [] for name in loads}
    for _ in range(rounds):
        for name, load in loads.items():
            wait_until_idle(load.base_url)
            results[name].append(run_load(load, connections=connections, duration_s=duration_s))
    return results


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
    """POST invite on the reference server and on the no-op Connexion app, in alternate rounds."""
    user_ids = reference.seed(1001)
    manager, users = reference.token(user_ids[0]), user_ids[1:]
    with reference.server(workers=workers) as server, noop_server(workers, reference.env) as noop:
        warm_events = create_events(server.base_url, manager, 2)
        events = create_events(server.base_url, manager, 30)
        loads = {
            "reference": InviteLoad(server.base_url, INVITE_PATH, events, users, manager),
            "noop": InviteLoad(noop.base_url, INVITE_PATH, events, users, manager),
        }
        warmups = {
            "reference": InviteLoad(server.base_url, INVITE_PATH, warm_events, users, manager),
            "noop": loads["noop"],
        }
        _load_rounds(warmups, rounds=1, connections=connections, duration_s=2)
        results = _load_rounds(loads, rounds=rounds, connections=connections, duration_s=duration_s)
        sides = {
            name: Side(name, rounds_, worker_rss_mib(process))
            for (name, rounds_), process in zip(results.items(), (server, noop), strict=True)
        }
    ref, base = sides["reference"], sides["noop"]
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
        f"rounds), {sum(r.errors for r in side.rounds)} errors, RSS per worker {rss} MiB; last round: "
        f"{describe_load(side.rounds[-1])}",
        "raw": side.summary(),
    }


def guard_failures(ratios: dict[str, float]) -> list[str]:
    """The scenarios whose ratio is below the guard, worded for the person who must fix them."""
    return [
        f"{name}: the reference server does {ratio:.2f}× the requests of a stock no-op Connexion app, "
        f"below the guard of {GUARD_RATIO}; profile with `python -m bench.profile` and find what got slower"
        for name, ratio in ratios.items()
        if ratio < GUARD_RATIO
    ]
