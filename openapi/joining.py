"""The ``x-join`` extension (docs/join-language.md) as dataclasses: what joining does, by condition.

``x-access`` says who may call the join operation; it cannot say what the call does. A join page does:
"It will request to join the course if the course is `private`", "If the course is `secret` then the
user can only accept an invitation". The generator reads such sentences into ``x-join`` on the join
operation; it is validated against ``x_join.schema.json`` and parsed here, once, into ``Joining``. Its
``when`` is the ``x-access`` condition (``openapi.access.AccessCondition``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openapi import extension_schemas
from openapi.access import AccessCondition, parse_condition

Outcome = Literal["join", "request", "invitation_only"]
#: What the join operation does for a caller who holds no invitation and may see the resource: joins at
#: once, leaves a request the managers approve, or cannot join (only an invitation can be accepted).
JOIN: Outcome = "join"
REQUEST: Outcome = "request"
INVITATION_ONLY: Outcome = "invitation_only"


class JoinError(ValueError):
    """An ``x-join`` value that breaks its schema; the message names the operation and the place."""


def schema() -> Mapping[str, Any]:
    """``x_join.schema.json`` (draft 2020-12); its ``when`` is ``x_access.schema.json``'s condition."""
    return extension_schemas.load("x_join.schema.json")


def problems(value: Any) -> Iterator[str]:
    """``x-join.rules[0].outcome: …`` for every way ``value`` breaks the schema, in document order."""
    return extension_schemas.problems("x_join.schema.json", value, "x-join")


@dataclass(frozen=True)
class JoinRule:
    """What joining does whenever ``when`` holds; the first rule that holds decides."""

    when: AccessCondition
    outcome: Outcome

    def as_x_join(self) -> dict[str, Any]:
        return {"when": self.when.as_x_access(), "outcome": self.outcome}


@dataclass(frozen=True)
class Joining:
    """An operation's ``x-join``: its own outcome (what the page says the operation does) and the
    conditions under which it does something else."""

    outcome: Outcome | None = None
    rules: tuple[JoinRule, ...] = ()

    def by_resource(self, attribute: str, value: Any) -> Outcome | None:
        """The outcome on a resource whose ``attribute`` has ``value``: the first rule whose condition is
        that attribute alone and lists the value, else the operation's own outcome (None: unstated)."""
        for rule in self.rules:
            when = rule.when
            others = when.params or when.options or when.param_values or when.roles or when.negated
            (name, values), *more = when.resource or ((None, ()),)
            if not others and not more and name == attribute and value in values:
                return rule.outcome
        return self.outcome

    def as_x_join(self) -> dict[str, Any]:
        value: dict[str, Any] = {}
        if self.outcome is not None:
            value["outcome"] = self.outcome
        if self.rules:
            value["rules"] = [rule.as_x_join() for rule in self.rules]
        return value


def parse_join(value: Any, where: str = "x-join") -> Joining:
    """An ``x-join`` value as the model; ``JoinError`` lists every way it breaks the schema."""
    found = list(problems(value))
    if found:
        raise JoinError(f"{where}: " + "; ".join(found))
    return Joining(
        outcome=value.get("outcome"),
        rules=tuple(
            JoinRule(parse_condition(rule["when"]), rule["outcome"]) for rule in value.get("rules", ())
        ),
    )
