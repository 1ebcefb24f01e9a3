"""Access prose of the `:::info` blocks -> authentication and roles."""

from __future__ import annotations

import pytest

from specgen.access import NONE, OPTIONAL, REQUIRED, read_access


@pytest.mark.parametrize(
    ("prose", "authentication", "roles"),
    [
        (
            "This operation requires authentication and that the user is the manager of the event.",
            REQUIRED,
            ("manager",),
        ),
        ("This operation requires authentication.", REQUIRED, ()),
        ("This operation requires authentication", REQUIRED, ()),
        ("This operation require authentication.", REQUIRED, ()),
        ("This operation requires authentication or simply JWT token.", REQUIRED, ()),
        ("This operation does not require authentication.", NONE, ()),
        ("This operation does not require authentication ", NONE, ()),
        (
            "This operation requires authentication only if `content_availability` community option"
            " is false.",
            OPTIONAL,
            (),
        ),
        (
            "This operation does not require authentication only if"
            " `configurations.content_availability` is true.",
            OPTIONAL,
            (),
        ),
        (
            "This operation does not require authentication and subscription if the event is **public**.",
            OPTIONAL,
            (),
        ),
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
            ("self", "admin"),
        ),
        (
            "Only the user identified by the \\{id} and the administrators can delete the user.",
            REQUIRED,
            ("self", "admin"),
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


def test_unrecognised_requirement_keeps_authentication_and_is_reported() -> None:
    sentence = "This operation requires authentication and that the user will be going to the event."
    access = read_access([sentence])
    assert access.authentication == REQUIRED
    assert access.roles == ()
    assert access.unparsed == (sentence.lower(),)


def test_conditional_role_is_not_recorded_but_reported() -> None:
    access = read_access(
        ["This operation requires authentication and being subscribed to the event if the event is private."]
    )
    assert (access.authentication, access.roles) == (REQUIRED, ())
    assert len(access.unparsed) == 1


def test_role_only_prose_implies_authentication() -> None:
    access = read_access(["Only users with the admin role can register new users."])
    assert access.authentication == REQUIRED


def test_other_sentences_of_the_block_are_ignored() -> None:
    access = read_access(
        ['This operation requires admin role.\n\nThe field "tags" is a list of integer category tags ids.']
    )
    assert (access.authentication, access.roles, access.unparsed) == (REQUIRED, ("admin",), ())


def test_public_object_prose_reads_as_no_authentication_and_is_reported() -> None:
    sentence = 'Custom Menus are a "public object" visible both to not authenticated users'
    sentence += " and in closed communities."
    access = read_access([sentence])
    assert access.authentication == NONE
    assert len(access.unparsed) == 1
