"""What only courses do (docs/contract.md, section Courses): the handlers that replace the generic ones.

A course has one creator and any number of managers (membership states ``creator`` and ``manager``),
four ``privacy`` values and views; joining answers the course; its members list filters by
``statuses``; roles change with ``POST …/role/``; the creator can neither leave nor be removed. Who may
call each operation is the access gate's (``x-access``); what joining does on each ``privacy`` is the
join operation's ``x-join`` (``openapi.joining``), read here. The other actions (invite, withdraw,
lists of invited and requested users, status) are the generic handlers of ``handlers``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from connexion import request
from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from openapi.families import Action
from openapi.joining import INVITATION_ONLY, REQUEST
from reference_impl import problems, repository, representations, transactions
from reference_impl.families import StoredFamily, name_digest
from reference_impl.handlers import (
    Answer,
    caller_id,
    create_fields,
    created_location,
    existing_user_ids,
    members_page,
    no_content,
    request_body,
    resource_row,
)

#: The schema each ``view`` answers with (get_course_info.md: "view = user", "edit", "dashboard").
VIEWS = {"user": "CourseUserDetail", "edit": "CourseDetail", "dashboard": "CourseDashboard"}
#: What a non-member of a course with this ``privacy`` sees: "non-members will see the lock screen (only
#: basic data: Course Minimal)".
LOCK_SCREEN = ("private", "CourseMinimal")
#: The members list's ``statuses`` when none is asked for: 'default: `["manager", "joined"]`'.
DEFAULT_STATUSES = ("manager", "joined")
#: ``POST …/role/``: each body list and the state it puts its users in (``unjoined``: no relation).
ROLE_LISTS: dict[str, str | None] = {"managers": "manager", "joined": "joined", "unjoined": None}


def create(family: StoredFamily) -> Answer:
    """A course; its creator's state is ``creator``. Names are unique (the Course schema: "Unique name of
    the course"), and so are slugs: a second one is refused with 400 and nothing is created."""
    current = transactions.current()
    fields = create_fields(family)
    connection = current.connection
    if repository.digest_taken(connection, family, name_digest(fields["name"])):
        raise problems.bad_request("A course has this name already; names are unique. Nothing was created.")
    if "slug" in fields and repository.slug_taken(connection, family, fields["slug"]):
        raise problems.bad_request("A course has this slug already; slugs are unique. Nothing was created.")
    try:
        created = repository.create(connection, family, fields, caller_id())
    except IntegrityError as exc:  # a course of the same name or slug, created meanwhile
        raise problems.bad_request(
            "A course with this name or slug exists already; both are unique. Nothing was created."
        ) from exc
    row = repository.resource_by_id(connection, family, created)
    assert row is not None
    body = representations.course(connection, row, current.caller, "Course")
    return body, 201, {"Location": created_location(created)}


def _as_seen_by(family: StoredFamily, course: Row, viewer: Row | None, schema: str) -> dict[str, Any]:
    """The course in ``schema``; a non-member of a private course gets the lock screen instead of the
    user view."""
    privacy, minimal = LOCK_SCREEN
    if schema == VIEWS["user"] and course.privacy == privacy:
        connection = transactions.current().connection
        state = repository.status_of(connection, family, course.id, viewer.id) if viewer is not None else None
        if state not in family.member_states:
            schema = minimal
    return representations.course(transactions.current().connection, course, viewer, schema)


def info(family: StoredFamily, id: int, view: str | None = None, user: int | None = None) -> Answer:
    """The course in the schema of ``view``; with ``user`` (the creator or a manager only, checked by the
    access gate) as that user sees it: their ``join_status``, their lock screen."""
    current = transactions.current()
    viewer = current.caller
    if user is not None:
        viewer = repository.user_by_id(current.connection, existing_user_ids([user])[0])
    return _as_seen_by(family, resource_row(), viewer, VIEWS[view or "user"]), 200


def _sees(user: Row) -> bool:
    sees = transactions.current().sees
    assert sees is not None  # every operation on one course has the course's GET as its viewer
    return sees(user)


def join(family: StoredFamily, id: int) -> Answer:
    """An invitation is accepted on every ``privacy``. Anyone else who may see the course joins as its
    ``x-join`` says: at once, or a request for the managers; a member or a pending request stays as it
    is. A caller who may not see the course (or may only accept an invitation they do not hold) is
    answered 404, as if it did not exist, and nothing changes."""
    current = transactions.current()
    connection, course, caller = current.connection, resource_row(), current.caller
    assert caller is not None  # the operation requires authentication
    # What decides below (the caller's state, whether they may see the course) holds until the commit.
    repository.lock(connection, family, course.id)
    state = repository.status_of(connection, family, course.id, caller.id)
    if state != "invited":
        joining = family.operations["join"].joining
        outcome = joining.by_resource("privacy", course.privacy) if joining is not None else None
        if not _sees(caller) or (state is None and outcome == INVITATION_ONLY):
            raise problems.not_found(f"No course with id {course.id}.")
        if state is None:
            repository.join(connection, family, course.id, caller.id, at_once=outcome != REQUEST)
    else:
        repository.join(connection, family, course.id, caller.id, at_once=True)
    return _as_seen_by(family, course, caller, VIEWS["user"]), 200


def _creator_refused(course: Row, user_ids: list[int], what: str) -> None:
    """docs/contract.md, rule 66: the creator is never removed nor given another role (reading 69: 400)."""
    if course.created_by in user_ids:
        raise problems.bad_request(
            f"{what} names the creator of the course (user {course.created_by}), who cannot be removed from "
            "it nor change role; nothing was changed."
        )


def leave(family: StoredFamily, id: int, user: int | None = None) -> Response:
    """The caller leaves (the creator cannot: the access gate refuses); with ``?user=`` the creator or a
    manager removes that user, whatever their state, the creator excepted."""
    course = resource_row()
    leaving = caller_id() if user is None else existing_user_ids([user])[0]
    _creator_refused(course, [leaving], "'user'")
    repository.leave(transactions.current().connection, family, course.id, leaving)
    return no_content()


def role(family: StoredFamily, id: int) -> Response:
    """``managers`` become managers, ``joined`` members, ``unjoined`` no relation, whatever their state;
    at least one list is given; validated as a whole before anything changes (docs/contract.md, rule 64)."""
    body = request_body() or {}
    lists = {name: list(dict.fromkeys(body[name])) for name in ROLE_LISTS if name in body}
    if not lists:
        raise problems.bad_request(
            "At least one of 'managers', 'joined' and 'unjoined' is required; nothing was changed."
        )
    every = [user_id for ids in lists.values() for user_id in ids]
    existing_user_ids(every)
    repeated = sorted({user_id for user_id in every if every.count(user_id) > 1})
    if repeated:
        shown = ", ".join(map(str, repeated[:10]))
        raise problems.bad_request(f"User(s) {shown} appear in more than one list; nothing was changed.")
    course = resource_row()
    _creator_refused(course, every, " and ".join(f"'{name}'" for name in lists))
    connection = transactions.current().connection
    for name, ids in lists.items():
        repository.set_state(connection, family, course.id, ids, ROLE_LISTS[name])
    return no_content()


def _asked_statuses(family: StoredFamily) -> tuple[str, ...]:
    """The ``statuses`` of the members list: repeated (``statuses=creator&statuses=joined``), separated by
    commas (``statuses=creator,joined``: how the official JavaScript client sends a list) or a JSON list
    (``statuses=["creator"]``, as the page writes the default); none: the default. Only the member
    states are valid ("only `creator`, `manager` and `joined` are valid status for this route")."""
    asked: list[str] = []
    for value in request.query_params.getlist("statuses"):
        text = value.strip()
        try:
            items = json.loads(text) if text.startswith("[") else text.split(",")
        except ValueError:
            items = None
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise problems.bad_request(f"'statuses' is not a list of statuses: {value!r}.")
        asked += [item.strip() for item in items if item.strip()]
    invalid = [status for status in asked if status not in family.member_states]
    if invalid:
        valid, default = ", ".join(family.member_states), ", ".join(DEFAULT_STATUSES)
        raise problems.bad_request(
            f"'statuses' takes {valid} (default: {default}), not {', '.join(map(repr, invalid))}."
        )
    return tuple(dict.fromkeys(asked)) or DEFAULT_STATUSES


def members(family: StoredFamily, id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    """The members in the ``statuses`` the query asks for. The parameter is not an argument: Connexion
    cannot convert a query parameter whose schema has no ``type`` (``anyOf``); ``_asked_statuses`` reads
    it from the query as sent."""
    return members_page(family, _asked_statuses(family), limit, offset, render=representations.user_minimal)


def invited(family: StoredFamily, id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return members_page(family, "invited", limit, offset, render=representations.invited_user)


#: The handlers that replace the generic ones (``handlers.BY_ACTION``) for courses, and the one only
#: courses have.
BY_ACTION: dict[Action, Callable[..., Answer | Response]] = {
    "create": create,
    "info": info,
    "invited": invited,
    "members": members,
    "join": join,
    "leave": leave,
    "role": role,
}
