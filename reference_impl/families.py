"""Membership families, as declarations: events and groups share one membership engine.

A family is a resource that users join through the same lifecycle (invited, requested, subscribed):
``/api/v2/<name>/{id}/invite/``, ``…/subscribe/``, ``…/request_subscribe/``, ``…/status/``. What one
family does differently from another is data here: its tables, the roles the spec names
(``<name>_<relation>``), its schema in the spec, its operations, and two small hooks for its own columns
(``create_columns``: the create body → the family's own columns; ``extra_fields``: a row → the
fields only this family's schema has). The handlers (``handlers``), queries (``repository``),
set-based statements (``id_lists``), access (``resources``) and representations are written once.

Adding a family (courses, …): its tables in ``storage``, one ``Family`` below, its pages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any, Literal

from sqlalchemy import Column, Row, Table

from reference_impl import problems, spec_facts, storage

#: What a generic handler does; the family maps its operationIds onto these.
Action = Literal[
    "create", "info", "invite", "remove_invitations", "invited", "requested", "subscribed",
    "subscribe", "leave", "status",
]  # fmt: skip
#: What a relation named in a role (``group_member``) means for the caller.
Meaning = Literal["manages", "subscribed"]


@dataclass(frozen=True)
class Family:
    name: str  # the path segment (/api/v2/<name>/{id}/…) and the prefix of role names
    schema: str  # components.schemas entry: the body of create and info, the privacy values
    table: Table
    memberships: Table
    key: str  # the membership column that names the resource
    relations: Mapping[str, Meaning]  # <name>_<relation> roles of x-access → what each means
    operations: Mapping[str, Action]  # operationId → generic action
    create_columns: Callable[[Mapping[str, Any], datetime], dict[str, Any]]  # body → own columns
    extra_fields: Callable[[Row, str | None], dict[str, Any]]  # (row, caller's state) → own fields
    open_privacy: str = "public"  # joining a resource with this privacy needs no approval
    # The body field of POST …/subscribe/ with which the manager subscribes users directly (None: none).
    direct_subscribe_field: str | None = None
    parameter: str = "id"  # the path parameter that holds the resource id

    @cached_property
    def nullable_fields(self) -> frozenset[str]:
        """The fields its answers keep when they are null: the schema's nullable properties."""
        return spec_facts.nullable(self.schema)

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


def _event_fields(row: Row, status: str | None) -> dict[str, Any]:
    from reference_impl.representations import event_fields  # the timestamps' format lives there

    return event_fields(row)


def _group_columns(fields: Mapping[str, Any], created_at: datetime) -> dict[str, Any]:
    position = fields.get("emotional_image_position")
    if position is not None and not -(2**31) <= position < 2**31:
        # A 32-bit column; the schema sets no bound, so a larger value is refused alike on every database.
        raise problems.bad_request("'emotional_image_position' is out of range: it is stored in 32 bits.")
    return {"emotional_image_position": position}


def _group_fields(row: Row, status: str | None) -> dict[str, Any]:
    return {"subscribed": status == "subscribed", "emotional_image_position": row.emotional_image_position}


EVENT = Family(
    name="event",
    schema="Event",
    table=storage.events,
    memberships=storage.memberships,
    key="event_id",
    relations={"manager": "manages", "subscriber": "subscribed"},
    operations={
        "createAnEvent": "create",
        "getEventInfo": "info",
        "inviteUsersToEvent": "invite",
        "removeInvitationToEvent": "remove_invitations",
        "getEventInvitedUsers": "invited",
        "getEventUsersToApprove": "requested",
        "getEventSubscribedUsers": "subscribed",
        "subscribeOrAcceptInviteToEvent": "subscribe",
        "unsubscribeFromEvent": "leave",
        "getSubscriptionStatus": "status",
    },
    create_columns=_event_columns,
    extra_fields=_event_fields,
)

GROUP = Family(
    name="group",
    schema="Group",
    table=storage.groups,
    memberships=storage.group_memberships,
    key="group_id",
    relations={"manager": "manages", "member": "subscribed"},
    operations={
        "createAGroup": "create",
        "getGroupInfo": "info",
        "inviteUsersToGroup": "invite",
        "removeInvitationToGroup": "remove_invitations",
        "getGroupInvitedUsers": "invited",
        "getGroupUsersToApprove": "requested",
        "getGroupSubscribedUsers": "subscribed",
        "subscribeOrAcceptInviteToGroup": "subscribe",
        "unsubscribeFromGroup": "leave",
        "getGroupSubscriptionStatus": "status",
    },
    create_columns=_group_columns,
    extra_fields=_group_fields,
    direct_subscribe_field="users",
)

FAMILIES: dict[str, Family] = {family.name: family for family in (EVENT, GROUP)}
