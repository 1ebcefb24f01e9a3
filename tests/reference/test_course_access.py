"""Who may see and do what on a course (docs/contract.md, rules 55, 57–59, 67, 68, 71, 72), as the x-access
of the course operations says and the reference server enforces it: the four `privacy` values, the lock
screen, `hide_member_count`, the views and `user` emulation, the status for viewers only, the creator and
the managers, `courses_only_staff_enabled`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from schemathesis.schemas import BaseSchema

from openapi.document import Spec
from reference_impl.settings import SPEC_PATH
from tests.conftest import ReferenceServerFactory
from tests.reference.conftest import People, SpecClient, spec_client
from tests.reference.courses import COURSES, Courses, course_body

#: What a course's info holds beyond its basic data (the Course User Detail, not the Course Minimal).
DETAIL_ONLY = set(Spec(SPEC_PATH).schema_properties("CourseUserDetail")) - set(
    Spec(SPEC_PATH).schema_properties("CourseMinimal")
)


def _cast(courses: Courses, people: People, privacy: str, **fields: object) -> int:
    """A course with a creator, a manager, a joined member, an invited user and (where joining may be a
    request) a requester; `people.outsider` has no relation to it."""
    course = courses.new(people.creator, privacy, **fields)
    courses.role(
        course, people.creator, managers=[people.id(people.manager)], joined=[people.id(people.member)]
    )
    courses.invite(course, people.creator, [people.id(people.invited)])
    return course


VISIBILITY = {
    # privacy: who gets 200 on GET /course/{id}/ (anonymous is None; the others 403, anonymous 401)
    "": {"creator", "manager"},
    "open": {"creator", "manager", "member", "invited", "outsider", None},
    "private": {"creator", "manager", "member", "invited", "outsider", None},
    "secret": {"creator", "manager", "member", "invited"},
}


@pytest.mark.parametrize("privacy", list(VISIBILITY))
def test_who_sees_a_course(courses: Courses, people: People, privacy: str) -> None:
    """Rule 58: a draft for its creator and managers; open and private for anyone (content_availability
    unset is true); secret for its members and invited users. Refused: 403 (the info's x-access has no
    `refused`), anonymous 401."""
    course = _cast(courses, people, privacy)
    for role in ("creator", "manager", "member", "invited", "outsider", None):
        answer = courses.info(course, getattr(people, role) if role else None)
        if role in VISIBILITY[privacy]:
            assert answer.status_code == 200, (role, answer.text)
            assert answer.json()["id"] == course and answer.json()["privacy"] == privacy
        else:
            assert answer.status_code == (403 if role else 401), (role, answer.text)


def test_the_lock_screen_of_a_private_course(courses: Courses, people: People) -> None:
    """Reading 72: this server answers a non-member of a private course the Course Minimal (basic data);
    members get the whole Course User Detail. An open course shows every caller the whole detail."""
    private = _cast(courses, people, "private", description="Secret sauce")
    courses.join(private, people.requester)
    for role in ("outsider", "invited", "requester", None):
        body = courses.info(private, getattr(people, role) if role else None).json()
        assert not DETAIL_ONLY & set(body), (role, body)
        assert body["name"] and body["type"] == "self-paced" and "description" not in body
    for role in ("creator", "manager", "member"):
        body = courses.info(private, getattr(people, role)).json()
        assert body["description"] == "Secret sauce" and body["sections"] == [] and body["num_lessons"] == 0
    opened = courses.new(people.creator, "open", description="Open sauce")
    assert courses.info(opened).json()["description"] == "Open sauce"


def test_views_need_the_creator_or_a_manager(courses: Courses, people: People) -> None:
    """`view=edit` (Course Detail) and `view=dashboard` (Course Dashboard) need the creator or a manager."""
    course = _cast(courses, people, "open")
    for role in ("creator", "manager"):
        edit = courses.info(course, getattr(people, role), view="edit")
        assert edit.status_code == 200 and edit.json()["sections"] == [] and edit.json()["num_sections"] == 0
        dashboard = courses.info(course, getattr(people, role), view="dashboard")
        assert dashboard.status_code == 200 and dashboard.json()["avg_completion_rate"] == 0
        assert "description" not in dashboard.json()  # not a Course Dashboard property
    for view in ("edit", "dashboard"):
        assert courses.info(course, people.member, view=view).status_code == 403
        assert courses.info(course, None, view=view).status_code == 401
    assert courses.info(course, people.member, view="user").status_code == 200
    assert courses.info(course, people.member, view="owner").status_code == 400


def test_emulating_a_user(courses: Courses, people: People) -> None:
    """`user` (a query parameter, docs/errata.md) needs the creator or a manager; the answer is the course
    as that user sees it: their join_status, their lock screen."""
    course = _cast(courses, people, "private")
    as_outsider = courses.info(course, people.manager, user=people.id(people.outsider)).json()
    assert as_outsider["join_status"] is None and "description" not in as_outsider
    as_member = courses.info(course, people.creator, user=people.id(people.member)).json()
    assert as_member["join_status"] == "joined" and "description" in as_member
    assert courses.info(course, people.member, user=people.id(people.outsider)).status_code == 403
    assert courses.info(course, None, user=people.id(people.outsider)).status_code == 401
    # A user that names nobody: 400 (reading 73, rule 46).
    assert courses.info(course, people.creator, user=10**15).status_code == 400


#: Who may list the members when hide_member_count is false: by privacy, the same callers as see the course
#: (a draft's "only managers" counts the creator, reading 71).
MEMBER_LISTS = VISIBILITY


@pytest.mark.parametrize("privacy", list(MEMBER_LISTS))
@pytest.mark.parametrize("hidden", [False, True])
def test_who_lists_the_members(courses: Courses, people: People, privacy: str, hidden: bool) -> None:
    """Rule 59: with hide_member_count only the creator and managers; otherwise by privacy (a draft's: its
    managers, the creator among them, reading 71)."""
    course = _cast(courses, people, privacy, hide_member_count=hidden)
    allowed = {"creator", "manager"} if hidden else MEMBER_LISTS[privacy]
    for role in ("creator", "manager", "member", "invited", "outsider", None):
        answer = courses.page(course, "join", getattr(people, role) if role else None)
        if role in allowed:
            assert answer.status_code == 200, (role, answer.text)
            assert [item["id"] for item in answer.json()["results"]] == [
                people.id(people.manager), people.id(people.member)
            ]  # fmt: skip
        else:
            assert answer.status_code == (403 if role else 401), (role, answer.text)


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [
        ("POST", "invite/", {"users": ["{target}"]}),
        ("DELETE", "invite/", {"users": ["{invited}"]}),
        ("GET", "invite/", None),
        ("GET", "request_join/", None),
        ("POST", "role/", {"joined": ["{target}"]}),
    ],
)
def test_the_creator_and_managers_alone_manage(
    api: SpecClient,
    courses: Courses,
    people: People,
    method: str,
    tail: str,
    body: dict[str, list[str]] | None,
) -> None:
    """Rule 57: any other caller gets 403 (anonymous 401) and nothing changes; the creator and a manager
    may."""
    course = _cast(courses, people, "private")
    names = {"{target}": people.id(people.target), "{invited}": people.id(people.invited)}
    json = {key: [names[item] for item in items] for key, items in body.items()} if body else None
    for role in ("member", "invited", "outsider"):
        refused = api.request(method, f"{COURSES}{course}/{tail}", user=getattr(people, role), json=json)
        assert refused.status_code == 403, (role, refused.text)
    assert api.request(method, f"{COURSES}{course}/{tail}", json=json).status_code == 401
    assert courses.status(course, people.target) is None
    assert courses.status(course, people.invited) == "invited"
    for role in ("manager", "creator"):
        allowed = api.request(method, f"{COURSES}{course}/{tail}", user=getattr(people, role), json=json)
        assert allowed.status_code in (200, 204), (role, allowed.text)


@pytest.mark.parametrize("privacy", list(VISIBILITY))
def test_the_status_is_for_those_who_see_the_course(courses: Courses, people: People, privacy: str) -> None:
    """Rule 67: authentication (401), then 404 for a caller who may not see the course."""
    course = _cast(courses, people, privacy)
    for role in ("creator", "manager", "member", "invited", "outsider"):
        answer = courses.api.get(f"{COURSES}{course}/status/", user=getattr(people, role))
        if role in VISIBILITY[privacy]:
            assert answer.status_code == 200, (role, answer.text)
        else:
            assert answer.status_code == 404, (role, answer.text)
            assert answer.json()["detail"] == f"No course with id {course}."
    assert courses.api.get(f"{COURSES}{course}/status/").status_code == 401


def test_join_and_leave_need_a_token(courses: Courses, people: People) -> None:
    course = courses.new(people.creator, "open")
    assert courses.join(course, None).status_code == 401
    assert courses.leave(course, None).status_code == 401


@pytest.fixture
def with_option(
    request: pytest.FixtureRequest, reference_server_factory: ReferenceServerFactory, api_schema: BaseSchema
) -> Iterator[SpecClient]:
    """A server of its own, with the community option the test names (``NAME=VALUE``, indirect)."""
    server = reference_server_factory(args=("--community-option", request.param))
    with spec_client(server, api_schema) as client:
        yield client


@pytest.mark.parametrize("with_option", ["courses_only_staff_enabled=true"], indirect=True)
def test_only_staff_create_courses_when_the_option_says_so(with_option: SpecClient) -> None:
    """Rule 55: with `courses_only_staff_enabled` true anyone else gets 403 and nothing is created."""
    staff_only = with_option
    refused = staff_only.post(COURSES, user="maker", json=course_body(name="Staff course"))
    assert refused.status_code == 403 and "staff" in refused.json()["detail"]
    staff_only.accounts.make_staff("maker")
    created = staff_only.post(COURSES, user="maker", json=course_body(name="Staff course"))
    assert created.status_code == 201, created.text  # the name was not taken by the refused request
    # Events and groups are not concerned by the option.
    assert staff_only.create_event("someone") > 0


def test_anyone_creates_courses_by_default(api: SpecClient, people: People) -> None:
    assert api.post(COURSES, user=people.anyone, json=course_body()).status_code == 201


@pytest.mark.parametrize("with_option", ["content_availability=false"], indirect=True)
def test_closed_content_requires_authentication_for_course_info(with_option: SpecClient) -> None:
    courses = Courses(with_option)
    course = courses.new("creator", "open")
    refused = courses.info(course)
    assert refused.status_code == 401 and "content_availability" in refused.json()["detail"]
    assert courses.info(course, "reader").status_code == 200
    # The member list of an open course stays open (its x-access names no option).
    assert courses.page(course, "join", None).status_code == 200
