"""A verdict that depends on the seed is not a verdict: each faulty toy fails on every seed.

Each fault gets one toy server and one conformance run per seed: seed 1 is the whole-profile run
test_faulty_servers.py judges, seeds 2 and 3 are restricted (``--only``) to the requirements the fault
must fail, since the question here is that verdict, not the rest of the run (fault_runs.py).
"""

from __future__ import annotations

import pytest

from .fault_runs import CASES, SEEDS, case_runs
from .toy.faults import FAULTS


@pytest.mark.parametrize(("fault", "family"), CASES)
def test_fault_fails_on_every_seed(fault: str, family: str) -> None:
    expected = FAULTS[fault]
    runs = case_runs(fault, family).by_seed
    assert [run.seed for run in runs] == list(SEEDS)
    assert {run.families for run in runs} == {(family,)}
    for run in runs:
        missed = expected.breaks - run.with_verdict("fail")
        assert missed == set(), f"missed {sorted(missed)}: {expected.summary}\n{run.explain()}"
        assert run.exit_code == 1, run.explain()


def test_every_fault_is_quick() -> None:
    """Deterministic probes reach every fault in the quick profile: none needs luck or the full profile."""
    assert {name for name, fault in FAULTS.items() if fault.profile != "quick"} == set()
