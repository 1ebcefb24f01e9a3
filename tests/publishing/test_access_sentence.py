"""The docs site's access sentence (publishing/callers.py): every construct of the x-access language in
words, and the diff's notion of a stricter clause."""

from __future__ import annotations

from typing import Any

import pytest

from openapi.access import REQUIRED, AccessClause, parse_access
from publishing.callers import condition_phrase, sentence, stricter_than, token_useful


def said(value: dict[str, Any], resource: str = "course") -> str:
    return sentence(parse_access(value), resource)


def rule(when: dict[str, Any], *roles: str, **more: Any) -> dict[str, Any]:
    return {"when": when, "authentication": "required", "roles": list(roles), **more}


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (
            {"authentication": "required", "roles": ["event_manager"], "all_roles": ["media_creator(media)"]},
            "Requires authentication and being the event's manager and being the media's creator (the"
            " media the"
            " media parameter names).",
        ),
        (
            {
                "authentication": "required",
                "roles": ["course_member", "course_creator"],
                "all_roles": ["lesson_viewer"],
            },
            "Requires authentication and (being the course's creator or being a member of the course) and"
            " being"
            " allowed to view the lesson.",
        ),
        (
            {"authentication": "required", "roles": ["course_viewer"], "refused": "hidden"},
            "Requires authentication and being allowed to view the course (refused callers get 404, as if the"
            " course did not exist).",
        ),
        (
            {
                "authentication": "none",
                "roles": [],
                "rules": [rule({"param_value": {"view": ["edit", "dashboard"]}}, "course_manager")],
            },
            "Anyone may call this; when the view parameter is edit or dashboard: authentication and being the"
            " course's manager.",
        ),
        (
            {
                "authentication": "required",
                "roles": [],
                "rules": [
                    rule({"resource": {"lesson.comments_enabled": [False]}}, nobody=True, refused="empty")
                ],
            },
            "Requires authentication; when the lesson's comments_enabled is false: nobody may call this"
            " (refused"
            " callers get an empty answer).",
        ),
        (
            {
                "authentication": "none",
                "roles": [],
                "rules": [
                    rule({"resource": {"privacy": [""]}}, "course_creator"),
                    rule({"resource": {"hide_member_count": [True]}}, "course_invited"),
                ],
            },
            'Anyone may call this; when the course\'s privacy is "" (empty): authentication and being the'
            " course's"
            " creator; when the course's hide_member_count is true: authentication and being invited to"
            " the course.",
        ),
        (
            {
                "authentication": "required",
                "roles": [],
                "rules": [rule({"role": ["course_creator"], "not": {"param": ["user"]}}, nobody=True)],
            },
            "Requires authentication; when the caller is the course's creator and the user parameter is not"
            " passed: nobody may call this.",
        ),
        (
            {
                "authentication": "required",
                "roles": ["course_member"],
                "rules": [
                    rule({"not": {"resource": {"lesson.status": ["published"]}}}, "course_manager"),
                    rule({"resource": {"type": ["scheduled"]}}, "course_manager", "lesson_dripped"),
                    rule({"resource": {"enforce_lessons_order": [True]}}, "lesson_in_order"),
                ],
            },
            "Requires authentication and being a member of the course; when the lesson is not published:"
            " authentication and being the course's manager; when the course's type is scheduled:"
            " authentication"
            " and being the course's manager or having had the lesson dripped to them (its drip date has"
            " passed);"
            " when the course's enforce_lessons_order is true: authentication and having completed every"
            " earlier"
            " lesson.",
        ),
    ],
)
def test_every_construct_reads_as_words(value: dict[str, Any], words: str) -> None:
    assert said(value) == words


def test_sentences_of_before_are_unchanged() -> None:
    value = {
        "authentication": "none",
        "roles": [],
        "rules": [
            {"when": {"resource": {"privacy": ["public"]}}, "authentication": "none", "roles": []},
            rule({"resource": {"privacy": ["private"]}}, "event_subscriber"),
        ],
    }
    assert said(value, "event") == (
        "Anyone may call this when the event is public; when the event is private: authentication and being"
        " subscribed to the event."
    )


def test_a_negation_of_several_parts_is_bracketed() -> None:
    access = parse_access(
        {
            "authentication": "none",
            "roles": [],
            "rules": [rule({"not": {"param": ["user"], "option": {"x": True}}})],
        }
    )
    assert condition_phrase(access.rules[0].when, "course") == (
        "not (the user parameter is passed and the community option x is true)"
    )


def test_stricter_clauses_see_conjuncts_and_nobody() -> None:
    manager = AccessClause(REQUIRED, ("event_manager",))
    uploader = AccessClause(REQUIRED, ("event_manager",), ("media_creator(media)",))
    shut = AccessClause(REQUIRED, nobody=True)
    assert stricter_than(uploader, manager) and not stricter_than(manager, uploader)
    assert stricter_than(shut, manager) and not stricter_than(manager, shut)
    assert not stricter_than(uploader, uploader)


def test_a_token_is_useful_for_conjuncts() -> None:
    assert token_useful(parse_access({"authentication": "none", "roles": [], "all_roles": ["course_viewer"]}))
