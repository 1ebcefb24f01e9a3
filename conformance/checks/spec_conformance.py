"""SPEC-*: Schemathesis-generated requests for every operation of a family in openapi/v2.yaml (one run per
family, four verdicts)."""

from __future__ import annotations

from typing import cast

from ..target import PrerequisiteFailed
from .context import Context
from .outcomes import CheckFailed, CheckSkipped, Observation
from .registry import requirement
from .schemathesis_run import CaseFailure, SpecRun, run_schemathesis

ADVICE = {
    "SPEC-NO-5XX": "A client mistake must get a 4xx; find the unhandled error in the server log.",
    "SPEC-STATUS": "Answer only the statuses the operation documents in openapi/v2.yaml.",
    "SPEC-SCHEMA": "Make the response body match the schema documented for its status.",
    "SPEC-AUTH": "Check the bearer token before anything else on every operation that declares it.",
}


def spec_run(ctx: Context) -> SpecRun:
    if "spec_run" not in ctx.notes:
        try:
            operations = {operation.operation_id for operation in ctx.operations()}
            run = run_schemathesis(ctx.target, ctx.profile.spec_examples, ctx.seed, ctx.family, operations)
            ctx.notes["spec_run"] = run
        except PrerequisiteFailed as exc:
            ctx.notes["spec_run"] = exc
    run = ctx.notes["spec_run"]
    if isinstance(run, PrerequisiteFailed):
        raise CheckSkipped(f"prerequisite failed: {run}", run.exchanges)
    return cast(SpecRun, run)


def evidence_size(finding: CaseFailure) -> int:
    return sum(len(exchange.curl()) for exchange in finding.exchanges)


def verdict(ctx: Context, requirement_id: str) -> Observation:
    run = spec_run(ctx)
    findings = run.for_requirement(requirement_id)
    if findings:
        operations = sorted({finding.operation for finding in findings})
        raise CheckFailed(
            f"{len(findings)} generated request(s) on {', '.join(operations)} fail: "
            + " | ".join(finding.message for finding in findings[:3])
            + f". {ADVICE[requirement_id]}",
            # Shortest requests first: the easiest to read and replay.
            [e for finding in sorted(findings, key=evidence_size) for e in finding.exchanges],
        )
    return Observation(f"{run.cases} generated requests over {run.operations} operations")


@requirement("SPEC-NO-5XX")
def no_server_errors(ctx: Context) -> Observation:
    return verdict(ctx, "SPEC-NO-5XX")


@requirement("SPEC-STATUS")
def documented_statuses(ctx: Context) -> Observation:
    return verdict(ctx, "SPEC-STATUS")


@requirement("SPEC-SCHEMA")
def response_schemas(ctx: Context) -> Observation:
    return verdict(ctx, "SPEC-SCHEMA")


@requirement("SPEC-AUTH")
def auth_enforced(ctx: Context) -> Observation:
    return verdict(ctx, "SPEC-AUTH")
