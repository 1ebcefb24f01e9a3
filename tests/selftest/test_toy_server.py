"""The toy servers themselves: the correct one and the variants keep every rule, each fault breaks its own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
import yaml
from openapi_schema_validator import OAS30ReadValidator

from testkit.processes import REPO_ROOT

from .probes import PROBES
from .servers import toy_server
from .toy.app import ToyParts
from .toy.faults import FAULTS
from .toy.variants import VARIANTS
from .toy_client import ToyClient

# The probe each fault must break; the probes are written from the contract, not from the faults.
FAULT_PROBES = {
    "delete-answers-200": "delete-204",
    "delete-noop": "deleted-gone",
    "non-manager-deletes": "delete-manager-only",
    "delete-unknown-succeeds": "delete-unknown",
    "delete-refused": "delete-204",
    "no-auth-check": "auth-missing",
    "any-token": "auth-garbage",
    "empty-token": "auth-empty",
    "any-scheme": "auth-scheme",
    "no-challenge": "auth-challenge",
    "refused-but-applied": "auth-no-effect",
    "requests-list-no-auth": "requests-list-auth",
    "non-manager-invites": "manager-invites",
    "non-manager-lists": "manager-lists",
    "non-manager-withdraws": "manager-withdraws",
    "non-manager-sees-requests": "manager-sees-requests",
    "manager-lost-on-leave": "manager-keeps",
    "unknown-event-403": "unknown-event",
    "nonnumeric-id-500": "nonnumeric-event",
    "overflow-id-500": "overflow-event",
    "status-200": "invite-204",
    "body-on-204": "invite-empty-body",
    "invite-not-stored": "invite-listed",
    "request-not-accepted": "invite-accepts",
    "subscriber-demoted": "subscriber-unchanged",
    "duplicates": "idempotent",
    "first-id-only": "all-ids",
    "invited-must-request": "invite-then-subscribe",
    "withdraw-noop": "withdraw",
    "missing-users-ok": "users-required",
    "scalar-users-ok": "users-list",
    "bad-items-dropped": "item-types",
    "unknown-user-ok": "unknown-user",
    "malformed-json-500": "malformed-json",
    "non-atomic": "atomic",
    "form-refused": "form",
    "invite-cap": "many-invites",
    "stale-membership": "leave-then-invited",
    "create-200": "create-status",
    "dates-not-rfc3339": "event-dates",
    "any-media-type": "other-media-type",
    "unsubscribe-named-user": "unsubscribe-self-only",
    "next-skips-one": "pagination",
    "event-status-of-creator": "event-status",
    "negative-offset-500": "negative-offset",
    # Deterministic probes: what a client may send, and reads right after a write
    "json-charset-refused": "json-charset",
    "media-type-case-sensitive": "media-type-case",
    "limit-boundary-500": "limit-boundary",
    "offset-past-end-count-zero": "offset-past-end",
    "undocumented-method-500": "undocumented-method",
    "bearer-lowercase-refused": "bearer-case",
    "auth-spaces-500": "auth-spaces",
    "repeated-auth-500": "repeated-auth",
    "numeric-string-500": "numeric-string",
    "huge-id-500": "huge-id",
    "counter-stale": "counter-after-leave",
    "status-stale-after-leave": "status-after-leave",
    "event-status-stale-after-leave": "event-status-after-leave",
    "subscribers-list-stale-after-leave": "subscribers-after-leave",
    "private-list-open": "private-list-closed",
    "private-list-anonymous": "private-list-anonymous",
    "public-list-closed": "public-list-open",
    "removal-ignored": "manager-removes",
    "removal-by-anyone": "removal-manager-only",
    "event-info-403": "event-info-anonymous",
    "direct-subscribe-ignored": "direct-subscribe",
    "direct-subscribe-by-anyone": "direct-subscribe-manager-only",
    "direct-subscribe-partial": "direct-subscribe-atomic",
    "families-share-status": "families-apart",
    # Every constraint, every kept state, long lists
    "link-not-uri-accepted": "event-link",
    "withdraw-drops-requests": "withdraw-keeps-requests",
    "long-list-500": "long-list",
    # Courses
    "creator-leaves": "course-creator-stays",
    "creator-removable": "course-creator-kept",
    "promoted-manager-powerless": "course-promoted",
    "demoted-manager-keeps-powers": "course-demoted",
    "manager-role-survives-leave": "course-manager-leaves",
    "role-unjoined-ignored": "course-role-lists",
    "role-not-atomic": "course-role-atomic",
    "join-answer-stale": "course-join-answer",
    "secret-course-visible": "course-hidden",
    "secret-members-listed": "course-member-list-privacy",
    "lock-screen-shows-dashboard": "course-lock-screen",
    "private-full-detail": "course-lock-screen",
    "manager-views-open": "course-manager-views",
    "hide-member-count-ignored": "course-hide-member-count",
    "statuses-ignored": "course-statuses",
}
# Rules a correct variant may leave aside because the contract only recommends them.
VARIANT_EXEMPTIONS = {"multipart-refused": {"multipart"}, "no-allow-on-405": {"allow-on-405"}}


@pytest.fixture(scope="module")
def correct_toy() -> Iterator[ToyClient]:
    with toy_server() as server:
        client = ToyClient(server.base_url)
        yield client
        client.close()


def test_every_fault_names_a_probe() -> None:
    assert set(FAULT_PROBES) == set(FAULTS)
    assert set(FAULT_PROBES.values()) <= set(PROBES)


def test_every_fault_and_variant_overrides_the_correct_toy() -> None:
    assert all(entry.parts != ToyParts() for entry in [*FAULTS.values(), *VARIANTS.values()])


def test_toy_shares_no_code_with_the_kit() -> None:
    """Written from the contract alone: the toy imports neither the contract core, suite nor server."""
    code = "import sys, tests.selftest.toy.faults, tests.selftest.toy.variants; print(*sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    packages = {name.split(".")[0] for name in loaded.stdout.split()}
    assert packages & {"openapi", "conformance", "reference_impl", "specgen"} == set()


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_correct_toy_keeps_rule(correct_toy: ToyClient, probe: str) -> None:
    assert PROBES[probe](correct_toy) is None


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_breaks_its_rule(fault: str) -> None:
    with toy_server("--fault", fault) as server:
        client = ToyClient(server.base_url)
        problem = PROBES[FAULT_PROBES[fault]](client)
        client.close()
    assert problem is not None, f"--fault {fault} ({FAULTS[fault].summary}) kept {FAULT_PROBES[fault]}"


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_variant_keeps_every_rule(variant: str) -> None:
    exempt = VARIANT_EXEMPTIONS.get(variant, set())
    with toy_server("--variant", variant) as server:
        client = ToyClient(server.base_url)
        broken = {name: problem for name in sorted(set(PROBES) - exempt) if (problem := PROBES[name](client))}
        client.close()
    assert broken == {}


def test_content_availability_false_closes_event_info() -> None:
    with toy_server("--content-availability", "false") as server:
        client = ToyClient(server.base_url)
        event = client.new_event("public")
        anonymous = client.send("GET", f"/api/v2/event/{event}/", None).status_code
        signed_in = client.send("GET", f"/api/v2/event/{event}/", 1).status_code
        client.close()
    assert (anonymous, signed_in) == (401, 200)


def test_courses_only_staff_enabled_keeps_creation_to_staff() -> None:
    """The community option of rule 55: the first user is the toy's staff member."""
    body = {"name": "Staff course", "type": "self-paced"}
    with toy_server("--community-option", "courses_only_staff_enabled=true") as server:
        client = ToyClient(server.base_url)
        member = client.send("POST", "/api/v2/course/", 1, json=body).status_code
        staff = client.send("POST", "/api/v2/course/", 0, json=body).status_code
        client.close()
    assert (member, staff) == (403, 201)


def test_course_answers_follow_the_spec(correct_toy: ToyClient) -> None:
    """Every answer of a walk through the course operations has a status the spec documents for the
    operation, and a body its schema for that status accepts (the toy never reads the spec; this does)."""
    api, seen = correct_toy, SpecAnswers()
    courses = {privacy: api.new_course(privacy) for privacy in ("", "open", "private", "secret")}
    opened, private, secret = courses["open"], courses["private"], courses["secret"]
    created = api.send("POST", "/api/v2/course/", 0, json={"name": "Walked", "type": "scheduled"})
    seen.check("POST", "/api/v2/course/", created)
    for who, course, params in [
        (None, opened, {}),
        (1, private, {}),
        (None, private, {}),
        (1, secret, {}),
        (None, secret, {}),
        (1, courses[""], {}),
        (None, opened, {"view": "edit"}),
        (0, opened, {"view": "edit"}),
        (0, opened, {"view": "dashboard"}),
        (0, opened, {"user": api.ids[1]}),
        (1, opened, {"view": "edit"}),
        (0, opened, {"view": "nonsense"}),
    ]:
        seen.check(
            "GET", "/api/v2/course/{id}/", api.send("GET", f"/api/v2/course/{course}/", who, params=params)
        )
    steps: list[tuple[str, str, int | None, dict[str, object]]] = [
        ("POST", "join", 1, {}),
        ("POST", "join", 2, {}),
        ("POST", "invite", 0, {"json": {"users": [api.ids[3]]}}),
        ("GET", "invite", 0, {}),
        ("GET", "request_join", 0, {}),
        ("GET", "join", None, {}),
        ("GET", "join", 0, {"params": {"statuses": ["creator", "manager"]}}),
        ("GET", "join", 0, {"params": {"statuses": "nonsense"}}),
        ("POST", "role", 0, {"json": {"managers": [api.ids[1]]}}),
        ("POST", "role", 2, {"json": {"joined": [api.ids[3]]}}),
        ("POST", "role", 0, {"json": {"unjoined": [api.ids[0]]}}),
        ("POST", "role", 0, {"json": {}}),
        ("GET", "status", 1, {}),
        ("DELETE", "invite", 1, {"json": {"users": [api.ids[3]]}}),
        ("DELETE", "join", 0, {}),
        ("DELETE", "join", 1, {"params": {"user": api.ids[2]}}),
        ("DELETE", "join", 1, {}),
        ("GET", "request_join", 1, {}),
    ]
    for course in (opened, private):
        for method, path, who, kwargs in steps:
            answer = api.send(method, f"/api/v2/course/{course}/{path}/", who, **kwargs)
            seen.check(method, f"/api/v2/course/{{id}}/{path}/", answer)
    for method, path in [("POST", "join"), ("GET", "join"), ("GET", "status")]:
        seen.check(
            method, f"/api/v2/course/{{id}}/{path}/", api.send(method, f"/api/v2/course/{secret}/{path}/", 1)
        )
    # Deleting: a hidden course, one by a user who does not manage it, one by its creator, then again.
    for course, who in ((secret, 1), (private, 3), (opened, 0), (opened, 0)):
        seen.check("DELETE", "/api/v2/course/{id}/", api.send("DELETE", f"/api/v2/course/{course}/", who))
    assert seen.problems == [], "\n".join(seen.problems)
    # The walk reached every course operation, with successes and refusals.
    assert {(method, path) for method, path, _ in seen.answered} >= {
        (method.upper(), path)
        for path, operations in SPEC["paths"].items()
        if path.startswith("/api/v2/course/")
        for method in operations
        if method != "parameters"
    }
    assert {status for *_, status in seen.answered} >= {200, 201, 204, 400, 401, 403, 404}


SPEC = yaml.safe_load((REPO_ROOT / "openapi" / "v2.yaml").read_text())


class SpecAnswers:
    """Answers judged against ``openapi/v2.yaml``: the documented statuses and schemas (OpenAPI 3.0,
    read as a response: readOnly properties allowed), by openapi-schema-validator."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.answered: list[tuple[str, str, int]] = []

    def check(self, method: str, path: str, response: httpx.Response) -> None:
        status = response.status_code
        self.answered.append((method, path, status))
        where = f"{method} {response.request.url.path}?{response.request.url.query.decode()} -> {status}"
        documented = SPEC["paths"][path][method.lower()]["responses"]
        if str(status) not in documented:
            self.problems.append(f"{where}: not documented ({', '.join(documented)})")
            return
        schema = documented[str(status)].get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            if 200 <= status < 300 and response.content:
                self.problems.append(f"{where}: a body where the spec documents none")
            return
        validator = OAS30ReadValidator({**schema, "components": SPEC["components"]})
        self.problems += [f"{where}: {error.message}" for error in validator.iter_errors(response.json())]
