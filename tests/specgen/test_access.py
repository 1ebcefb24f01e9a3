"""Access prose of the `:::info` blocks -> x-access (docs/access-language.md), phrase class by class."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from openapi.access import NONE, REQUIRED, AccessClause, AccessCondition, AccessRule, parse_access
from specgen.access import read_access, resource_of


@pytest.mark.parametrize(
    ("prose", "authentication", "roles"),
    [
        (
            "This operation requires authentication and that the user is the manager of the event.",
            REQUIRED,
            ("event_manager",),
        ),
        ("This operation requires authentication.", REQUIRED, ()),
        ("This operation requires authentication", REQUIRED, ()),
        ("This operation require authentication.", REQUIRED, ()),
        ("This operation requires authentication or simply JWT token.", REQUIRED, ()),
        ("This operation does not require authentication.", NONE, ()),
        ("This operation does not require authentication ", NONE, ()),
        ("This operation requires admin role.", REQUIRED, ("admin",)),
        ("This operation requires an admin role.", REQUIRED, ("admin",)),
        ("This operation requires moderation role.", REQUIRED, ("moderator",)),
        ("This operation requires a staff member user.", REQUIRED, ("staff",)),
        (
            "This operation requires authentication and that the user is the course manager.",
            REQUIRED,
            ("course_manager",),
        ),
        ("This operation requires the editor role.", REQUIRED, ("editor",)),
        (
            "This operation requires that the user authenticated is the same as `{user_id}`"
            " or that the user has the admin role.",
            REQUIRED,
            ("self(user_id)", "admin"),
        ),
        (
            "Only the user identified by the \\{id} and the administrators can delete the user.",
            REQUIRED,
            ("self(id)", "admin"),
        ),
        (
            "This operation requires authentication."
            " Accessible only by the user themselves or an administrator.",
            REQUIRED,
            ("self", "admin"),
        ),
        ("Only users with the admin role can register new users.", REQUIRED, ("admin",)),
        (
            "This operation requires authentication. The logged user must be the discussion creator",
            REQUIRED,
            ("discussion_creator",),
        ),
        (
            "This operation requires authentication."
            " The logged user must be the creator of the community (id=1).",
            REQUIRED,
            ("community_creator",),
        ),
        (
            "This operation requires authentication. The logged user must be the message sender.",
            REQUIRED,
            ("message_sender",),
        ),
    ],
)
def test_understood_prose(prose: str, authentication: str, roles: tuple[str, ...]) -> None:
    access = read_access([prose])
    assert (access.authentication, access.roles, access.unparsed) == (authentication, roles, ())


def test_prose_without_access_words_says_nothing() -> None:
    access = read_access(["The results always return users sorted by: first mutuals and then non-mutuals."])
    assert (access.authentication, access.roles, access.stated) == (None, (), False)


def test_no_blocks_says_nothing() -> None:
    assert read_access([]).authentication is None


def x_access(prose: str, resource: str = "event") -> dict[str, Any]:
    access = read_access([prose], resource)
    assert access.unparsed == (), access.unparsed
    return access.access().as_x_access()


def rule(when: dict[str, Any], authentication: str, *roles: str) -> dict[str, Any]:
    return {"when": when, "authentication": authentication, "roles": list(roles)}


PRIVATE_LIST = (
    "This operation does not require authentication and subscription if the event is **public**.\n\n"
    "This operation requires authentication and being subscribed to the event if the event is **private**."
)


@pytest.mark.parametrize(
    ("prose", "resource", "expected"),
    [
        # resource attribute conditions, both branches recorded
        (
            PRIVATE_LIST,
            "event",
            {
                "authentication": NONE,
                "roles": [],
                "rules": [
                    rule({"resource": {"privacy": ["public"]}}, NONE),
                    rule({"resource": {"privacy": ["private"]}}, REQUIRED, "event_subscriber"),
                ],
            },
        ),
        # unseen variants: other resources, other values, several values, no bold
        (
            "This operation requires being a member of the course if the course is **secret**.",
            "course",
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"resource": {"privacy": ["secret"]}}, REQUIRED, "course_member")],
            },
        ),
        (
            "This operation requires being a member of the group if the group is private or secret.",
            "group",
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"resource": {"privacy": ["private", "secret"]}}, REQUIRED, "group_member")],
            },
        ),
        (
            "This operation requires the course manager role if the course is **draft**.",
            "course",
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"resource": {"status": ["draft"]}}, REQUIRED, "course_manager")],
            },
        ),
        # community option condition, and its negation
        (
            "This operation requires authentication only if `content_availability` community option"
            " is false.",
            "event",
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"option": {"content_availability": False}}, REQUIRED)],
            },
        ),
        (
            "This operation does not require authentication only if `configurations.content_availability` is"
            " true.",
            "event",
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"option": {"content_availability": False}}, REQUIRED)],
            },
        ),
        # param presence, and the AND of the default clause with the rule
        (
            "This operation requires only authentication without the `user` param. It requires also that the"
            " user is the manager of\nthe event if the `user` param is passed.",
            "event",
            {
                "authentication": REQUIRED,
                "roles": [],
                "rules": [rule({"param": ["user"]}, REQUIRED, "event_manager")],
            },
        ),
        (
            "This operation requires authentication and that the user is subscribed to the event. It requires"
            " also that the user is the manager of the event if the `users` param is passed.",
            "event",
            {
                "authentication": REQUIRED,
                "roles": ["event_subscriber"],
                "rules": [rule({"param": ["users"]}, REQUIRED, "event_manager")],
            },
        ),
        # relations
        (
            "This operation requires being a member of the group.",
            "group",
            {"authentication": REQUIRED, "roles": ["group_member"]},
        ),
        (
            "This operation requires being a member of the course.",
            "course",
            {"authentication": REQUIRED, "roles": ["course_member"]},
        ),
        (
            "This operation requires authentication and that the user will be going to the event.",
            "event",
            {"authentication": REQUIRED, "roles": ["event_going"]},
        ),
        (
            "This operation requires authentication and that the user will be not going to the event.",
            "event",
            {"authentication": REQUIRED, "roles": ["event_not_going"]},
        ),
        (
            "This operation requires the group manager role.",
            "group",
            {"authentication": REQUIRED, "roles": ["group_manager"]},
        ),
        (
            "This operation requires the creator or manager role.",
            "course",
            {"authentication": REQUIRED, "roles": ["course_creator", "course_manager"]},
        ),
        (
            "This operation requires that the lesson is created by the current user.",
            "lesson",
            {"authentication": REQUIRED, "roles": ["lesson_creator"]},
        ),
        (
            "This operation requires editor or admin role.",
            "event",
            {"authentication": REQUIRED, "roles": ["editor", "admin"]},
        ),
        (
            "This operation requires authentication. The logged user must be followed by recipients.",
            "pm",
            {"authentication": REQUIRED, "roles": ["followed_by_recipients"]},
        ),
        # options, public objects
        (
            "This operation requires authentication.\n\nThis operation requires the community to be set to"
            " friendship mode.",
            "user",
            {"authentication": REQUIRED, "roles": [], "options": {"friendship_mode": True}},
        ),
        (
            "This operation requires `custom_adv_enabled` community option set to true.",
            "custom_adv",
            {"authentication": "optional", "roles": [], "options": {"custom_adv_enabled": True}},
        ),
        (
            'Custom Menus are a "public object" visible both to not authenticated users and in closed'
            " communities.",
            "custom_menu",
            {"authentication": NONE, "roles": [], "public": True},
        ),
        # results: recorded, not access
        (
            "This operation does not require authentication.\n\nReturn only the courses that the current"
            " user can view.",
            "user",
            {
                "authentication": NONE,
                "roles": [],
                "results": ["Return only the courses that the current user can view."],
            },
        ),
        (
            "This operation requires authentication.\n\nIf the logged-in user has a role (e.g. moderator),"
            " the results will include the entire list of platform users.",
            "pm",
            {
                "authentication": REQUIRED,
                "roles": [],
                "results": [
                    "If the logged-in user has a role (e.g. moderator), the results will include the entire"
                    " list of platform users."
                ],
            },
        ),
        (
            "This operation does not require authentication to view only the associations with"
            " show_in_profile set to true.",
            "user",
            {
                "authentication": NONE,
                "roles": [],
                "results": [
                    "This operation does not require authentication to view only the associations with"
                    " show_in_profile set to true."
                ],
            },
        ),
    ],
)
def test_phrasing_classes(prose: str, resource: str, expected: dict[str, Any]) -> None:
    assert x_access(prose, resource) == expected


def test_the_reading_is_the_core_model() -> None:
    """The prose reader builds `openapi.access`'s dataclasses: what it writes, every package reads back."""
    reading = read_access([PRIVATE_LIST])
    public = AccessCondition(resource=(("privacy", ("public",)),))
    private = AccessCondition(resource=(("privacy", ("private",)),))
    assert reading.rules == (
        AccessRule(public, AccessClause(NONE)),
        AccessRule(private, AccessClause(REQUIRED, ("event_subscriber",))),
    )
    access = reading.access()
    assert access.default == AccessClause(NONE) and access.security_level == "optional"
    assert parse_access(access.as_x_access()) == access


def test_every_reading_is_valid_x_access() -> None:
    import jsonschema

    schema = json.loads((Path(__file__).parents[2] / "openapi" / "x_access.schema.json").read_text())
    value = x_access(PRIVATE_LIST)
    jsonschema.validate(value, schema)


def test_unknown_condition_is_reported_and_only_guessed_optional() -> None:
    sentence = "This operation requires authentication if the moon is full and the tide is high."
    access = read_access([sentence])
    assert access.unparsed == (sentence.lower(),)
    assert access.authentication == "optional"
    assert "rules" not in access.access().as_x_access()


def test_caller_named_by_the_request_and_ownership() -> None:
    sentence = (
        "The user who adds the media to the photo gallery must be the same user who uploaded the media."
    )
    assert x_access(sentence, "event") == {"authentication": REQUIRED, "roles": ["media_creator"]}


def test_roles_the_caller_must_also_hold_are_reported_not_merged() -> None:
    prose = (
        "This operation requires authentication and that the user is the manager of the event.\n\n"
        "The user who adds the media to the photo gallery must be the same user who uploaded the media."
    )
    access = read_access([prose], "event")
    assert access.roles == ("event_manager",)
    assert len(access.unparsed) == 1 and "uploaded the media" in access.unparsed[0]


def test_unexplained_words_are_reported() -> None:
    sentence = "The thread is deleted only for the logged user."
    access = read_access([sentence], "pm")
    assert access.unparsed == (sentence.lower(),)
    assert access.authentication is None


def test_negation_of_a_resource_condition_is_not_guessed() -> None:
    access = read_access(["This operation does not require authentication only if the event is public."])
    assert len(access.unparsed) == 1 and access.rules == ()


def test_role_only_prose_implies_authentication() -> None:
    access = read_access(["Only users with the admin role can register new users."])
    assert access.authentication == REQUIRED


def test_other_sentences_of_the_block_are_ignored() -> None:
    access = read_access(
        ['This operation requires admin role.\n\nThe field "tags" is a list of integer category tags ids.']
    )
    assert (access.authentication, access.roles, access.unparsed) == (REQUIRED, ("admin",), ())


@pytest.mark.parametrize(
    ("path", "folder", "resource"),
    [
        ("/api/v2/event/{id}/subscribe/", "event", "event"),
        ("/api/v2/group/{id}/", "group", "group"),
        ("/api/v2/course/{id}/lessons/", "course", "course"),
        ("/other/", "misc", "misc"),
    ],
)
def test_resource_comes_from_the_path(path: str, folder: str, resource: str) -> None:
    assert resource_of(path, folder) == resource
