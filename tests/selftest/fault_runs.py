"""Every run the self-tests make against one faulty toy, made once per process on one toy server.

test_faulty_servers.py reads the run of the whole quick profile on seed 1 (the fault fails its
requirements and nothing else); test_seed_stability.py reads seeds 1, 2 and 3 (the fault fails its
requirements on each; seed 1 is that same run, the others are restricted to those requirements). Both
parametrize by `CASES`, whose ``xdist_group`` marks send a case's two tests to one pytest-xdist worker,
so each toy and its runs are made once per session.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pytest
import yaml

from openapi.document import shipped
from openapi.families import families, outside_catalog
from testkit.processes import REPO_ROOT

from .servers import toy_server
from .suite_runs import Job, SuiteRun
from .toy.faults import FAULT_CASES, FAULTS, Fault

CATALOG = yaml.safe_load((REPO_ROOT / "openapi" / "catalog.yaml").read_text())
LEVELS: dict[str, str] = {r["id"]: r["level"] for r in CATALOG["requirements"]}
SPEC = {rid for rid in LEVELS if rid.startswith("SPEC-")}
SEEDS = (1, 2, 3)
#: The families the suite checks on the shipped spec, in its order; the toy serves more than it may check.
CHECKED = tuple(family.name for family in families(shipped()))
UNCHECKED = outside_catalog(shipped())


def unless_checked(family: str) -> pytest.MarkDecorator:
    """Skips a run of ``family`` while the suite cannot check that family on the shipped spec, saying why:
    the toy's faults and variants of it wait for the suite's checks of it."""
    reason = UNCHECKED.get(family, "no such family in the spec")
    return pytest.mark.skipif(
        family not in CHECKED, reason=f"the suite cannot check the {family} family: {reason}"
    )


#: Each (fault, family) a conformance run must catch, as pytest parameters grouped per case.
CASES = [
    pytest.param(
        fault,
        family,
        id=f"{fault}-{family}",
        marks=[pytest.mark.xdist_group(f"fault:{fault}:{family}"), unless_checked(family)],
    )
    for fault, family in FAULT_CASES
]


@dataclass(frozen=True)
class CaseRuns:
    whole: SuiteRun
    """Seed 1, every requirement the fault could fail (Schemathesis only when a SPEC requirement must)."""
    by_seed: tuple[SuiteRun, ...]
    """One run per seed of `SEEDS`, each at least checking the requirements the fault breaks."""


#: A fault's runs are read for their verdicts, which are settled when a failure is found: they skip the
#: shortening of a failing state machine sequence (up to the profile's 10 s per run), which only makes the
#: evidence shorter. test_faulty_servers.py shows on one fault that shrinking leaves the verdicts as they
#: are; tests/conformance/test_shrinking.py tests the budget itself.
NO_SHRINKING = 0


def whole_job(fault: Fault, family: str) -> Job:
    """The cheapest run of the whole profile that reaches the fault in `family`: without the Schemathesis
    requirements unless one of them must catch it."""
    if fault.profile != "quick":
        return restricted_job(fault, family)
    options = ("--fault", fault.name)
    if fault.breaks & SPEC:
        return Job(options, families=(family,), shrink_seconds=NO_SHRINKING)
    return Job(options, tuple(sorted(set(LEVELS) - SPEC)), families=(family,), shrink_seconds=NO_SHRINKING)


def restricted_job(fault: Fault, family: str) -> Job:
    """A run of only the requirements the fault breaks, for the other seeds."""
    options = ("--fault", fault.name)
    return Job(options, tuple(sorted(fault.breaks)), fault.profile, (family,), shrink_seconds=NO_SHRINKING)


@functools.cache
def case_runs(fault: str, family: str) -> CaseRuns:
    expected = FAULTS[fault]
    restricted = restricted_job(expected, family)
    with toy_server("--fault", fault) as server:
        whole = whole_job(expected, family).against(server.base_url, SEEDS[0])
        others = tuple(restricted.against(server.base_url, seed) for seed in SEEDS[1:])
    return CaseRuns(whole, (whole, *others))
