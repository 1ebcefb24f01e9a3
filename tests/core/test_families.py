"""Membership families of the contract core (openapi/families.py): found by what their operations do, not
by the words of their paths; what each `privacy` value means, read from the spec (openapi/privacy.py)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from openapi.document import Spec, shipped
from openapi.families import (
    ACTIONS,
    FACTS,
    TIE_BREAKERS,
    Family,
    by_name,
    families,
    found_families,
    outside_catalog,
)
from openapi.joining import INVITATION_ONLY, JOIN, REQUEST

CORPUS = Path(__file__).parents[3] / "shared" / "corpus" / "apireference" / "v2"

EVENT = {
    "create": "createAnEvent",
    "info": "getEventInfo",
    "invite": "inviteUsersToEvent",
    "remove_invitation": "removeInvitationToEvent",
    "invited": "getEventInvitedUsers",
    "requested": "getEventUsersToApprove",
    "members": "getEventSubscribedUsers",
    "join": "subscribeOrAcceptInviteToEvent",
    "leave": "unsubscribeFromEvent",
    "status": "getSubscriptionStatus",
    "delete": "deleteAnEvent",
}
GROUP = {
    "create": "createAGroup",
    "info": "getGroupInfo",
    "invite": "inviteUsersToGroup",
    "remove_invitation": "removeInvitationToGroup",
    "invited": "getGroupInvitedUsers",
    "requested": "getGroupUsersToApprove",
    "members": "getGroupSubscribedUsers",
    "join": "subscribeOrAcceptInviteToGroup",
    "leave": "unsubscribeFromGroup",
    "status": "getGroupSubscriptionStatus",
    "delete": "deleteAGroup",
}
COURSE = {
    "create": "createACourse",
    "info": "getCourseInfo",
    "invite": "inviteUsersToCourse",
    "remove_invitation": "removeInvitationToCourse",
    "invited": "getCourseInvitedUsers",
    "requested": "getCourseUsersToApprove",
    "members": "getCourseJoinedUsers",
    "join": "joinOrAcceptInviteToCourse",
    "leave": "leaveACourse",
    "status": "getCourseStatus",
    "role": "changeUserRoleCourse",
    "delete": "deleteACourse",
}


def ids(family: Family) -> dict[str, str]:
    return {action: operation.operation_id for action, operation in family.operations.items()}


def test_events_groups_and_courses_are_found() -> None:
    found = {family.name: ids(family) for family in found_families(shipped())}
    assert found == {"course": COURSE, "event": EVENT, "group": GROUP}
    assert set(COURSE) == set(ACTIONS)
    join = by_name(shipped(), "course").op("join")
    assert (join.method, join.path) == ("POST", "/api/v2/course/{id}/join/")


def renamed(spec: Spec, words: dict[str, str], name: str = "club") -> Spec:
    """The group pages at /api/v2/<name>/, their path segments renamed by ``words``."""
    raw: dict[str, Any] = copy.deepcopy(dict(spec.raw))
    for path, item in list(raw["paths"].items()):
        if not path.startswith("/api/v2/group/"):
            continue
        new = path.replace("/group/", f"/{name}/")
        for old, word in words.items():
            new = new.replace(f"/{old}/", f"/{word}/")
        copied = copy.deepcopy(item)
        for operation in copied.values():
            operation["operationId"] = operation["operationId"].replace("Group", name.capitalize())
        raw["paths"][new] = copied
    return Spec(spec.path, raw)


def test_renamed_path_words_are_found_by_what_the_operations_do() -> None:
    words = {"invite": "guests", "subscribe": "members", "request_subscribe": "waiting", "status": "me"}
    club = by_name(renamed(shipped(), words), "club")
    assert ids(club) == {action: name.replace("Group", "Club") for action, name in GROUP.items()}
    assert club.op("join").path == "/api/v2/club/{id}/members/"
    assert club.op("requested").path == "/api/v2/club/{id}/waiting/"
    assert club.outside_catalog is None and club.open_privacy == "public"


def test_path_words_only_break_ties() -> None:
    """Two paths that both list users alone: the one whose segment the pages use for `requested` wins,
    wherever it stands; without such a word, the first in the document."""
    raw: dict[str, Any] = copy.deepcopy(dict(shipped().raw))
    requests = raw["paths"]["/api/v2/group/{id}/request_subscribe/"]
    other = copy.deepcopy(requests)
    other["get"]["operationId"] = "getGroupFollowers"
    raw["paths"] = {"/api/v2/group/{id}/followers/": other, **raw["paths"]}
    group = by_name(Spec(shipped().path, raw), "group")
    assert group.op("requested").operation_id == "getGroupUsersToApprove"
    assert "requested" in TIE_BREAKERS
    club = by_name(renamed(Spec(shipped().path, raw), {"request_subscribe": "waiting"}), "club")
    assert club.op("requested").path == "/api/v2/club/{id}/followers/"


def test_what_the_operations_do_decides_not_the_words() -> None:
    """The event's paths, but its invite takes no `users`: no invitations path, no family."""
    raw: dict[str, Any] = copy.deepcopy(dict(shipped().raw))
    invite = raw["paths"]["/api/v2/event/{id}/invite/"]["post"]
    for media in invite["requestBody"]["content"].values():
        media["schema"] = {
            "type": "object",
            "properties": {"emails": {"type": "array", "items": {"type": "string"}}},
        }
    assert [family.name for family in found_families(Spec(shipped().path, raw))] == ["course", "group"]


@pytest.mark.corpus
def test_the_public_pages_have_the_three_families() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is absent")
    from specgen.build import build

    spec = Spec(CORPUS / "openapi.yaml", build(CORPUS).document)
    found = {family.name: ids(family) for family in found_families(spec)}
    assert found["course"] == COURSE
    assert set(found["event"]) == set(EVENT) and set(found["group"]) == set(GROUP)
    assert found["group"]["status"] == "groupGetSubscriptionStatus"  # its answer is undocumented there
    # The public event and group pages do not say what joining a private one does: not checkable.
    assert "makes joining a request the managers approve" in (by_name(spec, "event").outside_catalog or "")


# -- what each privacy value means ---------------------------------------------------------------------


def test_the_course_privacy_values_as_the_spec_states_them() -> None:
    course = by_name(shipped(), "course")
    facts = course.privacy
    assert list(facts) == ["", "open", "private", "secret"]
    assert [facts[value].joining for value in facts] == [JOIN, JOIN, REQUEST, INVITATION_ONLY]
    assert [facts[value].anyone_sees for value in facts] == [False, True, True, False]
    assert facts[""].seen_by == ("course_creator", "course_manager")
    assert facts["secret"].seen_by == ("course_invited", "course_member")
    assert facts[""].listed_by == ("course_manager",)
    assert facts["open"].listed_by == () and facts["private"].listed_by == ()
    assert facts["secret"].listed_by == ("course_invited", "course_member")
    assert facts["secret"].invitation_only and not facts["private"].invitation_only
    assert (course.open_privacy, course.approval_privacy) == ("open", "private")
    assert (course.catalog_privacy("public"), course.catalog_privacy("private")) == ("open", "private")


@pytest.mark.parametrize("name", ["event", "group"])
def test_events_and_groups_name_their_values_too(name: str) -> None:
    family = by_name(shipped(), name)
    assert (family.open_privacy, family.approval_privacy) == ("public", "private")
    assert family.privacy["private"].listed_by == (f"{name}_{'subscriber' if name == 'event' else 'member'}",)
    assert family.catalog_privacy("public") == "public"


def test_outside_the_catalog_for_what_the_spec_says() -> None:
    """Every family of the shipped spec can be checked (the catalog's own first); a course's join answering
    200 with the course is read from the spec, not a reason to leave it out."""
    assert [family.name for family in families(shipped())] == ["event", "course", "group"]
    assert outside_catalog(shipped()) == {}
    assert by_name(shipped(), "course").op("join").success_statuses == ("200",)
    raw: dict[str, Any] = copy.deepcopy(dict(shipped().raw))
    del raw["paths"]["/api/v2/group/{id}/subscribe/"]["post"]["x-join"]
    reason = by_name(Spec(shipped().path, raw), "group").outside_catalog
    assert reason == (
        "its `privacy` takes 'public', 'private', and the spec does not say which of them lets anyone see a "
        "resource and join it at once nor which makes joining a request the managers approve (x-access of "
        "its info, x-join of its join); the catalog's rules create one resource of each"
    )


# -- the states, in each family's words ---------------------------------------------------------------


def test_the_states_are_read_from_the_status() -> None:
    course, event, group = (by_name(shipped(), name) for name in ("course", "event", "group"))
    assert course.states.values == ("creator", "manager", "joined", "invited", "requested")
    assert (course.states.member, course.states.creator, course.states.manager) == (
        "joined",
        "creator",
        "manager",
    )
    assert course.states.members == ("creator", "manager", "joined")
    assert course.states.field == "join_status"
    # GET join lists `manager` and `joined` unless `statuses` says otherwise (its description's default).
    assert (course.states.filter, course.states.filter_values) == (
        "statuses",
        ("creator", "manager", "joined"),
    )
    assert course.states.listed == ("manager", "joined")
    for family in (event, group):
        assert (family.states.member, family.states.creator, family.states.manager) == ("subscribed",) * 2 + (
            None,
        )
        assert family.states.field == "subscription_status" and family.states.listed == ("subscribed",)
        assert family.states.filter is None and not family.states.unknown
    assert event.states.meaning("going") == "attendance" and "going" not in event.states.members


def test_facts_a_requirement_may_require() -> None:
    course, event, group = (by_name(shipped(), name) for name in ("course", "event", "group"))
    held = {name for name in FACTS if course.satisfies(name)}
    assert held == {
        "creator_state",
        "creator_stays",
        "hidden_privacy",
        "join_answers_resource",
        "lock_screen",
        "deletes",
    }
    for family in (event, group):
        assert {name for name in FACTS if family.satisfies(name)} == {"private_list_closed", "deletes"}
        assert family.satisfies("!creator_stays") and family.satisfies("info.subscribers_counter")
    assert course.hidden_privacy == ("", "secret")
    assert course.privacy["private"].lock_screen == "CourseMinimal"
    assert course.satisfies("members.statuses") and course.satisfies("role.unjoined")
    assert not course.satisfies("info.subscribers_counter") and not event.satisfies("role.managers")
    with pytest.raises(ValueError, match="names no fact"):
        course.satisfies("!no_such_fact")


def test_a_family_without_a_delete_of_one_resource_has_no_delete_action() -> None:
    """The delete is recognised by what it does (DELETE of one resource, no body): without it the family
    is still one, and requirements that need it (``deletes``) leave it out."""
    raw: dict[str, Any] = copy.deepcopy(dict(shipped().raw))
    for path, item in raw["paths"].items():
        if path.endswith("{id}/"):
            item.pop("delete", None)
    spec = Spec(shipped().path, raw)
    found = {family.name: family for family in found_families(spec)}
    assert set(found) == {"course", "event", "group"}
    assert not any(family.has("delete") or family.satisfies("deletes") for family in found.values())
    # A DELETE that takes a body (a `users` list) on one resource's path is no deletion of it.
    event = shipped().raw["paths"]["/api/v2/event/{id}/invite/"]["delete"]
    raw["paths"]["/api/v2/event/{id}/"]["delete"] = {**copy.deepcopy(event), "operationId": "withBody"}
    assert not by_name(Spec(shipped().path, raw), "event").has("delete")
