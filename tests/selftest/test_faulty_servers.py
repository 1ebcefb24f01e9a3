"""The conformance suite against toy servers: it passes correct ones and fails each faulty one for its reason.

Every run is the conformance CLI's ``execute`` against a real toy server process (see suite_runs.py).
"""

from __future__ import annotations

import dataclasses

import pytest

from conformance.runner import plan, select
from openapi.document import shipped
from openapi.families import families

from .fault_runs import CASES, CHECKED, LEVELS, case_runs, unless_checked, whole_job
from .servers import toy_server
from .suite_runs import Job
from .toy.app import FAMILIES
from .toy.faults import FAULTS
from .toy.variants import VARIANTS

MUST = {rid for rid, level in LEVELS.items() if level == "MUST"}
PUBLIC_ACCESS = tuple(sorted(rid for rid in LEVELS if rid.startswith("PUB-")))
STATED = ("content_availability=true",)
# What the suite reports of the readings the correct toy takes on courses: a hidden course is not found
# (68), the creator's removal is refused with 403 (69), a second course of one name is created (70), the
# creator reads a draft's members (71).
CORRECT_COURSE_READINGS = {
    "TOL-HIDDEN-ANSWER": "404",
    "TOL-CREATOR-REMOVAL": "403",
    "TOL-UNIQUE-NAME": "201",
    "TOL-DRAFT-CREATOR-LIST": "200",
}
# content_availability: the toy's setting; the suite is told one (asserted) or not (observed).
OPTION_RUNS = {
    "false-observed": Job(("--content-availability", "false"), PUBLIC_ACCESS),
    "false-stated-true": Job(("--content-availability", "false"), PUBLIC_ACCESS, community_options=STATED),
    "true-stated-true": Job((), PUBLIC_ACCESS, community_options=STATED),
}


def must_for(family: str) -> set[str]:
    """The catalog ids of the MUST requirements a run of `family` checks."""
    spec = shipped()
    return {r.catalog_id for r in plan(spec, select(spec, [family])) if r.level == "MUST"}


def test_every_must_requirement_has_a_fault() -> None:
    caught = set().union(*(fault.breaks for fault in FAULTS.values()))
    assert MUST - caught == set(), "add a toy fault that breaks each of these requirements"


@pytest.mark.parametrize(
    "family", [pytest.param(family, marks=unless_checked(family)) for family in FAMILIES]
)
def test_faults_name_catalog_requirements(family: str) -> None:
    """What a fault of a family the suite checks must break is in the catalog."""
    named = set().union(*(fault.breaks for fault in FAULTS.values() if family in fault.families))
    assert named - set(LEVELS) == set(), "these requirement ids are not in the catalog"


def test_correct_toy_passes() -> None:
    """Every family of the spec is checked by default, each requirement once per family."""
    run = Job().run()
    assert run.exit_code == 0, run.explain()
    assert run.families == CHECKED, run.explain()
    spec = shipped()
    planned = {r.id for r in plan(spec, families(spec)) if r.level == "MUST"}
    assert {rid for rid in planned if run.verdicts.get(rid) != "pass"} == set(), run.explain()
    assert {rid.split("[")[0] for rid in planned} == MUST, "every MUST requirement applies to some family"
    assert run.with_verdict("fail") == set(), run.explain()
    # The toy reads the pages literally; the report says which setting and readings it saw.
    for family in ("event", "group"):
        assert "403: the literal reading" in run.messages[f"TOL-LEFT-MANAGER-LIST[{family}]"], run.explain()
        assert run.messages[f"TOL-REMOVE-UNKNOWN-USER[{family}]"].startswith(
            "DELETE subscribe/?user=<unknown id> by the manager answered 400"
        ), run.explain()
        assert "content_availability=true (observed" in run.messages[f"PUB-EVENT-INFO[{family}]"], (
            run.explain()
        )
    if "course" in run.families:  # the readings of the course pages the correct toy takes (68-71)
        for rid, words in CORRECT_COURSE_READINGS.items():
            assert words in run.messages[f"{rid}[course]"], f"{rid}: {run.messages[f'{rid}[course]']!r}"
    assert run.readings["content_availability"].startswith("true (observed"), run.readings
    assert "manager who left a private group reads its member list" in run.readings, run.readings
    # Every value breaking a field's constraint is refused, but for the group fields the toy does not store.
    assert run.readings["values breaking a constraint of an event's writable fields"].startswith("all "), (
        run.readings
    )
    taken = run.readings["values breaking a constraint of a group's writable fields"]
    assert taken.startswith("taken and answered within the schema: slug (type, null), subscription_status"), (
        taken
    )
    for family in ("an event", "a group"):
        assert run.readings[f"id lists of 1,001 and 10,000 known ids on {family}'s writes"] == (
            "1,001 ids accepted by every write; 10,000 ids accepted by every write"
        ), run.readings
    for family in ("an event", "a course", "a group"):
        assert run.readings[f"a second {family.split()[1]} with the name of another"].startswith("201: "), (
            run.readings
        )
    assert run.readings["values breaking a constraint of a course's writable fields"].startswith("all "), (
        run.readings
    )
    course_readings = {
        "values breaking a constraint of a course's writable fields",
        "id lists of 1,001 and 10,000 known ids on a course's writes",
        "what an outsider gets from a hidden course",
        "refused removal of the creator",
        "the creator reads the members of a course whose list names only managers",
    }
    assert course_readings <= set(run.readings), run.readings
    assert len(run.readings) == 8 + 3 + len(course_readings), run.readings


def test_refused_token_cannot_be_tested() -> None:
    run = Job(("--users", "2")).run()
    assert run.exit_code == 2, run.explain()
    assert "token #3 was refused" in run.output, run.explain()


@pytest.mark.parametrize(("fault", "family"), CASES)
def test_fault_fails_for_its_requirement(fault: str, family: str) -> None:
    expected = FAULTS[fault]
    run = case_runs(fault, family).whole
    assert run.families == (family,), run.explain()
    failed = run.with_verdict("fail")
    assert run.exit_code == 1, run.explain()
    assert expected.breaks - failed == set(), f"not caught: {expected.summary}\n{run.explain()}"
    assert failed - expected.breaks - expected.also == set(), f"failed for another reason\n{run.explain()}"


def test_shrinking_changes_the_evidence_not_the_verdicts() -> None:
    """The fault runs report a failing state machine sequence as found (`fault_runs.NO_SHRINKING`); with
    the profile's budget the same run shortens it and every verdict stays the same."""
    as_found_job = whole_job(FAULTS["non-manager-invites"], "event")
    shrinking_job = dataclasses.replace(as_found_job, shrink_seconds=None)
    with toy_server(*as_found_job.options) as server:
        as_found = as_found_job.against(server.base_url)
        shortened = shrinking_job.against(server.base_url)
    assert "MODEL-STATEFUL" in as_found.with_verdict("fail"), as_found.explain()
    assert as_found.verdicts == shortened.verdicts, shortened.explain()
    found, short = as_found.messages["MODEL-STATEFUL"], shortened.messages["MODEL-STATEFUL"]
    assert "sequence as found, not shortened" in found, found
    assert "shortest sequence found" in short or "sequence shortened for 10 s" in short, short
    steps = [message.count("\n  state.") for message in (found, short)]
    assert 0 < steps[1] <= steps[0], (found, short)


VARIANT_CASES = [
    pytest.param(name, family, id=f"{name}-{family}", marks=unless_checked(family))
    for name, variant in sorted(VARIANTS.items())
    for family in variant.families
]


@pytest.mark.parametrize(("variant", "family"), VARIANT_CASES)
def test_correct_variant_passes(variant: str, family: str) -> None:
    """A variant is another correct answer: a run of each family whose choice it makes (the shared
    lifecycle's: one family) shows it is accepted."""
    expected = VARIANTS[variant]
    run = Job(("--variant", variant), families=(family,)).run()
    assert run.exit_code == 0, run.explain()
    assert {rid for rid in must_for(family) if run.verdicts.get(rid) != "pass"} == set(), run.explain()
    assert run.with_verdict("fail") == set(expected.misses), run.explain()
    if expected.name == "throttled":  # every 429 was waited out, and the report says so
        assert "The server throttled" in run.output, run.explain()
    for rid, words in expected.observes.items():
        assert run.verdicts.get(rid) == "observed", run.explain()
        assert words in run.messages[rid], f"{rid} observed {run.messages[rid]!r}, expected {words!r}"


@pytest.mark.parametrize("option_run", sorted(OPTION_RUNS))
def test_community_option_observed_or_asserted(option_run: str) -> None:
    """Unstated, the setting is observed and passes; stated, it is asserted and a wrong one fails."""
    run = OPTION_RUNS[option_run].run()
    if option_run == "false-stated-true":
        assert run.exit_code == 1, run.explain()
        failed = {
            f"{rid}[{family}]" for rid in ("PUB-EVENT-INFO", "PUB-ANONYMOUS") for family in run.families
        }
        # A course's anonymous `view=user` is judged by the stated option too.
        alike = {f"PUB-INFO-MANAGER-VIEWS[{family}]" for family in run.families}
        assert run.families == CHECKED, run.explain()
        assert failed <= run.with_verdict("fail") <= failed | alike, run.explain()
        assert "content_availability=true" in run.messages["PUB-EVENT-INFO[group]"], run.explain()
        return
    assert run.exit_code == 0, run.explain()
    assert run.with_verdict("fail") == set(), run.explain()
    expected = "false (observed" if option_run == "false-observed" else "as stated"
    assert run.readings["content_availability"].startswith(expected), run.readings
