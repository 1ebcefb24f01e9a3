"""Who may call an operation: its `x-access` (docs/access-language.md) as clauses, and as a sentence.

One reading shared by the docs site (the access box), its examples (whether to send a token) and
`specgen diff` (which access changes lock callers out).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

NONE, OPTIONAL, REQUIRED = "none", "optional", "required"
LEVEL = {NONE: 0, OPTIONAL: 1, REQUIRED: 2}


@dataclass(frozen=True)
class Clause:
    """`authentication` and `roles` (any one is enough), applying when `when` holds (always if empty)."""

    when: str  # canonical JSON of the condition; "" for the default clause
    authentication: str
    roles: frozenset[str]

    @property
    def condition(self) -> dict[str, Any]:
        return json.loads(self.when) if self.when else {}

    @property
    def restrictive(self) -> bool:
        return self.authentication == REQUIRED or bool(self.roles)

    def stricter_than(self, other: Clause) -> bool:
        """Some caller `other` lets through is refused by this clause."""
        if LEVEL.get(self.authentication, 2) > LEVEL.get(other.authentication, 2):
            return True
        return bool(self.roles) and (not other.roles or not other.roles <= self.roles)


@dataclass(frozen=True)
class Callers:
    default: Clause
    rules: tuple[Clause, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()
    public: bool = False
    results: tuple[str, ...] = ()

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return (self.default, *self.rules)

    @property
    def may_require_authentication(self) -> bool:
        return any(clause.restrictive for clause in self.clauses)

    @property
    def token_useful(self) -> bool:
        """A bearer token changes something for some caller: examples send one."""
        return any(clause.authentication != NONE or clause.roles for clause in self.clauses)


def authentication_of(security: list[Any] | None) -> str:
    """The authentication an OpenAPI `security` list implies, for operations without `x-access`."""
    if not security:
        return NONE
    if any(not requirement for requirement in security):
        return OPTIONAL
    return REQUIRED


def _clause(raw: Mapping[str, Any], when: Any = None) -> Clause:
    return Clause(
        json.dumps(when, sort_keys=True) if when else "",
        str(raw.get("authentication") or NONE),
        frozenset(str(role) for role in raw.get("roles") or []),
    )


def callers_of(operation: Mapping[str, Any], security: list[Any] | None = None) -> Callers:
    """The operation's `x-access`; without one, what its `security` (or the document's) says."""
    access = operation.get("x-access")
    if not isinstance(access, Mapping):
        fallback = operation.get("security", security)
        return Callers(Clause("", authentication_of(fallback), frozenset()))
    default = _clause(access)
    if not access.get("authentication"):
        default = Clause("", authentication_of(operation.get("security", security)), default.roles)
    rules = tuple(
        _clause(rule, rule.get("when") or {})
        for rule in access.get("rules") or []
        if isinstance(rule, Mapping)
    )
    declared = access.get("options")
    options = declared if isinstance(declared, Mapping) else {}
    return Callers(
        default,
        rules,
        tuple(sorted(options.items())),
        access.get("public") is True,
        tuple(str(result) for result in access.get("results") or []),
    )


def flow(value: Any) -> str:
    """`{authentication: required, roles: [event_manager]}`: a value in one line of YAML flow style."""
    return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10**9).strip()


# -- as a sentence ---------------------------------------------------------------------------------


def resource_of(path: str) -> str:
    parts = [part for part in path.split("/") if part and not part.startswith("{")]
    return parts[2] if len(parts) >= 3 and parts[0] == "api" else "resource"


def role_phrase(role: str) -> str:
    """`event_subscriber` -> "being subscribed to the event"."""
    self_param = re.fullmatch(r"self(?:\((\w+)\))?", role)
    if self_param:
        return f"being the user {{{self_param.group(1)}}} names" if self_param.group(1) else "being that user"
    fixed = {
        "admin": "the admin role",
        "moderator": "the moderator role",
        "staff": "being a staff member",
        "editor": "the editor role",
        "community_creator": "being the community's creator",
        "followed_by_recipients": "being followed by the recipients",
    }
    if role in fixed:
        return fixed[role]
    relation = re.fullmatch(r"([a-z]+)_(subscriber|member|manager|creator|sender|going|not_going)", role)
    if not relation:
        return f"the {role} role"
    resource, kind = relation.groups()
    return {
        "subscriber": f"being subscribed to the {resource}",
        "member": f"being a member of the {resource}",
        "manager": f"being the {resource}'s manager",
        "creator": f"being the {resource}'s creator",
        "sender": f"being the {resource}'s sender",
        "going": f"going to the {resource}",
        "not_going": f"not going to the {resource}",
    }[kind]


def condition_phrase(when: Mapping[str, Any], resource: str) -> str:
    """{"resource": {"privacy": ["private"]}} -> "the event is private"."""
    parts: list[str] = []
    for attribute, values in (when.get("resource") or {}).items():
        shown = " or ".join(str(value) for value in values)
        parts.append(
            f"the {resource} is {shown}"
            if attribute in ("privacy", "status")
            else f"its {attribute} is {shown}"
        )
    for name in when.get("param") or []:
        parts.append(f"the {name} parameter is passed")
    for name, value in (when.get("option") or {}).items():
        parts.append(f"the community option {name} is {json.dumps(value)}")
    return " and ".join(parts) or "always"


def _needs(clause: Clause) -> str:
    needs = ["authentication"] if clause.authentication == REQUIRED or clause.roles else []
    if clause.roles:
        needs.append(" or ".join(role_phrase(role) for role in sorted(clause.roles)))
    return " and ".join(needs)


def sentence(callers: Callers, resource: str) -> str:
    """ "Anyone may call this when the event is public; when the event is private: authentication and being
    subscribed to the event." """
    default = callers.default
    if default.restrictive:
        head = f"Requires {_needs(default)}"
    elif default.authentication == OPTIONAL:
        head = "Anyone may call this (a bearer token is optional)"
    else:
        head = "Anyone may call this"
    relaxed = [rule for rule in callers.rules if not rule.restrictive]
    if relaxed:
        head += " when " + " or when ".join(condition_phrase(rule.condition, resource) for rule in relaxed)
    parts = [head]
    for rule in callers.rules:
        if rule.restrictive:
            parts.append(f"when {condition_phrase(rule.condition, resource)}: {_needs(rule)}")
    text = "; ".join(parts) + "."
    if callers.public:
        text += " A public object: visible to anonymous callers, also in closed communities."
    if callers.options:
        settings = ", ".join(f"{name} = {json.dumps(value)}" for name, value in callers.options)
        text += f" Only while the community options are set: {settings}."
    return text
