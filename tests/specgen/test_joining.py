"""`x-join` from the sentences of a join page (docs/join-language.md), and the course pages as built."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openapi.access import AccessCondition
from openapi.joining import INVITATION_ONLY, JOIN, REQUEST, Joining, JoinRule
from specgen.access_phrases import Terms
from specgen.build import build
from specgen.joining import outcome_of, read_join
from specgen.lint import lint_pages
from tests.specgen.conftest import WriteDocs
from tests.specgen.pagekit import endpoint

DOCS = Path(__file__).parents[2] / "docs" / "apireference" / "v2"
COURSE = Terms("course")
COURSE_JOIN_INTRO = [
    "This endpoint allows users to join or to accept the invite to join a specific course.<br/>\n"
    "It will request to join the course if the course is `private`.<br/>\n"
    "If the course is `secret` then the user can only accept an invitation (cause non-members will not see "
    "that this course\nexists unless the user has been invited to participate in the course)."
]


def privacy(*values: str) -> AccessCondition:
    return AccessCondition(resource=(("privacy", values),))


def test_the_course_join_page() -> None:
    reading = read_join(COURSE_JOIN_INTRO, COURSE)
    assert reading.unparsed == ()
    assert reading.joining == Joining(
        JOIN, (JoinRule(privacy("private"), REQUEST), JoinRule(privacy("secret"), INVITATION_ONLY))
    )


def test_our_event_join_page_states_both_values() -> None:
    intro = [
        "Lets the calling user join the event identified by `{id}`, or accept an invitation to it. "
        "The caller becomes a subscriber at once\nif the event is `public`. It will request to join the "
        "event if the event is `private`; the request waits for the\nmanager's approval."
    ]
    reading = read_join(intro, Terms("event"))
    assert reading.joining == Joining(
        JOIN, (JoinRule(privacy("public"), JOIN), JoinRule(privacy("private"), REQUEST))
    )


@pytest.mark.parametrize(
    "intro",
    [
        "This endpoint allows users to leave the course identified by `{id}`. If the user didn't joined the "
        "course but has requested to join a course with private access then remove the request to join.",
        "This endpoint allows user creator or managers to invite or accept users to the course.",
        "",
    ],
)
def test_pages_that_do_not_let_users_join_have_none(intro: str) -> None:
    assert read_join([intro] if intro else [], COURSE).joining is None


def test_a_conditional_sentence_about_joining_that_is_not_read_is_reported() -> None:
    intro = [
        "Lets users join the course. If the course is `private` a moderator reviews every request to join."
    ]
    reading = read_join(intro, COURSE)
    assert reading.joining == Joining(JOIN)
    assert reading.unparsed == ("if the course is private a moderator reviews every request to join.",)


@pytest.mark.parametrize(
    ("phrase", "outcome"),
    [
        ("it will request to join the course", REQUEST),
        ("the user makes a request to join the course", REQUEST),
        ("then the user can only accept an invitation (cause non-members will not see it)", None),
        ("the user can only accept an invitation (cause non-members will not see it)", INVITATION_ONLY),
        ("the caller becomes a subscriber at once", JOIN),
        ("anyone can join the course", JOIN),
        ("the user leaves the course", None),
    ],
)
def test_outcome_phrases(phrase: str, outcome: str | None) -> None:
    assert outcome_of(phrase) == outcome


def test_a_built_join_page_carries_x_join(write_docs: WriteDocs) -> None:
    page = endpoint(
        method="POST", path="/api/v2/thing/{id}/join/", responses="| 204 | No Content | ok | None |"
    )
    intro = "Lets users join the thing. It will request to join the thing if the thing is `private`."
    docs = write_docs({"thing/join.md": page.replace("Does something with a thing.", intro)})
    operation = build(docs).document["paths"]["/api/v2/thing/{id}/join/"]["post"]
    assert operation["x-join"] == {
        "outcome": "join",
        "rules": [{"when": {"resource": {"privacy": ["private"]}}, "outcome": "request"}],
    }
    assert list(operation)[list(operation).index("x-access") + 1] == "x-join"


# -- what the generator makes of the public pages' shapes -----------------------------------------------

VARIANTS = """
## Responses

### view = user

| Status | Meaning | Description | Schema |
|--------|---------|-------------|--------|
| 200 | OK | Response status code | [Thing](/docs/apireference/v2/schemas/thing) |

### view = edit

| Status | Meaning | Description | Schema |
|--------|---------|-------------|--------|
| 200 | OK | Response status code | [Other](/docs/apireference/v2/schemas/other) |
| 404 | Not Found | Gone | None |

### view = again

| Status | Meaning | Description | Schema |
|--------|---------|-------------|--------|
| 200 | OK | Response status code | [Thing](/docs/apireference/v2/schemas/thing) |
"""


def test_one_table_per_variant_is_any_of_them(write_docs: WriteDocs) -> None:
    page = endpoint().split("## Responses")[0] + VARIANTS
    other = "---\ntitle: Other\n---\n\n#### Properties\n\n"
    other += "| Name | Type | Required | Restrictions | Description |\n|---|---|---|---|---|\n"
    other += "| size | integer | false | none | Size |\n"
    built = build(write_docs({"thing/get.md": page, "schemas/other.md": other}))
    responses = built.document["paths"]["/api/v2/thing/{id}/"]["get"]["responses"]
    assert responses["200"] == {
        "description": "Response status code",
        "content": {
            "application/json": {
                "schema": {
                    "anyOf": [{"$ref": "#/components/schemas/Thing"}, {"$ref": "#/components/schemas/Other"}]
                }
            }
        },
    }
    assert responses["404"]["description"] == "Gone"
    assert not [finding for finding in built.findings if finding.rule == "duplicate-row"]


def test_an_empty_enumerated_value_is_the_empty_string(write_docs: WriteDocs) -> None:
    schema = """---
title: Course
---

#### Properties

| Name | Type | Required | Restrictions | Description |
|---|---|---|---|---|
| privacy | [privacy](/docs/apireference/v2/schemas/course#enumerated-values) | false | none | Privacy |

#### Enumerated Values

| Property | Value | Description |
|---|---|---|
| privacy |  | Draft |
| privacy | open | Open |
"""
    built = build(write_docs({"schemas/course.md": schema}))
    properties = built.document["components"]["schemas"]["Course"]["properties"]
    assert properties["privacy"]["enum"] == ["", "open"]


# -- the course pages of docs/ --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def course() -> dict[str, Any]:
    built = build(DOCS)
    rels = [p.relative_to(DOCS).as_posix() for p in (DOCS / "course").glob("*.md")]
    findings = [f for f in [*built.findings, *lint_pages(built.pages)] if f.file in rels]
    assert findings == [], "the course pages build without a finding (no access-unparsed among them)"
    return {
        "paths": {p: item for p, item in built.document["paths"].items() if p.startswith("/api/v2/course/")},
        "schemas": built.document["components"]["schemas"],
        "ids": [built.operations[rel] for rel in rels],
    }


def test_the_twelve_course_pages_are_operations(course: dict[str, Any]) -> None:
    assert sorted(course["ids"]) == [
        "changeUserRoleCourse",
        "createACourse",
        "deleteACourse",
        "getCourseInfo",
        "getCourseInvitedUsers",
        "getCourseJoinedUsers",
        "getCourseStatus",
        "getCourseUsersToApprove",
        "inviteUsersToCourse",
        "joinOrAcceptInviteToCourse",
        "leaveACourse",
        "removeInvitationToCourse",
    ]


def test_course_pages_as_built(course: dict[str, Any]) -> None:
    paths, schemas = course["paths"], course["schemas"]
    assert schemas["Course"]["properties"]["privacy"]["enum"] == ["", "open", "private", "secret"]
    join = paths["/api/v2/course/{id}/join/"]
    assert join["post"]["x-join"]["rules"][1] == {
        "when": {"resource": {"privacy": ["secret"]}},
        "outcome": "invitation_only",
    }
    assert list(join["post"]["responses"]) == ["200", "401", "404"]
    leave_user = [p for p in join["delete"]["parameters"] if p["name"] == "user"]
    assert leave_user == [{**leave_user[0], "in": "query", "required": False}]
    info = paths["/api/v2/course/{id}/"]["get"]
    assert [p["in"] for p in info["parameters"] if p["name"] in ("view", "user")] == ["query", "query"]
    variants = info["responses"]["200"]["content"]["application/json"]["schema"]["anyOf"]
    assert [v["$ref"].rsplit("/", 1)[1] for v in variants] == [
        "CourseUserDetail",
        "CourseDetail",
        "CourseDashboard",
    ]
    ids = [
        p
        for item in paths.values()
        for op in item.values()
        for p in op.get("parameters", [])
        if p["name"] == "id"
    ]
    assert ids and all(p["schema"] == {"type": "integer"} for p in ids)
    assert "x-join" not in paths["/api/v2/course/{id}/invite/"]["post"]
