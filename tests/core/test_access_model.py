"""The x-access model of the contract core (openapi/access.py): every construct parsed, validated against
x_access.schema.json, and written back exactly; malformed values rejected with the place named."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from openapi.access import (
    CONSTRUCTS,
    EMPTY,
    FORBIDDEN,
    HIDDEN,
    NONE,
    OPTIONAL,
    REQUIRED,
    AccessClause,
    AccessCondition,
    AccessError,
    AccessRule,
    Role,
    attribute_of,
    named_resources,
    parse_access,
    parse_role,
    problems,
)
from openapi.document import shipped

#: One value that uses every construct of the language.
EVERYTHING: dict[str, Any] = {
    "authentication": "required",
    "roles": ["course_member", "course_creator", "course_manager"],
    "all_roles": ["lesson_viewer"],
    "refused": "hidden",
    "rules": [
        {
            "when": {"resource": {"lesson.comments_enabled": [False]}},
            "authentication": "required",
            "roles": [],
            "nobody": True,
            "refused": "empty",
        },
        {
            "when": {"not": {"resource": {"lesson.status": ["published"]}}},
            "authentication": "required",
            "roles": ["course_creator", "course_manager"],
        },
        {
            "when": {
                "resource": {"hide_member_count": [False], "privacy": [""]},
                "param": ["user"],
                "param_value": {"view": ["edit", "dashboard"]},
                "option": {"content_availability": False},
                "role": ["course_creator"],
                "not": {"param": ["user"], "not": {"option": {"x_enabled": True}}},
            },
            "authentication": "required",
            "roles": ["event_manager"],
            "all_roles": ["media_creator(media)"],
        },
    ],
    "options": {"courses_enabled": True},
    "public": True,
    "results": ["If course privacy is private: non-members see the lock screen"],
}


def test_every_construct_round_trips_exactly() -> None:
    access = parse_access(EVERYTHING)
    written = access.as_x_access()
    assert written == EVERYTHING
    assert json.dumps(written) == json.dumps(EVERYTHING)  # the same keys in the same order


def test_every_construct_is_in_the_model() -> None:
    access = parse_access(EVERYTHING)
    assert access.default == AccessClause(
        REQUIRED, ("course_member", "course_creator", "course_manager"), ("lesson_viewer",), refused=HIDDEN
    )
    disabled, draft, everything = access.rules
    assert disabled == AccessRule(
        AccessCondition(resource=(("lesson.comments_enabled", (False,)),)),
        AccessClause(REQUIRED, nobody=True, refused=EMPTY),
    )
    assert draft.when.negated == AccessCondition(resource=(("lesson.status", ("published",)),))
    when = everything.when
    assert when.resource == (("hide_member_count", (False,)), ("privacy", ("",)))
    assert when.param_values == (("view", ("edit", "dashboard")),)
    assert when.roles == ("course_creator",)
    assert when.negated is not None and when.negated.negated == AccessCondition(
        options=(("x_enabled", True),)
    )
    assert everything.clause.all_roles == ("media_creator(media)",)


def test_constructs_name_what_a_value_uses() -> None:
    assert parse_access(EVERYTHING).constructs == frozenset(CONSTRUCTS)
    assert parse_access({"authentication": "none", "roles": []}).constructs == frozenset()
    gallery = {
        "authentication": "required",
        "roles": ["event_manager"],
        "all_roles": ["media_creator(media)"],
    }
    assert parse_access(gallery).constructs == {"all_roles", "role_param"}


def test_the_shipped_document_keeps_its_meaning() -> None:
    """Every value is written back byte for byte; those written before the language grew (every operation
    but the course pages', which the new constructs were made for) parse as before and use none of them."""
    new = {"all_roles", "nobody", "refused", "param_value", "role", "not", "resource_of_path", "role_param"}
    before = [op for op in shipped().operations.values() if op.resource != "course"]
    assert len(before) < len(shipped().operations)
    for operation in shipped().operations.values():
        value = operation.raw["x-access"]
        assert json.dumps(parse_access(value).as_x_access()) == json.dumps(value), operation.operation_id
    for operation in before:
        access = parse_access(operation.raw["x-access"])
        assert not access.constructs & new, operation.operation_id
        for clause in access.clauses:
            assert (clause.all_roles, clause.nobody, clause.refused) == ((), False, FORBIDDEN)


def test_defaults_keep_the_clause_of_before() -> None:
    clause = AccessClause(REQUIRED, ("event_manager",))
    assert clause.as_x_access() == {"authentication": "required", "roles": ["event_manager"]}
    assert clause.requires_caller and clause.restricts and clause.level == REQUIRED
    assert AccessCondition(params=("user",)).as_x_access() == {"param": ["user"]}


def test_conjuncts_and_nobody_in_the_clause_properties() -> None:
    both = AccessClause(NONE, (), ("media_creator(media)",))
    assert both.requires_caller and both.level == REQUIRED and both.restricts
    assert both.role_names == ("media_creator(media)",)
    shut = AccessClause(NONE, nobody=True)
    assert shut.restricts and not shut.requires_caller
    assert not AccessClause(OPTIONAL).restricts


def test_security_and_options_see_the_new_constructs() -> None:
    access = parse_access(EVERYTHING)
    assert access.security_level == REQUIRED
    assert access.option_names == {"courses_enabled", "content_availability", "x_enabled"}
    optional = {
        "authentication": "none",
        "roles": [],
        "rules": [
            {
                "when": {"param_value": {"view": ["edit"]}},
                "authentication": "none",
                "roles": [],
                "all_roles": ["admin"],
            }
        ],
    }
    assert parse_access(optional).security_level == OPTIONAL


@pytest.mark.parametrize(
    ("value", "place"),
    [
        ({"authentication": "required", "roles": [], "refused": "gone"}, "x-access.refused"),
        ({"authentication": "required", "roles": [], "all_roles": []}, "x-access.all_roles"),
        ({"authentication": "required", "roles": [], "all_roles": ["Admin"]}, "x-access.all_roles[0]"),
        ({"authentication": "required", "roles": [], "nobody": True}, "x-access"),
        (
            {
                "authentication": "none",
                "roles": [],
                "rules": [
                    {"when": {"param": ["x"]}, "authentication": "none", "roles": ["admin"], "nobody": True}
                ],
            },
            "x-access.rules[0].roles",
        ),
        (
            {
                "authentication": "none",
                "roles": [],
                "rules": [{"when": {"param": ["x"]}, "authentication": "none", "roles": [], "nobody": False}],
            },
            "x-access.rules[0].nobody",
        ),
        (
            {
                "authentication": "none",
                "roles": [],
                "rules": [
                    {"when": {"not": {"param_value": {"view": []}}}, "authentication": "none", "roles": []}
                ],
            },
            "x-access.rules[0].when.not.param_value.view",
        ),
        (
            {
                "authentication": "none",
                "roles": [],
                "rules": [{"when": {"role": []}, "authentication": "none", "roles": []}],
            },
            "x-access.rules[0].when.role",
        ),
        (
            {
                "authentication": "none",
                "roles": [],
                "rules": [{"when": {"not": {}}, "authentication": "none", "roles": []}],
            },
            "x-access.rules[0].when.not",
        ),
        (
            {
                "authentication": "none",
                "roles": [],
                "rules": [
                    {"when": {"param_value": {"view": [{"a": 1}]}}, "authentication": "none", "roles": []}
                ],
            },
            "x-access.rules[0].when.param_value.view[0]",
        ),
    ],
)
def test_errors_name_the_place(value: dict[str, Any], place: str) -> None:
    found = list(problems(value))
    assert any(problem.startswith(place + ":") for problem in found), found
    with pytest.raises(AccessError, match=r"^getThing: "):
        parse_access(value, "getThing")


def test_nobody_with_conjuncts_is_refused() -> None:
    value = {
        "authentication": "none",
        "roles": [],
        "rules": [
            {
                "when": {"param": ["x"]},
                "authentication": "none",
                "roles": [],
                "all_roles": ["admin"],
                "nobody": True,
            }
        ],
    }
    assert any(problem.startswith("x-access.rules[0]:") for problem in problems(value))


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("media_creator(media)", Role("media_creator(media)", "media", "creator", "media")),
        ("lesson_viewer", Role("lesson_viewer", "lesson", "viewer")),
        ("lesson_in_order", Role("lesson_in_order", "lesson", "in_order")),
        ("lesson_dripped", Role("lesson_dripped", "lesson", "dripped")),
        ("course_invited", Role("course_invited", "course", "invited")),
        ("event_not_going", Role("event_not_going", "event", "not_going")),
        ("self(user_id)", Role("self(user_id)", relation="self", param="user_id")),
        ("staff", Role("staff")),
    ],
)
def test_roles_are_read_into_their_parts(name: str, role: Role) -> None:
    assert parse_role(name) == role


def test_resources_a_path_names() -> None:
    lesson = "/api/v2/course/{course_id}/section/{section_id}/lesson/{lesson_id}/comment/"
    assert named_resources(lesson) == {"course": "course_id", "section": "section_id", "lesson": "lesson_id"}
    assert named_resources("/api/v2/event/{id}/subscribe/") == {"event": "id"}
    assert named_resources("/api/v2/event/") == {}
    assert attribute_of("lesson.comments_enabled") == ("lesson", "comments_enabled")
    assert attribute_of("privacy") == ("", "privacy")


def test_the_examples_of_the_language_page_are_valid() -> None:
    """docs/access-language.md: each example under "Examples" is valid x-access, written back as shown."""
    page = (Path(__file__).parents[2] / "docs" / "access-language.md").read_text(encoding="utf-8")
    examples = re.findall(r"```yaml\nx-access:\n(.*?)```", page.split("### Examples", 1)[1], re.DOTALL)
    assert len(examples) >= 6
    for example in examples:
        value = yaml.safe_load(example)
        assert parse_access(value).as_x_access() == value
