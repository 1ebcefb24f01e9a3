"""Operation handlers, one per operationId (see OPERATIONS at the end).

Access has been checked and the body validated against the spec before a handler runs; the
handler works inside the request's transaction from ``context.current()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from connexion import request
from starlette.responses import Response

from reference_impl import context, pagination, problems, repository, representations
from reference_impl.body_parsing import MAX_LIST_ITEMS, parsed_body

Answer = tuple[Any, int] | tuple[Any, int, dict[str, str]]


def _user_ids(body: Any, field: str = "users") -> list[int]:
    """The ids in ``body[field]``, each once; refuses anything but a list of integers."""
    ids = body.get(field) if isinstance(body, Mapping) else None
    if not isinstance(ids, list):
        raise problems.bad_request(f"'{field}' must be a list of user ids.")
    if len(ids) > MAX_LIST_ITEMS:
        raise problems.bad_request(
            f"'{field}' holds {len(ids)} ids; at most {MAX_LIST_ITEMS} are accepted per request."
        )
    for item in ids:
        # bool is an int in Python; JSON true is not a user id.
        if type(item) is not int:
            raise problems.bad_request(f"'{field}' must hold integer user ids only; got {item!r}.")
    return list(dict.fromkeys(ids))


def _existing_user_ids(body: Any, field: str = "users") -> list[int]:
    ids = _user_ids(body, field)
    unknown = repository.unknown_user_ids(context.current().connection, ids)
    if unknown:
        shown = ", ".join(map(str, unknown[:10])) + (" …" if len(unknown) > 10 else "")
        raise problems.bad_request(f"No user with id {shown}; nothing was changed.")
    return ids


def _body() -> Any:
    # Handlers take no ``body`` argument, so Connexion does not parse the body a second time.
    return parsed_body(request.scope)


def _caller_id() -> int:
    caller = context.current().caller
    assert caller is not None  # the operation requires authentication
    return int(caller.id)


def _event_id() -> int:
    event = context.current().event
    assert event is not None  # the path has an event id, checked by the access layer
    return int(event.id)


def _no_content() -> Response:
    # Returned as a plain response so that no Content-Type is attached to an empty body.
    return Response(status_code=204)


def _members_page(status: str, limit: int | None, offset: int | None) -> Answer:
    connection = context.current().connection
    limit, offset = pagination.clamp(limit, offset)
    event_id = _event_id()
    body = pagination.page(
        request.url,
        count=repository.count_members(connection, event_id, status),
        limit=limit,
        offset=offset,
        results=repository.members(connection, event_id, status, limit=limit, offset=offset),
        render=representations.user,
    )
    return body, 200


def me() -> Answer:
    caller = context.current().caller
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


def create_an_event() -> Answer:
    current = context.current()
    fields = dict(_body())
    for name, value in fields.items():
        if isinstance(value, str) and "\x00" in value:
            # PostgreSQL cannot store it; refused on every database alike.
            raise problems.bad_request(f"'{name}' contains a NUL character.")
    for name in ("start_date", "end_date"):
        if isinstance(fields.get(name), str):
            fields[name] = _utc_timestamp(name, fields[name])
    invitees = _existing_user_ids(fields, "invite_users") if "invite_users" in fields else []
    event_id = repository.create_event(current.connection, fields, _caller_id())
    repository.invite(current.connection, event_id, [i for i in invitees if i != _caller_id()])
    event = repository.event_by_id(current.connection, event_id)
    assert event is not None
    location = str(request.url.replace(query="")) + f"{event_id}/"
    return representations.event(current.connection, event, current.caller), 201, {"Location": location}


def get_event_info(id: int) -> Answer:
    current = context.current()
    assert current.event is not None
    return representations.event(current.connection, current.event, current.caller), 200


def invite_users_to_event(id: int) -> Response:
    repository.invite(context.current().connection, _event_id(), _existing_user_ids(_body()))
    return _no_content()


def remove_invitation_to_event(id: int) -> Response:
    repository.remove_invitations(context.current().connection, _event_id(), _existing_user_ids(_body()))
    return _no_content()


def get_event_invited_users(id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return _members_page("invited", limit, offset)


def get_event_users_to_approve(id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return _members_page("requested", limit, offset)


def get_event_subscribed_users(id: int, limit: int | None = None, offset: int | None = None) -> Answer:
    return _members_page("subscribed", limit, offset)


def subscribe_or_accept_invite_to_event(id: int) -> Response:
    current = context.current()
    assert current.event is not None
    repository.subscribe(current.connection, current.event, _caller_id())
    return _no_content()


def unsubscribe_from_event(id: int, user: int | None = None) -> Response:
    """The caller leaves; with ``?user=`` (the manager only, checked by the access layer) that user does."""
    leaving = _caller_id() if user is None else _existing_user_ids({"user": [user]}, "user")[0]
    repository.leave(context.current().connection, _event_id(), leaving)
    return _no_content()


def get_subscription_status(id: int) -> Answer:
    status = repository.membership_status(context.current().connection, _event_id(), _caller_id())
    return {"status": status}, 200


OPERATIONS: dict[str, Callable[..., Answer | Response]] = {
    "me": me,
    "createAnEvent": create_an_event,
    "getEventInfo": get_event_info,
    "inviteUsersToEvent": invite_users_to_event,
    "getEventInvitedUsers": get_event_invited_users,
    "removeInvitationToEvent": remove_invitation_to_event,
    "subscribeOrAcceptInviteToEvent": subscribe_or_accept_invite_to_event,
    "getEventSubscribedUsers": get_event_subscribed_users,
    "unsubscribeFromEvent": unsubscribe_from_event,
    "getEventUsersToApprove": get_event_users_to_approve,
    "getSubscriptionStatus": get_subscription_status,
}
