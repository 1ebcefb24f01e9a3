"""Who may call an operation, in words: the core's ``x-access`` model (``openapi.access``) as the docs
site's access sentence, and clause by clause as ``publishing diff`` compares it.

The site (the access box), its examples (whether to send a token) and the diff (which access changes lock
callers out) read an operation's access here, through the core, and nowhere else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from openapi.access import (
    NONE,
    OPTIONAL,
    AccessClause,
    AccessCondition,
    OperationAccess,
    parse_role,
    strength,
)
from openapi.document import Operation, Spec, resource_path


def access_of(document: Spec, method: str, path: str, operation: Mapping[str, Any]) -> OperationAccess:
    """The operation's access: its ``x-access``, else what its ``security`` (or the document's) implies.

    Raises ``openapi.access.AccessError`` on a malformed ``x-access``; ``publishing.specfile`` refuses such a
    document before any command reads it.
    """
    operation_id = str(operation.get("operationId") or "")
    return Operation(operation_id, method.upper(), path, operation, document).access


def token_useful(access: OperationAccess) -> bool:
    """A bearer token changes something for some caller: examples send one."""
    return any(clause.authentication != NONE or clause.roles for clause in access.clauses)


def stricter_than(clause: AccessClause, other: AccessClause) -> bool:
    """Some caller ``other`` lets through is refused by ``clause``."""
    if strength(clause.authentication) > strength(other.authentication):
        return True
    return bool(clause.roles) and (not other.roles or not set(other.roles) <= set(clause.roles))


def condition_key(when: AccessCondition) -> str:
    """The condition as canonical JSON: one rule found again in another version, whatever its key order."""
    return json.dumps(when.as_x_access(), sort_keys=True)


def flow(value: Any) -> str:
    """`{authentication: required, roles: [event_manager]}`: a value in one line of YAML flow style."""
    return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10**9).strip()


# -- as a sentence ---------------------------------------------------------------------------------

#: Roles of the community (``openapi.access.COMMUNITY_ROLES``), as a sentence says them.
COMMUNITY_ROLE_PHRASES = {
    "admin": "the admin role",
    "moderator": "the moderator role",
    "staff": "being a staff member",
    "editor": "the editor role",
    "community_creator": "being the community's creator",
    "followed_by_recipients": "being followed by the recipients",
}
#: ``<resource>_<relation>`` roles (``openapi.access.RELATIONS``), as a sentence says them.
RELATION_PHRASES = {
    "subscriber": "being subscribed to the {}",
    "member": "being a member of the {}",
    "manager": "being the {}'s manager",
    "creator": "being the {}'s creator",
    "sender": "being the {}'s sender",
    "going": "going to the {}",
    "not_going": "not going to the {}",
}


def resource_of(path: str) -> str:
    """The path's resource (``event`` of ``/api/v2/event/{id}/``), else "resource"."""
    shape = resource_path(path)
    return shape[0] if shape else "resource"


def role_phrase(name: str) -> str:
    """`event_subscriber` -> "being subscribed to the event"."""
    role = parse_role(name)
    if role.is_self:
        return f"being the user {{{role.param}}} names" if role.param else "being that user"
    if name in COMMUNITY_ROLE_PHRASES:
        return COMMUNITY_ROLE_PHRASES[name]
    if role.relation in RELATION_PHRASES:
        return RELATION_PHRASES[role.relation].format(role.resource)
    return f"the {name} role"


def condition_phrase(when: AccessCondition, resource: str) -> str:
    """`resource: {privacy: [private]}` -> "the event is private"."""
    parts: list[str] = []
    for attribute, values in when.resource:
        shown = " or ".join(str(value) for value in values)
        parts.append(
            f"the {resource} is {shown}"
            if attribute in ("privacy", "status")
            else f"its {attribute} is {shown}"
        )
    for name in when.params:
        parts.append(f"the {name} parameter is passed")
    for name, value in when.options:
        parts.append(f"the community option {name} is {json.dumps(value)}")
    return " and ".join(parts) or "always"


def needs(clause: AccessClause) -> str:
    """ "authentication and being the event's manager": what a clause asks of the caller."""
    wanted = ["authentication"] if clause.requires_caller else []
    if clause.roles:
        wanted.append(" or ".join(role_phrase(role) for role in sorted(clause.roles)))
    return " and ".join(wanted)


def sentence(access: OperationAccess, resource: str) -> str:
    """ "Anyone may call this when the event is public; when the event is private: authentication and being
    subscribed to the event." """
    default = access.default
    if default.requires_caller:
        head = f"Requires {needs(default)}"
    elif default.authentication == OPTIONAL:
        head = "Anyone may call this (a bearer token is optional)"
    else:
        head = "Anyone may call this"
    relaxed = [rule for rule in access.rules if not rule.clause.requires_caller]
    if relaxed:
        head += " when " + " or when ".join(condition_phrase(rule.when, resource) for rule in relaxed)
    parts = [head]
    for rule in access.rules:
        if rule.clause.requires_caller:
            parts.append(f"when {condition_phrase(rule.when, resource)}: {needs(rule.clause)}")
    text = "; ".join(parts) + "."
    if access.public:
        text += " A public object: visible to anonymous callers, also in closed communities."
    if access.options:
        settings = ", ".join(f"{name} = {json.dumps(value)}" for name, value in sorted(access.options))
        text += f" Only while the community options are set: {settings}."
    return text
