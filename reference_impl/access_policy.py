"""Each operation's ``x-access``, compiled at start-up into what the access gate evaluates per request.

The language is docs/access-language.md: a default clause, conditional ``rules`` that apply as
well when their ``when`` holds, ``options`` without which the operation does not exist, and
``public``. The contract core parses it and checks it against its JSON Schema
(``Operation.access``); a value that breaks the schema refuses start-up with the core's message,
which names the operation. What only this server can tell is checked here, and refuses start-up
the same way: a role it has no relation for, a resource attribute it does not store, a community
option it does not have, a parameter the operation does not declare, an attribute value the
resource's schema never takes, a ``security`` that disagrees with ``x-access``, a scheme other than
a bearer token. An access rule silently ignored would leave a hole.

Community options are fixed for the server's lifetime, so ``option`` conditions are decided here:
a rule whose options do not hold is dropped, one whose options hold keeps its other conditions.
``public`` is read and kept; it only matters in a closed community, a setting this server does not
have, so it changes nothing here yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import Connection, Row

from openapi.access import (
    REQUIRED,
    AccessClause,
    AccessCondition,
    AccessError,
    Authentication,
    parse_role,
    security_level,
)
from openapi.document import HTTP_METHODS, Operation, Spec
from reference_impl import community
from reference_impl.resources import RESOURCES, Relation, ResourceKind, known_roles, resource_of

#: The x-access constructs (``openapi.access.CONSTRUCTS``) this server enforces.
ENFORCED = frozenset({"rules", "resource", "param", "option", "options", "public", "results"})


class AccessSpecError(ValueError):
    """The specification asks for access rules this server cannot enforce."""


@dataclass(frozen=True)
class RoleCheck:
    """A role the gate can check: the caller holds the relation it names with the path's resource."""

    name: str
    relation: Relation

    def held_by(self, connection: Connection, caller: Row, resource: Row) -> bool:
        return self.relation.holds(connection, caller, resource)


@dataclass(frozen=True)
class ClauseCheck:
    """Who may call: an authentication level and roles, any one of which is enough."""

    authentication: Authentication
    roles: tuple[RoleCheck, ...] = ()

    @property
    def requires_caller(self) -> bool:
        # A clause with roles implies authentication: required.
        return self.authentication == REQUIRED or bool(self.roles)


@dataclass(frozen=True)
class RequestCondition:
    """The request-time part of a ``when``: resource attributes and parameter presence."""

    attributes: tuple[tuple[str, frozenset[Any]], ...] = ()  # (column, accepted values)
    params: tuple[str, ...] = ()
    reason: str = ""  # e.g. "the event is private", for refusal messages

    def holds(self, resource: Row | None, present: frozenset[str]) -> bool:
        if self.attributes:
            # On a resource that does not exist no resource condition holds.
            if resource is None:
                return False
            if any(getattr(resource, column) not in values for column, values in self.attributes):
                return False
        return all(name in present for name in self.params)


@dataclass(frozen=True)
class ConditionalCheck:
    """A rule kept under this server's community options: its clause applies when ``when`` holds."""

    when: RequestCondition
    clause: ClauseCheck


@dataclass(frozen=True)
class OperationPolicy:
    """Everything the gate needs to decide one operation."""

    operation: str
    default: ClauseCheck
    resource: ResourceKind | None = None
    rules: tuple[ConditionalCheck, ...] = ()
    query_params: frozenset[str] = field(default_factory=frozenset)  # named by rules, read from the query
    body_params: frozenset[str] = field(default_factory=frozenset)  # named by rules, read from the body
    unavailable: str | None = None  # why the operation does not exist under this server's options
    public: bool = False

    @property
    def authentication(self) -> Authentication:
        """What the default clause alone demands: decides 401 before the resource is looked up."""
        return REQUIRED if self.default.requires_caller else self.default.authentication

    @cached_property
    def reads_memberships(self) -> bool:
        """Whether a role of its clauses is decided by a membership, which changes can change."""
        clauses = [self.default, *(rule.clause for rule in self.rules)]
        return any(role.relation.reads_memberships for clause in clauses for role in clause.roles)

    @property
    def identifies_resource(self) -> bool:
        """The path names one resource (an event, a group, …), which the gate loads before the rules."""
        return self.resource is not None

    def applicable(self, resource: Row | None, present: frozenset[str]) -> list[tuple[ClauseCheck, str]]:
        """The default clause and every rule whose ``when`` holds, each with the reason it applies."""
        clauses = [(self.default, "")]
        clauses += [
            (rule.clause, rule.when.reason) for rule in self.rules if rule.when.holds(resource, present)
        ]
        return clauses


class _OperationCompiler:
    """Compiles one operation's ``x-access``; every error names the operation."""

    def __init__(self, operation: Operation, options: Mapping[str, community.OptionValue]) -> None:
        self.operation = operation
        self.spec = operation.spec
        self.options = options
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
        compiled = [self._rule(index, rule.when, rule.clause) for index, rule in enumerate(access.rules)]
        self._check_security(access.security_level)
        kept = [ConditionalCheck(condition, clause) for holds, condition, clause in compiled if holds]
        params = {name for rule in kept for name in rule.when.params}
        return OperationPolicy(
            operation=self.operation.operation_id,
            default=default,
            resource=self.resource,
            rules=tuple(kept),
            query_params=frozenset(params & set(self.operation.query_parameters)),
            body_params=frozenset(params & self.operation.body_fields),
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
        return ClauseCheck(clause.authentication, tuple(self._role(name, where) for name in clause.roles))

    def _role(self, name: str, where: str) -> RoleCheck:
        role = parse_role(name)
        kind = RESOURCES.get(role.resource)
        relation = kind.relations.get(role.relation) if kind else None
        if kind is None or relation is None:
            raise self.fail(
                f"unknown role(s) {name!r} in {where}.roles; this server knows {', '.join(known_roles())}. "
                "Refusing to start rather than leave the operation unguarded."
            )
        if self.resource is not kind:
            raise self.fail(
                f"role {name!r} needs a path of the form /api/v2/{kind.name}/{{{kind.parameter}}}/…, "
                "which this one is not."
            )
        return RoleCheck(name, relation)

    def _rule(
        self, index: int, when: AccessCondition, clause: AccessClause
    ) -> tuple[bool, RequestCondition, ClauseCheck]:
        """(do its options hold on this server, its request-time condition, its clause)."""
        where = f"x-access.rules[{index}]"
        holds = self._options_hold(when.options, f"{where}.when.option")
        attributes, reasons = self._attributes(when.resource, f"{where}.when.resource")
        params = self._params(when.params, f"{where}.when.param")
        for name, value in when.options:
            reasons.append(f"the community option {name} is {community.format_value(value)}")
        if params:
            reasons.append(f"the request names {', '.join(params)}")
        condition = RequestCondition(tuple(attributes), params, " and ".join(reasons))
        return holds, condition, self._clause(clause, where)

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
            reasons.append(f"the {self.resource.name} is {' or '.join(map(str, values))}")
        return attributes, reasons

    def _check_values(self, name: str, values: tuple[Any, ...], where: str) -> None:
        """Values the resource schema's enum never takes make a condition that can never hold."""
        assert self.resource is not None
        schema = self.resource.schema
        if "enum" not in self.spec.resolve(self.spec.schema_properties(schema).get(name, {})):
            return
        enum = self.spec.enum(schema, name)
        impossible = [value for value in values if value not in enum]
        if impossible:
            raise self.fail(
                f"{where}.{name} lists {', '.join(map(repr, impossible))}, which the {schema} "
                f"schema does not allow ({', '.join(map(str, enum))})."
            )

    def _params(self, names: tuple[str, ...], where: str) -> tuple[str, ...]:
        for name in names:
            if not self.operation.takes(name):
                raise self.fail(
                    f"{where} names {name!r}, which is neither a query parameter nor a body field of this "
                    "operation; declare it or fix the rule."
                )
        return names


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
    """One compiled policy per operationId under the community ``options`` (defaults when None)."""
    missing = _without_operation_id(spec)
    if missing is not None:
        raise AccessSpecError(
            f"{missing} (no operationId): no operationId; the server maps operationIds to handlers."
        )
    settings = {**community.DEFAULTS, **(options or {})}
    return {
        operation_id: _OperationCompiler(operation, settings).compile()
        for operation_id, operation in spec.operations.items()
    }
