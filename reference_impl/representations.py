"""JSON bodies shaped like the spec's User, Event and Group schemas.

Every family's body is the fields all of them have, then the family's own (``OWN_FIELDS``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row

from reference_impl import repository
from reference_impl.families import StoredFamily


def timestamp(value: datetime) -> str:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.isoformat()


def user(row: Row) -> dict[str, Any]:
    return {
        "id": row.id,
        "username": row.username,
        "real_name": row.real_name,
        "date_joined": timestamp(row.date_joined),
        "tags": [],
        "reputation": 0,
        "community_badge": False,
        "reg_approved": True,
        "deleted": False,
    }


def resource(connection: Connection, family: StoredFamily, row: Row, caller: Row | None) -> dict[str, Any]:
    """The body of an event, a group, …: the fields every family has, then the family's own."""
    creator = repository.user_by_id(connection, row.created_by)
    manager = repository.user_by_id(connection, row.managed_by)
    assert creator is not None and manager is not None  # foreign keys
    status = repository.status_of(connection, family, row.id, caller.id) if caller else None
    body: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "slug": row.slug,
        "color": row.color,
        "privacy": row.privacy,
        "visible": row.visible,
        "active": row.active,
        "subscription_status": status,
        "subscribers_counter": repository.count_members(connection, family, row.id, "subscribed"),
        "created_at": timestamp(row.created_at),
        "created_by": user(creator),
        "managed_by": user(manager),
        **OWN_FIELDS[family.name](row, status),
    }
    nullable = family.nullable_fields
    return {key: value for key, value in body.items() if value is not None or key in nullable}


def event_fields(row: Row, status: str | None) -> dict[str, Any]:
    """What only an event has (``families.EVENT``)."""
    start, end = row.start_date, row.end_date
    return {
        "show_on_feed": False,
        "goings_counter": 0,
        "share_count": 0,
        "start_date": timestamp(start),
        "end_date": timestamp(end),
        "recurring": row.recurring,
        "location": row.location,
        "geolocation": row.geolocation,
        "geolocation_lat": row.geolocation_lat,
        "geolocation_lng": row.geolocation_lng,
        "link": row.link,
        "running": _naive(start) <= datetime.now(UTC).replace(tzinfo=None) <= _naive(end),
    }


def _naive(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def group_fields(row: Row, status: str | None) -> dict[str, Any]:
    """What only a group has (``families.GROUP``)."""
    return {"subscribed": status == "subscribed", "emotional_image_position": row.emotional_image_position}


#: Each family's own fields: (its row, the caller's membership status) → the fields only its schema has.
OWN_FIELDS: dict[str, Callable[[Row, str | None], dict[str, Any]]] = {
    "event": event_fields,
    "group": group_fields,
}
