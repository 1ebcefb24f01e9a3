"""The ``x-access`` language (docs/access-language.md) as dataclasses: who may call an operation.

An operation's ``x-access`` is validated against ``x_access.schema.json`` and parsed here, once, into an
``OperationAccess``: a default clause, conditional rules that apply as well when their ``when`` holds,
the community options without which the operation does not exist, ``public`` and ``results``. The
generator writes it (``as_x_access``), the docs describe it, the server and the suite each decide with it
(see the package docstring: the decisions stay theirs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from openapi import extension_schemas

Authentication = Literal["none", "optional", "required"]
NONE: Authentication = "none"
OPTIONAL: Authentication = "optional"
REQUIRED: Authentication = "required"
#: The authentication ladder, weakest first: of several applicable clauses the strictest wins.
LADDER: tuple[Authentication, ...] = (NONE, OPTIONAL, REQUIRED)


def strength(level: str) -> int:
    """The level's rung on the ladder (an unknown level counts as the strictest)."""
    return next((rung for rung, name in enumerate(LADDER) if name == level), len(LADDER) - 1)


def strictest(levels: Iterable[str]) -> Authentication:
    return LADDER[max((strength(level) for level in levels), default=0)]


class AccessError(ValueError):
    """An ``x-access`` value that breaks the language; the message names the operation and the place."""


def schema() -> Mapping[str, Any]:
    """``x_access.schema.json``: the language's shape, as JSON Schema (draft 2020-12)."""
    return extension_schemas.load("x_access.schema.json")


def problems(value: Any) -> Iterator[str]:
    """``x-access.rules[0].roles: …`` for every way ``value`` breaks the schema, in document order."""
    return extension_schemas.problems("x_access.schema.json", value, "x-access")


# -- roles ---------------------------------------------------------------------------------------------

_ROLE = re.compile(r"^(?P<base>[a-z][a-z_]*?)(?:\((?P<param>[a-z][a-z0-9_]*)\))?$")
#: Relations a role ``<resource>_<relation>`` may name (docs/access-language.md, Roles).
RELATIONS = (
    "manager",
    "creator",
    "subscriber",
    "member",
    "invited",
    "going",
    "not_going",
    "sender",
    "viewer",
    "dripped",
    "in_order",
)
#: Roles of the community, not of a resource.
COMMUNITY_ROLES = ("admin", "moderator", "staff", "editor", "community_creator", "followed_by_recipients")


@dataclass(frozen=True)
class Role:
    """A role name read into its parts: ``group_manager`` → resource ``group``, relation ``manager``;
    ``self(user_id)`` → the caller is the user that parameter names; ``media_creator(media)`` → the
    caller created the media that the ``media`` parameter names."""

    name: str
    resource: str = ""
    relation: str = ""
    param: str = ""

    @property
    def is_self(self) -> bool:
        return self.relation == "self"


def parse_role(name: str) -> Role:
    match = _ROLE.match(name)
    if match is None:
        return Role(name)
    base, param = match["base"], match["param"] or ""
    if base == "self":
        return Role(name, relation="self", param=param)
    if base in COMMUNITY_ROLES:
        return Role(name)
    for relation in sorted(RELATIONS, key=len, reverse=True):
        if base.endswith("_" + relation) and len(base) > len(relation) + 1:
            return Role(name, base[: -len(relation) - 1], relation, param)
    return Role(name)


def named_resources(path: str) -> dict[str, str]:
    """The resources a path names, outermost first, each with the parameter that identifies it:
    ``/api/v2/course/{course_id}/section/{section_id}/lesson/{lesson_id}/`` → ``{course: course_id,
    section: section_id, lesson: lesson_id}``. A role's ``<resource>`` and the ``<resource>.`` of a
    ``resource`` attribute refer to these (docs/access-language.md)."""
    return {
        segment: param for segment, param in re.findall(r"/([a-z][a-z_]*)/\{([A-Za-z_][A-Za-z0-9_]*)\}", path)
    }


def attribute_of(name: str) -> tuple[str, str]:
    """``lesson.comments_enabled`` → (``lesson``, ``comments_enabled``); ``privacy`` → ("", ``privacy``):
    an attribute of a resource the path names, or of the path's resource."""
    owner, _, attribute = name.rpartition(".")
    return owner, attribute


# -- the model -----------------------------------------------------------------------------------------

Refusal = Literal["forbidden", "hidden", "empty"]
#: What a caller a clause refuses gets (docs/access-language.md, Meaning): 403, 404 as if the resource
#: did not exist, or 200 with nothing in it.
FORBIDDEN: Refusal = "forbidden"
HIDDEN: Refusal = "hidden"
EMPTY: Refusal = "empty"

#: The constructs a value may use beyond a default clause of authentication and roles, by the names
#: ``OperationAccess.constructs`` gives: a reader that does not handle one of them must refuse the value.
CONSTRUCTS = (
    "rules",
    "resource",
    "param",
    "option",
    "options",
    "public",
    "results",
    "all_roles",
    "nobody",
    "refused",
    "param_value",
    "role",
    "not",
    "resource_of_path",
    "role_param",
)


@dataclass(frozen=True)
class AccessClause:
    """An authentication level and roles: any one of ``roles`` and every one of ``all_roles`` (a clause
    with roles implies authentication); a ``nobody`` clause lets no caller through. ``refused`` is what a
    caller it refuses gets once authenticated as it demands."""

    authentication: Authentication
    roles: tuple[str, ...] = ()
    all_roles: tuple[str, ...] = ()
    nobody: bool = False
    refused: Refusal = FORBIDDEN

    @property
    def requires_caller(self) -> bool:
        return self.authentication == REQUIRED or bool(self.roles) or bool(self.all_roles)

    @property
    def level(self) -> Authentication:
        """The authentication it demands, roles counted: ``required`` when it names any."""
        return REQUIRED if self.roles or self.all_roles else self.authentication

    @property
    def restricts(self) -> bool:
        """Some caller authenticated as it demands may still be refused."""
        return bool(self.roles) or bool(self.all_roles) or self.nobody

    @property
    def parsed_roles(self) -> tuple[Role, ...]:
        return tuple(parse_role(role) for role in self.roles)

    @property
    def role_names(self) -> tuple[str, ...]:
        """Every role the clause names, alternatives and conjuncts alike."""
        return (*self.roles, *(role for role in self.all_roles if role not in self.roles))

    def as_x_access(self) -> dict[str, Any]:
        value: dict[str, Any] = {"authentication": self.authentication, "roles": list(self.roles)}
        if self.all_roles:
            value["all_roles"] = list(self.all_roles)
        if self.nobody:
            value["nobody"] = True
        if self.refused != FORBIDDEN:
            value["refused"] = self.refused
        return value


@dataclass(frozen=True)
class AccessCondition:
    """A ``when``: it holds when every part holds. Parts are (name, value) pairs in the document's order."""

    resource: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    """Attributes of the path's resource (``privacy``) or of a resource the path names
    (``lesson.comments_enabled``), each with the values any one of which matches."""
    params: tuple[str, ...] = ()
    """Request parameters (query or body) that are present."""
    options: tuple[tuple[str, Any], ...] = ()
    """Community options with these values."""
    param_values: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    """Request parameters (query or body) sent with one of these values."""
    roles: tuple[str, ...] = ()
    """Roles the caller holds, any one of which matches."""
    negated: AccessCondition | None = None
    """A condition that does not hold (``not``)."""

    @property
    def option_names(self) -> frozenset[str]:
        inner = self.negated.option_names if self.negated is not None else frozenset()
        return frozenset(name for name, _ in self.options) | inner

    @property
    def parts(self) -> tuple[AccessCondition, ...]:
        """This condition and the ones nested under ``not``, outermost first."""
        return (self, *(self.negated.parts if self.negated is not None else ()))

    def as_x_access(self) -> dict[str, Any]:
        when: dict[str, Any] = {}
        if self.resource:
            when["resource"] = {name: list(values) for name, values in self.resource}
        if self.params:
            when["param"] = list(self.params)
        if self.param_values:
            when["param_value"] = {name: list(values) for name, values in self.param_values}
        if self.options:
            when["option"] = dict(self.options)
        if self.roles:
            when["role"] = list(self.roles)
        if self.negated is not None:
            when["not"] = self.negated.as_x_access()
        return when


@dataclass(frozen=True)
class AccessRule:
    """A conditional clause: it applies as well as the default one whenever ``when`` holds."""

    when: AccessCondition
    clause: AccessClause

    def as_x_access(self) -> dict[str, Any]:
        return {"when": self.when.as_x_access(), **self.clause.as_x_access()}


@dataclass(frozen=True)
class OperationAccess:
    """An operation's ``x-access``: everything the language says about who may call it."""

    default: AccessClause
    rules: tuple[AccessRule, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()
    """Community options without which the operation does not exist."""
    public: bool = False
    results: tuple[str, ...] = ()
    """Sentences that narrow what is returned or affected, not who may call."""

    @property
    def clauses(self) -> tuple[AccessClause, ...]:
        return (self.default, *(rule.clause for rule in self.rules))

    @property
    def roles(self) -> tuple[str, ...]:
        """The default clause's roles: what every call needs."""
        return self.default.roles

    @property
    def option_names(self) -> frozenset[str]:
        """Community options the access depends on, as a condition or as the operation's existence."""
        return frozenset(name for name, _ in self.options) | {
            name for rule in self.rules for name in rule.when.option_names
        }

    @property
    def may_require_authentication(self) -> bool:
        return any(clause.requires_caller for clause in self.clauses)

    @property
    def security_level(self) -> Authentication:
        """What the OpenAPI ``security`` must say (docs/access-language.md): ``required`` when the default
        clause requires a caller, ``optional`` when some clause may take a token, else ``none``."""
        if self.default.requires_caller:
            return REQUIRED
        if any(clause.requires_caller or clause.authentication == OPTIONAL for clause in self.clauses):
            return OPTIONAL
        return NONE

    @property
    def constructs(self) -> frozenset[str]:
        """The ``CONSTRUCTS`` the value uses: a server or a suite refuses a value using one it does not
        handle, rather than reading less than the value says."""
        used: set[str] = set()
        flags = {"rules": bool(self.rules), "options": bool(self.options), "public": self.public}
        flags["results"] = bool(self.results)
        used.update(name for name, present in flags.items() if present)
        for clause in self.clauses:
            used.update(_clause_constructs(clause))
        for rule in self.rules:
            for part in rule.when.parts:
                used.update(_condition_constructs(part))
            if rule.when.negated is not None:
                used.add("not")
        return frozenset(used)

    def as_x_access(self) -> dict[str, Any]:
        """The ``x-access`` value: the default clause, then the keys it states, in the language's order."""
        value = self.default.as_x_access()
        if self.rules:
            value["rules"] = [rule.as_x_access() for rule in self.rules]
        if self.options:
            value["options"] = dict(self.options)
        if self.public:
            value["public"] = True
        if self.results:
            value["results"] = list(self.results)
        return value


def _clause_constructs(clause: AccessClause) -> Iterator[str]:
    if clause.all_roles:
        yield "all_roles"
    if clause.nobody:
        yield "nobody"
    if clause.refused != FORBIDDEN:
        yield "refused"
    if any(parse_role(role).param and not parse_role(role).is_self for role in clause.role_names):
        yield "role_param"


def _condition_constructs(when: AccessCondition) -> Iterator[str]:
    parts = {"resource": when.resource, "param": when.params, "option": when.options}
    parts |= {"param_value": when.param_values, "role": when.roles}
    yield from (name for name, present in parts.items() if present)
    if any(attribute_of(name)[0] for name, _ in when.resource):
        yield "resource_of_path"


def security_level(security: Sequence[Mapping[str, Any]] | None) -> Authentication:
    """The authentication an OpenAPI ``security`` list implies: alternatives, ``{}`` meaning anonymous."""
    if not security:
        return NONE
    return OPTIONAL if any(not requirement for requirement in security) else REQUIRED


def _clause(node: Mapping[str, Any]) -> AccessClause:
    return AccessClause(
        node["authentication"],
        tuple(str(role) for role in node.get("roles") or ()),
        tuple(str(role) for role in node.get("all_roles") or ()),
        node.get("nobody") is True,
        node.get("refused", FORBIDDEN),
    )


def _values(node: Mapping[str, Any] | None) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    return tuple((str(name), tuple(values)) for name, values in (node or {}).items())


def parse_condition(when: Mapping[str, Any]) -> AccessCondition:
    """A ``when`` (already checked against the schema) as the model; ``x-join`` rules share it."""
    return AccessCondition(
        resource=_values(when.get("resource")),
        params=tuple(str(name) for name in when.get("param") or ()),
        options=tuple((str(name), value) for name, value in (when.get("option") or {}).items()),
        param_values=_values(when.get("param_value")),
        roles=tuple(str(role) for role in when.get("role") or ()),
        negated=parse_condition(when["not"]) if "not" in when else None,
    )


def parse_access(value: Any, where: str = "x-access") -> OperationAccess:
    """An ``x-access`` value as the model; ``AccessError`` lists every way it breaks the schema."""
    found = list(problems(value))
    if found:
        raise AccessError(f"{where}: " + "; ".join(found))
    return OperationAccess(
        default=_clause(value),
        rules=tuple(
            AccessRule(parse_condition(rule["when"]), _clause(rule)) for rule in value.get("rules", ())
        ),
        options=tuple((str(name), option) for name, option in (value.get("options") or {}).items()),
        public=value.get("public") is True,
        results=tuple(str(sentence) for sentence in value.get("results", ())),
    )
