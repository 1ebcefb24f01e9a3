"""Each operation's ``x-access``, compiled at start-up into what the access gate evaluates per request.

The language is docs/access-language.md: a default clause, conditional ``rules`` that apply as
well when their ``when`` holds, ``options`` without which the operation does not exist, and
``public``. The contract core parses it and checks it against its JSON Schema
(``Operation.access``); a value that breaks the schema refuses start-up with the core's message,
which names the operation. What only this server can tell is checked here, and refuses start-up
the same way: a construct of the language it does not enforce (``ENFORCED``), a role it has no
relation for, a resource attribute it does not store, a community option it does not have, a
parameter the operation does not declare, an attribute value the resource's schema never takes, a
``security`` that disagrees with ``x-access``, a scheme other than a bearer token. An access rule
silently ignored would leave a hole.

Community options are fixed for the server's lifetime, so ``option`` conditions are decided here:
a rule whose options do not hold is dropped, one whose options hold keeps its other conditions.
``public`` is read and kept; it only matters in a closed community, a setting this server does not
have, so it changes nothing here yet.

A ``<resource>_viewer`` role is the access of the resource's own ``GET`` (the operation on the path
that ends at its id), compiled here like any other operation and evaluated for the caller without
the request's parameters; that policy is also every such operation's ``viewer``, which the handlers
use where a page says that a caller who may not see the resource cannot act on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, Row

from openapi.access import (
    EMPTY,
    FORBIDDEN,
    HIDDEN,
    REQUIRED,
    AccessClause,
    AccessCondition,
    AccessError,
    Authentication,
    Refusal,
    parse_role,
    security_level,
)
from openapi.document import HTTP_METHODS, Operation, Spec
from reference_impl import community, repository
from reference_impl.resources import RESOURCES, Relation, ResourceKind, known_roles, resource_of
from reference_impl.storage import STORED_COMMUNITY_ROLES

#: The x-access constructs (``openapi.access.CONSTRUCTS``) this server enforces. ``refused`` is
#: enforced for ``hidden`` (404); ``empty`` refuses start-up (see ``_OperationCompiler._clause``).
ENFORCED = frozenset(
    {"rules", "resource", "param", "option", "options", "public", "results", "param_value", "role", "not",
     "nobody", "refused"}
)  # fmt: skip


class AccessSpecError(ValueError):
    """The specification asks for access rules this server cannot enforce."""


@dataclass(frozen=True)
class RequestFacts:
    """What the gate knows of one request when it decides: the caller, the resource the path names, and
    the parameters the rules ask about (those present, and the values of those compared)."""

    connection: Connection
    caller: Row | None
    resource: Row | None
    present: frozenset[str] = frozenset()
    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def without_parameters(self) -> RequestFacts:
        """The same caller and resource, as a request with no parameters would be seen."""
        return RequestFacts(self.connection, self.caller, self.resource)


class RoleCheck(Protocol):
    """A role the gate can check for an authenticated caller."""

    @property
    def name(self) -> str: ...

    @property
    def who(self) -> str: ...

    @property
    def reads_memberships(self) -> bool:
        """Whether a membership decides it, which a concurrent change can change."""
        ...

    def held_by(self, facts: RequestFacts) -> bool: ...


@dataclass(frozen=True)
class ResourceRole:
    """The caller holds the relation the role names with the path's resource (``event_manager``)."""

    name: str
    relation: Relation

    @property
    def who(self) -> str:
        return self.relation.who

    @property
    def reads_memberships(self) -> bool:
        return self.relation.reads_memberships

    def held_by(self, facts: RequestFacts) -> bool:
        if facts.caller is None or facts.resource is None:
            return False
        return self.relation.holds(facts.connection, facts.caller, facts.resource)


@dataclass(frozen=True)
class CommunityRole:
    """The caller holds this role in the community (``staff``), as the server stores it."""

    name: str

    @property
    def who(self) -> str:
        return f"{self.name} members"

    @property
    def reads_memberships(self) -> bool:
        return False  # the community's roles, which no request changes

    def held_by(self, facts: RequestFacts) -> bool:
        return facts.caller is not None and repository.has_community_role(
            facts.connection, facts.caller.id, self.name
        )


@dataclass(frozen=True)
class ViewerRole:
    """The caller passes the access of the resource's own ``GET`` (``course_viewer``)."""

    name: str
    resource: str
    policy: OperationPolicy

    @property
    def who(self) -> str:
        return f"users who may view this {self.resource}"

    @property
    def reads_memberships(self) -> bool:
        return self.policy.reads_memberships

    def held_by(self, facts: RequestFacts) -> bool:
        return facts.caller is not None and self.policy.admits(facts.without_parameters())


@dataclass(frozen=True)
class ClauseCheck:
    """Who may call: an authentication level and roles, any one of which is enough; a ``nobody`` clause
    lets no caller through; ``refused`` is what a caller it refuses gets (403, or 404 when hidden)."""

    authentication: Authentication
    roles: tuple[RoleCheck, ...] = ()
    nobody: bool = False
    refused: Refusal = FORBIDDEN

    @property
    def requires_caller(self) -> bool:
        # A clause with roles implies authentication: required.
        return self.authentication == REQUIRED or bool(self.roles)

    def admits(self, facts: RequestFacts) -> bool:
        if self.nobody:
            return False
        return not self.roles or any(role.held_by(facts) for role in self.roles)

    def refusal(self) -> str:
        if self.nobody:
            return "Nobody may do this"
        return f"Only {' or '.join(dict.fromkeys(role.who for role in self.roles))} may do this"


@dataclass(frozen=True)
class RequestCondition:
    """The request-time part of a ``when``: resource attributes, parameters present or sent with some
    values, the caller's roles, and a condition that must not hold. ``settled`` is False when its
    community options do not hold on this server (it then never holds)."""

    attributes: tuple[tuple[str, frozenset[Any]], ...] = ()  # (column, accepted values)
    params: tuple[str, ...] = ()
    param_values: tuple[tuple[str, frozenset[str]], ...] = ()  # (query parameter, accepted texts)
    roles: tuple[RoleCheck, ...] = ()
    negated: RequestCondition | None = None
    settled: bool = True
    reason: str = ""  # e.g. "the event is private", for refusal messages

    def holds(self, facts: RequestFacts) -> bool:
        if not self.settled:
            return False
        if self.attributes:
            # On a resource that does not exist no resource condition holds.
            resource = facts.resource
            if resource is None:
                return False
            if any(getattr(resource, column) not in values for column, values in self.attributes):
                return False
        if not all(name in facts.present for name in self.params):
            return False
        for name, accepted in self.param_values:
            if accepted.isdisjoint(facts.values.get(name, ())):
                return False
        if self.roles and not any(role.held_by(facts) for role in self.roles):
            return False
        return self.negated is None or not self.negated.holds(facts)

    @property
    def reads_memberships(self) -> bool:
        """Whether a role it asks about, under ``not`` too, is decided by a membership."""
        inner = self.negated is not None and self.negated.reads_memberships
        return inner or any(role.reads_memberships for role in self.roles)

    @property
    def param_names(self) -> frozenset[str]:
        """The parameters whose presence it asks about, under ``not`` too."""
        inner = self.negated.param_names if self.negated is not None else frozenset()
        return frozenset(self.params) | inner

    @property
    def value_names(self) -> frozenset[str]:
        """The query parameters whose values it compares, under ``not`` too."""
        inner = self.negated.value_names if self.negated is not None else frozenset()
        return frozenset(name for name, _ in self.param_values) | inner


@dataclass(frozen=True)
class ConditionalCheck:
    """A rule kept under this server's community options: its clause applies when ``when`` holds."""

    when: RequestCondition
    clause: ClauseCheck


RefusalKind = Literal["unauthenticated", "hidden", "forbidden"]


@dataclass(frozen=True)
class Refused:
    """Why the gate refuses a request: what the caller gets, the clause that refuses and when it applies."""

    kind: RefusalKind
    clause: ClauseCheck
    reason: str


@dataclass(frozen=True)
class OperationPolicy:
    """Everything the gate needs to decide one operation."""

    operation: str
    default: ClauseCheck
    resource: ResourceKind | None = None
    rules: tuple[ConditionalCheck, ...] = ()
    query_params: frozenset[str] = field(default_factory=frozenset)  # named by rules, read from the query
    body_params: frozenset[str] = field(default_factory=frozenset)  # named by rules, read from the body
    value_params: frozenset[str] = field(default_factory=frozenset)  # compared by rules, from the query
    unavailable: str | None = None  # why the operation does not exist under this server's options
    public: bool = False
    viewer: OperationPolicy | None = None  # the access of the GET of the resource the path names

    @property
    def authentication(self) -> Authentication:
        """What the default clause alone demands: decides 401 before the resource is looked up."""
        return REQUIRED if self.default.requires_caller else self.default.authentication

    @cached_property
    def reads_memberships(self) -> bool:
        """Whether a role its decision asks about (in a clause or a ``when``) is decided by a membership,
        which changes can change."""
        clauses = [self.default, *(rule.clause for rule in self.rules)]
        in_clauses = any(role.reads_memberships for clause in clauses for role in clause.roles)
        return in_clauses or any(rule.when.reads_memberships for rule in self.rules)

    @property
    def identifies_resource(self) -> bool:
        """The path names one resource (an event, a group, …), which the gate loads before the rules."""
        return self.resource is not None

    def applicable(self, facts: RequestFacts) -> list[tuple[ClauseCheck, str]]:
        """The default clause and every rule whose ``when`` holds, each with the reason it applies."""
        clauses = [(self.default, "")]
        clauses += [(rule.clause, rule.when.reason) for rule in self.rules if rule.when.holds(facts)]
        return clauses

    def decide(self, facts: RequestFacts) -> Refused | None:
        """None when every applicable clause lets the caller through; else what the caller gets
        (docs/access-language.md, Meaning 3): 401 without the authentication a clause demands, then 404
        if a refusing clause hides the resource, else 403."""
        applicable = self.applicable(facts)
        if facts.caller is None:
            unauthenticated = next(((c, r) for c, r in applicable if c.requires_caller), None)
            if unauthenticated is not None:
                return Refused("unauthenticated", *unauthenticated)
        refusing = [(clause, reason) for clause, reason in applicable if not clause.admits(facts)]
        if not refusing:
            return None
        hidden = next(((c, r) for c, r in refusing if c.refused == HIDDEN), None)
        return Refused("hidden", *hidden) if hidden is not None else Refused("forbidden", *refusing[0])

    def admits(self, facts: RequestFacts) -> bool:
        return self.decide(facts) is None


def _text(value: Any) -> str:
    """A value of ``param_value`` as a query string would carry it (``true``, ``5``, ``edit``)."""
    return value if isinstance(value, str) else json.dumps(value)


def _shown(value: Any) -> str:
    return '""' if value == "" else _text(value)


class _Compilation:
    """The policies of one document under one set of community options, each compiled once (a
    ``<resource>_viewer`` role compiles the resource's ``GET`` first)."""

    def __init__(self, spec: Spec, options: Mapping[str, community.OptionValue]) -> None:
        self.spec = spec
        self.options = options
        self.done: dict[str, OperationPolicy] = {}
        self.underway: list[str] = []

    def policy(self, operation: Operation) -> OperationPolicy:
        operation_id = operation.operation_id
        if operation_id in self.done:
            return self.done[operation_id]
        if operation_id in self.underway:
            chain = " → ".join([*self.underway, operation_id])
            raise AccessSpecError(f"{operation.label} ({operation_id}): its access needs itself: {chain}.")
        self.underway.append(operation_id)
        try:
            compiled = _OperationCompiler(operation, self).compile()
        finally:
            self.underway.pop()
        self.done[operation_id] = compiled
        return compiled

    def resource_get(self, kind: ResourceKind) -> Operation | None:
        """The GET of one resource of ``kind``: the operation on the path that ends at its id."""
        return self.spec.find("GET", f"/api/v2/{kind.name}/{{{kind.parameter}}}/")


class _OperationCompiler:
    """Compiles one operation's ``x-access``; every error names the operation."""

    def __init__(self, operation: Operation, compilation: _Compilation) -> None:
        self.operation = operation
        self.spec = operation.spec
        self.compilation = compilation
        self.options = compilation.options
        self.where = f"{operation.label} ({operation.operation_id})"
        self.resource = resource_of(operation)

    def fail(self, message: str) -> AccessSpecError:
        return AccessSpecError(f"{self.where}: {message}")

    def compile(self) -> OperationPolicy:
        if not self.operation.declares_access:
            raise self.fail("no x-access extension; every operation needs one.")
        try:
            access = self.operation.access
        except AccessError as exc:
            raise AccessSpecError(str(exc)) from None
        unhandled = sorted(access.constructs - ENFORCED)
        if unhandled:
            raise self.fail(
                f"x-access uses {', '.join(unhandled)}, which this server does not enforce yet; "
                "refusing to start rather than read less than the rule says."
            )
        default = self._clause(access.default, "x-access")
        rules = [
            ConditionalCheck(self._condition(rule.when, f"x-access.rules[{index}].when"),
                             self._clause(rule.clause, f"x-access.rules[{index}]"))
            for index, rule in enumerate(access.rules)
        ]  # fmt: skip
        self._check_security(access.security_level)
        kept = [rule for rule in rules if rule.when.settled]
        params = frozenset(name for rule in kept for name in rule.when.param_names)
        return OperationPolicy(
            operation=self.operation.operation_id,
            default=default,
            resource=self.resource,
            rules=tuple(kept),
            query_params=params & frozenset(self.operation.query_parameters),
            body_params=params & self.operation.body_fields,
            value_params=frozenset(name for rule in kept for name in rule.when.value_names),
            unavailable=self._unavailable(access.options),
            public=access.public,
        )

    def _check_security(self, from_access: Authentication) -> None:
        schemes = self.spec.raw.get("components", {}).get("securitySchemes", {})
        for requirement in self.operation.security:
            for name in requirement:
                scheme = schemes.get(name, {})
                if (scheme.get("type"), str(scheme.get("scheme", "")).lower()) != ("http", "bearer"):
                    raise self.fail(
                        f"security scheme {name!r} is not an HTTP bearer scheme; "
                        "this server only verifies bearer tokens."
                    )
        from_security = security_level(self.operation.security)
        if from_security != from_access:
            raise self.fail(
                f"security says authentication is {from_security} but x-access says {from_access}; "
                "make them agree."
            )

    def _clause(self, clause: AccessClause, where: str) -> ClauseCheck:
        if clause.refused == EMPTY:
            raise self.fail(
                f"{where}.refused is 'empty' (200 with an empty answer), which this server does not "
                "enforce yet; refusing to start rather than read less than the rule says."
            )
        roles = tuple(self._role(name, f"{where}.roles") for name in clause.roles)
        return ClauseCheck(clause.authentication, roles, clause.nobody, clause.refused)

    def _role(self, name: str, where: str) -> RoleCheck:
        if name in STORED_COMMUNITY_ROLES:
            return CommunityRole(name)
        role = parse_role(name)
        kind = RESOURCES.get(role.resource)
        relation = kind.relations.get(role.relation) if kind else None
        if kind is None or (relation is None and role.relation != "viewer"):
            # The roles of the path's own resource first: the likeliest meant.
            own = self.resource.name if self.resource is not None else ""
            roles = [*known_roles(), *(f"{name}_viewer" for name in RESOURCES), *STORED_COMMUNITY_ROLES]
            known = sorted(roles, key=lambda known: (not known.startswith(f"{own}_"), known))
            raise self.fail(
                f"unknown role(s) {name!r} in {where}; this server knows {', '.join(known)}. "
                "Refusing to start rather than leave the operation unguarded."
            )
        if self.resource is not kind:
            raise self.fail(
                f"role {name!r} needs a path of the form /api/v2/{kind.name}/{{{kind.parameter}}}/…, "
                "which this one is not."
            )
        if relation is not None:
            return ResourceRole(name, relation)
        info = self.compilation.resource_get(kind)
        if info is None:
            raise self.fail(
                f"role {name!r} is the access of GET /api/v2/{kind.name}/{{{kind.parameter}}}/, which the "
                "specification does not have."
            )
        return ViewerRole(name, kind.name, self.compilation.policy(info))

    def _condition(self, when: AccessCondition, where: str) -> RequestCondition:
        """The request-time condition, with its community options decided (``settled``)."""
        settled = self._options_hold(when.options, f"{where}.option")
        attributes, reasons = self._attributes(when.resource, f"{where}.resource")
        params = self._params(when.params, f"{where}.param")
        values = self._param_values(when.param_values, f"{where}.param_value")
        roles = tuple(self._role(name, f"{where}.role") for name in when.roles)
        negated = self._condition(when.negated, f"{where}.not") if when.negated is not None else None
        for name, value in when.options:
            reasons.append(f"the community option {name} is {community.format_value(value)}")
        if params:
            reasons.append(f"the request names {', '.join(params)}")
        for name, texts in values:
            reasons.append(f"{name} is {' or '.join(sorted(texts))}")
        if roles:
            reasons.append(f"the caller is {' or '.join(role.who for role in roles)}")
        if negated is not None:
            inner = negated.reason
            simple = negated.params and not (negated.attributes or negated.param_values or negated.roles)
            negation = inner.replace("the request names", "the request does not name") if simple else None
            reasons.append(negation or f"it is not so that {inner}")
        return RequestCondition(
            tuple(attributes), params, values, roles, negated, settled, " and ".join(reasons)
        )

    def _options_hold(self, wanted: Iterable[tuple[str, Any]], where: str) -> bool:
        holds = True
        for name, value in wanted:
            if name not in community.DEFAULTS:
                raise self.fail(
                    f"unknown community option {name!r} in {where}; this server knows "
                    f"{', '.join(sorted(community.DEFAULTS))}."
                )
            if type(value) is not type(community.DEFAULTS[name]):
                kind = type(community.DEFAULTS[name]).__name__
                raise self.fail(f"{where}: community option {name} is a {kind}, not {value!r}.")
            holds = holds and self.options[name] == value
        return holds

    def _unavailable(self, wanted: tuple[tuple[str, Any], ...]) -> str | None:
        if not wanted or self._options_hold(wanted, "x-access.options"):
            return None
        needed = ", ".join(f"{name}={community.format_value(value)}" for name, value in wanted)
        return (
            f"This operation is not available in this community; it needs the community option(s) {needed}."
        )

    def _attributes(
        self, wanted: tuple[tuple[str, tuple[Any, ...]], ...], where: str
    ) -> tuple[list[tuple[str, frozenset[Any]]], list[str]]:
        if wanted and self.resource is None:
            raise self.fail(f"{where} names resource attributes, but the path identifies no resource.")
        attributes: list[tuple[str, frozenset[Any]]] = []
        reasons: list[str] = []
        for name, values in wanted:
            assert self.resource is not None
            column = self.resource.attributes.get(name)
            if column is None:
                raise self.fail(
                    f"unknown {self.resource.name} attribute {name!r} in {where}; this server knows "
                    f"{', '.join(sorted(self.resource.attributes)) or 'none'}."
                )
            self._check_values(name, values, where)
            attributes.append((column, frozenset(values)))
            shown = " or ".join(map(_shown, values))
            owner = self.resource.name if name == "privacy" else f"{self.resource.name}'s {name}"
            reasons.append(f"the {owner} is {shown}")
        return attributes, reasons

    def _check_values(self, name: str, values: tuple[Any, ...], where: str) -> None:
        """Values the resource schema never takes make a condition that can never hold."""
        assert self.resource is not None
        schema = self.resource.schema
        declared = self.spec.resolve(self.spec.schema_properties(schema).get(name, {}))
        if "enum" in declared:
            allowed: tuple[Any, ...] = self.spec.enum(schema, name)
            impossible = [value for value in values if value not in allowed]
        elif declared.get("type") == "boolean":
            allowed = (True, False)
            impossible = [value for value in values if not isinstance(value, bool)]
        else:
            return
        if impossible:
            raise self.fail(
                f"{where}.{name} lists {', '.join(map(repr, impossible))}, which the {schema} "
                f"schema does not allow ({', '.join(map(str, allowed))})."
            )

    def _params(self, names: tuple[str, ...], where: str) -> tuple[str, ...]:
        for name in names:
            if not self.operation.takes(name):
                raise self.fail(
                    f"{where} names {name!r}, which is neither a query parameter nor a body field of this "
                    "operation; declare it or fix the rule."
                )
        return names

    def _param_values(
        self, wanted: tuple[tuple[str, tuple[Any, ...]], ...], where: str
    ) -> tuple[tuple[str, frozenset[str]], ...]:
        """Only query parameters' values are read (a body field's value is not, yet)."""
        for name, _ in wanted:
            if name not in self.operation.query_parameters:
                raise self.fail(
                    f"{where} compares {name!r}, which is not a query parameter of this operation; this "
                    "server compares the values of query parameters only."
                )
        return tuple((name, frozenset(map(_text, values))) for name, values in wanted)


def _without_operation_id(spec: Spec) -> str | None:
    """The first operation of ``spec`` that has no operationId, as ``METHOD /path``."""
    for path, item in spec.raw.get("paths", {}).items():
        for method in HTTP_METHODS:
            if isinstance(item.get(method), Mapping) and not item[method].get("operationId"):
                return f"{method.upper()} {path}"
    return None


def policies_from_spec(
    spec: Spec, options: Mapping[str, community.OptionValue] | None = None
) -> dict[str, OperationPolicy]:
    """One compiled policy per operationId under the community ``options`` (defaults when None); each
    operation on one resource gets that resource's GET as its ``viewer``."""
    missing = _without_operation_id(spec)
    if missing is not None:
        raise AccessSpecError(
            f"{missing} (no operationId): no operationId; the server maps operationIds to handlers."
        )
    compilation = _Compilation(spec, {**community.DEFAULTS, **(options or {})})
    for operation in spec.operations.values():
        compilation.policy(operation)
    policies = dict(compilation.done)
    for operation_id, policy in policies.items():
        info = compilation.resource_get(policy.resource) if policy.resource is not None else None
        if info is not None and info.operation_id != operation_id:
            policies[operation_id] = replace(policy, viewer=compilation.done[info.operation_id])
    return {operation_id: policies[operation_id] for operation_id in spec.operations}
