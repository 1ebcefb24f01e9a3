"""The resources a path can identify, as data: how to load one, its attributes, the caller's relations.

``x-access`` names roles ``<resource>_<relation>`` (``event_manager``) and conditions on resource
attributes (``privacy``). Both are looked up here and nowhere else, so a new family (``group``, …)
is one more ``StoredFamily`` in ``families.FAMILIES``, from which its ``ResourceKind`` is made here: a
loader, the attribute → column map and the relation predicates. Which resource an operation's path
identifies is the contract core's reading of the path (``openapi.document.resource_path``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, Row

from openapi.document import Operation, resource_path
from reference_impl import repository
from reference_impl.families import FAMILIES, Relationship, StoredFamily
from reference_impl.kept_reads import RowVersions

# Does the caller hold the relation with the resource? Given the transaction, the caller, the resource.
Predicate = Callable[[Connection, Row, Row], bool]

#: The path parameter that holds the resource's id: ``/api/v2/<resource>/{id}/…``.
ID_PARAMETER = "id"


@dataclass(frozen=True)
class Relation:
    holds: Predicate
    who: str  # who holds it, for a refusal: "the manager of this event"
    reads_memberships: bool = False  # what it decides can change (a column naming the manager cannot)


@dataclass(frozen=True)
class ResourceKind:
    name: str  # as in role names and in the path: /api/v2/<name>/{<parameter>}/…
    parameter: str
    load: Callable[[Connection, int], Row | None]  # (connection, id) → row or None
    # (connection, user id, id) → (the user or None, the resource or None, their rows' versions or None),
    # read together
    load_with_user: Callable[[Connection, int, int], tuple[Row | None, Row | None, RowVersions | None]]
    lock: Callable[[Connection, int], None]  # (connection, id): for a change of its memberships
    attributes: Mapping[str, str]  # x-access attribute → column of the loaded row
    relations: Mapping[str, Relation]
    schema: str  # components.schemas entry describing the resource, for the attribute values


def _relation(family: StoredFamily, relationship: Relationship) -> Relation:
    column, states = relationship.column, relationship.states

    def named_by_column(connection: Connection, caller: Row, resource: Row) -> bool:
        return bool(caller.id == getattr(resource, column or ""))

    def in_states(connection: Connection, caller: Row, resource: Row) -> bool:
        # Literal reading of "being subscribed" / "member": the state itself, whoever manages the resource.
        return repository.status_of(connection, family, resource.id, caller.id) in states

    who = relationship.who.format(name=family.name)
    if column:
        return Relation(named_by_column, who)
    return Relation(in_states, who, reads_memberships=True)


def resource_kind(family: StoredFamily) -> ResourceKind:
    """How access sees a family: its loader, its attributes and the relations of its roles."""
    return ResourceKind(
        name=family.name,
        parameter=ID_PARAMETER,
        load=lambda connection, resource_id: repository.resource_by_id(connection, family, resource_id),
        load_with_user=lambda connection, user_id, resource_id: repository.user_and_resource(
            connection, user_id, family, resource_id
        ),
        lock=lambda connection, resource_id: repository.lock(connection, family, resource_id),
        attributes=family.attributes,
        relations={name: _relation(family, meaning) for name, meaning in family.relations.items()},
        schema=family.schema,
    )


RESOURCES: dict[str, ResourceKind] = {name: resource_kind(family) for name, family in FAMILIES.items()}


def resource_of(operation: Operation) -> ResourceKind | None:
    """The kind of resource the operation's path names by id (``/api/v2/event/{id}/…`` → event), if any."""
    shape = resource_path(operation.path)
    if shape is None:
        return None
    name, rest = shape
    identified = rest == f"{{{ID_PARAMETER}}}" or rest.startswith(f"{{{ID_PARAMETER}}}/")
    return RESOURCES.get(name) if identified else None


def known_roles() -> list[str]:
    return sorted(f"{kind.name}_{relation}" for kind in RESOURCES.values() for relation in kind.relations)
