"""Queries and changes, each one SQL statement or a few, set-based however many ids come in."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Connection, Row, bindparam, delete, func, insert, select

from reference_impl import id_lists
from reference_impl.storage import events, memberships, users

MAX_ID = 2**63 - 1


def now() -> datetime:
    return datetime.now(UTC)


def is_storable_id(value: int) -> bool:
    return 0 < value <= MAX_ID


# The statements every request runs, built once: SQLAlchemy then skips their construction and
# most of its cache-key work on each execution.
_USER_BY_ID = select(users).where(users.c.id == bindparam("id", type_=BigInteger))
_EVENT_BY_ID = select(events).where(events.c.id == bindparam("id", type_=BigInteger))
_EVENT_BY_ID_LOCKED = _EVENT_BY_ID.with_for_update()


def user_by_id(connection: Connection, user_id: int) -> Row | None:
    if not is_storable_id(user_id):
        return None
    return connection.execute(_USER_BY_ID, {"id": user_id}).first()


def user_by_username(connection: Connection, username: str) -> Row | None:
    return connection.execute(select(users).where(users.c.username == username)).first()


def get_or_create_user(connection: Connection, username: str) -> Row:
    existing = user_by_username(connection, username)
    if existing is not None:
        return existing
    connection.execute(insert(users).values(username=username, real_name="", date_joined=now()))
    created = user_by_username(connection, username)
    assert created is not None
    return created


def create_users(connection: Connection, count: int, prefix: str = "user") -> list[int]:
    """``count`` new users named ``prefix`` + the smallest free numbers; returns their ids."""
    taken = set(
        connection.execute(select(users.c.username).where(users.c.username.startswith(prefix))).scalars()
    )
    names: list[str] = []
    number = 1
    while len(names) < count:
        if f"{prefix}{number}" not in taken:
            names.append(f"{prefix}{number}")
        number += 1
    if not names:
        return []
    joined = now()
    rows = [{"username": name, "real_name": "", "date_joined": joined} for name in names]
    return list(
        connection.execute(insert(users).returning(users.c.id, sort_by_parameter_order=True), rows).scalars()
    )


def unknown_user_ids(connection: Connection, user_ids: Iterable[int]) -> list[int]:
    """The ids among ``user_ids`` that name no user, in the order given."""
    wanted = list(dict.fromkeys(user_ids))
    storable = [user_id for user_id in wanted if is_storable_id(user_id)]
    found: set[int] = set()
    if storable:
        ids = id_lists.bound_ids(connection, storable)
        found = set(id_lists.run(connection, "known_users", {"ids": ids}))
    return [user_id for user_id in wanted if user_id not in found]


def event_by_id(connection: Connection, event_id: int, *, lock: bool = False) -> Row | None:
    """The event, or None; ``lock`` holds its row until the transaction ends.

    Every change of a membership locks its event first, so that concurrent changes to one event
    run one after the other (PostgreSQL; SQLite has a single writer anyway).
    """
    if not is_storable_id(event_id):
        return None
    return connection.execute(_EVENT_BY_ID_LOCKED if lock else _EVENT_BY_ID, {"id": event_id}).first()


def _slug(name: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60]
    return f"{words or 'event'}-{secrets.token_hex(4)}"


def create_event(connection: Connection, fields: Mapping[str, Any], creator_id: int) -> int:
    """Store an event; its creator becomes its manager and first subscriber."""
    created_at = now()
    start = fields.get("start_date") or created_at
    values = {
        "name": fields["name"],
        "slug": _slug(fields["name"]),
        "description": fields.get("description"),
        "color": fields.get("color"),
        "privacy": fields["privacy"],
        "visible": fields.get("visible", True),
        "active": fields.get("active", True),
        "start_date": start,
        "end_date": fields.get("end_date") or start + timedelta(hours=1),
        "recurring": fields.get("recurring", "never"),
        "location": fields.get("location", "virtual"),
        "geolocation": fields.get("geolocation"),
        "geolocation_lat": fields.get("geolocation_lat"),
        "geolocation_lng": fields.get("geolocation_lng"),
        "link": fields.get("link"),
        "created_at": created_at,
        "created_by": creator_id,
        "managed_by": creator_id,
    }
    event_id = connection.execute(insert(events).values(**values).returning(events.c.id)).scalar_one()
    connection.execute(insert(memberships).values(event_id=event_id, user_id=creator_id, status="subscribed"))
    return int(event_id)


def membership_status(connection: Connection, event_id: int, user_id: int) -> str | None:
    return connection.execute(
        select(memberships.c.status).where(
            memberships.c.event_id == event_id, memberships.c.user_id == user_id
        )
    ).scalar()


def count_members(connection: Connection, event_id: int, status: str) -> int:
    return connection.execute(
        select(func.count())
        .select_from(memberships)
        .where(memberships.c.event_id == event_id, memberships.c.status == status)
    ).scalar_one()


def members(connection: Connection, event_id: int, status: str, *, limit: int, offset: int) -> Sequence[Row]:
    """Users with ``status`` in the event, oldest membership first.

    The page is cut from the covering index first and joined to users after, so a deep offset
    skips index entries only.
    """
    page = (
        select(memberships.c.id, memberships.c.user_id)
        .where(memberships.c.event_id == event_id, memberships.c.status == status)
        .order_by(memberships.c.id)
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )
    query = select(users).join(page, page.c.user_id == users.c.id).order_by(page.c.id)
    return connection.execute(query).all()


def _move(connection: Connection, event_id: int, user_ids: Sequence[int], source: str, target: str) -> None:
    """Change the status of those of ``user_ids`` in ``source`` to ``target``.

    The row is replaced rather than updated: its new id then says when the user entered the
    new state, which is the order lists are sorted by.
    """
    selected = {"event": event_id, "source": source, "ids": id_lists.bound_ids(connection, user_ids)}
    moving = id_lists.run(connection, "members_in", selected)
    if moving:
        id_lists.run(connection, "delete_members_in", selected)
        _add_members(connection, event_id, moving, target)


def _add_members(connection: Connection, event_id: int, user_ids: Sequence[int], status: str) -> None:
    """Add memberships in the order of ``user_ids``, skipping users who already have one."""
    parameters = {"event": event_id, "status": status, "ids": id_lists.bound_ids(connection, user_ids)}
    id_lists.run(connection, "add_members", parameters)


def invite(connection: Connection, event_id: int, user_ids: Sequence[int]) -> None:
    """Accept pending requests among ``user_ids`` and invite everyone else without a membership."""
    if not user_ids:
        return
    _move(connection, event_id, user_ids, "requested", "subscribed")
    _add_members(connection, event_id, user_ids, "invited")


def remove_invitations(connection: Connection, event_id: int, user_ids: Sequence[int]) -> None:
    if not user_ids:
        return
    parameters = {"event": event_id, "source": "invited", "ids": id_lists.bound_ids(connection, user_ids)}
    id_lists.run(connection, "delete_members_in", parameters)


def subscribe(connection: Connection, event: Row, user_id: int) -> None:
    """Public event, invitation or own event: subscribed; private event: a request for the manager."""
    current = membership_status(connection, event.id, user_id)
    if current == "invited":
        _move(connection, event.id, [user_id], "invited", "subscribed")
    elif current is None:
        open_to_caller = event.privacy == "public" or event.managed_by == user_id
        status = "subscribed" if open_to_caller else "requested"
        connection.execute(insert(memberships).values(event_id=event.id, user_id=user_id, status=status))


def leave(connection: Connection, event_id: int, user_id: int) -> None:
    connection.execute(
        delete(memberships).where(memberships.c.event_id == event_id, memberships.c.user_id == user_id)
    )
