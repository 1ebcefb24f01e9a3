"""What a caller may expect from an operation's access rules: the suite's own decider.

The facts (an operation's ``x-access``, its roles, the authentication ladder) come from the contract core
(``openapi.access``); the decision made with them is the suite's, written here apart from the reference
server's access gate on purpose. A suite that shared the server's decisions would agree with every
mistake the server makes; two deciders written apart over the same facts catch each other's.

It reads every construct of the language (docs/access-language.md, ``openapi.access.CONSTRUCTS``) and
refuses a value using one it does not know (``UnreadAccess``), rather than reading less than it says.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import product
from typing import Any

from openapi.access import (
    EMPTY,
    HIDDEN,
    REQUIRED,
    AccessClause,
    AccessCondition,
    OperationAccess,
    named_resources,
    parse_role,
    security_level,
    strictest,
)
from openapi.document import Operation

#: The constructs this decider reads (``OperationAccess.constructs``' names).
READS = frozenset(
    {
        "rules", "resource", "param", "option", "options", "public", "results", "all_roles", "nobody",
        "refused", "param_value", "role", "not", "resource_of_path", "role_param",
    }
)  # fmt: skip
#: Relations that say the same: an active membership (docs/access-language.md, Roles).
SYNONYMS = {"subscriber": "member"}


class UnreadAccess(ValueError):
    """An ``x-access`` value uses a construct this decider does not read."""


class AccessOutcome(enum.StrEnum):
    """What a caller may expect from the access rules alone."""

    ALLOWED = "allowed"
    UNAUTHENTICATED = "401"
    FORBIDDEN = "403"
    HIDDEN = "404"
    """Refused as if the resource did not exist (``refused: hidden``)."""
    EMPTY = "empty"
    """Refused with a success and nothing in it (``refused: empty``)."""
    ABSENT = "absent"
    """The operation does not exist under the community options (x-access `options`)."""


@dataclass(frozen=True)
class Caller:
    """The caller's relations to the path's resource (an event, a group, a course, …)."""

    authenticated: bool
    relations: frozenset[str] = frozenset()
    """``member``, ``invited``, ``manager``, ``creator``: what a ``<resource>_<relation>`` role asks of the
    caller for the path's resource (``subscriber`` reads as ``member``). ``viewer`` is never held: it is
    decided by the resource's own GET."""
    roles: frozenset[str] = frozenset()
    """Other roles held as written: community roles (``staff``) and roles naming an object by a parameter
    (``media_creator(media)``). The suite's users hold none."""

    def holds(self, role: str) -> bool:
        """A role naming a relation to the path's resource that the caller has, or one held as written."""
        if role in self.roles:
            return True
        parsed = parse_role(role)
        if not parsed.resource or parsed.param:
            return False
        return SYNONYMS.get(parsed.relation, parsed.relation) in self.relations


def caller(*relations: str) -> Caller:
    """An authenticated caller holding these relations to the resource."""
    return Caller(True, frozenset(SYNONYMS.get(relation, relation) for relation in relations))


RELATIONS: dict[str, Caller] = {
    "anonymous": Caller(authenticated=False),
    "outsider": caller(),
    "requester": caller(),
    "invited": caller("invited"),
    "subscriber": caller("member"),
    "member": caller("member"),
    "manager": caller("member", "manager", "creator"),
    "former_manager": caller("manager", "creator"),
    "creator": caller("member", "creator"),
    "promoted_manager": caller("member", "manager"),
}
"""The relations a scenario can set up. ``manager`` is an event's or a group's creator, who manages it and
is subscribed; ``former_manager`` manages it but left it. A course's ``creator`` is a member holding the
creator role (the pages name it beside the managers: "the creator or a manager"); a ``promoted_manager``
is a member given the manager role."""


def reserved_to_manager(access: OperationAccess) -> bool:
    """Every call needs the manager of the path's resource (a `<resource>_manager` role in the default
    clause)."""
    return any(parse_role(role).relation == "manager" for role in access.roles)


def requires_credentials(operation: Operation) -> bool:
    """The operation's `security` has no anonymous alternative: a caller without a token is refused."""
    return security_level(operation.security) == REQUIRED


def _text(value: Any) -> str:
    """How a value reads in a query string: ``true`` for True, ``edit`` for edit."""
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass(frozen=True)
class _Situation:
    """Everything a decision reads besides the access value: who calls, on what, with what."""

    caller: Caller
    resource: Mapping[str, Any] | None
    params: Mapping[str, Any]
    options: Mapping[str, Any]
    viewing: Mapping[str, OperationAccess] = field(default_factory=dict)
    """The access of the GET of each resource a ``<resource>_viewer`` role may name."""

    def needs_resource(self, condition: AccessCondition) -> bool:
        return any(bool(part.resource) for part in condition.parts)

    def holds(self, condition: AccessCondition) -> bool:
        """Meaning 4: every part holds; a part on a resource that does not exist never holds (under `not`
        either)."""
        if self.resource is None and self.needs_resource(condition):
            return False
        resource = self.resource or {}
        if any(resource.get(name) not in values for name, values in condition.resource):
            return False
        if not set(condition.params) <= set(self.params):
            return False
        for name, values in condition.param_values:
            if name not in self.params or _text(self.params[name]) not in {_text(v) for v in values}:
                return False
        if any(self.options.get(name) != value for name, value in condition.options):
            return False
        if condition.roles and not any(self.has_role(role) for role in condition.roles):
            return False
        return condition.negated is None or not self.holds(condition.negated)

    def has_role(self, role: str) -> bool:
        if not self.caller.authenticated:
            return False
        parsed = parse_role(role)
        if parsed.relation == "viewer" and not parsed.param:
            viewed = self.viewing.get(parsed.resource)
            plain = _Situation(self.caller, self.resource, {}, self.options, self.viewing)
            return viewed is not None and plain.decide(viewed) is AccessOutcome.ALLOWED
        return self.caller.holds(role)

    def satisfies(self, clause: AccessClause) -> bool:
        if clause.nobody:
            return False
        if clause.roles and not any(self.has_role(role) for role in clause.roles):
            return False
        return all(self.has_role(role) for role in clause.all_roles)

    def decide(self, access: OperationAccess) -> AccessOutcome:
        if any(self.options.get(name) != value for name, value in access.options):
            return AccessOutcome.ABSENT
        clauses = [access.default] + [rule.clause for rule in access.rules if self.holds(rule.when)]
        if strictest(clause.level for clause in clauses) == REQUIRED and not self.caller.authenticated:
            return AccessOutcome.UNAUTHENTICATED
        refusing = [clause for clause in clauses if not self.satisfies(clause)]
        if not refusing:
            return AccessOutcome.ALLOWED
        if any(clause.refused == HIDDEN for clause in refusing):
            return AccessOutcome.HIDDEN
        if all(clause.refused == EMPTY for clause in refusing):
            return AccessOutcome.EMPTY
        return AccessOutcome.FORBIDDEN


@dataclass(frozen=True)
class Expectation:
    """What a caller may expect: one outcome when every option it depends on is known, else several."""

    outcomes: frozenset[AccessOutcome]
    by_option: tuple[tuple[tuple[tuple[str, Any], ...], AccessOutcome], ...]
    """Each assignment of the unknown options it depends on, with the outcome under it."""

    @property
    def decided(self) -> bool:
        return len(self.outcomes) == 1

    @property
    def outcome(self) -> AccessOutcome:
        if not self.decided:
            raise ValueError(f"the outcome depends on unknown community options: {self.describe()}")
        return next(iter(self.outcomes))

    def describe(self) -> str:
        if self.decided:
            return str(self.outcome)
        return "; ".join(
            f"{', '.join(f'{k}={str(v).lower()}' for k, v in assignment)}: {outcome}"
            for assignment, outcome in self.by_option
        )


def option_values(access: OperationAccess, name: str) -> list[Any]:
    """The values of an option that make a difference to this operation (and one that matches none)."""
    values = [value for option, value in access.options if option == name]
    values += [
        value
        for rule in access.rules
        for part in rule.when.parts
        for option, value in part.options
        if option == name
    ]
    if all(isinstance(value, bool) for value in values):
        return [True, False]
    return [*dict.fromkeys(values), object()]


def viewed_resources(operation: Operation) -> dict[str, OperationAccess]:
    """The access of the GET of each resource the operation's path names (``course`` of
    ``/api/v2/course/{id}/status/``: ``GET /api/v2/course/{id}/``), which its ``<resource>_viewer`` roles
    ask the caller to pass."""
    found: dict[str, OperationAccess] = {}
    prefix = ""
    remaining = operation.path
    for resource, parameter in named_resources(operation.path).items():
        marker = f"/{resource}/{{{parameter}}}/"
        cut = remaining.find(marker)
        if cut < 0:
            break
        prefix += remaining[: cut + len(marker)]
        remaining = remaining[cut + len(marker) :]
        viewed = operation.spec.find("GET", prefix)
        if viewed is not None:
            found[resource] = viewed.access
    return found


def _checked(access: OperationAccess) -> OperationAccess:
    unread = access.constructs - READS
    if unread:
        raise UnreadAccess(f"x-access uses {', '.join(sorted(unread))}, which the suite does not read")
    return access


def expect_access(
    access: OperationAccess | Operation,
    caller: Caller | str,
    resource: Mapping[str, Any] | None = None,
    params: Iterable[str] | Mapping[str, Any] = (),
    options: Mapping[str, Any] | None = None,
) -> Expectation:
    """What `caller` may expect from `access` (an operation's, or the operation itself, whose path then
    tells what a `<resource>_viewer` role asks) on `resource` (its attributes; None: it does not exist),
    with `params` present (names, or names with the values sent).

    `options` are the community options known to hold; an option the access depends on and that is not
    among them is unknown, and the expectation lists the outcome under each of its values.
    """
    viewing = viewed_resources(access) if isinstance(access, Operation) else {}
    own = _checked(access.access if isinstance(access, Operation) else access)
    for viewed in viewing.values():
        _checked(viewed)
    who = RELATIONS[caller] if isinstance(caller, str) else caller
    sent = dict(params) if isinstance(params, Mapping) else dict.fromkeys(params)
    known = dict(options or {})
    depends = own.option_names.union(*(viewed.option_names for viewed in viewing.values()))
    unknown = sorted(depends - set(known))
    every = [own, *viewing.values()]
    by_option = []
    for values in product(*(_values_of(every, name) for name in unknown)):
        assignment = tuple(zip(unknown, values, strict=True))
        situation = _Situation(who, resource, sent, {**known, **dict(assignment)}, viewing)
        by_option.append((assignment, situation.decide(own)))
    return Expectation(frozenset(outcome for _, outcome in by_option), tuple(by_option))


def _values_of(accesses: list[OperationAccess], name: str) -> list[Any]:
    values: list[Any] = []
    for access in accesses:
        if name in access.option_names:
            values += [value for value in option_values(access, name) if value not in values]
    return values
