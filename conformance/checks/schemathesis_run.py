"""Schemathesis over openapi/v2.yaml: generated requests for every operation, judged by its checks.

Cases come from Schemathesis strategies (positive and negative), are sent through the suite's own
client (so they are counted and can be shown as curl commands), and each response is validated
with one Schemathesis check per requirement: SPEC-NO-5XX, SPEC-STATUS, SPEC-SCHEMA. SPEC-AUTH resends
a successful authenticated request without credentials through the same client; Schemathesis'
`ignored_auth` would send its probe through `requests`, outside the count and the evidence.
"""

from __future__ import annotations

import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import hypothesis.errors
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from openapi.document import Operation
from openapi.families import Family

from ..exchange import Exchange
from ..expectations import requires_credentials
from ..target import Target
from ..transport import Answer
from .generation import HYPOTHESIS_TURN

# Statuses that answer what the suite itself sent outside the contract (a media type or size the
# contract does not define): they are not held against SPEC-STATUS.
OUT_OF_CONTRACT_STATUSES = {405, 406, 413, 414, 415, 431}
REQUIREMENTS = ("SPEC-NO-5XX", "SPEC-STATUS", "SPEC-SCHEMA", "SPEC-AUTH")
EVIDENCE_PER_REQUIREMENT = 5


@dataclass
class CaseFailure:
    """A generated request whose answer breaks one of the SPEC requirements, with its evidence."""

    requirement: str
    operation: str
    message: str
    exchanges: list[Exchange]


@dataclass
class SpecRun:
    cases: int = 0
    operations: int = 0
    findings: list[CaseFailure] = field(default_factory=list)
    auth_probed: set[str] = field(default_factory=set)

    def for_requirement(self, requirement_id: str) -> list[CaseFailure]:
        return [finding for finding in self.findings if finding.requirement == requirement_id]

    def record(self, finding: CaseFailure) -> None:
        same = [f for f in self.for_requirement(finding.requirement) if f.operation == finding.operation]
        if len(same) < EVIDENCE_PER_REQUIREMENT:
            self.findings.append(finding)


#: Headers the client sets for the connection itself: a generated value (a negative case may name any
#: header, `Host: s%` included) would test the transport, which no page documents, not the API.
TRANSPORT_HEADERS = {"content-length", "host", "transfer-encoding", "connection"}


def load_schema(target: Target) -> Any:
    """A fresh Schemathesis schema of the spec: a run's generation starts from nothing of an earlier run."""
    return schemathesis.openapi.from_path(str(target.spec.path))


_validating = threading.local()


def validating_schema(target: Target) -> Any:
    """The schema the checks validate answers with, loaded once per thread (a family checked side by side
    has its own): Schemathesis resolves its parts lazily, unguarded for threads."""
    loaded: dict[str, Any] = _validating.__dict__.setdefault("schemas", {})
    path = str(target.spec.path)
    if path not in loaded:
        loaded[path] = schemathesis.openapi.from_path(path)
    return loaded[path]


def as_response(answer: Answer, request: requests.PreparedRequest, elapsed: float) -> Response:
    """The answer as Schemathesis' checks read a response (what its `from_httpx` made of httpx's)."""
    headers = {name: [value] for name, value in answer.headers}
    return Response(
        answer.status,
        headers,
        answer.content,
        request=request,
        elapsed=elapsed,
        verify=True,
        message=answer.reason,
        http_version=answer.http_version,
        encoding=answer.encoding,
    )


def answer_problems(target: Target, operation: Operation, exchange: Exchange) -> str | None:
    """What breaks the documented schema of an answer a check received (a course's join: Course User
    Detail), in Schemathesis' words; None when it conforms. The same check as SPEC-SCHEMA's, on an answer
    of the suite's own scenario rather than of a generated case."""
    api = validating_schema(target)[operation.path][operation.method]
    headers: dict[str, list[str]] = {}
    for name, value in exchange.response_headers:
        headers.setdefault(name.lower(), []).append(value)
    sent = requests.Request(exchange.method, exchange.url, headers=dict(exchange.request_headers))
    answer = exchange.status or 0, headers, exchange.response_body
    response = Response(*answer, request=sent.prepare(), elapsed=exchange.elapsed, verify=True)
    try:
        api.validate_response(response)
    except (AssertionError, FailureGroup) as error:
        return failure_text(error)
    return None


def failure_text(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return "; ".join(failure_text(inner) for inner in error.exceptions)
    title = getattr(error, "title", None)
    message = getattr(error, "message", None) or str(error)
    return f"{title}: {message}" if title else message


def _prepared(
    case: Any, base_url: str, token: str
) -> tuple[str, str, dict[str, str], bytes, requests.PreparedRequest]:
    """Serialize a case the way Schemathesis would send it; the suite's client sends the bytes."""
    kwargs = case.as_transport_kwargs(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
    allowed = {"method", "url", "headers", "params", "cookies", "json", "data", "files"}
    prepared = requests.Request(**{k: v for k, v in kwargs.items() if k in allowed}).prepare()
    raw_body = prepared.body
    body = (
        raw_body.encode() if isinstance(raw_body, str) else raw_body if isinstance(raw_body, bytes) else b""
    )
    headers = {k: str(v) for k, v in prepared.headers.items() if k.lower() not in TRANSPORT_HEADERS}
    return str(prepared.method), str(prepared.url), headers, body, prepared


def _documented_media_types(case: Any) -> set[str]:
    content = case.operation.definition.raw.get("requestBody", {}).get("content", {})
    return {media_type.lower() for media_type in content}


def _query_outside_contract(case: Any) -> bool:
    """Pagination values without meaning in the contract (rule 22): a page size below 1, a negative offset,
    or a value beyond 64 bits (as for ids, rule 7)."""
    for name, lowest in (("limit", 1), ("offset", 0)):
        value = (case.query or {}).get(name)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not lowest <= value < 2**63:
            return True
    return False


def _excused_status(case: Any, exchange: Exchange, mode: GenerationMode) -> bool:
    """Whether an undocumented status answers something the suite itself sent outside the contract."""
    status = exchange.status or 0
    if 400 <= status < 500 and (mode is GenerationMode.NEGATIVE or _query_outside_contract(case)):
        return True
    if status not in OUT_OF_CONTRACT_STATUSES:
        return False
    if exchange.status == 415:
        sent = dict((k.lower(), v) for k, v in exchange.request_headers).get("content-type") or ""
        media_type = sent.split(";")[0].strip().lower()
        # Accepting multipart is a SHOULD (contract rule 36), judged by MEDIA-MULTIPART alone.
        return media_type == "multipart/form-data" or media_type not in _documented_media_types(case)
    return True


def judge(run: SpecRun, target: Target, case: Any, token: str, mode: GenerationMode) -> None:
    method, url, headers, body, request = _prepared(case, target.client.base_url, token)
    exchange, answer = target.client.send_prepared(method, url, headers, body)
    response = as_response(answer, request, exchange.elapsed)
    run.cases += 1
    label = case.operation.label
    evidence = [exchange]
    if (exchange.status or 0) >= 500:
        run.record(CaseFailure("SPEC-NO-5XX", label, f"{label} answered {exchange.status}", evidence))
        return
    for requirement_id, check in (
        ("SPEC-STATUS", status_code_conformance),
        ("SPEC-SCHEMA", response_schema_conformance),
    ):
        if requirement_id == "SPEC-STATUS" and _excused_status(case, exchange, mode):
            continue
        try:
            case.validate_response(response, checks=[check], headers=headers)
        except (AssertionError, FailureGroup) as error:
            run.record(CaseFailure(requirement_id, label, f"{label}: {failure_text(error)}", evidence))
    operation = target.spec[case.operation.definition.raw["operationId"]]
    if (
        requires_credentials(operation)
        and 200 <= (exchange.status or 0) < 300
        and label not in run.auth_probed
    ):
        run.auth_probed.add(label)
        anonymous = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        probe, _ = target.client.send_prepared(method, url, anonymous, body)
        if probe.status not in (401, 403):
            run.record(
                CaseFailure(
                    "SPEC-AUTH",
                    label,
                    f"{label} declares bearer authentication but answered {probe.status} without credentials",
                    [exchange, probe],
                )
            )


def run_schemathesis(
    target: Target, examples: int, seed: int, family: Family, operation_ids: Collection[str]
) -> SpecRun:
    """The operations `operation_ids` (one family's and those of no family), positive and negative, with the
    manager's token on a fresh resource of `family` the suite created."""
    with HYPOTHESIS_TURN:
        return _run(target, examples, seed, family, operation_ids)


def _run(target: Target, examples: int, seed: int, family: Family, operation_ids: Collection[str]) -> SpecRun:
    schema = load_schema(target)
    run = SpecRun()
    shared = target.create_resource(family, "private")
    user_ids = [user.id for user in target.users]
    token = target.manager.token
    deleting = family.op("delete").operation_id if family.has("delete") else None
    for result in schema.get_all_operations():
        operation = result.ok()
        operation_id = operation.definition.raw.get("operationId")
        if operation_id not in operation_ids:
            continue
        run.operations += 1
        # The delete gets a resource of its own: deleting the shared one would leave the operations
        # generated after it nothing but 404s.
        resource = target.create_resource(family, "private") if operation_id == deleting else shared
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            has_id = any(p.get("name") == "id" for p in operation.definition.raw.get("parameters", []))
            fixed = {"id": resource} if has_id and mode is GenerationMode.NEGATIVE else None
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
            try:
                _drive(run, target, strategy, token, resource, user_ids, examples, seed, has_id, mode)
            except hypothesis.errors.Unsatisfiable:
                # Nothing to make invalid: e.g. GET event, whose one parameter (the id) is fixed to the
                # real event and whose authentication is optional. There are no negative cases to send.
                if mode is not GenerationMode.NEGATIVE:
                    raise
    return run


def _drive(
    run: SpecRun,
    target: Target,
    strategy: Any,
    token: str,
    resource: int,
    user_ids: list[int],
    examples: int,
    seed: int,
    has_id: bool,
    mode: GenerationMode,
) -> None:
    @hypothesis.seed(seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @hypothesis.given(case=strategy, real_id=st.integers(0, 9), real_users=st.booleans(), data=st.data())
    def generate(case: Any, real_id: int, real_users: bool, data: Any) -> None:
        if mode is GenerationMode.POSITIVE:
            # Bind most cases to the real event and real users, so bodies reach the logic behind the checks.
            if has_id and real_id < 8:
                case.path_parameters["id"] = resource
            if real_users and isinstance(case.body, dict) and isinstance(case.body.get("users"), list):
                case.body["users"] = data.draw(st.lists(st.sampled_from(user_ids), max_size=4))
        judge(run, target, case, token, mode)

    generate()
