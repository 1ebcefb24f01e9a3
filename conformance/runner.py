"""Plan a run (which families, which requirements), run every registered check in catalog order and
collect one verdict per requirement."""

from __future__ import annotations

import enum
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from openapi.catalog import Level, Requirement, instances, load_catalog, read_for
from openapi.document import Spec
from openapi.families import Family, families, outside_catalog

from .checks import REGISTRY, CheckFailed, CheckSkipped, Observation
from .checks.context import Context
from .checks.registry import ALONE
from .cleanup import Cleanup
from .client import Client, TransportFailure
from .credentials import Credentials
from .exchange import Exchange
from .profiles import Profile
from .target import Target

MAX_EVIDENCE = 30


class Verdict(enum.StrEnum):
    """What the check found."""

    PASS = "pass"
    FAIL = "fail"
    OBSERVED = "observed"  # MAY: what the server chose
    SKIPPED = "skipped"  # not checked (a prerequisite failed, or no check is registered)
    ERROR = "error"  # the check raised an unexpected exception: nothing is known


class Outcome(enum.StrEnum):
    """What a verdict means for the run; every report (console, JUnit, JSON, HTML, Markdown, pytest) shows
    this, and counts it with `OutcomeCounts`."""

    PASSED = "passed"  # a MUST or SHOULD holds
    FAILED = "failed"  # a MUST does not hold
    WARNED = "warned"  # a SHOULD does not hold: reported, never fails the run (xfail under pytest)
    OBSERVED = "observed"  # a MAY: what the server chose (a pass under pytest)
    SKIPPED = "skipped"  # a SHOULD or MAY could not be checked: nothing is claimed
    ERRORED = "errored"  # a MUST could not be checked (its check crashed or was skipped): not known to hold

    @property
    def fails_run(self) -> bool:
        return self in (Outcome.FAILED, Outcome.ERRORED)


def outcome_of(level: Level, verdict: Verdict) -> Outcome:
    """The outcome of `verdict` at `level`: MAY never fails; a MUST holds only if it passed."""
    if verdict is Verdict.OBSERVED:
        return Outcome.OBSERVED
    if verdict is Verdict.PASS:
        return Outcome.PASSED
    if level is Level.MUST:
        return Outcome.FAILED if verdict is Verdict.FAIL else Outcome.ERRORED
    if level is Level.SHOULD and verdict is Verdict.FAIL:
        return Outcome.WARNED
    return Outcome.SKIPPED


@dataclass(frozen=True)
class OutcomeCounts:
    """How many requirements ended in each outcome: the one count every report prints, so that no line
    can read "2 failed" beside a verdict that holds."""

    passed: int = 0
    failed: int = 0
    warned: int = 0
    observed: int = 0
    skipped: int = 0
    errored: int = 0

    @classmethod
    def of(cls, results: Iterable[Result]) -> OutcomeCounts:
        tally = Counter(result.outcome for result in results)
        return cls(**{str(outcome): tally[outcome] for outcome in Outcome})

    def __getitem__(self, outcome: Outcome) -> int:
        count: int = getattr(self, str(outcome))
        return count

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())

    def as_dict(self) -> dict[str, int]:
        return {str(outcome): self[outcome] for outcome in Outcome}

    def describe(self, *, every: bool = True) -> str:
        """`"120 passed, 0 failed, 2 warned, 18 observed, 0 skipped, 0 errored"`; without `every`, only the
        outcomes that occurred."""
        return ", ".join(f"{n} {outcome}" for outcome, n in self.as_dict().items() if every or n)


@dataclass
class Result:
    requirement: Requirement
    verdict: Verdict
    duration: float
    message: str = ""
    exchanges: list[Exchange] = field(default_factory=list)
    requests: int = 0

    @property
    def outcome(self) -> Outcome:
        return outcome_of(self.requirement.level, self.verdict)

    @property
    def blocking(self) -> bool:
        """A MUST that does not hold, or is not known to hold, makes the run fail."""
        return self.outcome.fails_run


@dataclass
class RunResult:
    base_url: str
    profile: str
    seed: int
    users: list[str]
    results: list[Result]
    started: datetime
    duration: float
    requests: int
    options: dict[str, Any] = field(default_factory=dict)
    """Community options the user stated."""
    families: list[str] = field(default_factory=list)
    """The membership families checked (`--family`, or every family of the spec)."""
    not_checked: dict[str, str] = field(default_factory=dict)
    """Families the spec documents that the suite cannot check, with the reason."""
    throttled: int = 0
    """Answers of 429 Too Many Requests that were waited out and retried (not judged, not in `requests`)."""
    throttle_wait_s: float = 0.0
    readings: dict[str, str] = field(default_factory=dict)
    """Settings the server appears to run and readings of the pages it took, as the checks observed them."""
    token_variables: dict[str, str] = field(default_factory=dict)
    """Which shell variable of the curl lines stands for whose token: `{"TOKEN_1": "user 17 (manager)"}`."""
    load: str = ""
    """The rate limit the run kept and its concurrency (pacing.LoadPolicy.describe)."""
    credentials: Credentials = field(default_factory=Credentials, repr=False)
    """The run's tokens: every report masks its text with them once more before writing it."""
    cleanup: Cleanup | None = None
    """What the end of the run deleted of the resources it created, and what it left (cleanup.py); None
    when it did not clean up (`run` alone does not: the CLI and the pytest plugin do, after it)."""

    @property
    def ok(self) -> bool:
        return not any(result.blocking for result in self.results)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    @property
    def counts(self) -> OutcomeCounts:
        return OutcomeCounts.of(self.results)

    @property
    def secrets_shown(self) -> bool:
        return self.credentials.shown and bool(self.credentials.tokens)

    def failure_evidence(self) -> dict[str, list[Exchange]]:
        """The evidence of each requirement that fails the run: what the cleanup keeps (its resources)."""
        return failure_evidence(self.results)

    def by_family(self) -> dict[str, FamilyShare]:
        """The results of each family (`""`: requirements of no family), in the order checked."""
        shares: dict[str, FamilyShare] = {family: FamilyShare() for family in self.families}
        for result in self.results:
            shares.setdefault(result.requirement.family, FamilyShare()).results.append(result)
        return {family: share for family, share in shares.items() if share.results}


def failure_evidence(results: Iterable[Result]) -> dict[str, list[Exchange]]:
    """Requirement instance id → the exchanges that show it fails the run."""
    return {result.requirement.id: result.exchanges for result in results if result.blocking}


@dataclass
class FamilyShare:
    """One family's part of a run."""

    results: list[Result] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(result.requests for result in self.results)

    @property
    def duration(self) -> float:
        return sum(result.duration for result in self.results)

    @property
    def counts(self) -> OutcomeCounts:
        return OutcomeCounts.of(self.results)

    @property
    def outcome_summary(self) -> str:
        return self.counts.describe(every=False)

    def describe(self) -> str:
        return (
            f"{len(self.results)} requirements ({self.outcome_summary}) in {self.duration:.1f}s, "
            f"{self.requests} requests"
        )


def run_requirement(ctx: Context, requirement: Requirement) -> Result:
    """One requirement's check, turned into a verdict with its evidence."""
    check = REGISTRY.get(requirement.catalog_id)
    client = ctx.client
    start_index, start_count, started = len(client.exchanges), client.request_count, time.perf_counter()

    def result(
        verdict: Verdict, message: str = "", evidence: list[Exchange] | None = None, literal: bool = False
    ) -> Result:
        if evidence is None:  # everything the check sent: the last requests are the ones that showed it
            evidence = client.exchanges[start_index:][-MAX_EVIDENCE:]
        evidence = evidence[:MAX_EVIDENCE]
        if requirement.family and not literal:  # written for events: read for the family
            message = read_for(requirement.family, message)
        # A message may quote what the server sent back, a token included (a Schemathesis failure quotes
        # the raw response): masked like the evidence.
        message = client.credentials.mask(message)
        return Result(
            requirement,
            verdict,
            time.perf_counter() - started,
            message,
            list(evidence),
            client.request_count - start_count,
        )

    if check is None:
        return result(Verdict.SKIPPED, "no check is registered for this requirement", [])
    try:
        outcome = check(ctx)
    except CheckFailed as failure:
        if requirement.level is Level.MAY:
            message = f"could not observe: {failure.message}"
            return result(Verdict.OBSERVED, message, failure.exchanges, failure.literal)
        return result(Verdict.FAIL, failure.message, failure.exchanges, failure.literal)
    except CheckSkipped as skipped:
        return result(Verdict.SKIPPED, skipped.reason, skipped.exchanges)
    except TransportFailure as exc:
        verdict = Verdict.OBSERVED if requirement.level is Level.MAY else Verdict.FAIL
        return result(verdict, f"the server did not answer: {exc}", [exc.exchange])
    except Exception as exc:  # a check that cannot complete must still show up as a non-pass
        detail = "".join(traceback.format_exception_only(exc)).strip()
        verdict = Verdict.OBSERVED if requirement.level is Level.MAY else Verdict.ERROR
        return result(verdict, f"the check could not complete: {detail}")
    note, literal = (outcome.text, outcome.literal) if isinstance(outcome, Observation) else ("", False)
    return result(Verdict.OBSERVED if requirement.level is Level.MAY else Verdict.PASS, note, [], literal)


def select(spec: Spec, names: Iterable[str] | None) -> list[Family]:
    """The families to check: `names` (``--family``), or every family of the spec the catalog's rules can
    be checked on; ValueError names a family that is unknown or cannot be checked, and why."""
    available = families(spec)
    wanted = list(dict.fromkeys(names or []))
    if not wanted:
        return available
    by_name = {family.name: family for family in available}
    for name, reason in outside_catalog(spec).items():
        if name in wanted:
            raise ValueError(f"the suite cannot check the {name} family: {reason}")
    unknown = [name for name in wanted if name not in by_name]
    if unknown:
        raise ValueError(
            f"no membership family {', '.join(unknown)} in the spec; it documents: "
            f"{', '.join(by_name) or 'none'}"
        )
    return [by_name[name] for name in wanted]


def plan(spec: Spec, families: Sequence[Family], only: Iterable[str] | None = None) -> list[Requirement]:
    """The requirements to check, in catalog order: each requirement about a family's operations once per
    family (`INV-ALL-IDS[event]`, `INV-ALL-IDS[group]`), the others once.

    Which families get a requirement is `openapi.catalog.instances`' rule (the published docs read it
    too); `only` keeps the requirements named by catalog id (every family) or by instance id.
    """
    wanted = set(only or ())
    planned = [
        instance for requirement in load_catalog() for instance in instances(spec, families, requirement)
    ]
    if wanted:
        planned = [r for r in planned if r.id in wanted or r.catalog_id in wanted]
    return planned


def run(
    target: Target,
    profile: Profile,
    seed: int,
    families: Sequence[Family],
    requirements: Sequence[Requirement],
    *,
    on_start: Callable[[Requirement], None] | None = None,
    on_result: Callable[[Result], None] | None = None,
    options: dict[str, Any] | None = None,
    load: str = "",
    side_by_side: bool = False,
) -> RunResult:
    """Check `requirements` (from `plan`), each with the context of its family (one per family, sharing
    the stated options and the readings).

    With `side_by_side` (and no rate limit to keep), the families are checked at once, each on its own
    thread and client (`lanes`); the results, their order and the readings are those of a run one family
    after the other.
    """
    stated = dict(options or {})
    readings: dict[str, str] = {}
    together = side_by_side and len(families) > 1 and target.client.pacer.limit is None
    targets = {family.name: lane(target) if together else target for family in families}
    contexts = {
        family.name: Context(
            targets[family.name], profile, seed, family, options=stated, readings={} if together else readings
        )
        for family in families
    }
    started_at = datetime.now(UTC)
    started = time.perf_counter()
    try:
        if together:
            results = run_side_by_side(contexts, requirements, readings, on_start, on_result)
        else:
            results = []
            for requirement in requirements:
                if on_start:
                    on_start(requirement)
                ctx = contexts[requirement.family] if requirement.family else next(iter(contexts.values()))
                outcome = run_requirement(ctx, requirement)
                results.append(outcome)
                if on_result:
                    on_result(outcome)
    finally:
        lanes = [lane_target.client for lane_target in targets.values() if lane_target is not target]
        for client in lanes:
            client.close()
    clients = [target.client, *lanes]
    return RunResult(
        base_url=target.client.base_url,
        profile=profile.name,
        seed=seed,
        users=[str(user) for user in target.users],
        results=results,
        started=started_at,
        duration=time.perf_counter() - started,
        requests=sum(client.request_count for client in clients),
        not_checked=outside_catalog(target.spec),
        throttled=sum(len(client.throttled) for client in clients),
        throttle_wait_s=sum(client.throttle_wait_s for client in clients),
        options=stated,
        families=[family.name for family in families],
        readings={key: target.client.credentials.mask(text) for key, text in readings.items()},
        token_variables=token_legend(target),
        load=load,
        credentials=target.client.credentials,
    )


def lane(target: Target) -> Target:
    """The target as one family checked side by side sees it: the same server, users and resource names
    (one counter: no two families name a resource alike), its own client and so its own evidence."""
    client = target.client
    own = Client(client.base_url, timeout=client.timeout, credentials=client.credentials)
    own.watchers = client.watchers  # the same list: whoever watches the run's answers sees every lane's
    return replace(target, client=own)


def run_side_by_side(
    contexts: dict[str, Context],
    requirements: Sequence[Requirement],
    readings: dict[str, str],
    on_start: Callable[[Requirement], None] | None,
    on_result: Callable[[Result], None] | None,
) -> list[Result]:
    """Each family's requirements in catalog order on a thread of its own (those of no family with the
    first family's); the results are handed to `on_result` in catalog order, and each requirement's
    readings go into `readings` in that order too, so the reports read as for one family after another.

    A requirement whose check acts on other families' resources (registry.ALONE) waits for every family
    to reach it and runs with nothing beside it, so each family's resources are at that moment what they
    are one family after another. The checks that generate requests with Hypothesis take turns
    (checks/generation.py): a seed gives the same requests either way.
    """
    results: list[Result] = []
    together: list[Requirement] = []
    for requirement in requirements:
        if requirement.catalog_id not in ALONE:
            together.append(requirement)
            continue
        results += _in_lanes(contexts, together, readings, on_start, on_result)
        together = []
        ctx = contexts[requirement.family or next(iter(contexts))]
        if on_start:
            on_start(requirement)
        result, read = _checked(ctx, requirement)
        readings.update(read)
        results.append(result)
        if on_result:
            on_result(result)
    return results + _in_lanes(contexts, together, readings, on_start, on_result)


def _checked(ctx: Context, requirement: Requirement) -> tuple[Result, dict[str, str]]:
    """The requirement's result and the readings its check wrote."""
    before = dict(ctx.readings)
    result = run_requirement(ctx, requirement)
    return result, {key: text for key, text in ctx.readings.items() if before.get(key) != text}


def _in_lanes(
    contexts: dict[str, Context],
    requirements: Sequence[Requirement],
    readings: dict[str, str],
    on_start: Callable[[Requirement], None] | None,
    on_result: Callable[[Result], None] | None,
) -> list[Result]:
    first = next(iter(contexts))
    queued: dict[str, list[int]] = {name: [] for name in contexts}
    for index, requirement in enumerate(requirements):
        queued[requirement.family or first].append(index)
    done: list[tuple[Result, dict[str, str]] | None] = [None] * len(requirements)
    crashed: list[BaseException] = []
    finished = threading.Condition()

    def check(name: str) -> None:
        try:
            for index in queued[name]:
                if on_start:
                    on_start(requirements[index])
                checked = _checked(contexts[name], requirements[index])
                with finished:
                    done[index] = checked
                    finished.notify_all()
        except BaseException as exc:  # a lane that cannot go on must not leave the run waiting
            with finished:
                crashed.append(exc)
                finished.notify_all()

    lanes = [
        threading.Thread(target=check, args=(name,), name=f"family-{name}", daemon=True) for name in queued
    ]
    for thread in lanes:
        thread.start()
    results: list[Result] = []
    for index in range(len(requirements)):
        with finished:
            while (checked := done[index]) is None and not crashed:
                finished.wait()
            if crashed:
                raise crashed[0]
        assert checked is not None
        result, read = checked
        readings.update(read)
        results.append(result)
        if on_result:
            on_result(result)
    for thread in lanes:
        thread.join()
    return results


def token_legend(target: Target) -> dict[str, str]:
    """Which variable of the curl lines stands for whose token, by user id and role (never the value)."""
    credentials = target.client.credentials
    return credentials.legend((user.token, f"user {user.id} ({user.role})") for user in target.users)
