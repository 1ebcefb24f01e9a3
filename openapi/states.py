"""The states a user is in for a resource of a family, as the spec names them, and what each one means.

A family's status operation (``GET …/status/``) answers the caller's state; the enum of its ``status``
lists the family's words for the states: events ``subscribed``, ``requested``, ``invited`` (and the
attendance states ``going``, ``not_going``); courses ``creator``, ``manager``, ``joined``, ``invited``,
``requested``. What each word means is the lifecycle's one vocabulary, ``MEANINGS``, as the relations of
the access language are (docs/access-language.md, Roles): a family whose status uses a word outside it is
not guessed at (``States.unknown`` names the word, and the catalog's rules are not checked on it).

The other facts come from the same document: the property of the resource that shows the caller's state
(the event's ``subscription_status``, the course's ``join_status``: the one whose enum is the status's),
and which states the members list lists when no filter is sent (a query parameter of the members
operation that names states, as the course's ``statuses``: its ``default``, or the default its
description states; without such a parameter, every member state).

Facts, not judgement: who may do what in each state stays with the server and the suite.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from openapi.document import Operation

Meaning = Literal["invited", "requested", "member", "manager", "creator", "attendance"]
#: What each state word of a status means: a pending invitation, a pending request, a plain membership, a
#: membership with the manager role, the creator's own membership (who manages it), or an attendance
#: answer that no lifecycle operation produces (docs/contract.md, rule 37).
MEANINGS: dict[str, Meaning] = {
    "invited": "invited",
    "requested": "requested",
    "subscribed": "member",
    "joined": "member",
    "manager": "manager",
    "creator": "creator",
    "going": "attendance",
    "not_going": "attendance",
}
#: The meanings of the states whose users are the resource's members (docs/contract.md, rules 2 and 56).
MEMBERSHIP: tuple[Meaning, ...] = ("member", "manager", "creator")
_DEFAULT = re.compile(r"default:\s*`(?P<value>\[[^`]*\])`")
_QUOTED = re.compile(r"`([^`\s]+)`")


@dataclass(frozen=True)
class States:
    """The states of one family, in the status enum's order, and where they show."""

    values: tuple[str, ...]
    """Every state word the status answers (without null)."""
    field: str | None = None
    """The resource's property that shows the caller's state (``subscription_status``, ``join_status``)."""
    filter: str | None = None
    """The members operation's query parameter that names the states to list (``statuses``), if any."""
    filter_values: tuple[str, ...] = ()
    """The states that parameter takes (its enum, else the member states its description names)."""
    listed: tuple[str, ...] = ()
    """The states the members operation lists without that parameter."""

    @property
    def unknown(self) -> tuple[str, ...]:
        """Words outside the vocabulary: the family's states cannot be read."""
        return tuple(value for value in self.values if value not in MEANINGS)

    def _first(self, meaning: Meaning) -> str | None:
        return next((value for value in self.values if MEANINGS.get(value) == meaning), None)

    @property
    def member(self) -> str | None:
        """The plain membership: what joining at once, or accepting an invitation, makes a user."""
        return self._first("member")

    @property
    def creator(self) -> str | None:
        """The creator's state right after creating one: a state of their own, else the plain membership
        (the event's creator is its first subscriber, rule 1)."""
        return self._first("creator") or self.member

    @property
    def manager(self) -> str | None:
        """The state of a user given the manager role (``manager``), where the status names one."""
        return self._first("manager")

    @property
    def invited(self) -> str | None:
        return self._first("invited")

    @property
    def requested(self) -> str | None:
        return self._first("requested")

    @property
    def members(self) -> tuple[str, ...]:
        """The states of the members: plain, manager and creator."""
        return tuple(value for value in self.values if MEANINGS.get(value) in MEMBERSHIP)

    def meaning(self, value: str | None) -> Meaning | None:
        return MEANINGS.get(value) if value is not None else None


def _enum(schema: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(value) for value in schema.get("enum", ()) if value is not None)


def status_values(status: Operation | None) -> tuple[str, ...]:
    """The words the status operation's ``status`` takes, in the document's order."""
    if status is None:
        return ()
    prop = status.response_schema("200").get("properties", {}).get("status", {})
    return _enum(status.spec.resolve(prop))


def state_field(resource: Mapping[str, Any], values: tuple[str, ...], operation: Operation) -> str | None:
    """The property of a resource schema whose enum is the status's: where the resource shows the state."""
    for name, prop in resource.get("properties", {}).items():
        enum = _enum(operation.spec.resolve(prop))
        if enum and set(enum) == set(values):
            return str(name)
    return None


def state_filter(
    members: Operation | None, values: tuple[str, ...]
) -> tuple[str | None, tuple[str, ...], Any]:
    """(name, values it takes, its default) of the members operation's query parameter that names states:
    one whose schema's enum, or the words its description quotes, are states of the family."""
    if members is None:
        return None, (), None
    spec = members.spec
    for parameter in members.parameters:
        if parameter.get("in") != "query":
            continue
        schema = spec.resolve(parameter.get("schema", {}))
        description = str(parameter.get("description", ""))
        variants = [schema, *(spec.resolve(s) for s in [*schema.get("anyOf", ()), *schema.get("oneOf", ())])]
        items = [spec.resolve(variant.get("items", variant)) for variant in variants]
        named = [value for item in items for value in _enum(item)]
        named = named or [word for word in _QUOTED.findall(description) if word in values]
        if not named or not set(named) <= set(values):
            continue
        default = schema.get("default")
        if default is None and (match := _DEFAULT.search(description)):
            try:
                default = json.loads(match["value"])
            except ValueError:
                default = None
        return str(parameter["name"]), tuple(dict.fromkeys(named)), default
    return None, (), None


def read_states(status: Operation | None, members: Operation | None, resource: Mapping[str, Any]) -> States:
    """A family's states from its status and members operations and its resource's schema."""
    values = status_values(status)
    field = state_field(resource, values, status) if status is not None and values else None
    name, named, default = state_filter(members, values)
    members_states = tuple(value for value in values if MEANINGS.get(value) in MEMBERSHIP)
    if isinstance(default, str):
        default = [default]
    listed = (
        tuple(value for value in default if value in values) if isinstance(default, list) else members_states
    )
    return States(values, field, name, named, listed)
