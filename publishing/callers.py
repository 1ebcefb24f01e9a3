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
    EMPTY,
    HIDDEN,
    NONE,
    OPTIONAL,
    AccessClause,
    AccessCondition,
    OperationAccess,
    Refusal,
    attribute_of,
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
    return any(clause.authentication != NONE or clause.roles or clause.all_roles for clause in access.clauses)


def stricter_than(clause: AccessClause, other: AccessClause) -> bool:
    """Some caller ``other`` lets through is refused by ``clause``."""
    if other.nobody:
        return False
    if clause.nobody or strength(clause.authentication) > strength(other.authentication):
        return True
    held = set(other.all_roles) | (set(other.roles) if len(other.roles) == 1 else set())
    if set(clause.all_roles) - held:
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
    "invited": "being invited to the {}",
    "viewer": "being allowed to view the {}",
    "dripped": "having had the {} dripped to them (its drip date has passed)",
    "in_order": "having completed every earlier {}",
}
#: What a caller a clause refuses gets, when it is not 403.
REFUSAL_PHRASES = {
    HIDDEN: "refused callers get 404, as if the {} did not exist",
    EMPTY: "refused callers get an empty answer",
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
        phrase = RELATION_PHRASES[role.relation].format(role.resource)
        named = f" (the {role.resource} the {role.param} parameter names)" if role.param else ""
        return phrase + named
    return f"the {name} role"


def caller_phrase(name: str) -> str:
    """`course_creator` -> "the caller is the course's creator": a role as a condition on the caller."""
    phrase = role_phrase(name)
    leads = (("being ", "the caller is "), ("having ", "the caller has "), ("the ", "the caller has the "))
    for lead, said in leads:
        if phrase.startswith(lead):
            return said + phrase[len(lead) :]
    return "the caller is " + phrase


def value_phrase(value: Any) -> str:
    """A value of a condition as a sentence shows it: `open`, `true`, `"" (empty)`."""
    if value == "":
        return '"" (empty)'
    return value if isinstance(value, str) else json.dumps(value)


def condition_phrase(when: AccessCondition, resource: str) -> str:
    """`resource: {privacy: [private]}` -> "the event is private"; `lesson.comments_enabled` -> "the
    lesson's comments_enabled is false"."""
    parts: list[str] = []
    for attribute, values in when.resource:
        parts.append(_attribute_phrase(attribute, values, resource))
    for name in when.params:
        parts.append(f"the {name} parameter is passed")
    for name, values in when.param_values:
        parts.append(f"the {name} parameter is " + " or ".join(value_phrase(value) for value in values))
    for name, value in when.options:
        parts.append(f"the community option {name} is {json.dumps(value)}")
    if when.roles:
        parts.append(" or ".join(caller_phrase(role) for role in when.roles))
    if when.negated is not None:
        parts.append(_negation_phrase(when.negated, resource))
    return " and ".join(parts) or "always"


def _attribute_phrase(attribute: str, values: tuple[Any, ...], resource: str, negated: bool = False) -> str:
    owner, name = attribute_of(attribute)
    shown = " or ".join(value_phrase(value) for value in values)
    verb = "is not" if negated else "is"
    if name in ("privacy", "status") and all(isinstance(value, str) and value for value in values):
        return f"the {owner or resource} {verb} {shown}"
    return f"the {owner or resource}'s {name} {verb} {shown}"


def _negation_phrase(when: AccessCondition, resource: str) -> str:
    """ "the lesson is not published"; "not (…)" where the condition has several parts."""
    if len(when.resource) == 1 and when == AccessCondition(resource=when.resource):
        attribute, values = when.resource[0]
        return _attribute_phrase(attribute, values, resource, negated=True)
    if when.params and when == AccessCondition(params=when.params):
        return " and ".join(f"the {name} parameter is not passed" for name in when.params)
    return f"not ({condition_phrase(when, resource)})"


def needs(clause: AccessClause) -> str:
    """ "authentication and being the event's manager": what a clause asks of the caller."""
    wanted = ["authentication"] if clause.requires_caller else []
    if clause.roles:
        either = " or ".join(role_phrase(role) for role in sorted(clause.roles))
        wanted.append(f"({either})" if clause.all_roles and len(clause.roles) > 1 else either)
    wanted.extend(role_phrase(role) for role in clause.all_roles)
    return " and ".join(wanted)


def refusal_phrase(refused: Refusal, resource: str) -> str:
    """ " (refused callers get 404, as if the course did not exist)", or "" for the usual 403."""
    return f" ({REFUSAL_PHRASES[refused].format(resource)})" if refused in REFUSAL_PHRASES else ""


def sentence(access: OperationAccess, resource: str) -> str:
    """ "Anyone may call this when the event is public; when the event is private: authentication and being
    subscribed to the event." """
    default = access.default
    if default.requires_caller:
        head = f"Requires {needs(default)}" + refusal_phrase(default.refused, resource)
    elif default.authentication == OPTIONAL:
        head = "Anyone may call this (a bearer token is optional)"
    else:
        head = "Anyone may call this"
    relaxed = [rule for rule in access.rules if not rule.clause.requires_caller and not rule.clause.nobody]
    if relaxed:
        head += " when " + " or when ".join(condition_phrase(rule.when, resource) for rule in relaxed)
    parts = [head]
    for rule in access.rules:
        refusal = refusal_phrase(rule.clause.refused, resource)
        if rule.clause.nobody:
            parts.append(f"when {condition_phrase(rule.when, resource)}: nobody may call this{refusal}")
        elif rule.clause.requires_caller:
            parts.append(f"when {condition_phrase(rule.when, resource)}: {needs(rule.clause)}{refusal}")
    text = "; ".join(parts) + "."
    if access.public:
        text += " A public object: visible to anonymous callers, also in closed communities."
    if access.options:
        settings = ", ".join(f"{name} = {json.dumps(value)}" for name, value in sorted(access.options))
        text += f" Only while the community options are set: {settings}."
    return text
