"""What the suite expects of courses, from the spec alone: its decider over every x-access construct the
course operations use, the facts its checks read (states, creator, managers) and the attributes it creates
courses with. No server: these are the suite's own decisions, tested apart from any server's."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.checks.context import Context
from conformance.expectations import (
    READS,
    RELATIONS,
    AccessOutcome,
    UnreadAccess,
    caller,
    expect_access,
    viewed_resources,
)
from conformance.profiles import PROFILES
from conformance.target import Target, User, read_attributes
from openapi.access import CONSTRUCTS, AccessClause, OperationAccess, parse_access
from openapi.document import shipped
from openapi.families import by_name

SPEC = shipped()
ALLOWED, R401, R403, R404, EMPTY = (
    AccessOutcome.ALLOWED,
    AccessOutcome.UNAUTHENTICATED,
    AccessOutcome.FORBIDDEN,
    AccessOutcome.HIDDEN,
    AccessOutcome.EMPTY,
)
STATED = {"content_availability": True}


def course(privacy: str, hide_member_count: bool = False) -> dict[str, Any]:
    return {"privacy": privacy, "hide_member_count": hide_member_count}


def outcome(operation_id: str, who: str, resource: dict[str, Any] | None, params: Any = ()) -> AccessOutcome:
    return expect_access(SPEC[operation_id], who, resource, params, STATED).outcome


def test_the_decider_reads_every_construct_of_the_language() -> None:
    assert set(CONSTRUCTS) == READS


@pytest.mark.parametrize(
    ("privacy", "expected"),
    [
        ("", {"anonymous": R401, "outsider": R403, "invited": R403, "member": R403, "creator": ALLOWED,
              "promoted_manager": ALLOWED}),
        ("open", {"anonymous": ALLOWED, "outsider": ALLOWED, "invited": ALLOWED, "member": ALLOWED,
                  "creator": ALLOWED, "promoted_manager": ALLOWED}),
        ("private", {"anonymous": ALLOWED, "outsider": ALLOWED, "invited": ALLOWED, "member": ALLOWED,
                     "creator": ALLOWED, "promoted_manager": ALLOWED}),
        ("secret", {"anonymous": R401, "outsider": R403, "invited": ALLOWED, "member": ALLOWED,
                    "creator": ALLOWED, "promoted_manager": ALLOWED}),
    ],
)  # fmt: skip
def test_who_sees_a_course_by_privacy(privacy: str, expected: dict[str, AccessOutcome]) -> None:
    """Contract rule 58: draft the creator and managers, secret members and invited users, else anyone."""
    assert {who: outcome("getCourseInfo", who, course(privacy)) for who in expected} == expected


def test_the_status_needs_a_viewer_and_hides_the_course_from_others() -> None:
    """`course_viewer` is whoever passes GET course; the others get 404 (`refused: hidden`), rule 67."""
    assert viewed_resources(SPEC["getCourseStatus"]) == {"course": SPEC["getCourseInfo"].access}
    assert outcome("getCourseStatus", "outsider", course("secret")) is R404
    assert outcome("getCourseStatus", "invited", course("secret")) is ALLOWED
    assert outcome("getCourseStatus", "member", course("")) is R404
    assert outcome("getCourseStatus", "outsider", course("private")) is ALLOWED
    assert outcome("getCourseStatus", "anonymous", course("open")) is R401
    # Without the operation, the role names no GET to pass: nobody is a viewer.
    assert expect_access(SPEC["getCourseStatus"].access, "creator", course("open")).outcome is R404


def test_the_creator_cannot_leave_but_removes_others() -> None:
    """`{when: {role: [course_creator], not: {param: [user]}}, nobody: true}` (rule 62)."""
    assert outcome("leaveACourse", "creator", course("open")) is R403
    assert outcome("leaveACourse", "member", course("open")) is ALLOWED
    assert outcome("leaveACourse", "promoted_manager", course("open")) is ALLOWED
    assert outcome("leaveACourse", "creator", course("open"), {"user": 7}) is ALLOWED
    assert outcome("leaveACourse", "promoted_manager", course("open"), {"user": 7}) is ALLOWED
    assert outcome("leaveACourse", "member", course("open"), {"user": 7}) is R403
    assert outcome("leaveACourse", "anonymous", course("open")) is R401


@pytest.mark.parametrize(("view", "member", "creator"), [("user", ALLOWED, ALLOWED), ("edit", R403, ALLOWED),
                                                         ("dashboard", R403, ALLOWED)])  # fmt: skip
def test_views_are_the_managers(view: str, member: AccessOutcome, creator: AccessOutcome) -> None:
    """`param_value: {view: [edit, dashboard]}` holds on the value sent, not on the parameter's presence."""
    assert outcome("getCourseInfo", "member", course("open"), {"view": view}) is member
    assert outcome("getCourseInfo", "creator", course("open"), {"view": view}) is creator
    assert outcome("getCourseInfo", "member", course("open"), {"user": 3}) is R403
    assert outcome("getCourseInfo", "promoted_manager", course("open"), {"user": 3}) is ALLOWED


def test_hide_member_count_keeps_the_list_to_the_creator_and_managers() -> None:
    hidden = course("open", hide_member_count=True)
    assert {who: outcome("getCourseJoinedUsers", who, hidden) for who in RELATIONS} == {
        "anonymous": R401, "outsider": R403, "requester": R403, "invited": R403, "subscriber": R403,
        "member": R403, "manager": ALLOWED, "former_manager": ALLOWED, "creator": ALLOWED,
        "promoted_manager": ALLOWED,
    }  # fmt: skip
    assert outcome("getCourseJoinedUsers", "anonymous", course("private")) is ALLOWED
    assert outcome("getCourseJoinedUsers", "outsider", course("secret")) is R403
    # A draft list names the managers only: the creator is refused, unless read as a manager (reading 71).
    assert outcome("getCourseJoinedUsers", "creator", course("")) is R403
    assert (
        expect_access(
            SPEC["getCourseJoinedUsers"], caller("member", "creator", "manager"), course("")
        ).outcome
        is ALLOWED
    )


def test_a_condition_on_an_absent_resource_never_holds_under_not_either() -> None:
    access = parse_access(
        {"authentication": "required", "roles": [], "rules": [
            {"when": {"not": {"resource": {"privacy": ["open"]}}}, "authentication": "required", "roles": [],
             "nobody": True},
        ]}
    )  # fmt: skip
    assert expect_access(access, "outsider", None).outcome is ALLOWED  # the default clause alone: then 404
    assert expect_access(access, "outsider", {"privacy": "secret"}).outcome is R403
    assert expect_access(access, "outsider", {"privacy": "open"}).outcome is ALLOWED


def test_refusals_hidden_empty_and_all_roles() -> None:
    access = parse_access(
        {"authentication": "required", "roles": ["course_member"], "all_roles": ["media_creator(media)"],
         "rules": [{"when": {"resource": {"lesson.comments_enabled": [False]}}, "authentication": "required",
                    "roles": [], "nobody": True, "refused": "empty"}]}
    )  # fmt: skip
    uploader = caller("member")
    assert expect_access(access, uploader, {}).outcome is R403  # does not hold media_creator(media)
    owner = type(uploader)(True, uploader.relations, frozenset({"media_creator(media)"}))
    assert expect_access(access, owner, {"lesson.comments_enabled": True}).outcome is ALLOWED
    assert expect_access(access, owner, {"lesson.comments_enabled": False}).outcome is EMPTY
    hidden = OperationAccess(AccessClause("required", ("course_manager",), refused="hidden"))
    assert expect_access(hidden, "member", {}).outcome is R404
    assert expect_access(hidden, "anonymous", {}).outcome is R401


def test_courses_only_staff_enabled_is_an_option_of_creating() -> None:
    create = expect_access(SPEC["createACourse"], "outsider", None)
    assert not create.decided
    assert (
        create.describe() == "courses_only_staff_enabled=true: 403; courses_only_staff_enabled=false: allowed"
    )
    staff = type(RELATIONS["outsider"])(True, frozenset(), frozenset({"staff"}))
    assert (
        expect_access(SPEC["createACourse"], staff, None, (), {"courses_only_staff_enabled": True}).outcome
        is ALLOWED
    )


def test_a_value_the_decider_cannot_read_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("conformance.expectations.READS", READS - {"not"})
    with pytest.raises(UnreadAccess, match="x-access uses not"):
        expect_access(SPEC["leaveACourse"], "creator", course("open"))


# -- the facts the checks read, and the courses the suite creates ---------------------------------------


def context(name: str) -> Context:
    users = [User(token=f"t{i}", id=i, name=f"u{i}", role="user") for i in range(1, 5)]
    target = Target(client=None, spec=SPEC, users=users)  # type: ignore[arg-type]  # no request is sent
    return Context(target=target, profile=PROFILES["quick"], seed=1, family=by_name(SPEC, name))


def test_the_checks_read_states_and_the_creator_from_the_spec() -> None:
    event, course_ctx = context("event"), context("course")
    assert (event.member_state, event.creator_state, event.creator is RELATIONS["manager"]) == (
        "subscribed", "subscribed", True)  # fmt: skip
    assert (course_ctx.member_state, course_ctx.creator_state) == ("joined", "creator")
    assert course_ctx.creator is RELATIONS["creator"]
    assert event.creator_may_leave() and not course_ctx.creator_may_leave()
    users = {
        user: state
        for user, state in zip(
            course_ctx.target.users, ("creator", "manager", "joined", "invited"), strict=True
        )
    }
    assert course_ctx.listed_members(users) == [2, 3]  # GET join lists managers and joined users by default
    assert event.listed_members(dict.fromkeys(event.target.users[:2], "subscribed")) == [1, 2]
    assert (course_ctx.success_status("join"), event.success_status("join")) == (200, 204)


def test_courses_are_created_with_the_privacy_values_the_spec_names() -> None:
    """The catalog's words map to the course's values; its own values pass through; every boolean the
    access rules read is stated (false unless a check says otherwise)."""
    target = context("course").target
    family = by_name(SPEC, "course")
    assert read_attributes(family) == ("privacy", "hide_member_count")
    assert target.attributes(family, "public") == {"privacy": "open", "hide_member_count": False}
    assert target.attributes(family, "private") == {"privacy": "private", "hide_member_count": False}
    assert target.attributes(family, "") == {"privacy": "", "hide_member_count": False}
    assert target.attributes(family, "secret", {"hide_member_count": True})["hide_member_count"] is True
    body = target.resource_body(family.op("create"), "public")
    assert (body["privacy"], body["hide_member_count"], body["type"]) == ("open", False, "self-paced")
    first, second = (
        target.resource_body(family.op("create"), ""),
        target.resource_body(family.op("create"), ""),
    )
    assert first["name"] != second["name"]  # every course the suite creates has a name of its own
    event = by_name(SPEC, "event")
    assert target.attributes(event, "public") == {"privacy": "public"}
    assert "hide_member_count" not in target.resource_body(event.op("create"), "public")
