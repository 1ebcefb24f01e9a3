"""Membership families as this server stores them: events and groups share one membership engine.

A family is a resource that users join through the same lifecycle (invited, requested, subscribed).
The contract core finds the families of the document and their operations, one per action
(``openapi.families``: ``invite``, ``join``, ``members``, …); what this server adds is declared
here, as data: each family's tables and membership key, what each relation its roles name
(``<name>_<relation>``) means for this server, and how a create body fills its own columns. The
handlers (``handlers``), queries (``repository``), set-based statements (``id_lists``), access
(``resources``) and bodies (``representations``, which also holds each family's own fields) are
written once for every family.

The declarations are read at import, with the shipped document (``openapi.document.shipped``): the
tables and the handlers are made once. Adding a family (courses, …): its tables in ``storage``, one
``StoredFamily`` below, its fields in ``representations``, its pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, Literal

from sqlalchemy import Column, Table

from openapi.document import Operation, shipped
from openapi.families import Action, Family, by_name
from reference_impl import problems, storage

#: What a relation named in a role (``group_member``) means for the caller.
Meaning = Literal["manages", "subscribed"]


@dataclass(frozen=True)
class StoredFamily:
    """A family of the document, as this server stores and serves it."""

    name: str  # the path's resource (/api/v2/<name>/{id}/…) and the prefix of role names
    table: Table
    memberships: Table
    key: str  # the membership column that names the resource
    relations: Mapping[str, Meaning]  # <name>_<relation> roles of x-access → what each means
    create_columns: Callable[[Mapping[str, Any], datetime], dict[str, Any]]  # body → own columns
    open_privacy: str = "public"  # joining a resource with this privacy needs no approval
    # The body field of POST …/subscribe/ with which the manager subscribes users directly (None: none).
    direct_subscribe_field: str | None = None

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


def _event_columns(fields: Mapping[str, Any], created_at: datetime) -> dict[str, Any]:
    start = fields.get("start_date") or created_at
    return {
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
    return {"emotional_image_position": position}


EVENT = StoredFamily(
    name="event",
    table=storage.events,
    memberships=storage.memberships,
    key="event_id",
    relations={"manager": "manages", "subscriber": "subscribed"},
    create_columns=_event_columns,
)

GROUP = StoredFamily(
    name="group",
    table=storage.groups,
    memberships=storage.group_memberships,
    key="group_id",
    relations={"manager": "manages", "member": "subscribed"},
    create_columns=_group_columns,
    direct_subscribe_field="users",
)

FAMILIES: dict[str, StoredFamily] = {family.name: family for family in (EVENT, GROUP)}
