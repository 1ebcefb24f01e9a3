"""Operation handlers: one generic handler per action, and what every handler needs (the body, the caller,
the resource, the users a list names, pages of users, answers).

Access has been checked and the parameters and body validated against the spec before a handler
runs, so a handler trusts them: a ``users`` list is a list of integers, no longer than the server
accepts (``body_parsing``), and required fields are there. What handlers still check is what the spec
cannot say (that user ids name users, what a database can store) or does not cover (``invite_users``,
which is not part of the create schemas). A handler works inside the request's transaction from
``transactions.current()``. Handlers are named by the contract core's actions
(``openapi.families.ACTIONS``); the family (event, group, …) is bound when ``operations.OPERATIONS`` is
built from ``families.FAMILIES``, each family's operationIds those of its operations in the shipped
document; nothing here names one. What only courses do is in ``course_handlers``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, cast

from connexion import request
from connexion.context import scope
from sqlalchemy import Row
from starlette.responses import Response
from starlette.types import Scope

from openapi.document import shipped
from openapi.families import Action
from reference_impl import invitations, pagination, problems, repository, representations, transactions
from reference_impl.body_parsing import parsed_body
from reference_impl.families import StoredFamily

Answer = tuple[Any, int] | tuple[Any, int, dict[str, str]]


def existing_user_ids(ids: list[int]) -> list[int]:
    """``ids`` once each, in order; 400 when one names no user, which the spec cannot check."""
    ids = list(dict.fromkeys(ids))
    refuse_unknown(repository.unknown_user_ids(transactions.current().connection, ids))
    return ids


def refuse_unknown(unknown: list[int]) -> None:
    """400 naming the ids that name no user, if any."""
    if unknown:
        shown = ", ".join(map(str, unknown[:10])) + (" …" if len(unknown) > 10 else "")
        raise problems.bad_request(f"No user with id {shown}; nothing was changed.")


def listed_users(field: str = "users") -> list[int]:
    """The users the body lists in ``field``: a list of integer ids, as the spec has validated."""
    return existing_user_ids(request_body()[field])


def _invitees(fields: Mapping[str, Any]) -> list[int]:
    """``invite_users`` of a create body: not in the create schemas (docs/errata.md), so checked here."""
    ids = fields.get("invite_users", [])
    # A form field not in the schema stays text; bool is an int in Python, but JSON true is not an id.
    # Its length was checked with every other list of the body (body_parsing.refuse_long_lists).
    if not isinstance(ids, list) or not all(type(item) is int for item in ids):
        raise problems.bad_request("'invite_users' must be a list of integer user ids.")
    return existing_user_ids(ids)


def request_body() -> Any:
    # Handlers take no ``body`` argument, so Connexion does not parse the body a second time. The scope,
    # not ``request.scope``: the ``request`` proxy builds a request object on every attribute read.
    return parsed_body(cast(Scope, scope))


def caller_id() -> int:
    caller = transactions.current().caller
    assert caller is not None  # the operation requires authentication
    return int(caller.id)


def resource_row() -> Row:
    resource = transactions.current().resource
    assert resource is not None  # the path has a resource id, checked by the access layer
    return resource


def resource_id() -> int:
    return int(resource_row().id)


def no_content() -> Response:
    # Returned as a plain response so that no Content-Type is attached to an empty body.
    return Response(status_code=204)


def members_page(
    family: StoredFamily,
    statuses: repository.Statuses,
    limit: int | None,
    offset: int | None,
    render: Callable[[Row], dict[str, Any]] = representations.user,
) -> Answer:
    """One page of the users of the resource in ``statuses``, each rendered by ``render``."""
    connection = transactions.current().connection
    limit, offset = pagination.clamp(limit, offset)
    listed = resource_id()
    body = pagination.page(
        request.url,
        count=repository.count_members(connection, family, listed, statuses),
        limit=limit,
        offset=offset,
        results=repository.members(connection, family, listed, statuses, limit=limit, offset=offset),
        render=render,
    )
    return body, 200


def me() -> Answer:
    caller = transactions.current().caller
    assert caller is not None
    return representations.user(caller), 200


def _utc_timestamp(field: str, text: str) -> datetime:
    """An RFC 3339 date-time (validated by the spec's format) as an aware UTC datetime."""
    normalised = text.upper()  # Python refuses the lowercase "t" and "z" that RFC 3339 allows
    try:
        parsed = datetime.fromisoformat(normalised)
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError) as exc:
        raise problems.bad_request(f"'{field}' is not a date-time this server can store: {exc}.") from exc


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def create_fields(family: StoredFamily) -> dict[str, Any]:
    """The create body, validated by the spec, with the checks it cannot express.

    A body that is there has the schema's required fields; the group's request body is optional in
    the spec, though, and without one there is nothing to create.
    """
    body = request_body()
    if body is None:
        required = " and ".join(map(repr, shipped().required(family.schema)))
        raise problems.bad_request(f"The {family.name} needs a body with {required}; nothing was created.")
    fields = dict(body)
    for name, value in fields.items():
        if isinstance(value, str) and "\x00" in value:
            # PostgreSQL cannot store it; refused on every database alike.
            raise problems.bad_request(f"'{name}' contains a NUL character.")
        if isinstance(value, str) and not value.isascii() and _lone_surrogate(value):
            # JSON's "\ud800" escape decodes to text no database driver can encode.
            raise problems.bad_request(
                f"'{name}' contains a lone surrogate (U+D800 to U+DFFF), which is not text."
            )
        if name.endswith("_date") and isinstance(value, str):
            fields[name] = _utc_timestamp(name, value)
    return fields


def create(family: StoredFamily) -> Answer:
    current = transactions.current()
    fields = create_fields(family)
    invitees = _invitees(fields)
    created = repository.create(current.connection, family, fields, caller_id())
    repository.invite(current.connection, family, created, [i for i in invitees if i != caller_id()])
    row = repository.resource_by_id(current.connection, family, created)
    assert row is not None
    body = representations.resource(current.connection, family, row, current.caller)
    return body, 201, {"Location": created_location(created)}


def created_location(created: int) -> str:
    """The URL of the resource a create made: the collection's URL and its id."""
    return str(request.url.replace(query="")) + f"{created}/"


def info(family: StoredFamily, id: int) -> Answer:
    current = transactions.current()
    return representations.resource(current.connection, family, resource_row(), current.caller), 200


def invite(family: StoredFamily, id: int) -> Response:
    """Invite the listed users: 400 and nothing changed when one names no user.

    Where the gate keeps the rows it decided on between requests (``kept_reads``), the change verifies
    their versions; when they are not current, the gate decides again on rows read now, and the change
    checks only that the resource is still there, as it did before rows were kept.
    """
    ids = list(dict.fromkeys(request_body()["users"]))
    current = transactions.current()
    try:
        unknown = invitations.invite(
            current.connection,
            family,
            resource_id(),
            ids,
            caller_id=caller_id(),
            versions=current.read_versions,
        )
    except invitations.ReadNotVerified:
        current.decide_again()
        unknown = invitations.invite(current.connection, family, resource_id(), ids)
    refuse_unknown(unknown)
    return no_content()


def remove_invitation(family: StoredFamily, id: int) -> Response:
    ids = listed_users()
    repository.remove_invitations(transactions.current().connection, family, resource_id(), ids)
    return no_content()


def invited(family: StoredFamily, id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return members_page(family, "invited", limit, offset)


def requested(family: StoredFamily, id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return members_page(family, "requested", limit, offset)


def members(family: StoredFamily, id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return members_page(family, family.joined_state, limit, offset)


def join(family: StoredFamily, id: int) -> Response:
    """The caller joins; with the family's direct-subscribe field (the manager only, checked by the
    access layer) the listed users are subscribed instead."""
    connection = transactions.current().connection
    field = family.direct_subscribe_field
    body = request_body() if field else None
    if field and body is not None and field in body:
        repository.subscribe_users(connection, family, resource_id(), listed_users(field))
    else:
        resource, caller = resource_row(), caller_id()
        # Open resource, invitation or own resource: subscribed; otherwise a request for the manager.
        at_once = resource.privacy == family.open_privacy or resource.managed_by == caller
        repository.join(connection, family, resource.id, caller, at_once=at_once)
    return no_content()


def leave(family: StoredFamily, id: int, user: int | None = None) -> Response:
    """The caller leaves; with ``?user=`` (the manager only, checked by the access layer) that user does."""
    leaving = caller_id() if user is None else existing_user_ids([user])[0]
    repository.leave(transactions.current().connection, family, resource_id(), leaving)
    return no_content()


def delete(family: StoredFamily, id: int) -> Response:
    """The manager (as the delete's x-access says, checked by the access layer) deletes the resource; its
    memberships go with it, in the same transaction."""
    repository.delete_resource(transactions.current().connection, family, resource_id())
    return no_content()


def status(family: StoredFamily, id: int) -> Answer:
    state = repository.status_of(transactions.current().connection, family, resource_id(), caller_id())
    return {"status": state}, 200


#: The handler of each action, for every family (``course_handlers`` replaces some for courses).
BY_ACTION: dict[Action, Callable[..., Answer | Response]] = {
    "create": create,
    "info": info,
    "invite": invite,
    "remove_invitation": remove_invitation,
    "invited": invited,
    "requested": requested,
    "members": members,
    "join": join,
    "leave": leave,
    "status": status,
    "delete": delete,
}
