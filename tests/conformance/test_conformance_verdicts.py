"""How checks end up as verdicts, outcomes and the exit code: MAY never fails, skipped is never passed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from conformance.checks import REGISTRY, CheckFailed, CheckSkipped, Observation
from conformance.checks.context import Context
from conformance.client import Client
from conformance.profiles import PROFILES
from conformance.runner import Outcome, Result, RunResult, Verdict, outcome_of, run_requirement
from conformance.target import Target, User
from openapi.catalog import Level, Requirement
from openapi.document import shipped
from openapi.families import families


def requirement(level: Level) -> Requirement:
    return Requirement(
        f"TEST-{level}",
        level,
        "a test requirement",
        "rule",
        ("RFC 2119 §1",),
        ("me",),
        "TOL",
        "Behaviour the contract leaves open",
    )


@pytest.fixture
def context() -> Context:
    users = [User(token=f"t{i}", id=i, name=f"u{i}", role="user") for i in range(1, 4)]
    target = Target(client=Client("http://127.0.0.1:9"), spec=shipped(), users=users)
    return Context(target=target, profile=PROFILES["quick"], seed=1, family=families(target.spec)[0])


def fails(ctx: Context) -> None:
    raise CheckFailed("it does not hold")


def skips(ctx: Context) -> None:
    raise CheckSkipped("prerequisite failed: no event")


def observes(ctx: Context) -> Observation:
    return Observation("seen: 204")


def crashes(ctx: Context) -> None:
    raise KeyError("results")


CASES: list[tuple[Level, Callable[[Context], object], Verdict]] = [
    (Level.MUST, lambda ctx: None, Verdict.PASS),
    (Level.MUST, fails, Verdict.FAIL),
    (Level.MUST, skips, Verdict.SKIPPED),
    (Level.MUST, crashes, Verdict.ERROR),
    (Level.SHOULD, fails, Verdict.FAIL),
    (Level.SHOULD, crashes, Verdict.ERROR),
    (Level.MAY, observes, Verdict.OBSERVED),
    (Level.MAY, fails, Verdict.OBSERVED),
    (Level.MAY, crashes, Verdict.OBSERVED),
]


@pytest.mark.parametrize(("level", "check", "verdict"), CASES)
def test_outcome_to_verdict(
    context: Context, monkeypatch: pytest.MonkeyPatch, level: Level, check, verdict: Verdict
) -> None:
    monkeypatch.setitem(REGISTRY, f"TEST-{level}", check)
    result = run_requirement(context, requirement(level))
    assert result.verdict is verdict
    if check is skips:
        assert result.message == "prerequisite failed: no event"
    if check is crashes:
        assert "KeyError" in result.message


def run_of(*results: Result) -> RunResult:
    return RunResult("http://x", "quick", 1, [], list(results), datetime.now(UTC), 0.0, 0)


@pytest.mark.parametrize(
    ("level", "verdict", "exit_code"),
    [
        (Level.MUST, Verdict.PASS, 0),
        (Level.MUST, Verdict.FAIL, 1),
        (Level.MUST, Verdict.SKIPPED, 1),
        (Level.MUST, Verdict.ERROR, 1),
        (Level.SHOULD, Verdict.FAIL, 0),
        (Level.SHOULD, Verdict.ERROR, 0),
        (Level.SHOULD, Verdict.SKIPPED, 0),
        (Level.MAY, Verdict.OBSERVED, 0),
    ],
)
def test_exit_code(level: Level, verdict: Verdict, exit_code: int) -> None:
    passing = Result(requirement(Level.MUST), Verdict.PASS, 0.0)
    assert run_of(passing, Result(requirement(level), verdict, 0.0)).exit_code == exit_code


@pytest.mark.parametrize(
    ("level", "verdict", "outcome"),
    [
        (Level.MUST, Verdict.PASS, Outcome.PASSED),
        (Level.MUST, Verdict.FAIL, Outcome.FAILED),
        (Level.MUST, Verdict.ERROR, Outcome.ERRORED),
        (Level.MUST, Verdict.SKIPPED, Outcome.ERRORED),
        (Level.SHOULD, Verdict.FAIL, Outcome.WARNED),
        (Level.SHOULD, Verdict.ERROR, Outcome.SKIPPED),
        (Level.SHOULD, Verdict.SKIPPED, Outcome.SKIPPED),
        (Level.MAY, Verdict.OBSERVED, Outcome.OBSERVED),
    ],
)
def test_one_outcome_per_verdict_and_level(level: Level, verdict: Verdict, outcome: Outcome) -> None:
    assert outcome_of(level, verdict) is outcome
    result = Result(requirement(level), verdict, 0.0)
    assert result.outcome is outcome
    assert result.blocking is outcome.fails_run
    assert run_of(result).exit_code == (1 if outcome in (Outcome.FAILED, Outcome.ERRORED) else 0)
