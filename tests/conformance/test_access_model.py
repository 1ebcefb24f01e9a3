"""The suite's access expectations (conformance/expectations.py): what each caller may expect, from the spec
alone."""

from __future__ import annotations

import pytest

from conformance.expectations import AccessOutcome, expect_access, reserved_to_manager
from conformance.options import OptionError, parse_options, settings_lines
from openapi.access import parse_access
from openapi.document import shipped

SPEC = shipped()
PRIVATE, PUBLIC = {"privacy": "private"}, {"privacy": "public"}


def outcome(operation_id: str, caller: str, resource: dict | None, params=(), options=None) -> AccessOutcome:
    return expect_access(SPEC[operation_id].access, caller, resource, params, options).outcome


@pytest.mark.parametrize(
    ("caller", "resource", "expected"),
    [
        ("anonymous", PUBLIC, AccessOutcome.ALLOWED),
        ("outsider", PUBLIC, AccessOutcome.ALLOWED),
        ("anonymous", PRIVATE, AccessOutcome.UNAUTHENTICATED),
        ("outsider", PRIVATE, AccessOutcome.FORBIDDEN),
        ("requester", PRIVATE, AccessOutcome.FORBIDDEN),
        ("invited", PRIVATE, AccessOutcome.FORBIDDEN),
        ("subscriber", PRIVATE, AccessOutcome.ALLOWED),
        ("manager", PRIVATE, AccessOutcome.ALLOWED),
        ("former_manager", PRIVATE, AccessOutcome.FORBIDDEN),  # the literal reading: no longer a subscriber
        ("anonymous", None, AccessOutcome.ALLOWED),  # no event: the default clause alone decides (then 404)
    ],
)
def test_member_list_depends_on_privacy(caller: str, resource: dict | None, expected: AccessOutcome) -> None:
    assert outcome("getEventSubscribedUsers", caller, resource) is expected


@pytest.mark.parametrize(
    ("caller", "params", "expected"),
    [
        ("subscriber", (), AccessOutcome.ALLOWED),
        ("subscriber", ("user",), AccessOutcome.FORBIDDEN),
        ("manager", ("user",), AccessOutcome.ALLOWED),
        ("former_manager", ("user",), AccessOutcome.ALLOWED),
        ("anonymous", ("user",), AccessOutcome.UNAUTHENTICATED),
    ],
)
def test_removal_needs_the_manager_role(
    caller: str, params: tuple[str, ...], expected: AccessOutcome
) -> None:
    assert outcome("unsubscribeFromEvent", caller, PUBLIC, params) is expected


def test_event_info_depends_on_the_community_option() -> None:
    access = SPEC["getEventInfo"].access
    unknown = expect_access(access, "anonymous", PUBLIC)
    assert not unknown.decided
    assert unknown.outcomes == {AccessOutcome.ALLOWED, AccessOutcome.UNAUTHENTICATED}
    assert unknown.describe() == "content_availability=true: allowed; content_availability=false: 401"
    assert (
        outcome("getEventInfo", "anonymous", PRIVATE, options={"content_availability": True})
        is AccessOutcome.ALLOWED
    )
    closed = {"content_availability": False}
    assert outcome("getEventInfo", "anonymous", PRIVATE, options=closed) is AccessOutcome.UNAUTHENTICATED
    assert outcome("getEventInfo", "outsider", PRIVATE, options=closed) is AccessOutcome.ALLOWED
    assert expect_access(access, "outsider", PRIVATE).decided  # the option does not matter to this caller


def test_manager_only_operations_come_from_x_access() -> None:
    reserved = [op for op in SPEC.operations.values() if reserved_to_manager(op.access)]
    assert {op.operation_id for op in reserved} == {
        "inviteUsersToEvent",
        "getEventInvitedUsers",
        "removeInvitationToEvent",
        "getEventUsersToApprove",
        "inviteUsersToGroup",
        "getGroupInvitedUsers",
        "removeInvitationToGroup",
        "getGroupUsersToApprove",
        # The course pages reserve to "the creator or a manager" the same four, and changing roles.
        "inviteUsersToCourse",
        "getCourseInvitedUsers",
        "removeInvitationToCourse",
        "getCourseUsersToApprove",
        "changeUserRoleCourse",
        # Deleting one: the manager's (a course's creator or managers).
        "deleteAnEvent",
        "deleteAGroup",
        "deleteACourse",
    }
    assert {op.resource for op in reserved} == {"event", "group", "course"}


def test_roles_imply_authentication_and_options_gate_the_operation() -> None:
    access = parse_access(
        {"authentication": "none", "roles": ["event_manager"], "options": {"friendship_mode": True}}
    )
    assert expect_access(access, "anonymous", PUBLIC, options={"friendship_mode": True}).outcome == "401"
    assert expect_access(access, "outsider", PUBLIC, options={"friendship_mode": True}).outcome == "403"
    assert expect_access(access, "manager", PUBLIC, options={"friendship_mode": False}).outcome == "absent"
    assert expect_access(access, "manager", PUBLIC).outcomes == {AccessOutcome.ALLOWED, AccessOutcome.ABSENT}


def test_every_clause_that_applies_must_hold() -> None:
    access = parse_access(
        {
            "authentication": "optional",
            "roles": [],
            "rules": [
                {"when": {"param": ["user"]}, "authentication": "required", "roles": ["event_manager"]},
                {"when": {"resource": {"privacy": ["private"]}}, "authentication": "required",
                 "roles": ["event_subscriber"]},
            ],
        }
    )  # fmt: skip
    assert expect_access(access, "manager", PRIVATE, ["user"]).outcome is AccessOutcome.ALLOWED
    assert expect_access(access, "former_manager", PRIVATE, ["user"]).outcome is AccessOutcome.FORBIDDEN
    assert expect_access(access, "former_manager", PUBLIC, ["user"]).outcome is AccessOutcome.ALLOWED
    assert expect_access(access, "anonymous", PUBLIC).outcome is AccessOutcome.ALLOWED


def test_community_options_are_parsed_against_the_spec() -> None:
    assert parse_options(["content_availability=false"], SPEC) == {"content_availability": False}
    assert parse_options([" content_availability = TRUE "], SPEC) == {"content_availability": True}
    with pytest.raises(OptionError, match="known: content_availability"):
        parse_options(["closed_community=true"], SPEC)
    with pytest.raises(OptionError, match="not NAME=VALUE"):
        parse_options(["content_availability"], SPEC)
    lines = settings_lines({"content_availability": False}, {"content_availability": "as stated", "x": "y"})
    assert lines == ["content_availability=false (stated): as stated", "x: y"]
