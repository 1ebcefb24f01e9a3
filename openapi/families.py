"""Membership families: the resources users join through one lifecycle (events, groups, …).

A family is a resource whose operations run the membership lifecycle: creating one, inviting users,
withdrawing invitations, listing who is invited, who asked to join and who is in, joining (or accepting
an invitation), leaving, and reading one's own status. Each of these is an **action**, and this module
holds the one vocabulary for them; every package names an operation of the lifecycle by its action and
asks the family for it, so a rule is written once for every family the document has.

The action words are the reference pages' own where they are family-neutral ("Invite users", "Remove
invitation", "Get … info", "… status"); where the pages use one family's word (events and groups
*subscribe*, courses *join*), the action is the word that names the lifecycle step for all of them:

=================== ============================================= ======================================
action              event and group pages                         method and path after /api/v2/<name>/
=================== ============================================= ======================================
create              Create an event / a group                     POST ``""``
info                Get event info                                GET ``{id}/``
invite              Invite users to event                         POST ``{id}/invite/``
remove_invitation   Remove invitation to event                    DELETE ``{id}/invite/``
invited             Get event invited users                       GET ``{id}/invite/``
requested           Get event users to approve                    GET ``{id}/request_subscribe/``
members             Get event subscribed users                    GET ``{id}/subscribe/``
join                Subscribe or accept invite to event           POST ``{id}/subscribe/``
leave               Unsubscribe from event                        DELETE ``{id}/subscribe/``
status              Get subscription status                       GET ``{id}/status/``
=================== ============================================= ======================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from weakref import WeakKeyDictionary

from openapi.document import Operation, Spec, resource_path

Action = Literal[
    "create", "info", "invite", "remove_invitation", "invited", "requested", "members", "join", "leave",
    "status",
]  # fmt: skip

#: Each action's method and the path after ``/api/v2/<family>/``.
ACTIONS: dict[Action, tuple[str, str]] = {
    "create": ("POST", ""),
    "info": ("GET", "{id}/"),
    "invite": ("POST", "{id}/invite/"),
    "remove_invitation": ("DELETE", "{id}/invite/"),
    "invited": ("GET", "{id}/invite/"),
    "requested": ("GET", "{id}/request_subscribe/"),
    "members": ("GET", "{id}/subscribe/"),
    "join": ("POST", "{id}/subscribe/"),
    "leave": ("DELETE", "{id}/subscribe/"),
    "status": ("GET", "{id}/status/"),
}
#: The actions without which a resource has no membership lifecycle.
LIFECYCLE: tuple[Action, ...] = ("create", "invite", "join", "status")
#: The family the catalog's requirements name by operationId (docs/contract.md: rules written for events
#: apply to every family "reading `group` for `event`").
CATALOG_FAMILY = "event"
#: The ``privacy`` values the catalog's rules rest on: anyone joins a public resource at once; joining a
#: private one takes an invitation or the manager's approval of a request.
CATALOG_PRIVACY = ("public", "private")


@dataclass(frozen=True)
class Family:
    """A membership family of one document: its name (the path's resource) and its lifecycle operations."""

    name: str
    operations: dict[Action, Operation]

    def __str__(self) -> str:
        return self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def has(self, action: Action) -> bool:
        return action in self.operations

    def op(self, action: Action) -> Operation:
        try:
            return self.operations[action]
        except KeyError:
            method, rest = ACTIONS[action]
            raise KeyError(f"the document has no {method} /api/v2/{self.name}/{rest}") from None

    def action_of(self, operation: Operation) -> Action | None:
        return next((action for action, op in self.operations.items() if op == operation), None)

    def owns(self, operation: Operation) -> bool:
        return operation.resource == self.name

    @property
    def spec(self) -> Spec:
        return self.op("create").spec

    @property
    def resource_schema(self) -> str | None:
        """The ``components.schemas`` name of one resource: what its info (else its create) answers."""
        candidates: tuple[tuple[Action, str], ...] = (("info", "200"), ("create", "201"))
        for action, status in candidates:
            if self.has(action) and (name := self.op(action).response_schema_name(status)):
                return name
        return None

    @property
    def roles(self) -> tuple[str, ...]:
        """The ``<name>_<relation>`` roles its operations' access names, in the document's order."""
        found: dict[str, None] = {}
        for operation in self.spec.operations.values():
            if self.owns(operation):
                for clause in operation.access.clauses:
                    found.update((role, None) for role in clause.roles if role.startswith(self.name + "_"))
        return tuple(found)

    def translate(self, operation: Operation) -> Operation | None:
        """This family's operation for ``operation`` of any family: the one with the same action, else the
        same method and path after the resource; ``operation`` itself when it belongs to no family
        (``/api/v2/user/me/``); None when this family has no such operation."""
        spec = operation.spec
        source = next((f for f in found_families(spec) if f.owns(operation)), None)
        if source is None:
            return operation
        action = source.action_of(operation)
        if action is not None:
            return self.operations.get(action)
        shape = resource_path(operation.path)
        assert shape is not None
        return spec.find(operation.method, f"/api/v2/{self.name}/{shape[1]}")

    def operations_for(self, operation_ids: Iterable[str]) -> list[Operation]:
        """The operations named (by any family's operationIds), as this family's, without repeats."""
        spec = self.spec
        found = (self.translate(spec[operation_id]) for operation_id in operation_ids)
        return list(dict.fromkeys(op for op in found if op is not None))

    def documents(self, feature: str) -> bool:
        """``action.parameter``: the family's operation for ``action`` takes ``parameter`` in its query or
        body (``join.users``: the manager subscribes users directly)."""
        action, _, parameter = feature.partition(".")
        if action not in ACTIONS:
            raise ValueError(f"`{feature}` names no action ({', '.join(ACTIONS)})")
        operation = next((op for name, op in self.operations.items() if name == action), None)
        return operation is not None and operation.takes(parameter)

    @property
    def privacy_values(self) -> tuple[str, ...] | None:
        """The values the create body's ``privacy`` takes (every media type's enum); None when unstated."""
        create = self.op("create")
        values: dict[str, None] = {}
        for media in create.media_types:
            privacy = self.spec.resolve(create.request_schema(media).get("properties", {}).get("privacy", {}))
            values.update((str(value), None) for value in privacy.get("enum", []))
        return tuple(values) or None

    @property
    def outside_catalog(self) -> str | None:
        """Why the catalog's rules cannot be checked on this family, or None: they rest on public and private
        resources (``CATALOG_PRIVACY``)."""
        values = self.privacy_values
        missing = [value for value in CATALOG_PRIVACY if values is not None and value not in values]
        if not missing:
            return None
        return (
            f"its `privacy` takes {', '.join(values or [])}, not {' or '.join(missing)}: the suite creates "
            "public resources (anyone joins) and private ones (joining needs approval), and the spec does "
            "not say which of these values mean that"
        )


#: Each document's families, found once: checks translate operations through them on every call.
_FOUND: WeakKeyDictionary[Spec, tuple[Family, ...]] = WeakKeyDictionary()


def found_families(spec: Spec) -> tuple[Family, ...]:
    """Every resource of the document whose operations run the lifecycle, in the order its paths appear."""
    if spec not in _FOUND:
        _FOUND[spec] = _find(spec)
    return _FOUND[spec]


def _find(spec: Spec) -> tuple[Family, ...]:
    by_shape = {shape: action for action, shape in ACTIONS.items()}
    found: dict[str, dict[Action, Operation]] = {}
    for operation in spec.operations.values():
        shape = resource_path(operation.path)
        action = by_shape.get((operation.method, shape[1])) if shape else None
        if shape is not None and action is not None:
            found.setdefault(shape[0], {})[action] = operation
    return tuple(Family(name, ops) for name, ops in found.items() if all(a in ops for a in LIFECYCLE))


def families(spec: Spec) -> list[Family]:
    """The families the catalog's rules can be checked on (events first)."""
    return [family for family in found_families(spec) if family.outside_catalog is None]


def outside_catalog(spec: Spec) -> dict[str, str]:
    """The families the document has that the catalog's rules cannot be checked on, each with the reason."""
    return {family.name: reason for family in found_families(spec) if (reason := family.outside_catalog)}


def family_of(operation: Operation) -> Family | None:
    """The family ``operation`` belongs to, if any."""
    return next((family for family in found_families(operation.spec) if family.owns(operation)), None)


def by_name(spec: Spec, name: str) -> Family:
    found = next((family for family in found_families(spec) if family.name == name), None)
    if found is None:
        raise KeyError(f"no membership family {name!r} in {spec.path}")
    return found
