"""A verdict that depends on the seed is not a verdict: each faulty toy fails on every seed.

Each fault gets one toy server and one conformance run per seed, restricted (``--only``) to the
requirements the fault must fail: the question here is that verdict, not the rest of the run
(test_faulty_servers.py runs the whole profile once per fault).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest

from .suite_runs import SuiteRun, run_suite_seeds
from .toy.faults import FAULTS

SEEDS = (1, 2, 3)
WORKERS = max(1, min(2, os.cpu_count() or 1))


def selected_faults(request: pytest.FixtureRequest) -> set[str]:
    return {
        item.callspec.params["fault"]
        for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec")
    }


@pytest.fixture(scope="module")
def seed_runs(request: pytest.FixtureRequest) -> Iterator[dict[str, Future[list[SuiteRun]]]]:
    """For each selected fault: its runs under every seed, at most ``WORKERS`` toy servers at a time."""
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="seed-run") as pool:
        futures = {
            name: pool.submit(
                run_suite_seeds,
                "--fault",
                name,
                only=tuple(sorted(FAULTS[name].breaks)),
                profile=FAULTS[name].profile,
                seeds=SEEDS,
            )
            for name in sorted(selected_faults(request))
        }
        yield futures
        for future in futures.values():
            future.cancel()


def test_every_fault_is_quick() -> None:
    """Deterministic probes reach every fault in the quick profile: none needs luck or the full profile."""
    assert {name for name, fault in FAULTS.items() if fault.profile != "quick"} == set()


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_fails_on_every_seed(seed_runs: dict[str, Future[list[SuiteRun]]], fault: str) -> None:
    expected = FAULTS[fault]
    runs = seed_runs[fault].result()
    assert [run.seed for run in runs] == list(SEEDS)
    for run in runs:
        missed = expected.breaks - run.with_verdict("fail")
        assert missed == set(), f"missed {sorted(missed)}: {expected.summary}\n{run.explain()}"
        assert run.exit_code == 1, run.explain()
