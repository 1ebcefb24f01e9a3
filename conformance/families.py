"""Membership families, found in the spec: events, groups, … share one invitation lifecycle.

A family is a resource that users join through the same operations, on paths of one shape:
``/api/v2/<name>/`` creates one, ``/api/v2/<name>/{id}/invite/``, ``…/subscribe/``,
``…/request_subscribe/`` and ``…/status/`` run the lifecycle. The suite names each operation by its
*action* (``invite``, ``join``, …) and asks the family for the operation that performs it, so a check
is written once and runs for every family the spec documents.

The catalog names the operations of a requirement by the event family's operationIds (rules 2–44 of
docs/contract.md are written for events and apply to every family "reading `group` for `event`");
`Family.translate` maps them to this family's operations by method and path shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal
from weakref import WeakKeyDictionary

from .spec import Operation, Spec

Action = Literal[
    "create", "info", "invite", "withdraw", "invited", "requested", "members", "join", "leave", "status"
]  # fmt: skip

#: Each action's method and the path after ``/api/v2/<family>/``.
ACTIONS: dict[Action, tuple[str, str]] = {
    "create": ("POST", ""),
    "info": ("GET", "{id}/"),
    "invite": ("POST", "{id}/invite/"),
    "withdraw": ("DELETE", "{id}/invite/"),
    "invited": ("GET", "{id}/invite/"),
    "requested": ("GET", "{id}/request_subscribe/"),
    "members": ("GET", "{id}/subscribe/"),
    "join": ("POST", "{id}/subscribe/"),
    "leave": ("DELETE", "{id}/subscribe/"),
    "status": ("GET", "{id}/status/"),
}
#: The actions without which a resource has no invitation lifecycle to check.
LIFECYCLE: tuple[Action, ...] = ("create", "invite", "join", "status")
#: The family the catalog's operationIds name.
CATALOG_FAMILY = "event"
#: The `privacy` values the suite creates resources with: anyone joins a public one directly; joining a
#: private one takes an invitation or the manager's approval of a request (rules 2–44 rest on both).
SUITE_PRIVACY = ("public", "private")

_FAMILY_PATH = re.compile(r"^/api/v2/(?P<name>[A-Za-z_]+)/(?P<rest>.*)$")


def _shape(operation: Operation) -> tuple[str, str, str] | None:
    """(family, method, rest of the path) of an operation on a family path."""
    match = _FAMILY_PATH.match(operation.path)
    if match is None:
        return None
    return match["name"], operation.method, match["rest"]


@dataclass(frozen=True)
class Family:
    name: str
    operations: dict[Action, Operation]

    def __str__(self) -> str:
        return self.name

    def has(self, action: Action) -> bool:
        return action in self.operations

    def op(self, action: Action) -> Operation:
        try:
            return self.operations[action]
        except KeyError:
            method, rest = ACTIONS[action]
            raise KeyError(f"the spec documents no {method} /api/v2/{self.name}/{rest}") from None

    def owns(self, operation: Operation) -> bool:
        shape = _shape(operation)
        return shape is not None and shape[0] == self.name

    def translate(self, operation: Operation, spec: Spec) -> Operation | None:
        """This family's operation for `operation` of another family (same method and path shape);
        `operation` itself when it belongs to no family (e.g. ``/api/v2/user/me/``)."""
        shape = _shape(operation)
        if shape is None or shape[0] not in family_names(spec):
            return operation
        _, method, rest = shape
        path = f"/api/v2/{self.name}/{rest}"
        return next((op for op in spec.operations.values() if op.method == method and op.path == path), None)

    def operations_for(self, operation_ids: Iterable[str], spec: Spec) -> list[Operation]:
        """The operations a requirement names (by the catalog family's ids), as this family's."""
        found = (self.translate(spec[operation_id], spec) for operation_id in operation_ids)
        return list(dict.fromkeys(op for op in found if op is not None))

    def documents(self, feature: str, spec: Spec) -> bool:
        """`action.parameter`: the family's operation for `action` takes `parameter`, in its query or body
        (`join.users`: the manager subscribes users directly)."""
        action, _, parameter = feature.partition(".")
        if action not in ACTIONS:
            raise ValueError(f"catalog.yaml: `requires: {feature}` names no action ({', '.join(ACTIONS)})")
        operation = self.operations.get(action)
        if operation is None:
            return False
        if parameter in operation.query_parameters:
            return True
        media = operation.raw.get("requestBody", {}).get("content", {}).values()
        return any(parameter in spec.resolve(m.get("schema", {})).get("properties", {}) for m in media)

    def privacy_values(self, spec: Spec) -> list[str] | None:
        """The values the create body's `privacy` takes (every media type's enum), None when unstated."""
        media = self.op("create").raw.get("requestBody", {}).get("content", {}).values()
        values: list[str] = []
        for m in media:
            privacy = spec.resolve(spec.resolve(m.get("schema", {})).get("properties", {}).get("privacy", {}))
            values += [str(value) for value in privacy.get("enum", []) if str(value) not in values]
        return values or None

    def not_checkable(self, spec: Spec) -> str | None:
        """Why the suite cannot check this family, or None: it needs public and private resources."""
        values = self.privacy_values(spec)
        missing = [value for value in SUITE_PRIVACY if values is not None and value not in values]
        if not missing:
            return None
        return (
            f"its `privacy` takes {', '.join(values or [])}, not {' or '.join(missing)}: the suite creates "
            "public resources (anyone joins) and private ones (joining needs approval), and the spec does "
            "not say which of these values mean that"
        )


def families_of_operations(spec: Spec, operations: Iterable[Operation]) -> set[str]:
    """The membership families these operations belong to."""
    names = set(family_names(spec))
    return {shape[0] for op in operations if (shape := _shape(op)) is not None and shape[0] in names}


def applies_to(
    spec: Spec, families: Iterable[Family], operation_ids: Iterable[str], requires: Iterable[str] = ()
) -> dict[str, tuple[str, ...]] | None:
    """The families a requirement is checked for, each with its own operationIds for the catalog's
    `operation_ids`; None when they name no family's operation (the requirement is checked once, as written).

    A family gets the requirement when it documents one of its operations and every `requires` feature.
    The suite's plan and the published docs (`specgen docs`) both read this one rule.
    """
    named, features = list(operation_ids), list(requires)
    if not families_of_operations(spec, (spec[operation_id] for operation_id in named)):
        return None
    found: dict[str, tuple[str, ...]] = {}
    for family in families:
        if not all(family.documents(feature, spec) for feature in features):
            continue
        operations = family.operations_for(named, spec)
        if any(family.owns(operation) for operation in operations):
            found[family.name] = tuple(operation.operation_id for operation in operations)
    return found


def family_names(spec: Spec) -> list[str]:
    """Every family the paths show, checkable or not: an operation on one belongs to no other."""
    return [family.name for family in found_families(spec)]


#: Each spec's families, found once: checks translate operations through them on every call.
_FOUND: WeakKeyDictionary[Spec, list[Family]] = WeakKeyDictionary()


def families(spec: Spec) -> list[Family]:
    """Every membership family of the spec the suite can check, in the order its paths appear (events
    first)."""
    return [family for family in found_families(spec) if family.not_checkable(spec) is None]


def not_checked(spec: Spec) -> dict[str, str]:
    """The families the spec documents but the suite cannot check, each with the reason (every report
    lists them: a family left out is said, never silent)."""
    return {family.name: reason for family in found_families(spec) if (reason := family.not_checkable(spec))}


def found_families(spec: Spec) -> list[Family]:
    """Every resource whose paths have the lifecycle's shape, checkable or not."""
    if spec not in _FOUND:
        _FOUND[spec] = _find_families(spec)
    return list(_FOUND[spec])


def _find_families(spec: Spec) -> list[Family]:
    found: dict[str, dict[Action, Operation]] = {}
    by_shape = {(method, rest): action for action, (method, rest) in ACTIONS.items()}
    for operation in spec.operations.values():
        shape = _shape(operation)
        if shape is None:
            continue
        name, method, rest = shape
        action = by_shape.get((method, rest))
        if action is not None:
            found.setdefault(name, {})[action] = operation
    return [Family(name, ops) for name, ops in found.items() if all(a in ops for a in LIFECYCLE)]


def select(spec: Spec, names: Iterable[str] | None) -> list[Family]:
    """The families to check: `names` (``--family``), or every family of the spec."""
    available = families(spec)
    wanted = list(dict.fromkeys(names or []))
    if not wanted:
        return available
    by_name = {family.name: family for family in available}
    for name, reason in not_checked(spec).items():
        if name in wanted:
            raise ValueError(f"the suite cannot check the {name} family: {reason}")
    unknown = [name for name in wanted if name not in by_name]
    if unknown:
        raise ValueError(
            f"no membership family {', '.join(unknown)} in the spec; it documents: "
            f"{', '.join(by_name) or 'none'}"
        )
    return [by_name[name] for name in wanted]
