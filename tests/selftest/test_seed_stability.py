"""A verdict that depends on the seed is not a verdict: each faulty toy fails on every seed.

Each fault gets one toy server and one conformance run per seed, restricted (``--only``) to the
requirements the fault must fail: the question here is that verdict, not the rest of the run
(test_faulty_servers.py runs the whole profile once per fault, as a child process). Here the runs are
the CLI's own ``execute`` in this process, one after another, to spare three interpreter start-ups
per fault.
"""

from __future__ import annotations

import pytest

from .suite_runs import run_suite_seeds_in_process
from .toy.faults import FAULT_CASES, FAULTS

SEEDS = (1, 2, 3)


@pytest.mark.parametrize(("fault", "family"), FAULT_CASES)
def test_fault_fails_on_every_seed(fault: str, family: str) -> None:
    expected = FAULTS[fault]
    only = tuple(sorted(expected.breaks))
    runs = run_suite_seeds_in_process(
        "--fault", fault, only=only, profile=expected.profile, seeds=SEEDS, families=(family,)
    )
    assert [run.seed for run in runs] == list(SEEDS)
    assert {run.families for run in runs} == {(family,)}
    for run in runs:
        missed = expected.breaks - run.with_verdict("fail")
        assert missed == set(), f"missed {sorted(missed)}: {expected.summary}\n{run.explain()}"
        assert run.exit_code == 1, run.explain()


def test_every_fault_is_quick() -> None:
    """Deterministic probes reach every fault in the quick profile: none needs luck or the full profile."""
    assert {name for name, fault in FAULTS.items() if fault.profile != "quick"} == set()
