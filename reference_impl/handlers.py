"""Operation handlers: one generic handler per action, bound to each family's operationIds (OPERATIONS).

Access has been checked and the parameters and body validated against the spec before a handler
runs, so a handler trusts them: a ``users`` list is a list of integers, no longer than the server
accepts (``body_parsing``), and required fields are there. What handlers still check is what the spec
cannot say (that user ids name users, what a database can store) or does not cover (``invite_users``,
which is not part of the create schemas). A handler works inside the request's transaction from
``transactions.current()``. Handlers are named by the contract core's actions
(``openapi.families.ACTIONS``); the family (event, group, …) is bound when OPERATIONS is built from
``families.FAMILIES``, each family's operationIds those of its operations in the shipped document;
nothing here names one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

from connexion import request
from sqlalchemy import Row
from starlette.responses import Response

from openapi.document import shipped
from openapi.families import Action
from reference_impl import pagination, problems, repository, representations, transactions
from reference_impl.body_parsing import parsed_body
from reference_impl.families import FAMILIES, StoredFamily

Answer = tuple[Any, int] | tuple[Any, int, dict[str, str]]


def _existing_user_ids(ids: list[int]) -> list[int]:
    """``ids`` once each, in order; 400 when one names no user, which the spec cannot check."""
    ids = list(dict.fromkeys(ids))
    unknown = repository.unknown_user_ids(transactions.current().connection, ids)
    if unknown:
        shown = ", ".join(map(str, unknown[:10])) + (" …" if len(unknown) > 10 else "")
        raise problems.bad_request(f"No user with id {shown}; nothing was changed.")
    return ids


def _listed_users(field: str = "users") -> list[int]:
    """The users the body lists in ``field``: a list of integer ids, as the spec has validated."""
    return _existing_user_ids(_body()[field])


def _invitees(fields: Mapping[str, Any]) -> list[int]:
    """``invite_users`` of a create body: not in the create schemas (docs/errata.md), so checked here."""
    ids = fields.get("invite_users", [])
    # A form field not in the schema stays text; bool is an int in Python, but JSON true is not an id.
    # Its length was checked with every other list of the body (body_parsing.refuse_long_lists).
    if not isinstance(ids, list) or not all(type(item) is int for item in ids):
        raise problems.bad_request("'invite_users' must be a list of integer user ids.")
    return _existing_user_ids(ids)


def _body() -> Any:
    # Handlers take no ``body`` argument, so Connexion does not parse the body a second time.
    return parsed_body(request.scope)


def _caller_id() -> int:
    caller = transactions.current().caller
    assert caller is not None  # the operation requires authentication
    return int(caller.id)


def _resource() -> Row:
    resource = transactions.current().resource
    assert resource is not None  # the path has a resource id, checked by the access layer
    return resource


def _resource_id() -> int:
    return int(_resource().id)


def _no_content() -> Response:
    # Returned as a plain response so that no Content-Type is attached to an empty body.
    return Response(status_code=204)


def _members_page(family: StoredFamily, status: str, limit: int | None, offset: int | None) -> Answer:
    connection = transactions.current().connection
    limit, offset = pagination.clamp(limit, offset)
    resource_id = _resource_id()
    body = pagination.page(
        request.url,
        count=repository.count_members(connection, family, resource_id, status),
        limit=limit,
        offset=offset,
        results=repository.members(connection, family, resource_id, status, limit=limit, offset=offset),
        render=representations.user,
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


def _create_fields(family: StoredFamily) -> dict[str, Any]:
    """The create body, validated by the spec, with the checks it cannot express.

    A body that is there has the schema's required fields; the group's request body is optional in
    the spec, though, and without one there is nothing to create.
    """
    body = _body()
    if body is None:
        required = " and ".join(map(repr, shipped().required(family.schema)))
        raise problems.bad_request(f"The {family.name} needs a body with {required}; nothing was created.")
    fields = dict(body)
    for name, value in fields.items():
        if isinstance(value, str) and "\x00" in value:
            # PostgreSQL cannot store it; refused on every database alike.
            raise problems.bad_request(f"'{name}' contains a NUL character.")
        if name.endswith("_date") and isinstance(value, str):
            fields[name] = _utc_timestamp(name, value)
    return fields


def create(family: StoredFamily) -> Answer:
    current = transactions.current()
    fields = _create_fields(family)
    invitees = _invitees(fields)
    resource_id = repository.create(current.connection, family, fields, _caller_id())
    repository.invite(current.connection, family, resource_id, [i for i in invitees if i != _caller_id()])
    row = repository.resource_by_id(current.connection, family, resource_id)
    assert row is not None
    location = str(request.url.replace(query="")) + f"{resource_id}/"
    body = representations.resource(current.connection, family, row, current.caller)
    return body, 201, {"Location": location}


def info(family: StoredFamily, id: int) -> Answer:
    current = transactions.current()
    return representations.resource(current.connection, family, _resource(), current.caller), 200


def invite(family: StoredFamily, id: int) -> Response:
    repository.invite(transactions.current().connection, family, _resource_id(), _listed_users())
    return _no_content()


def remove_invitation(family: StoredFamily, id: int) -> Response:
    ids = _listed_users()
    repository.remove_invitations(transactions.current().connection, family, _resource_id(), ids)
    return _no_content()


def invited(family: StoredFamily, id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return _members_page(family, "invited", limit, offset)


def requested(family: StoredFamily, id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return _members_page(family, "requested", limit, offset)


def members(family: StoredFamily, id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return _members_page(family, "subscribed", limit, offset)


def join(family: StoredFamily, id: int) -> Response:
    """The caller joins; with the family's direct-subscribe field (the manager only, checked by the
    access layer) the listed users are subscribed instead."""
    connection = transactions.current().connection
    field = family.direct_subscribe_field
    body = _body() if field else None
    if field and body is not None and field in body:
        repository.subscribe_users(connection, family, _resource_id(), _listed_users(field))
    else:
        repository.subscribe(connection, family, _resource(), _caller_id())
    return _no_content()


def leave(family: StoredFamily, id: int, user: int | None = None) -> Response:
    """The caller leaves; with ``?user=`` (the manager only, checked by the access layer) that user does."""
    leaving = _caller_id() if user is None else _existing_user_ids([user])[0]
    repository.leave(transactions.current().connection, family, _resource_id(), leaving)
    return _no_content()


def status(family: StoredFamily, id: int) -> Answer:
    state = repository.status_of(transactions.current().connection, family, _resource_id(), _caller_id())
    return {"status": state}, 200


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
}

OPERATIONS: dict[str, Callable[..., Answer | Response]] = {
    "me": me,
    **{
        operation.operation_id: partial(BY_ACTION[action], family)
        for family in FAMILIES.values()
        for action, operation in family.operations.items()
    },
}
