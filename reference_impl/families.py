"""Membership families as this server stores them: events, groups and courses share one membership engine.

A family is a resource that users join through the same lifecycle (invited, requested, in).
The contract core finds the families of the document and their operations, one per action
(``openapi.families``: ``invite``, ``join``, ``members``, …); what this server adds is declared
here, as data: each family's tables and membership key, the states its users can be in (events and
groups: ``subscribed``; courses: ``creator``, ``manager``, ``joined``), what each relation its roles
name (``<name>_<relation>``) means for this server, and how a create body fills its own columns. The
handlers (``handlers``, and ``course_handlers`` for what only courses do), queries (``repository``),
set-based statements (``id_lists``), access (``resources``) and bodies (``representations``, which also
holds each family's own fields) are written once for every family.

The declarations are read at import, with the shipped document (``openapi.document.shipped``): the
tables and the handlers are made once. Adding a family: its tables in ``storage``, one ``StoredFamily``
below, its fields in ``representations``, its pages.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import Column, Table

from openapi.document import Operation, shipped
from openapi.families import Action, Family, by_name
from reference_impl import problems, storage


@dataclass(frozen=True)
class Relationship:
    """What a relation named in a role (``group_member``) means for the caller: a column of the resource
    names them (``managed_by``), or their membership state is one of ``states``. ``who`` names the users
    who hold it, for refusals ("Only the manager of this event may …"; ``{name}`` is the family's)."""

    who: str
    column: str | None = None
    states: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredFamily:
    """A family of the document, as this server stores and serves it."""

    name: str  # the path's resource (/api/v2/<name>/{id}/…) and the prefix of role names
    table: Table
    memberships: Table
    key: str  # the membership column that names the resource
    relations: Mapping[str, Relationship]  # <name>_<relation> roles of x-access → what each means
    create_columns: Callable[[Mapping[str, Any], datetime], dict[str, Any]]  # body → own columns
    open_privacy: str = "public"  # joining a resource with this privacy needs no approval (events, groups)
    # The body field of POST …/subscribe/ with which the manager subscribes users directly (None: none).
    direct_subscribe_field: str | None = None
    joined_state: str = "subscribed"  # a user who joined, or whose request or invitation was accepted
    creator_state: str = "subscribed"  # the creator's, right after creating one
    member_states: tuple[str, ...] = ("subscribed",)  # the states of its members
    # x-access attributes of one resource (``privacy``, ``hide_member_count``) → the column holding each.
    attributes: Mapping[str, str] = field(default_factory=lambda: {"privacy": "privacy"})

    @cached_property
    def contract(self) -> Family:
        """The family as the shipped document has it: its operations by action."""
        return by_name(shipped(), self.name)

    @property
    def operations(self) -> Mapping[Action, Operation]:
        return self.contract.operations

    @cached_property
    def schema(self) -> str:
        """The ``components.schemas`` entry of one resource: the body of create and info, its values."""
        name = self.contract.resource_schema
        if name is None:
            raise LookupError(f"the shipped document names no schema for one {self.name}")
        return name

    @cached_property
    def nullable_fields(self) -> frozenset[str]:
        """The fields its answers keep when they are null: the schema's nullable properties."""
        return shipped().nullable(self.schema)

    @property
    def key_column(self) -> Column[Any]:
        return self.memberships.c[self.key]


def _shared_columns(fields: Mapping[str, Any]) -> dict[str, Any]:
    """What an event and a group both store from their create body."""
    return {
        "description": fields.get("description"),
        "color": fields.get("color"),
        "privacy": fields["privacy"],
        "visible": fields.get("visible", True),
        "active": fields.get("active", True),
    }


def _event_columns(fields: Mapping[str, Any], created_at: datetime) -> dict[str, Any]:
    start = fields.get("start_date") or created_at
    return {
        **_shared_columns(fields),
        "start_date": start,
        "end_date": fields.get("end_date") or start + timedelta(hours=1),
        "recurring": fields.get("recurring", "never"),
        "location": fields.get("location", "virtual"),
        "geolocation": fields.get("geolocation"),
        "geolocation_lat": fields.get("geolocation_lat"),
        "geolocation_lng": fields.get("geolocation_lng"),
        "link": fields.get("link"),
    }


def _group_columns(fields: Mapping[str, Any], created_at: datetime) -> dict[str, Any]:
    position = fields.get("emotional_image_position")
    if position is not None and not -(2**31) <= position < 2**31:
        # A 32-bit column; the schema sets no bound, so a larger value is refused alike on every database.
        raise problems.bad_request("'emotional_image_position' is out of range: it is stored in 32 bits.")
    return {**_shared_columns(fields), "emotional_image_position": position}


# A slug as Django's SlugField validates one; at most 255 characters, so that its unique index holds it.
_SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,255}$")
#: The Course schema's defaults ("default value: empty string", "default: false", "default: true").
COURSE_DEFAULTS: dict[str, Any] = {
    "description": "",
    "privacy": "",
    "enforce_lessons_order": False,
    "new_comment_notification_enabled": True,
    "hide_member_count": False,
}
# The columns of a course that x-access may name as its attributes.
COURSE_ATTRIBUTES = (
    "privacy", "type", "hide_member_count", "enforce_lessons_order", "new_comment_notification_enabled",
)  # fmt: skip
# Free text of a course stored as given (none has a default).
_COURSE_TEXTS = ("meta_title", "meta_description", "og_title", "og_description", "og_image")


def _course_columns(fields: Mapping[str, Any], created_at: datetime) -> dict[str, Any]:
    """A course's columns; its lists name sections and categories, which this server does not keep, so
    only empty ones are accepted (an id that names nothing is bad input: 400)."""
    for listed, what in (("categories", "categories"), ("sections_order", "sections")):
        if fields.get(listed):
            raise problems.bad_request(
                f"'{listed}' names {what} this server does not have (it keeps none); send an empty list or "
                "leave it out. Nothing was created."
            )
    slug = fields.get("slug")
    if slug is not None and not _SLUG.match(slug):
        raise problems.bad_request(
            "'slug' must be 1 to 255 letters, digits, '-' or '_' (or left out to make one from the name)."
        )
    return {
        **{name: fields.get(name, default) for name, default in COURSE_DEFAULTS.items()},
        **{name: fields.get(name) for name in _COURSE_TEXTS},
        **({"slug": slug} if slug is not None else {}),
        "type": fields["type"],
        "name_digest": name_digest(fields["name"]),
    }


def name_digest(name: str) -> str:
    """What the unique index on a course's name holds (``storage.courses``)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


EVENT = StoredFamily(
    name="event",
    table=storage.events,
    memberships=storage.memberships,
    key="event_id",
    relations={
        "manager": Relationship("the manager of this {name}", column="managed_by"),
        "subscriber": Relationship("subscribers of this {name}", states=("subscribed",)),
    },
    create_columns=_event_columns,
)

GROUP = StoredFamily(
    name="group",
    table=storage.groups,
    memberships=storage.group_memberships,
    key="group_id",
    relations={
        "manager": Relationship("the manager of this {name}", column="managed_by"),
        "member": Relationship("members of this {name}", states=("subscribed",)),
    },
    create_columns=_group_columns,
    direct_subscribe_field="users",
)

COURSE = StoredFamily(
    name="course",
    table=storage.courses,
    memberships=storage.course_memberships,
    key="course_id",
    relations={
        "creator": Relationship("the creator of this {name}", column="created_by"),
        # The creator is one of the managers: the leave page lets "the other managers" leave, and
        # docs/contract.md (rule 57) lets the creator do all that a manager may.
        "manager": Relationship("a manager of this {name}", states=("creator", "manager")),
        "member": Relationship("members of this {name}", states=("creator", "manager", "joined")),
        "invited": Relationship("users invited to this {name}", states=("invited",)),
    },
    create_columns=_course_columns,
    open_privacy="open",  # unread: the course handlers take what joining does from the join's x-join
    joined_state="joined",
    creator_state="creator",
    member_states=("creator", "manager", "joined"),
    attributes={name: name for name in COURSE_ATTRIBUTES},
)

FAMILIES: dict[str, StoredFamily] = {family.name: family for family in (EVENT, GROUP, COURSE)}
