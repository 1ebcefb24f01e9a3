"""The resources a path can identify, as data: how to load one, its attributes, the caller's relations.

``x-access`` names roles ``<resource>_<relation>`` (``event_manager``) and conditions on resource
attributes (``privacy``). Both are looked up here and nowhere else, so a new family (``group``, …)
is one more ``ResourceKind`` in ``RESOURCES``: a loader, the attribute → column map and the
relation predicates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Row

from reference_impl import repository

# Does the caller hold the relation with the resource? Given the transaction, the caller, the resource.
Predicate = Callable[[Connection, Row, Row], bool]


@dataclass(frozen=True)
class Relation:
    holds: Predicate
    refusal: str  # the 403 detail when the caller lacks it


@dataclass(frozen=True)
class ResourceKind:
    name: str  # as in role names and in the path: /api/v2/<name>/{<parameter>}/…
    parameter: str
    load: Callable[[Connection, int, bool], Row | None]  # (connection, id, lock) → row or None
    attributes: Mapping[str, str]  # x-access attribute → column of the loaded row
    relations: Mapping[str, Relation]
    schema: str  # components.schemas entry describing the resource, for the attribute values

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(rf"^/api/v2/{re.escape(self.name)}/\{{{re.escape(self.parameter)}\}}(/|$)")


def _load_event(connection: Connection, event_id: int, lock: bool) -> Row | None:
    return repository.event_by_id(connection, event_id, lock=lock)


def _manages_event(connection: Connection, caller: Row, event: Row) -> bool:
    return bool(caller.id == event.managed_by)


def _subscribed_to_event(connection: Connection, caller: Row, event: Row) -> bool:
    # Literal reading of "being subscribed": an active subscription, whoever manages the event.
    return repository.membership_status(connection, event.id, caller.id) == "subscribed"


EVENT = ResourceKind(
    name="event",
    parameter="id",
    load=_load_event,
    attributes={"privacy": "privacy"},
    relations={
        "manager": Relation(_manages_event, "Only the manager of this event may do this."),
        "subscriber": Relation(_subscribed_to_event, "Only subscribers of this event may do this."),
    },
    schema="Event",
)

RESOURCES: dict[str, ResourceKind] = {kind.name: kind for kind in (EVENT,)}


def resource_of_path(path: str) -> ResourceKind | None:
    """The kind of resource the path template identifies (``/api/v2/event/{id}/…`` → event), if any."""
    return next((kind for kind in RESOURCES.values() if kind.pattern.match(path)), None)


def known_roles() -> list[str]:
    return sorted(f"{kind.name}_{relation}" for kind in RESOURCES.values() for relation in kind.relations)
