"""Closed-loop HTTP load at a fixed number of connections: wrk when installed, else an httpx generator."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

LUA_SCRIPT = Path(__file__).with_name("post_invite.lua")


@dataclass(frozen=True)
class LoadResult:
    tool: str
    connections: int
    duration_s: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class InviteLoad:
    """What to send: POST ``path_template % event`` with ``{"users": [user]}`` for rotating pairs."""

    base_url: str
    path_template: str
    events: list[int]
    users: list[int]
    token: str = ""

    def pairs(self, index: int) -> tuple[str, bytes]:
        user = self.users[index % len(self.users)]
        event = self.events[(index // len(self.users)) % len(self.events)]
        return self.path_template % event, json.dumps({"users": [user]}).encode()


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_load(load: InviteLoad, *, connections: int, duration_s: float, threads: int = 2) -> LoadResult:
    if wrk_available():
        return run_wrk(load, connections=connections, duration_s=duration_s, threads=threads)
    return asyncio.run(run_httpx(load, connections=connections, duration_s=duration_s))


def run_wrk(load: InviteLoad, *, connections: int, duration_s: float, threads: int = 2) -> LoadResult:
    env = {
        **os.environ,
        "BENCH_PATH_TEMPLATE": load.path_template,
        "BENCH_EVENTS": ",".join(map(str, load.events)),
        "BENCH_USERS": ",".join(map(str, load.users)),
        "BENCH_TOKEN": load.token,
        "BENCH_THREADS": str(threads),
    }
    argv = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration_s))}s", "--latency",
        "-s", str(LUA_SCRIPT), load.base_url,
    ]  # fmt: skip
    completed = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{completed.stdout}\n{completed.stderr}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    seconds = data["duration_us"] / 1e6
    errors = sum(
        data[key] for key in ("non_2xx", "connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return LoadResult(
        tool="wrk",
        connections=connections,
        duration_s=round(seconds, 2),
        requests=data["requests"],
        errors=errors,
        rps=round(data["requests"] / seconds, 1),
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
    )


async def run_httpx(load: InviteLoad, *, connections: int, duration_s: float) -> LoadResult:
    """The fallback generator: ``connections`` tasks, each sending its next request when the last returns."""
    latencies: list[float] = []
    errors = 0
    counter = 0
    headers = {"Content-Type": "application/json"}
    if load.token:
        headers["Authorization"] = f"Bearer {load.token}"
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(
        base_url=load.base_url, headers=headers, limits=limits, timeout=30
    ) as client:
        started = time.perf_counter()
        deadline = started + duration_s

        async def worker() -> None:
            nonlocal counter, errors
            while time.perf_counter() < deadline:
                counter += 1
                path, body = load.pairs(counter)
                sent = time.perf_counter()
                try:
                    response = await client.post(path, content=body)
                    if response.status_code >= 400:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - sent)

        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    return LoadResult(
        tool="httpx (wrk not installed)",
        connections=connections,
        duration_s=round(elapsed, 2),
        requests=len(latencies),
        errors=errors,
        rps=round(len(latencies) / elapsed, 1),
        **latency_summary(latencies),
    )


def latency_summary(latencies: list[float]) -> dict[str, float]:
    """p50/p90/p99/max in milliseconds of latencies given in seconds."""
    if len(latencies) < 2:
        value = round(latencies[0] * 1000, 3) if latencies else 0.0
        return {"p50_ms": value, "p90_ms": value, "p99_ms": value, "max_ms": value}
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 3),
        "p90_ms": round(cuts[89] * 1000, 3),
        "p99_ms": round(cuts[98] * 1000, 3),
        "max_ms": round(max(latencies) * 1000, 3),
    }
