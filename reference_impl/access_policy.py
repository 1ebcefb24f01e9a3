"""``x-access`` compiled at start-up into what the access gate evaluates per request.

The language is docs/access-language.md: a default clause, conditional ``rules`` that apply as
well when their ``when`` holds, ``options`` without which the operation does not exist, and
``public``. Anything this server cannot evaluate (an unknown role, resource attribute, community
option, parameter or condition) refuses start-up with a message naming the operation: an access
rule silently ignored would leave a hole.

Community options are fixed for the server's lifetime, so ``option`` conditions are decided here:
a rule whose options do not hold is dropped, one whose options hold keeps its other conditions.
``public`` is read and kept; it only matters in a closed community, a setting this server does not
have, so it changes nothing here yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Connection, Row

from reference_impl import community
from reference_impl.problems import HTTP_METHODS
from reference_impl.resources import RESOURCES, Relation, ResourceKind, known_roles, resource_of_path

Authentication = Literal["required", "optional", "none"]
AUTHENTICATION_LEVELS: tuple[Authentication, ...] = ("required", "optional", "none")
ACCESS_KEYS = {"authentication", "roles", "rules", "options", "public", "results"}
RULE_KEYS = {"when", "authentication", "roles"}
CONDITION_KEYS = {"resource", "param", "option"}


class AccessSpecError(ValueError):
    """The specification asks for access rules this server cannot enforce."""


@dataclass(frozen=True)
class Role:
    name: str
    relation: Relation

    def held_by(self, connection: Connection, caller: Row, resource: Row) -> bool:
        return self.relation.holds(connection, caller, resource)


@dataclass(frozen=True)
class Clause:
    """Who may call: an authentication level and roles, any one of which is enough."""

    authentication: Authentication
    roles: tuple[Role, ...] = ()

    @property
    def requires_caller(self) -> bool:
        # A clause with roles implies authentication: required.
        return self.authentication == "required" or bool(self.roles)


@dataclass(frozen=True)
class Condition:
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
class ConditionalClause:
    when: Condition
    clause: Clause


@dataclass(frozen=True)
class AccessRule:
    """Everything the gate needs to decide one operation."""

    operation: str
    default: Clause
    resource: ResourceKind | None = None
    rules: tuple[ConditionalClause, ...] = ()
    query_params: frozenset[str] = field(default_factory=frozenset)  # named by rules, read from the query
    body_params: frozenset[str] = field(default_factory=frozenset)  # named by rules, read from the body
    unavailable: str | None = None  # why the operation does not exist under this server's options
    public: bool = False

    @property
    def authentication(self) -> Authentication:
        """What the default clause alone demands: decides 401 before the resource is looked up."""
        return "required" if self.default.requires_caller else self.default.authentication

    @property
    def has_event(self) -> bool:
        return self.resource is not None

    def applicable(self, resource: Row | None, present: frozenset[str]) -> list[tuple[Clause, str]]:
        """The default clause and every rule whose ``when`` holds, each with the reason it applies."""
        clauses = [(self.default, "")]
        clauses += [
            (rule.clause, rule.when.reason) for rule in self.rules if rule.when.holds(resource, present)
        ]
        return clauses


def _authentication_from_security(
    where: str, security: list[dict[str, Any]] | None, schemes: Mapping[str, Any]
) -> Authentication:
    if not security:
        return "none"
    for requirement in security:
        for name in requirement:
            scheme = schemes.get(name, {})
            if (scheme.get("type"), str(scheme.get("scheme", "")).lower()) != ("http", "bearer"):
                raise AccessSpecError(
                    f"{where}: security scheme {name!r} is not an HTTP bearer scheme; "
                    "this server only verifies bearer tokens."
                )
    return "optional" if any(requirement == {} for requirement in security) else "required"


def _security_from_access(default: Clause, clauses: Iterable[Clause]) -> Authentication:
    """``security`` as docs/access-language.md derives it: required, optional when some clause may be."""
    if default.requires_caller:
        return "required"
    if default.authentication == "optional" or any(
        clause.requires_caller or clause.authentication == "optional" for clause in clauses
    ):
        return "optional"
    return "none"


class _OperationCompiler:
    """Compiles one operation's ``x-access``; every error names the operation."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        path: str,
        method: str,
        operation: Mapping[str, Any],
        options: Mapping[str, community.OptionValue],
    ) -> None:
        self.spec = spec
        self.operation = operation
        self.options = options
        self.where = f"{method.upper()} {path} ({operation.get('operationId', 'no operationId')})"
        self.resource = resource_of_path(path)
        self.query, self.body = self._declared_parameters(spec["paths"][path], operation)

    def fail(self, message: str) -> AccessSpecError:
        return AccessSpecError(f"{self.where}: {message}")

    def _declared_parameters(
        self, path_item: Mapping[str, Any], operation: Mapping[str, Any]
    ) -> tuple[set[str], set[str]]:
        query: set[str] = set()
        for parameter in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
            resolved = self._resolved(parameter)
            if resolved.get("in") == "query":
                query.add(resolved.get("name"))
        body: set[str] = set()
        for media in self._resolved(operation.get("requestBody", {})).get("content", {}).values():
            body.update(self._resolved(media.get("schema", {})).get("properties", {}))
        return query, body

    def _resolved(self, node: Any) -> Any:
        """``node`` with a local ``$ref`` followed (``#/components/…``)."""
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            target: Any = self.spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target.get(part, {}) if isinstance(target, Mapping) else {}
            node = target
        return node if isinstance(node, Mapping) else {}

    def compile(self) -> AccessRule:
        access = self.operation.get("x-access")
        if not isinstance(access, Mapping):
            raise self.fail("no x-access extension; every operation needs one.")
        unknown = sorted(set(access) - ACCESS_KEYS)
        if unknown:
            raise self.fail(
                f"x-access has key(s) {', '.join(unknown)} this server cannot evaluate; "
                f"it knows {', '.join(sorted(ACCESS_KEYS))}."
            )
        default = self._clause(access, "x-access")
        all_rules = [self._rule(index, rule) for index, rule in enumerate(self._list(access, "rules"))]
        self._check_security(default, [clause for _, _, clause in all_rules])
        kept = [ConditionalClause(condition, clause) for holds, condition, clause in all_rules if holds]
        params = {name for rule in kept for name in rule.when.params}
        public = access.get("public", False)
        if public not in (True, False):
            raise self.fail(f"x-access.public is {public!r}; write `public: true` or leave it out.")
        results = access.get("results", [])
        if not isinstance(results, list) or not all(isinstance(item, str) for item in results):
            raise self.fail("x-access.results must be a list of sentences.")
        return AccessRule(
            operation=self.operation["operationId"],
            default=default,
            resource=self.resource,
            rules=tuple(kept),
            query_params=frozenset(params & self.query),
            body_params=frozenset(params & self.body),
            unavailable=self._unavailable(access),
            public=bool(public),
        )

    def _list(self, access: Mapping[str, Any], key: str) -> list[Any]:
        value = access.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"x-access.{key} must be a list, not {value!r}.")
        return value

    def _check_security(self, default: Clause, clauses: list[Clause]) -> None:
        from_security = _authentication_from_security(
            self.where,
            self.operation.get("security", self.spec.get("security")),
            self.spec.get("components", {}).get("securitySchemes", {}),
        )
        from_access = _security_from_access(default, clauses)
        if from_security != from_access:
            raise self.fail(
                f"security says authentication is {from_security} but x-access says {from_access}; "
                "make them agree."
            )

    def _clause(self, node: Mapping[str, Any], where: str) -> Clause:
        authentication = node.get("authentication")
        if authentication not in AUTHENTICATION_LEVELS:
            raise self.fail(
                f"{where}.authentication is {authentication!r}; "
                f"expected one of {', '.join(AUTHENTICATION_LEVELS)}."
            )
        names = node.get("roles")
        if not isinstance(names, list):
            raise self.fail(f"{where}.roles must be a list of role names ([] for none), not {names!r}.")
        return Clause(authentication, tuple(self._role(name, where) for name in names))

    def _role(self, name: Any, where: str) -> Role:
        resource_name, _, relation_name = str(name).partition("_")
        kind = RESOURCES.get(resource_name)
        relation = kind.relations.get(relation_name) if kind else None
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
        return Role(str(name), relation)

    def _rule(self, index: int, rule: Any) -> tuple[bool, Condition, Clause]:
        """(do its options hold on this server, its request-time condition, its clause)."""
        where = f"x-access.rules[{index}]"
        if not isinstance(rule, Mapping) or set(rule) - RULE_KEYS or not isinstance(rule.get("when"), dict):
            raise self.fail(f"{where} must have `when`, `authentication` and `roles` and nothing else.")
        when = rule["when"]
        unknown = sorted(set(when) - CONDITION_KEYS)
        if unknown or not when:
            raise self.fail(
                f"{where}.when has condition(s) {', '.join(unknown) or '(none)'} this server cannot "
                f"evaluate; it evaluates {', '.join(sorted(CONDITION_KEYS))}."
            )
        holds = self._options_hold(when.get("option", {}), f"{where}.when.option")
        attributes, reasons = self._attributes(when.get("resource", {}), f"{where}.when.resource")
        params = self._params(when.get("param", []), f"{where}.when.param")
        for name, value in when.get("option", {}).items():
            reasons.append(f"the community option {name} is {community.format_value(value)}")
        if params:
            reasons.append(f"the request names {', '.join(params)}")
        condition = Condition(tuple(attributes), tuple(params), " and ".join(reasons))
        return holds, condition, self._clause(rule, where)

    def _options_hold(self, wanted: Any, where: str) -> bool:
        if not isinstance(wanted, Mapping):
            raise self.fail(f"{where} must map community options to values.")
        holds = True
        for name, value in wanted.items():
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

    def _unavailable(self, access: Mapping[str, Any]) -> str | None:
        if "options" not in access:
            return None
        wanted = access["options"]
        if self._options_hold(wanted, "x-access.options"):
            return None
        needed = ", ".join(f"{name}={community.format_value(value)}" for name, value in wanted.items())
        return (
            f"This operation is not available in this community; it needs the community option(s) {needed}."
        )

    def _attributes(self, wanted: Any, where: str) -> tuple[list[tuple[str, frozenset[Any]]], list[str]]:
        if not isinstance(wanted, Mapping):
            raise self.fail(f"{where} must map resource attributes to lists of values.")
        if wanted and self.resource is None:
            raise self.fail(f"{where} names resource attributes, but the path identifies no resource.")
        attributes: list[tuple[str, frozenset[Any]]] = []
        reasons: list[str] = []
        for name, values in wanted.items():
            assert self.resource is not None
            column = self.resource.attributes.get(name)
            if column is None:
                raise self.fail(
                    f"unknown {self.resource.name} attribute {name!r} in {where}; this server knows "
                    f"{', '.join(sorted(self.resource.attributes)) or 'none'}."
                )
            if not isinstance(values, list) or not values:
                raise self.fail(f"{where}.{name} must be a non-empty list of values.")
            self._check_values(name, values, where)
            attributes.append((column, frozenset(values)))
            reasons.append(f"the {self.resource.name} is {' or '.join(map(str, values))}")
        return attributes, reasons

    def _check_values(self, name: str, values: list[Any], where: str) -> None:
        """Values the resource schema's enum never takes make a condition that can never hold."""
        assert self.resource is not None
        schema = self._resolved({"$ref": f"#/components/schemas/{self.resource.schema}"})
        enum = self._resolved(schema.get("properties", {}).get(name, {})).get("enum")
        impossible = [value for value in values if enum is not None and value not in enum]
        if impossible:
            raise self.fail(
                f"{where}.{name} lists {', '.join(map(repr, impossible))}, which the {self.resource.schema} "
                f"schema does not allow ({', '.join(map(str, enum))})."
            )

    def _params(self, names: Any, where: str) -> list[str]:
        if not isinstance(names, list):
            raise self.fail(f"{where} must be a list of parameter names.")
        for name in names:
            if name not in self.query and name not in self.body:
                raise self.fail(
                    f"{where} names {name!r}, which is neither a query parameter nor a body field of this "
                    "operation; declare it or fix the rule."
                )
        return [str(name) for name in names]


def rules_from_spec(
    spec: Mapping[str, Any], options: Mapping[str, community.OptionValue] | None = None
) -> dict[str, AccessRule]:
    """One compiled rule per operationId under the community ``options`` (defaults when None)."""
    settings = {**community.DEFAULTS, **(options or {})}
    rules: dict[str, AccessRule] = {}
    for path, path_item in spec.get("paths", {}).items():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            compiler = _OperationCompiler(spec, path, method, operation, settings)
            if not operation.get("operationId"):
                raise compiler.fail("no operationId; the server maps operationIds to handlers.")
            rules[operation["operationId"]] = compiler.compile()
    return rules
