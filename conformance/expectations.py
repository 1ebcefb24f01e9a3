"""What a caller may expect from an operation's access rules: the suite's own decider.

The facts (an operation's ``x-access``, its roles, the authentication ladder) come from the contract core
(``openapi.access``); the decision made with them is the suite's, written here apart from the reference
server's access gate on purpose. A suite that shared the server's decisions would agree with every
mistake the server makes; two deciders written apart over the same facts catch each other's.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import product
from typing import Any

from openapi.access import REQUIRED, AccessCondition, OperationAccess, parse_role, security_level, strictest
from openapi.document import Operation


class AccessOutcome(enum.StrEnum):
    """What a caller may expect from the access rules alone."""

    ALLOWED = "allowed"
    UNAUTHENTICATED = "401"
    FORBIDDEN = "403"
    ABSENT = "absent"
    """The operation does not exist under the community options (x-access `options`)."""


@dataclass(frozen=True)
class Caller:
    """The caller's relation to the operation's resource (an event, a group, …)."""

    authenticated: bool
    state: str | None = None
    """`invited`, `requested`, `subscribed` or None."""
    manager: bool = False

    @property
    def relations(self) -> set[str]:
        """The relations held to the resource (the suite's resources are made by their manager);
        `subscriber` and `member` are read literally: state `subscribed`."""
        held = set()
        if self.manager:
            held |= {"manager", "creator"}
        if self.state == "subscribed":
            held |= {"subscriber", "member"}
        return held

    def holds(self, role: str) -> bool:
        """A role naming a relation to the resource (`event_manager`, `group_member`) that the caller has;
        community roles (`admin`, …) are never held by the suite's users."""
        parsed = parse_role(role)
        return bool(parsed.resource) and parsed.relation in self.relations


RELATIONS: dict[str, Caller] = {
    "anonymous": Caller(authenticated=False),
    "outsider": Caller(authenticated=True),
    "requester": Caller(authenticated=True, state="requested"),
    "invited": Caller(authenticated=True, state="invited"),
    "subscriber": Caller(authenticated=True, state="subscribed"),
    "manager": Caller(authenticated=True, state="subscribed", manager=True),
    "former_manager": Caller(authenticated=True, manager=True),
}
"""The relations a scenario can set up; `former_manager` manages the resource but left it."""


def reserved_to_manager(access: OperationAccess) -> bool:
    """Every call needs the manager of the path's resource (a `<resource>_manager` role in the default
    clause)."""
    return any(parse_role(role).relation == "manager" for role in access.roles)


def requires_credentials(operation: Operation) -> bool:
    """The operation's `security` has no anonymous alternative: a caller without a token is refused."""
    return security_level(operation.security) == REQUIRED


def _holds(
    condition: AccessCondition,
    resource: Mapping[str, Any] | None,
    params: set[str],
    options: Mapping[str, Any],
) -> bool:
    if condition.resource and (
        resource is None or any(resource.get(name) not in values for name, values in condition.resource)
    ):
        return False
    if not set(condition.params) <= params:
        return False
    return all(options.get(name) == value for name, value in condition.options)


def _decide(
    access: OperationAccess,
    caller: Caller,
    resource: Mapping[str, Any] | None,
    params: set[str],
    options: Mapping[str, Any],
) -> AccessOutcome:
    if any(options.get(name) != value for name, value in access.options):
        return AccessOutcome.ABSENT
    clauses = [access.default] + [
        rule.clause for rule in access.rules if _holds(rule.when, resource, params, options)
    ]
    if strictest(clause.level for clause in clauses) == REQUIRED and not caller.authenticated:
        return AccessOutcome.UNAUTHENTICATED
    if any(clause.roles and not any(caller.holds(role) for role in clause.roles) for clause in clauses):
        return AccessOutcome.FORBIDDEN
    return AccessOutcome.ALLOWED


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
    values += [value for rule in access.rules for option, value in rule.when.options if option == name]
    if all(isinstance(value, bool) for value in values):
        return [True, False]
    return [*dict.fromkeys(values), object()]


def expect_access(
    access: OperationAccess,
    caller: Caller | str,
    resource: Mapping[str, Any] | None = None,
    params: Iterable[str] = (),
    options: Mapping[str, Any] | None = None,
) -> Expectation:
    """What `caller` may expect from `access` on `resource` (None: it does not exist) with `params` present.

    `options` are the community options known to hold; an option the access depends on and that is not
    among them is unknown, and the expectation lists the outcome under each of its values.
    """
    who = RELATIONS[caller] if isinstance(caller, str) else caller
    known = dict(options or {})
    unknown = sorted(access.option_names - set(known))
    present = set(params)
    by_option = []
    for values in product(*(option_values(access, name) for name in unknown)):
        assignment = tuple(zip(unknown, values, strict=True))
        outcome = _decide(access, who, resource, present, {**known, **dict(assignment)})
        by_option.append((assignment, outcome))
    return Expectation(frozenset(outcome for _, outcome in by_option), tuple(by_option))
