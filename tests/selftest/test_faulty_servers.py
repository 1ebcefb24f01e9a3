"""The conformance suite against toy servers: it passes correct ones and fails each faulty one for its reason.

Every run is a real ``python -m conformance run`` process against a real toy server. The runs are
independent, so a module fixture starts the selected ones on a small thread pool and each test waits
for its own; under pytest-xdist, whose workers share this module's tests, each test runs its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import xdist
import yaml

from conformance.families import families, select
from conformance.runner import plan
from conformance.spec import Spec, default_spec_path
from testkit.processes import REPO_ROOT

from .suite_runs import SuiteRun, run_suite
from .toy.faults import FAULT_CASES, FAULTS, Fault
from .toy.variants import VARIANTS

CATALOG = yaml.safe_load((REPO_ROOT / "conformance" / "catalog.yaml").read_text())
LEVELS: dict[str, str] = {r["id"]: r["level"] for r in CATALOG["requirements"]}
MUST = {rid for rid, level in LEVELS.items() if level == "MUST"}
SPEC = {rid for rid in LEVELS if rid.startswith("SPEC-")}
PUBLIC_ACCESS = tuple(sorted(rid for rid in LEVELS if rid.startswith("PUB-")))
WORKERS = max(1, min(2, os.cpu_count() or 1))


@dataclass(frozen=True)
class Job:
    """One conformance run: toy options, requirement filter and profile."""

    options: tuple[str, ...] = ()
    only: tuple[str, ...] = ()
    profile: str = "quick"
    suite_options: tuple[str, ...] = ()

    def run(self) -> SuiteRun:
        return run_suite(
            *self.options, only=self.only, profile=self.profile, suite_options=self.suite_options
        )


EVENTS = ("--family", "event")
STATED = ("--community-option", "content_availability=true")
# content_availability: the toy's setting; the suite is told one (asserted) or not (observed).
OPTION_RUNS = {
    "false-observed": Job(("--content-availability", "false"), PUBLIC_ACCESS),
    "false-stated-true": Job(("--content-availability", "false"), PUBLIC_ACCESS, suite_options=STATED),
    "true-stated-true": Job((), PUBLIC_ACCESS, suite_options=STATED),
}


def must_for(family: str) -> set[str]:
    """The catalog ids of the MUST requirements a run of `family` checks."""
    spec = Spec(default_spec_path())
    return {r.catalog_id for r in plan(spec, select(spec, [family])) if r.level == "MUST"}


def fault_job(fault: Fault, family: str) -> Job:
    """The cheapest run that reaches the fault in `family`: Schemathesis only when a SPEC requirement must
    catch it."""
    options = ("--fault", fault.name)
    one_family = ("--family", family)
    if fault.profile != "quick":
        return Job(options, tuple(sorted(fault.breaks)), fault.profile, one_family)
    if fault.breaks & SPEC:
        return Job(options, suite_options=one_family)
    return Job(options, tuple(sorted(set(LEVELS) - SPEC)), suite_options=one_family)


def jobs() -> dict[str, Job]:
    found = {"correct": Job(), "untestable": Job(("--users", "2"))}
    found |= {f"fault:{name}:{family}": fault_job(FAULTS[name], family) for name, family in FAULT_CASES}
    # A variant is another correct answer of the shared lifecycle: one family's run shows it is accepted.
    found |= {f"variant:{name}": Job(("--variant", name), suite_options=EVENTS) for name in VARIANTS}
    found |= {f"option:{name}": job for name, job in OPTION_RUNS.items()}
    return found


def job_key(item: pytest.Item) -> str | None:
    params = getattr(item, "callspec", None)
    params = params.params if params else {}
    if "fault" in params:
        return f"fault:{params['fault']}:{params['family']}"
    if "variant" in params:
        return f"variant:{params['variant']}"
    if "option_run" in params:
        return f"option:{params['option_run']}"
    return {"test_correct_toy_passes": "correct", "test_refused_token_cannot_be_tested": "untestable"}.get(
        item.name
    )


class OnDemand(dict[str, Future[SuiteRun]]):
    """Each run made when its test asks for it: an xdist worker does not know which tests it will get."""

    def __init__(self, every_job: dict[str, Job]) -> None:
        super().__init__()
        self.every_job = every_job

    def __missing__(self, key: str) -> Future[SuiteRun]:
        future: Future[SuiteRun] = Future()
        future.set_result(self.every_job[key].run())
        self[key] = future
        return future


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> Iterator[dict[str, Future[SuiteRun]]]:
    """Runs for the selected tests of this module, started at once, at most ``WORKERS`` at a time.

    Under xdist the session's items are every worker's, so each test runs its own instead (the workers
    are the parallelism then).
    """
    every_job = jobs()
    if xdist.is_xdist_worker(request):
        yield OnDemand(every_job)
        return
    selected = {
        key for item in request.session.items if item.module is request.module if (key := job_key(item))
    }
    with ThreadPoolExecutor(WORKERS, thread_name_prefix="suite-run") as pool:
        futures = {key: pool.submit(every_job[key].run) for key in every_job if key in selected}
        yield futures
        for future in futures.values():
            future.cancel()


def test_every_must_requirement_has_a_fault() -> None:
    caught = set().union(*(fault.breaks for fault in FAULTS.values()))
    assert MUST - caught == set(), "add a toy fault that breaks each of these requirements"
    assert caught - set(LEVELS) == set(), "these requirement ids are not in the catalog"


def test_correct_toy_passes(runs: dict[str, Future[SuiteRun]]) -> None:
    """Every family of the spec is checked by default, each requirement once per family."""
    run = runs["correct"].result()
    assert run.exit_code == 0, run.explain()
    assert run.families == ("event", "group"), run.explain()
    spec = Spec(default_spec_path())
    planned = {r.id for r in plan(spec, families(spec)) if r.level == "MUST"}
    assert {rid for rid in planned if run.verdicts.get(rid) != "pass"} == set(), run.explain()
    assert {rid.split("[")[0] for rid in planned} == MUST, "every MUST requirement applies to some family"
    assert run.with_verdict("fail") == set(), run.explain()
    # The toy reads the pages literally; the report says which setting and readings it saw.
    for family in run.families:
        assert "403: the literal reading" in run.messages[f"TOL-LEFT-MANAGER-LIST[{family}]"], run.explain()
        assert run.messages[f"TOL-REMOVE-UNKNOWN-USER[{family}]"].startswith(
            "DELETE subscribe/?user=<unknown id> by the manager answered 400"
        ), run.explain()
        assert "content_availability=true (observed" in run.messages[f"PUB-EVENT-INFO[{family}]"], (
            run.explain()
        )
    assert run.readings["content_availability"].startswith("true (observed"), run.readings
    assert "manager who left a private group reads its member list" in run.readings, run.readings
    assert len(run.readings) == 4, run.readings


def test_refused_token_cannot_be_tested(runs: dict[str, Future[SuiteRun]]) -> None:
    run = runs["untestable"].result()
    assert run.exit_code == 2, run.explain()
    assert "token #3 was refused" in run.output, run.explain()


@pytest.mark.parametrize(("fault", "family"), FAULT_CASES)
def test_fault_fails_for_its_requirement(runs: dict[str, Future[SuiteRun]], fault: str, family: str) -> None:
    expected = FAULTS[fault]
    run = runs[f"fault:{fault}:{family}"].result()
    assert run.families == (family,), run.explain()
    failed = run.with_verdict("fail")
    assert run.exit_code == 1, run.explain()
    assert expected.breaks - failed == set(), f"not caught: {expected.summary}\n{run.explain()}"
    assert failed - expected.breaks - expected.also == set(), f"failed for another reason\n{run.explain()}"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_correct_variant_passes(runs: dict[str, Future[SuiteRun]], variant: str) -> None:
    expected = VARIANTS[variant]
    run = runs[f"variant:{variant}"].result()
    assert run.exit_code == 0, run.explain()
    assert {rid for rid in must_for("event") if run.verdicts.get(rid) != "pass"} == set(), run.explain()
    assert run.with_verdict("fail") == set(expected.misses), run.explain()
    for rid, words in expected.observes.items():
        assert run.verdicts.get(rid) == "observed", run.explain()
        assert words in run.messages[rid], f"{rid} observed {run.messages[rid]!r}, expected {words!r}"


@pytest.mark.parametrize("option_run", sorted(OPTION_RUNS))
def test_community_option_observed_or_asserted(runs: dict[str, Future[SuiteRun]], option_run: str) -> None:
    """Unstated, the setting is observed and passes; stated, it is asserted and a wrong one fails."""
    run = runs[f"option:{option_run}"].result()
    if option_run == "false-stated-true":
        assert run.exit_code == 1, run.explain()
        failed = {
            f"{rid}[{family}]" for rid in ("PUB-EVENT-INFO", "PUB-ANONYMOUS") for family in run.families
        }
        assert run.families == ("event", "group"), run.explain()
        assert run.with_verdict("fail") == failed, run.explain()
        assert "content_availability=true" in run.messages["PUB-EVENT-INFO[group]"], run.explain()
        return
    assert run.exit_code == 0, run.explain()
    assert run.with_verdict("fail") == set(), run.explain()
    expected = "false (observed" if option_run == "false-observed" else "as stated"
    assert run.readings["content_availability"].startswith(expected), run.readings
