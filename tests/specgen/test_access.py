"""Access prose of the `:::info` blocks -> x-access (docs/access-language.md), phrase class by class."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from openapi.access import NONE, REQUIRED, AccessClause, AccessCondition, AccessRule, parse_access
from specgen.access import read_access, resource_of, terms_for


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


def test_a_role_the_caller_must_also_hold_is_a_conjunct_not_an_alternative() -> None:
    prose = (
        "This operation requires authentication and that the user is the manager of the event.\n\n"
        "The user who adds the media to the photo gallery must be the same user who uploaded the media."
    )
    access = read_access([prose], "event")
    assert access.roles == ("event_manager",) and access.all_roles == ("media_creator",)
    assert access.unparsed == ()


def test_alternatives_the_caller_must_also_hold_one_of_are_reported_not_merged() -> None:
    prose = (
        "This operation requires authentication and that the user is the manager of the event.\n\n"
        "The logged user must also be the discussion creator or an administrator."
    )
    access = read_access([prose], "event")
    assert access.roles == ("event_manager",) and access.all_roles == ()
    assert len(access.unparsed) == 1 and "discussion creator" in access.unparsed[0]


def test_unexplained_words_are_reported() -> None:
    sentence = "Only users with a verified phone number can delete the thread."
    access = read_access([sentence], "pm")
    assert access.unparsed == (sentence.lower(),)
    assert access.authentication is None


def test_an_effect_narrowed_to_the_caller_is_a_results_sentence() -> None:
    sentence = "The thread is deleted only for the logged user."
    assert x_access("This operation requires authentication.\n\n" + sentence, "pm") == {
        "authentication": REQUIRED,
        "roles": [],
        "results": [sentence],
    }


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


# -- the constructs the course pages need --------------------------------------------------------------

COURSE = "/api/v2/course/{id}/"
LESSON = "/api/v2/course/{course_id}/section/{section_id}/lesson/{lesson_id}/"
#: The schemas the pages document, as far as the access prose refers to them.
SCHEMAS: dict[str, dict[str, Any]] = {
    "Course": {
        "properties": {name: {} for name in ("privacy", "type", "hide_member_count", "enforce_lessons_order")}
    },
    "CourseLesson": {"properties": {name: {} for name in ("status", "comments_enabled", "type")}},
}
LESSON_RULES = (
    "**Rules**:\n\n"
    "1. lesson should be `published`;\n"
    "2. if the course `type` is `scheduled` the current datetime should be greater than or equal to"
    " `dripped_at`;\n"
    "3. if the course `type` is `structured` the current datetime should be greater than or equal to the"
    " `joined_at`"
    " datetime\n   plus `drip_delay` days;\n"
    "4. if the course has `enforce_lessons_order` set to true then all the published lessons before the"
    " current one"
    " should be\n   completed."
)
MANAGERS = ["course_creator", "course_manager"]


def page_access(prose: str, path: str = COURSE, params: tuple[str, ...] = ()) -> dict[str, Any]:
    """The x-access of a page of `path` (its words read against SCHEMAS), checked against the core."""
    access = read_access([prose], terms=terms_for(path, "", SCHEMAS, params))
    assert access.unparsed == (), access.unparsed
    value = access.access().as_x_access()
    assert parse_access(value).as_x_access() == value
    return value


def nobody(when: dict[str, Any], authentication: str = REQUIRED, **more: Any) -> dict[str, Any]:
    return {**rule(when, authentication), "nobody": True, **more}


@pytest.mark.parametrize(
    ("prose", "path", "params", "expected"),
    [
        # several roles that must all hold: the second one is a conjunct (`all_roles`)
        (
            "This operation requires authentication and that the user is the manager of the event.\n\n"
            "The user who adds the media to the photo gallery must be the same user who uploaded the media.",
            "/api/v2/event/{id}/gallery/",
            ("id", "media"),
            {"authentication": REQUIRED, "roles": ["event_manager"], "all_roles": ["media_creator(media)"]},
        ),
        (
            "This operation requires the user joins the course; the user must also have access to the"
            " lesson.",
            LESSON + "question/",
            (),
            {"authentication": REQUIRED, "roles": ["course_member"], "all_roles": ["lesson_viewer"]},
        ),
        (
            "This operation requires the group manager role. The user must also have access to the group.",
            "/api/v2/group/{id}/feed/",
            (),
            {"authentication": REQUIRED, "roles": ["group_manager"], "all_roles": ["group_viewer"]},
        ),
        # a condition on a parameter's value
        (
            "The `view` param with values `edit` and `dashboard` needs creator or manager role.",
            COURSE,
            ("view",),
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"param_value": {"view": ["edit", "dashboard"]}}, REQUIRED, *MANAGERS)],
            },
        ),
        (
            "This operation requires the creator or manager role if the `view` parameter is `edit` or"
            " `dashboard`.",
            COURSE,
            ("view",),
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"param_value": {"view": ["edit", "dashboard"]}}, REQUIRED, *MANAGERS)],
            },
        ),
        (
            "This operation requires the admin role when `mode`=`full`.",
            "/api/v2/thing/",
            ("mode",),
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"param_value": {"mode": ["full"]}}, REQUIRED, "admin")],
            },
        ),
        (
            "This operation requires the course creator or manager role and you should specify the parameter"
            " `type`=`quiz`.",
            LESSON.rsplit("{", 1)[0],
            ("type",),
            {
                "authentication": REQUIRED,
                "roles": MANAGERS,
                "rules": [rule({"param_value": {"type": ["quiz"]}}, REQUIRED, *MANAGERS)],
            },
        ),
        # the caller who makes the request, although a parameter names another user
        (
            "The user making the request must be the creator or a manager although the `user` parameter"
            " will be"
            " passed to emulate a specific user.",
            COURSE,
            ("user",),
            {"authentication": NONE, "roles": [], "rules": [rule({"param": ["user"]}, REQUIRED, *MANAGERS)]},
        ),
        # ownership of an object the path or a parameter names
        (
            "This operation requires the course creator or manager role or that the attempt is made by the"
            " user"
            " currently\nauthenticated.",
            LESSON + "attempt/{attempt_id}/",
            (),
            {"authentication": REQUIRED, "roles": [*MANAGERS, "attempt_creator"]},
        ),
        (
            "This operation requires that the answer was submitted by the current user.",
            "/api/v2/quiz/{id}/answer/",
            ("answer",),
            {"authentication": REQUIRED, "roles": ["answer_creator(answer)"]},
        ),
        # a state of a resource the path names, required of every caller: a `nobody` rule for the opposite
        (
            "This operation requires the user joins the course and that the lesson has `comments_enabled`"
            " (also"
            " creator and\nmanagers).",
            LESSON + "comment/",
            (),
            {
                "authentication": REQUIRED,
                "roles": ["course_member", *MANAGERS],
                "rules": [nobody({"resource": {"lesson.comments_enabled": [False]}})],
            },
        ),
        (
            "This operation requires authentication and that the section has `visible` set to true.",
            "/api/v2/course/{id}/section/{section_id}/",
            (),
            {
                "authentication": REQUIRED,
                "roles": [],
                "rules": [nobody({"resource": {"section.visible": [False]}})],
            },
        ),
        # what the call answers when a condition holds: an empty page, from the example after "return:"
        (
            "This operation requires the user joins the course and that the lesson has"
            " `comments_enabled`.\n\n"
            'If `comments_enabled` is false then it will return:\n\n```json\n{\n  "count": 0,\n  "next":'
            " null,\n"
            '  "previous": null,\n  "results": []\n}\n```',
            LESSON + "comment/",
            (),
            {
                "authentication": REQUIRED,
                "roles": ["course_member"],
                "rules": [nobody({"resource": {"lesson.comments_enabled": [False]}}, refused="empty")],
            },
        ),
        # attributes with other values than privacy: a named setting the resource's schema documents
        (
            "This operation requires the course creator or manager role if the option `hide_member_count` is"
            " active.",
            COURSE + "join/",
            (),
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"resource": {"hide_member_count": [True]}}, REQUIRED, *MANAGERS)],
            },
        ),
        (
            "This operation requires the course manager role if `hide_member_count` is enabled.",
            COURSE + "join/",
            (),
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"resource": {"hide_member_count": [True]}}, REQUIRED, "course_manager")],
            },
        ),
        # ... and a community option, which no schema of the page documents; `<br/>` between sentences
        (
            "This operation requires authentication.<br/>If `courses_only_staff_enabled` is `true` only staff"
            " members can create new\ncourses.",
            "/api/v2/course/",
            (),
            {
                "authentication": REQUIRED,
                "roles": [],
                "rules": [rule({"option": {"courses_only_staff_enabled": True}}, REQUIRED, "staff")],
            },
        ),
        (
            "This operation does not require authentication.<br/>If `events_only_staff_enabled` is `true`,"
            " only"
            " staff members can create events.",
            "/api/v2/event/",
            (),
            {
                "authentication": NONE,
                "roles": [],
                "rules": [rule({"option": {"events_only_staff_enabled": True}}, REQUIRED, "staff")],
            },
        ),
        # access refused with 404, as if the resource did not exist
        (
            "This operation requires authentication and that the user can view the info of the course;"
            " otherwise"
            " it will return 404.",
            COURSE + "status/",
            (),
            {"authentication": REQUIRED, "roles": ["course_viewer"], "refused": "hidden"},
        ),
        (
            "This operation requires the event manager role, otherwise it returns a 404 error.",
            "/api/v2/event/{id}/invite/",
            (),
            {"authentication": REQUIRED, "roles": ["event_manager"], "refused": "hidden"},
        ),
        (
            "This operation requires being a member of the group if the group is secret; otherwise it will"
            " return 404.",
            "/api/v2/group/{id}/feed/",
            (),
            {
                "authentication": NONE,
                "roles": [],
                "rules": [
                    {
                        **rule({"resource": {"privacy": ["secret"]}}, REQUIRED, "group_member"),
                        "refused": "hidden",
                    }
                ],
            },
        ),
        # who cannot leave: the caller's role as a condition
        (
            "This operation requires authentication. It requires also that the user is a creator or"
            " manager of the"
            " course if the\n`user` param is passed. The creator of the group cannot unjoin the group but"
            " the other"
            " managers can.",
            COURSE + "join/",
            ("user",),
            {
                "authentication": REQUIRED,
                "roles": [],
                "rules": [
                    rule({"param": ["user"]}, REQUIRED, *MANAGERS),
                    nobody({"role": ["course_creator"], "not": {"param": ["user"]}}),
                ],
            },
        ),
        (
            "This operation requires authentication. The creator of the course cannot leave the course.",
            COURSE + "join/",
            (),
            {"authentication": REQUIRED, "roles": [], "rules": [nobody({"role": ["course_creator"]})]},
        ),
    ],
)
def test_course_constructs(prose: str, path: str, params: tuple[str, ...], expected: dict[str, Any]) -> None:
    assert page_access(prose, path, params) == expected


def test_per_privacy_list_with_the_draft_value_and_who_sees_what() -> None:
    prose = (
        "If course `privacy` is:\n\n"
        "- empty string (draft mode): only creator and managers can see the course;\n"
        "- `open`: anyone can see and join the course;\n"
        "- `private`: only invited members can see the course; non-members will see the lock screen (only"
        " basic\n"
        "  data: [Course Minimal](/docs/apireference/v2/schemas/course_minimal));\n"
        "- `secret`: only invited members can see the course."
    )
    assert page_access(prose) == {
        "authentication": NONE,
        "roles": [],
        "rules": [
            rule({"resource": {"privacy": [""]}}, REQUIRED, *MANAGERS),
            rule({"resource": {"privacy": ["open"]}}, NONE),
            rule({"resource": {"privacy": ["secret"]}}, REQUIRED, "course_invited", "course_member"),
        ],
        "results": [
            "If course privacy is private: only invited members can see the course; non-members will see"
            " the lock"
            " screen (only basic data: Course Minimal)"
        ],
    }


def test_per_value_list_under_a_condition() -> None:
    prose = (
        "This operation requires the course creator or manager role if the option `hide_member_count` is"
        " active.<br/>\nIf the option `hide_member_count` is not active and the course `privacy` is:\n\n"
        "- empty string (draft mode): only managers can see the users that joined the course;\n"
        "- `open` and `private`: anyone can see the users that joined the course;\n"
        "- `secret`: only invited members can see the users that joined the course."
    )
    shown = {"hide_member_count": [False]}
    assert page_access(prose, COURSE + "join/") == {
        "authentication": NONE,
        "roles": [],
        "rules": [
            rule({"resource": {"hide_member_count": [True]}}, REQUIRED, *MANAGERS),
            rule({"resource": {**shown, "privacy": [""]}}, REQUIRED, "course_manager"),
            rule({"resource": {**shown, "privacy": ["open", "private"]}}, NONE),
            rule({"resource": {**shown, "privacy": ["secret"]}}, REQUIRED, "course_invited", "course_member"),
        ],
    }


def test_rules_the_other_users_follow() -> None:
    """Who "can always" get the lesson passes every rule; the rules' items are conditions of their own."""
    prose = (
        "This operation requires the user joins the course.<br/>\nUsers with role creator or manager can"
        " always"
        " get a lesson while the other users should follow the rules setup by the\nmanagers.<br/>\n"
        + LESSON_RULES
    )
    assert page_access(prose, LESSON) == {
        "authentication": REQUIRED,
        "roles": ["course_member", *MANAGERS],
        "rules": [
            rule({"not": {"resource": {"lesson.status": ["published"]}}}, REQUIRED, *MANAGERS),
            rule({"resource": {"type": ["scheduled"]}}, REQUIRED, *MANAGERS, "lesson_dripped"),
            rule({"resource": {"type": ["structured"]}}, REQUIRED, *MANAGERS, "lesson_dripped"),
            rule({"resource": {"enforce_lessons_order": [True]}}, REQUIRED, *MANAGERS, "lesson_in_order"),
        ],
    }


def test_rules_without_anyone_exempt_refuse_everyone() -> None:
    prose = "This operation requires authentication.\n\nRules:\n\n- the lesson should be `published`."
    assert page_access(prose, LESSON) == {
        "authentication": REQUIRED,
        "roles": [],
        "rules": [nobody({"not": {"resource": {"lesson.status": ["published"]}}})],
    }


def test_an_unknown_rule_item_is_reported() -> None:
    prose = (
        "Users with role manager can always get a lesson while the other users should follow the rules.\n\n"
        "**Rules**:\n\n1. the moon should be full;"
    )
    access = read_access([prose], terms=terms_for(LESSON, "", SCHEMAS))
    assert access.unparsed == ("the moon should be full;",)


def test_an_unknown_list_item_is_reported() -> None:
    prose = "If course `privacy` is:\n\n- `open`: the moon decides;\n- `secret`: only managers can see it."
    access = read_access([prose], terms=terms_for(COURSE, "", SCHEMAS))
    assert access.unparsed == ("- open: the moon decides;",) or access.unparsed == (
        "open: the moon decides;",
    )


def test_a_setting_no_schema_documents_is_a_community_option() -> None:
    prose = "This operation requires the course manager role if the option `hide_member_count` is active."
    access = read_access([prose], "course")
    assert access.rules[0].when == AccessCondition(options=(("hide_member_count", True),))


def test_an_object_a_parameter_does_not_name_keeps_a_plain_role() -> None:
    prose = "This operation requires that the answer was submitted by the current user."
    assert page_access(prose, "/api/v2/quiz/{id}/", ()) == {
        "authentication": REQUIRED,
        "roles": ["answer_creator"],
    }


def test_otherwise_without_a_requirement_before_is_reported() -> None:
    access = read_access(["Otherwise it will return 404."], "course")
    assert access.unparsed == ("otherwise it will return 404.",)


def test_terms_of_a_page() -> None:
    terms = terms_for(LESSON + "comment/", "course", SCHEMAS, ["text"])
    assert terms.resources == ("course", "section", "lesson")
    assert terms.owner_of("comments_enabled") == "lesson" and terms.owner_of("privacy") == "course"
    assert (
        terms.attribute("lesson", "status") == "lesson.status" and terms.attribute("course", "type") == "type"
    )
    assert terms.owner_of("courses_only_staff_enabled") is None
