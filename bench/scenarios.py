"""The benchmarks themselves: each returns rows for the table (name, value, target, details, raw numbers)."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from bench.load import InviteLoad, LoadResult, latency_summary, run_load
from testkit.events import event_body
from testkit.processes import REPO_ROOT, ServerProcess, free_port, python_module
from testkit.reference import Reference

Row = dict[str, Any]
INVITE_PATH = "/api/v2/event/%d/invite/"
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "apireference" / "v2"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def create_events(base_url: str, token: str, count: int, *, private: bool = True) -> list[int]:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        ids = []
        for _ in range(count):
            response = client.post("/api/v2/event/", json=event_body(private=private), headers=bearer(token))
            response.raise_for_status()
            ids.append(int(response.json()["id"]))
        return ids


def wait_until_idle(base_url: str, *, timeout_s: float = 60.0) -> None:
    """Let the server finish the requests a previous load run left in flight before measuring again."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(base_url=base_url, timeout=timeout_s) as client:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            client.get("/api/v2/user/me/")
            if time.perf_counter() - started < 0.05:
                return
            time.sleep(0.2)


def bare_server(workers: int) -> ServerProcess:
    """bench.bare_app on the reference server's stack: uvicorn, same workers, no access log."""
    port = free_port()
    argv = python_module(
        "uvicorn", "bench.bare_app:app", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--no-access-log", "--log-level", "warning",
    )  # fmt: skip
    return ServerProcess(argv, port)


def describe_load(result: LoadResult) -> str:
    return (
        f"{result.rps:,.0f} req/s, p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms:.2f} ms, "
        f"{result.requests:,} requests, {result.errors} errors, {result.tool}"
    )


def bare_throughput(*, workers: int, connections: int, duration_s: float) -> tuple[LoadResult, Row]:
    with bare_server(workers) as server:
        load = InviteLoad(server.base_url, INVITE_PATH, [1], list(range(1, 1001)), "x")
        run_load(load, connections=connections, duration_s=2)
        time.sleep(1)
        result = run_load(load, connections=connections, duration_s=duration_s)
    row = {
        "name": f"bare ASGI 204, same uvicorn, {workers} worker(s)",
        "value": f"{result.rps:,.0f} req/s",
        "details": describe_load(result),
        "raw": result.as_dict(),
    }
    return result, row


def ratio_row(reference_rps: float, bare_rps: float, label: str) -> Row:
    ratio = reference_rps / bare_rps if bare_rps else 0.0
    return {
        "name": f"POST invite / bare ASGI, {label}",
        "value": f"{ratio:.3f}",
        "details": f"{reference_rps:,.0f} / {bare_rps:,.0f} req/s (not alternated: a floor, not a goal)",
        "raw": {"ratio": ratio},
    }


def invite_10k(reference: Reference, *, repeats: int = 5) -> Row:
    """One POST inviting 10,000 users, on a fresh event each time; client-side wall time."""
    user_ids = reference.seed(10_001)
    manager, users = reference.token(user_ids[0]), user_ids[1:10_001]
    timings = []
    with reference.server(workers=1) as server, httpx.Client(base_url=server.base_url, timeout=120) as client:
        for event in create_events(server.base_url, manager, repeats):
            started = time.perf_counter()
            response = client.post(INVITE_PATH % event, json={"users": users}, headers=bearer(manager))
            timings.append(time.perf_counter() - started)
            if response.status_code != 204:
                raise RuntimeError(f"inviting 10,000 users: {response.status_code} {response.text[:300]}")
    median = statistics.median(timings)
    return {
        "name": "one POST inviting 10,000 users (SQLite)",
        "value": f"{median * 1000:,.0f} ms",
        "target": "< 1,000 ms",
        "details": f"median of {repeats} fresh events; min {min(timings) * 1000:,.0f} ms, "
        f"max {max(timings) * 1000:,.0f} ms",
        "raw": {"median_s": median, "timings_s": timings},
    }


def page_of_100k(reference: Reference, *, requests: int = 200) -> list[Row]:
    """GET invite pages of an event with 100,000 invitations: first page and random offsets, one client."""
    started = time.perf_counter()
    user_ids = reference.seed(100_001)
    seeded = time.perf_counter() - started
    manager, users = reference.token(user_ids[0]), user_ids[1:100_001]
    rng = random.Random(0)
    with reference.server(workers=1) as server, httpx.Client(base_url=server.base_url, timeout=120) as client:
        (event,) = create_events(server.base_url, manager, 1)
        chunk_times = []
        for start in range(0, len(users), 10_000):
            sent = time.perf_counter()
            response = client.post(
                INVITE_PATH % event, json={"users": users[start : start + 10_000]}, headers=bearer(manager)
            )
            chunk_times.append(time.perf_counter() - sent)
            response.raise_for_status()
        first = client.get(INVITE_PATH % event, headers=bearer(manager)).json()
        if first["count"] != len(users):
            raise RuntimeError(f"the event lists {first['count']} invitations, not {len(users)}")
        page_size = len(first["results"])

        def timed(offsets: list[int]) -> dict[str, float]:
            latencies = []
            for offset in offsets:
                sent = time.perf_counter()
                response = client.get(f"{INVITE_PATH % event}?offset={offset}", headers=bearer(manager))
                latencies.append(time.perf_counter() - sent)
                response.raise_for_status()
            return latency_summary(latencies)

        first_page = timed([0] * requests)
        anywhere = timed([rng.randrange(0, len(users)) for _ in range(requests)])
    rows = [
        {
            "name": f"GET invite page, 100,000 invitations, {where}",
            "value": f"p99 {summary['p99_ms']:.1f} ms",
            "target": "p99 < 20 ms",
            "details": f"p50 {summary['p50_ms']:.1f} ms, max {summary['max_ms']:.1f} ms; "
            f"{requests} requests, page size {page_size} (default), one client, SQLite",
            "raw": {**summary, "requests": requests, "page_size": page_size},
        }
        for where, summary in (("first page", first_page), ("random offsets", anywhere))
    ]
    rows.append(
        {
            "name": "building 100,000 invitations (10 × 10,000)",
            "value": f"{sum(chunk_times):.2f} s",
            "details": f"per chunk {min(chunk_times) * 1000:,.0f}–{max(chunk_times) * 1000:,.0f} ms; "
            f"seeding 100,001 users took {seeded:.1f} s",
            "raw": {"chunks_s": chunk_times, "seed_s": seeded},
        }
    )
    return rows


def specgen_build(*, runs: int = 5) -> Row:
    if not CORPUS.is_dir():
        return {
            "name": "specgen build, whole corpus",
            "value": "skipped",
            "details": f"no corpus at {CORPUS}",
        }
    timings: list[float] = []
    exits: list[int] = []
    with tempfile.TemporaryDirectory(prefix="bench-specgen-") as directory:
        for run in range(runs):
            out = Path(directory) / f"spec-{run}.yaml"
            argv = python_module("specgen", "build", "--docs", str(CORPUS), "--out", str(out))
            started = time.perf_counter()
            completed = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True)
            timings.append(time.perf_counter() - started)
            exits.append(completed.returncode)
        pages = sum(1 for _ in CORPUS.rglob("*.md"))
    return {
        "name": f"specgen build, whole corpus ({pages} pages)",
        "value": f"{statistics.median(timings):.2f} s",
        "details": f"median of {runs} runs incl. interpreter start; min {min(timings):.2f} s, "
        f"max {max(timings):.2f} s; exit statuses {sorted(set(exits))}",
        "raw": {"median_s": statistics.median(timings), "timings_s": timings, "exits": exits},
    }


def conformance_quick(reference: Reference) -> Row:
    """The quick profile against the reference server: wall time, requests counted by suite and server."""
    user_ids = reference.seed(3)
    tokens = [reference.token(user_id) for user_id in user_ids[:3]]
    with tempfile.TemporaryDirectory(prefix="bench-conformance-") as directory, ExitStack() as stack:
        report = Path(directory) / "report.json"
        server = stack.enter_context(reference.server(workers=1))
        argv = python_module(
            "conformance", "run", "--base-url", server.base_url, "--profile", "quick", "--json", str(report)
        )
        for token in tokens:
            argv += ["--token", token]
        started = time.perf_counter()
        completed = subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True, env=dict(os.environ))
        elapsed = time.perf_counter() - started
        logged = server.log_path.read_text(errors="replace")
        counted = json.loads(report.read_text())["requests"] if report.exists() else None
    requests = sum(1 for line in logged.splitlines() if "reference_impl.requests" in line)
    return {
        "name": "conformance run --profile quick (reference, SQLite)",
        "value": f"{elapsed:.1f} s",
        "details": f"{'no report' if counted is None else f'{counted:,}'} requests counted by the suite, "
        f"{requests:,} logged by the server; exit status {completed.returncode}",
        "raw": {
            "seconds": elapsed,
            "requests_suite": counted,
            "requests_server": requests,
            "exit": completed.returncode,
        },
    }
