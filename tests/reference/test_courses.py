"""Courses, the third membership family: the lifecycle of the course pages over real HTTP, on SQLite and
PostgreSQL, every answer validated against the spec (docs/contract.md, section Courses, rules 55–67).

Who may see what (rules 57–59, 67, 68) is in test_course_access.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.reference.conftest import EVENTS, People, SpecClient, event_body
from tests.reference.courses import COURSES, Courses, course_body

GROUPS = "/api/v2/group/"


def test_the_whole_course_lifecycle(courses_on_both: Courses) -> None:
    """Create, request, accept, invite, role changes, removal, leaving: each state as every read shows it."""
    courses = courses_on_both
    people = People(courses.api.accounts)
    creator, requester, guest, other, helper = (
        people.creator, people.requester, people.guest, people.other, people.helper
    )  # fmt: skip
    ids = {name: people.id(name) for name in (creator, requester, guest, other, helper)}

    course = courses.create(creator, privacy="private", description="Readers")
    assert course["join_status"] == "creator" and course["created_by"]["id"] == ids[creator]
    assert course["privacy"] == "private" and course["description"] == "Readers"
    cid = course["id"]
    assert courses.status(cid, creator) == "creator"

    # A private course: joining is a request (200 with the course), accepted by an invitation.
    joined = courses.join(cid, requester)
    assert joined.status_code == 200 and joined.json()["join_status"] == "requested"
    assert courses.status(cid, requester) == "requested"
    assert courses.listed(cid, "request_join", creator) == [ids[requester]]
    assert courses.invite(cid, creator, [ids[requester], ids[guest], ids[other]]).status_code == 204
    assert courses.status(cid, requester) == "joined"
    assert courses.listed(cid, "invite", creator) == [ids[guest], ids[other]]
    assert courses.listed(cid, "request_join", creator) == []

    # The guest accepts; the other invitation is withdrawn.
    accepted = courses.join(cid, guest)
    assert accepted.status_code == 200 and accepted.json()["join_status"] == "joined"
    assert courses.withdraw(cid, creator, [ids[other]]).status_code == 204
    assert courses.status(cid, other) is None

    # Roles: a helper is made a manager directly, and may at once do what managers do.
    assert courses.role(cid, creator, managers=[ids[helper]]).status_code == 204
    assert courses.status(cid, helper) == "manager"
    assert courses.invite(cid, helper, [ids[other]]).status_code == 204
    assert courses.status(cid, other) == "invited"
    assert courses.listed(cid, "join", guest) == [ids[requester], ids[guest], ids[helper]]
    assert courses.members(cid, creator) == [ids[creator], ids[requester], ids[guest], ids[helper]]

    # Removal by a manager (?user=), whatever the state; the creator's own state does not change.
    assert courses.leave(cid, helper, user=ids[guest]).status_code == 204
    assert courses.leave(cid, helper, user=ids[other]).status_code == 204
    assert courses.status(cid, guest) is None and courses.status(cid, other) is None

    # Leaving; a manager who leaves is no longer a manager.
    assert courses.leave(cid, requester).status_code == 204
    assert courses.leave(cid, helper).status_code == 204
    assert courses.status(cid, requester) is None and courses.status(cid, helper) is None
    assert courses.invite(cid, helper, [ids[guest]]).status_code == 403
    assert courses.members(cid, creator) == [ids[creator]]
    assert courses.info(cid, creator).json()["join_status"] == courses.status(cid, creator) == "creator"


def test_creating_a_course(api: SpecClient, courses: Courses, people: People) -> None:
    body = course_body(type="structured", hide_member_count=True, meta_title="Meta")
    response = api.post(COURSES, user=people.creator, json=body)
    assert response.status_code == 201, response.text
    course = response.json()
    assert response.headers["location"].endswith(f"{COURSES}{course['id']}/")
    # The page's defaults: a draft, an empty description; the Course schema's booleans.
    assert course["privacy"] == "" and course["description"] == ""
    assert course["name"] == body["name"] and course["type"] == "structured"
    assert course["hide_member_count"] is True and course["meta_title"] == "Meta"
    assert course["enforce_lessons_order"] is False and course["new_comment_notification_enabled"] is True
    assert course["join_status"] == "creator" and course["categories"] == []
    assert course["created_by"] == {
        "id": people.id(people.creator), "username": people.creator, "real_name": "", "avatar": None,
        "community_badge": False, "deleted": False,
    }  # fmt: skip
    # The default members list is managers and joined users: the creator only when asked for.
    assert courses.listed(course["id"], "join", people.creator) == []
    assert courses.members(course["id"], people.creator, "creator") == [people.id(people.creator)]
    # A slug of one's own is kept.
    slugged = courses.create(people.creator, slug=f"my-course-{course['id']}")
    assert slugged["slug"] == f"my-course-{course['id']}"


def test_a_form_body_creates_a_course_as_json_does(api: SpecClient, courses: Courses, people: People) -> None:
    body = course_body(privacy="", hide_member_count="true", description="By form")
    response = api.post(COURSES, user=people.creator, data=body)
    assert response.status_code == 201, response.text
    course = response.json()
    assert course["privacy"] == "" and course["hide_member_count"] is True
    assert course["description"] == "By form" and courses.status(course["id"], people.creator) == "creator"


def _next_course(courses: Courses, creator: str) -> int:
    """The id of a fresh course: one more than the last course's, so two of them tell whether any course was
    created in between (this server's ids follow each other on one database)."""
    return courses.new(creator, "open")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"type": "self-paced"}, "name"),
        ({"name": "x"}, "type"),
        ({"name": "x", "type": "self-paced", "privacy": "public"}, "privacy"),
        ({"name": "x", "type": "paced"}, "type"),
        ({"name": "x", "type": "self-paced", "hide_member_count": "maybe"}, "hide_member_count"),
        ({"name": "x", "type": "self-paced", "sections_order": [1]}, "sections"),
        ({"name": "x", "type": "self-paced", "slug": "not a slug"}, "slug"),
        ({"name": "x\x00y", "type": "self-paced"}, "NUL"),
    ],
)
def test_invalid_create_bodies_are_400_and_create_nothing(
    api: SpecClient, courses: Courses, people: People, body: dict[str, Any], detail: str
) -> None:
    before = _next_course(courses, people.creator)
    response = api.post(COURSES, user=people.creator, json=body)
    assert response.status_code == 400, response.text
    assert detail in response.json()["detail"]
    assert _next_course(courses, people.creator) == before + 1  # nothing in between


def test_a_create_without_body_or_token(api: SpecClient, people: People) -> None:
    assert api.post(COURSES, user=people.creator).status_code == 400
    assert api.post(COURSES, json=course_body()).status_code == 401


def test_names_and_slugs_are_unique(courses_on_both: Courses) -> None:
    """Reading 70: this server refuses a second course of the same name (400), and a taken slug."""
    courses, api = courses_on_both, courses_on_both.api
    people = People(api.accounts)
    first = courses.create(people.creator)
    again = api.post(COURSES, user=people.other, json=course_body(name=first["name"]))
    assert again.status_code == 400 and "name" in again.json()["detail"]
    taken = api.post(COURSES, user=people.other, json=course_body(slug=first["slug"]))
    assert taken.status_code == 400 and "slug" in taken.json()["detail"]
    # A name longer than any index row holds is stored and compared whole, never a 5xx.
    long_name = "n" * 10_000 + first["name"]
    assert courses.create(people.creator, name=long_name)["name"] == long_name
    assert api.post(COURSES, user=people.creator, json=course_body(name=long_name)).status_code == 400


@pytest.mark.parametrize("path", [COURSES, EVENTS, GROUPS])
def test_a_lone_surrogate_is_400_on_every_family(api: SpecClient, people: People, path: str) -> None:
    """JSON's "\\ud800" escape is no text a database can store: 400, never a 5xx."""
    body = {COURSES: course_body(), EVENTS: event_body(), GROUPS: {"name": "G", "privacy": "public"}}[path]
    raw = json.dumps({**body, "description": "\ud800"}).encode()
    response = api.post(path, user=people.creator, content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and "surrogate" in response.json()["detail"], response.text


def test_categories_name_nothing_this_server_keeps(api: SpecClient, people: People) -> None:
    """Reading 73: the Course schema types `categories` as Category objects; this server keeps none, so an
    empty list is taken and any category is refused (400), as an id that names nothing."""
    category = {"name": "Science", "slug": "science"}
    refused = api.post(COURSES, user=people.creator, json=course_body(categories=[category]))
    assert refused.status_code == 400 and "categories" in refused.json()["detail"]
    assert api.post(COURSES, user=people.creator, json=course_body(categories=[])).status_code == 201


@pytest.mark.parametrize("privacy", ["", "open", "private", "secret"])
def test_an_invitation_is_accepted_on_every_privacy(courses: Courses, people: People, privacy: str) -> None:
    course = courses.new(people.creator, privacy)
    assert courses.invite(course, people.creator, [people.id(people.guest)]).status_code == 204
    assert courses.listed(course, "invite", people.creator) == [people.id(people.guest)]
    answer = courses.join(course, people.guest)
    assert answer.status_code == 200, answer.text
    assert answer.json()["id"] == course and answer.json()["join_status"] == "joined"
    assert courses.members(course, people.creator, "joined") == [people.id(people.guest)]
    assert courses.listed(course, "invite", people.creator) == []
    # The status is for those who see the course (rule 67): a draft shows to its creator and managers only.
    seen = courses.api.get(f"{COURSES}{course}/status/", user=people.guest)
    if privacy == "":
        assert seen.status_code == 404
    else:
        assert seen.json() == {"status": "joined"}


@pytest.mark.parametrize(("privacy", "state"), [("open", "joined"), ("private", "requested")])
def test_joining_without_an_invitation(courses: Courses, people: People, privacy: str, state: str) -> None:
    course = courses.new(people.creator, privacy)
    for _ in range(2):  # joining again keeps the state
        answer = courses.join(course, people.alice)
        assert answer.status_code == 200 and answer.json()["join_status"] == state
        assert courses.status(course, people.alice) == state


@pytest.mark.parametrize("privacy", ["", "secret"])
def test_a_course_hidden_from_the_caller_cannot_be_joined(
    courses: Courses, people: People, privacy: str
) -> None:
    """Rule 61 and reading 68: a secret course only takes invitations, a draft only shows to its managers;
    anyone else is answered 404, as if it did not exist, and nothing changes."""
    course = courses.new(people.creator, privacy)
    answer = courses.join(course, people.alice)
    assert answer.status_code == 404, answer.text
    assert courses.status(course, people.creator) == "creator"
    assert courses.listed(course, "request_join", people.creator) == []
    assert courses.members(course, people.creator) == [people.id(people.creator)]


def test_members_keep_their_state_when_joining(courses: Courses, people: People) -> None:
    course = courses.new(people.creator, "open")
    assert courses.role(course, people.creator, managers=[people.id(people.helper)]).status_code == 204
    for user, state in ((people.creator, "creator"), (people.helper, "manager")):
        answer = courses.join(course, user)
        assert answer.status_code == 200 and answer.json()["join_status"] == state
        assert courses.status(course, user) == state


def test_inviting_accepts_requests_and_keeps_members(courses: Courses, people: People) -> None:
    course = courses.new(people.creator, "private")
    courses.join(course, people.asker)
    courses.join(course, people.guest)
    courses.invite(course, people.creator, [people.id(people.guest)])
    assert courses.role(course, people.creator, managers=[people.id(people.helper)]).status_code == 204
    everyone = [people.id(name) for name in (people.creator, people.helper, people.guest, people.asker)]
    assert courses.invite(course, people.creator, [*everyone, people.id(people.alice)]).status_code == 204
    assert [courses.status(course, name) for name in (people.creator, people.helper, people.guest)] == [
        "creator", "manager", "joined",
    ]  # fmt: skip
    assert courses.status(course, people.asker) == "joined"
    assert courses.listed(course, "invite", people.creator) == [people.id(people.alice)]
    # Never invited twice; withdrawing leaves members alone.
    assert courses.invite(course, people.creator, [people.id(people.alice)]).status_code == 204
    assert courses.listed(course, "invite", people.creator) == [people.id(people.alice)]
    assert courses.withdraw(course, people.creator, everyone).status_code == 204
    assert courses.status(course, people.guest) == "joined"
    assert courses.listed(course, "invite", people.creator) == [people.id(people.alice)]


def test_invited_users_are_listed_with_the_page_s_attributes(courses: Courses, people: People) -> None:
    """ "Every items will contain only the following attributes: id, username, real_name, ext_id and avatar"
    (this server keeps no ext_id)."""
    course = courses.new(people.creator, "private")
    courses.invite(course, people.creator, [people.id(people.guest)])
    [item] = courses.page(course, "invite", people.creator).json()["results"]
    assert item == {"id": people.id(people.guest), "username": people.guest, "real_name": "", "avatar": None}


@pytest.mark.parametrize("state", ["joined", "manager", "invited", "requested"])
def test_leaving_from_every_state(courses: Courses, people: People, state: str) -> None:
    """Rule 62: the caller leaves, withdraws the request or declines the invitation; a manager's role ends."""
    course = courses.new(people.creator, "private")
    user = people.alice
    if state == "requested":
        courses.join(course, user)
    elif state == "invited":
        courses.invite(course, people.creator, [people.id(user)])
    else:
        courses.role(
            course, people.creator, **{"managers" if state == "manager" else "joined": [people.id(user)]}
        )
    assert courses.status(course, user) == state
    assert courses.leave(course, user).status_code == 204
    assert courses.status(course, user) is None
    assert courses.members(course, people.creator) == [people.id(people.creator)]


def test_the_creator_cannot_leave(courses: Courses, people: People) -> None:
    course = courses.new(people.creator, "open")
    refused = courses.leave(course, people.creator)
    assert refused.status_code == 403 and "creator" in refused.json()["detail"]
    assert courses.status(course, people.creator) == "creator"


@pytest.mark.parametrize("state", ["joined", "manager", "invited", "requested"])
def test_a_manager_removes_a_user_in_any_state(courses: Courses, people: People, state: str) -> None:
    course = courses.new(people.creator, "private")
    courses.role(course, people.creator, managers=[people.id(people.helper)])
    target = people.id(people.target)
    if state == "requested":
        courses.join(course, people.target)
    elif state == "invited":
        courses.invite(course, people.creator, [target])
    else:
        courses.role(course, people.creator, **{"managers" if state == "manager" else "joined": [target]})
    for remover in (people.helper, people.creator):
        assert courses.leave(course, remover, user=target).status_code == 204
        assert courses.status(course, people.target) is None
        courses.invite(course, people.creator, [target])
    assert courses.status(course, people.helper) == "manager"
    assert courses.status(course, people.creator) == "creator"


def test_the_creator_cannot_be_removed(courses: Courses, people: People) -> None:
    """Rule 66 and reading 69: this server answers 400 and changes nothing, whoever asks."""
    course = courses.new(people.creator, "open")
    courses.role(course, people.creator, managers=[people.id(people.helper)])
    for remover in (people.helper, people.creator):
        refused = courses.leave(course, remover, user=people.id(people.creator))
        assert refused.status_code == 400 and "creator" in refused.json()["detail"]
        assert courses.status(course, people.creator) == "creator"


def test_removal_refusals(courses: Courses, people: People) -> None:
    course = courses.new(people.creator, "open")
    courses.join(course, people.member)
    courses.join(course, people.alice)
    # A member is no manager: 403; an unknown user: 400 (reading 73, rule 46); no token: 401.
    forbidden = courses.leave(course, people.member, user=people.id(people.alice))
    assert forbidden.status_code == 403
    assert courses.leave(course, people.creator, user=10**15).status_code == 400
    assert courses.leave(course, None, user=people.id(people.alice)).status_code == 401
    assert courses.status(course, people.alice) == "joined"


def test_roles_change_at_once(courses: Courses, people: People) -> None:
    """Rule 64: managers, joined and unjoined in one request; each takes effect on the next one."""
    course = courses.new(people.creator, "private")
    promoted, demoted, dropped = (
        people.id(people.promoted),
        people.id(people.demoted),
        people.id(people.dropped),
    )
    courses.join(course, people.dropped)  # a request
    assert courses.role(course, people.creator, managers=[demoted]).status_code == 204
    assert courses.invite(course, people.demoted, [people.id(people.alice)]).status_code == 204
    changed = courses.role(course, people.demoted, managers=[promoted], joined=[demoted], unjoined=[dropped])
    assert changed.status_code == 204 and changed.content == b""
    assert courses.status(course, people.promoted) == "manager"
    assert courses.status(course, people.demoted) == "joined"
    assert courses.status(course, people.dropped) is None
    # The demoted manager lost the role at once; the new one has it.
    assert courses.invite(course, people.demoted, [people.id(people.bob)]).status_code == 403
    assert courses.listed(course, "invite", people.promoted) == [people.id(people.alice)]
    # Each change lists the user as the newest of their state.
    assert courses.members(course, people.creator, "manager", "joined") == [promoted, demoted]
    assert courses.role(course, people.creator, joined=[promoted]).status_code == 204
    assert courses.members(course, people.creator, "manager", "joined") == [demoted, promoted]
    # Unchanged states stay; empty lists change nothing.
    assert courses.role(course, people.creator, joined=[promoted], managers=[]).status_code == 204
    assert courses.members(course, people.creator) == [people.id(people.creator), demoted, promoted]


@pytest.mark.parametrize(
    "body",
    [
        None,
        {},
        {"managers": [10**15]},
        {"joined": ["abc"]},
        {"unjoined": 5},
        {"managers": ["{user}"], "joined": ["{user}"]},
        {"managers": ["{user}"], "unjoined": ["{creator}"]},
        {"joined": ["{creator}"]},
        {"managers": ["{creator}"]},
    ],
)
def test_bad_role_changes_are_400_and_change_nothing(
    api: SpecClient, courses: Courses, people: People, body: dict[str, Any] | None
) -> None:
    """At least one list; every id names a user; a user in one list only; never the creator (rule 66,
    reading 69: 400); all or nothing."""
    course = courses.new(people.creator, "open")
    user, creator = people.id(people.user), people.id(people.creator)
    courses.join(course, people.user)
    if body is not None:
        body = {
            name: [{"{user}": user, "{creator}": creator}.get(item, item) for item in value]
            if isinstance(value, list) else value
            for name, value in body.items()
        }  # fmt: skip
    response = api.post(f"{COURSES}{course}/role/", user=people.creator, json=body)
    assert response.status_code == 400, response.text
    assert courses.status(course, people.user) == "joined"
    assert courses.status(course, people.creator) == "creator"


def test_role_changes_from_a_form(api: SpecClient, courses: Courses, people: People) -> None:
    course = courses.new(people.creator, "open")
    form = {"managers": [str(people.id(people.alice)), str(people.id(people.bob))]}
    assert api.post(f"{COURSES}{course}/role/", user=people.creator, data=form).status_code == 204
    assert courses.status(course, people.alice) == courses.status(course, people.bob) == "manager"


@pytest.mark.parametrize("field", ["managers", "joined", "unjoined"])
def test_role_changes_are_for_the_creator_and_managers(courses: Courses, people: People, field: str) -> None:
    course = courses.new(people.creator, "open")
    courses.join(course, people.member)
    target = people.id(people.alice)
    assert courses.role(course, people.member, **{field: [target]}).status_code == 403
    assert courses.role(course, None, **{field: [target]}).status_code == 401
    assert courses.status(course, people.alice) is None
    assert courses.status(course, people.member) == "joined"


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("", ["helper", "member"]),
        ("?statuses=creator", ["creator"]),
        ("?statuses=joined", ["member"]),
        ("?statuses=manager&statuses=creator", ["creator", "helper"]),
        ("?statuses=creator,joined", ["creator", "member"]),
        ('?statuses=["manager","joined"]', ["helper", "member"]),
        ("?statuses=creator,manager,joined&limit=2", ["creator", "helper"]),
    ],
)
def test_the_members_list_takes_statuses(
    api: SpecClient, courses: Courses, people: People, query: str, listed: list[str]
) -> None:
    """Rule 65: by default managers and joined users; `statuses` repeated, comma-separated (as the official
    client sends a list) or as a JSON list."""
    course = courses.new(people.creator, "open")
    courses.role(course, people.creator, managers=[people.id(people.helper)])
    courses.join(course, people.member)
    courses.join(course, people.requester)  # open: joined at once
    courses.leave(course, people.requester)
    response = api.get(f"{COURSES}{course}/join/{query}", user=people.member)
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["results"]] == [
        people.id(getattr(people, n)) for n in listed
    ]
    assert set(response.json()["results"][0]) == {
        "id",
        "username",
        "real_name",
        "avatar",
        "community_badge",
        "deleted",
    }


@pytest.mark.parametrize("value", ["invited", "requested", "creator,owner", '["creator", 1]', "[oops"])
def test_statuses_outside_the_member_states_are_400(
    api: SpecClient, courses: Courses, people: People, value: str
) -> None:
    course = courses.new(people.creator, "open")
    response = api.get(f"{COURSES}{course}/join/", user=people.creator, params={"statuses": value})
    assert response.status_code == 400, response.text
    assert "statuses" in response.json()["detail"]


def test_lists_are_paginated_with_statuses_kept(api: SpecClient, courses: Courses, people: People) -> None:
    course = courses.new(people.creator, "open")
    joiners = [getattr(people, f"joiner{number}") for number in range(3)]
    for joiner in joiners:
        courses.join(course, joiner)
    first = courses.page(course, "join", people.creator, statuses="creator,joined", limit=2).json()
    assert first["count"] == 4 and len(first["results"]) == 2
    second = api.get(first["next"], user=people.creator).json()
    assert [item["id"] for item in first["results"] + second["results"]] == [
        people.id(name) for name in (people.creator, *joiners)
    ]
    assert second["next"] is None


def test_status_and_join_status_agree(courses: Courses, people: People) -> None:
    course = courses.new(people.creator, "private")
    courses.join(course, people.asker)
    courses.invite(course, people.creator, [people.id(people.guest)])
    courses.role(
        course, people.creator, managers=[people.id(people.helper)], joined=[people.id(people.member)]
    )
    for user in (people.creator, people.helper, people.member, people.guest, people.asker, people.outsider):
        assert courses.info(course, user).json()["join_status"] == courses.status(course, user)


def test_unknown_courses_are_404(api: SpecClient, courses: Courses, people: People) -> None:
    for method, tail in (
        ("GET", ""),
        ("GET", "status/"),
        ("POST", "join/"),
        ("GET", "join/"),
        ("POST", "role/"),
    ):
        for course in (10**15, "abc", 2**70):
            response = api.request(
                method, f"{COURSES}{course}/{tail}", user=people.alice, json={"managers": []}
            )
            assert response.status_code == 404, (method, tail, course, response.text)


def test_courses_events_and_groups_are_separate_families(
    api: SpecClient, courses: Courses, people: People
) -> None:
    course = courses.new(people.creator, "private")
    event = api.create_event(people.creator, privacy="private")
    group = api.post(GROUPS, user=people.creator, json={"name": "G", "privacy": "private"}).json()["id"]
    invitee = people.id(people.invitee)
    assert courses.invite(course, people.creator, [invitee]).status_code == 204
    assert courses.status(course, people.invitee) == "invited"
    assert api.status(event, people.invitee) is None
    assert api.get(f"{GROUPS}{group}/status/", user=people.invitee).json() == {"status": None}
    assert api.get(f"{EVENTS}{event}/status/", user=people.creator).json() == {"status": "subscribed"}
