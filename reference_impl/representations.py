"""JSON bodies shaped like the spec's User, Event, Group and Course schemas.

Every event's and group's body is the fields both have, then the family's own (``OWN_FIELDS``). A course's
body is one of the Course schemas (``course``): what the server has of a course, kept to the properties
of the schema the answer is documented with.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Row

from openapi.document import shipped
from reference_impl import repository
from reference_impl.families import COURSE, StoredFamily


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


def user_minimal(row: Row) -> dict[str, Any]:
    """A User Minimal: a course's creator, its members list."""
    return {
        "id": row.id,
        "username": row.username,
        "real_name": row.real_name,
        "avatar": None,
        "community_badge": False,
        "deleted": False,
    }


def invited_user(row: Row) -> dict[str, Any]:
    """An item of a course's invited users: "Every items will contain only the following attributes: id,
    username, real_name, ext_id and avatar" (this server keeps no ``ext_id``)."""
    return {"id": row.id, "username": row.username, "real_name": row.real_name, "avatar": None}


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


def course(connection: Connection, row: Row, viewer: Row | None, schema: str) -> dict[str, Any]:
    """A course as ``viewer`` (None: anonymous) sees it, with the properties of the Course schema ``schema``
    (``Course``, ``CourseUserDetail``, ``CourseDetail``, ``CourseDashboard``, ``CourseMinimal``).

    This server keeps no sections, lessons, categories, images or completions: their lists are empty and
    their counters and rates 0; what it does not have at all (``image_*``, unset ``meta_*``) is left out.
    """
    state = repository.status_of(connection, COURSE, row.id, viewer.id) if viewer is not None else None
    creator = repository.user_by_id(connection, row.created_by)
    assert creator is not None  # foreign key
    body: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "slug": row.slug,
        "description": row.description,
        "type": row.type,
        "privacy": row.privacy,
        "enforce_lessons_order": row.enforce_lessons_order,
        "new_comment_notification_enabled": row.new_comment_notification_enabled,
        "hide_member_count": row.hide_member_count,
        "meta_title": row.meta_title,
        "meta_description": row.meta_description,
        "og_title": row.og_title,
        "og_description": row.og_description,
        "og_image": row.og_image,
        "sections_order": [],
        "deleted": False,
        "join_status": state,
        "user_completion_rate": 0,
        "created_at": timestamp(row.created_at),
        "created_by": user_minimal(creator),
        "categories": [],
        "sections": [],
        "num_lessons": 0,
        "num_sections": 0,
        "num_lessons_completed": 0,
        "avg_completion_rate": 0,
    }
    spec = shipped()
    kept, nullable = spec.schema_properties(schema), spec.nullable(schema)
    return {
        key: value for key, value in body.items() if key in kept and (value is not None or key in nullable)
    }
