"""openapi/v2.yaml as the suite needs it: operations by operationId, their paths, methods and access rules.

The suite never hard-codes a path or an access rule: it asks this module, which asks the spec.
By default it reads the document of the `openapi` package (openapi/v2.yaml, shipped once for every package).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import product
from pathlib import Path
from typing import Any

import yaml

from openapi import SPEC_PATH

# libyaml's parser where PyYAML has it: ten times faster on the spec, which every run reads.
_YAML_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
AUTHENTICATION_STRENGTH = {"none": 0, "optional": 1, "required": 2}


def default_spec_path() -> Path:
    return SPEC_PATH


FAMILY_PATH = re.compile(r"^/api/v2/([A-Za-z_]+)/")


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    raw: dict[str, Any] = field(repr=False, compare=False)
    spec_security: list[dict[str, Any]] | None = field(repr=False, compare=False, default=None)

    @property
    def security(self) -> list[dict[str, Any]]:
        declared = self.raw.get("security", self.spec_security)
        return list(declared or [])

    @property
    def requires_auth(self) -> bool:
        """Security lists alternatives; `{}` among them means anonymous access is allowed."""
        return bool(self.security) and all(requirement for requirement in self.security)

    @cached_property
    def access(self) -> Access:
        """The operation's x-access, read into the model below (docs/access-language.md)."""
        return parse_access(self.raw.get("x-access") or {})

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles of the default clause: what every call of the operation needs."""
        return self.access.default.roles

    @property
    def manager_only(self) -> bool:
        """The default clause reserves the operation to the manager of its resource (`<resource>_manager`)."""
        return any(role.endswith("_manager") for role in self.roles)

    @property
    def query_parameters(self) -> tuple[str, ...]:
        return tuple(p["name"] for p in self.raw.get("parameters", []) if p.get("in") == "query")

    @property
    def takes_event_id(self) -> bool:
        """The path names one resource by `{id}`: an event, or a resource of another family (a group)."""
        return "{id}" in self.path

    @property
    def family(self) -> str:
        """The path's resource family: `/api/v2/group/{id}/invite/` → `group`; `/api/v2/event/` → `event`."""
        match = FAMILY_PATH.match(self.path)
        return match.group(1) if match else ""

    @property
    def has_body(self) -> bool:
        return "requestBody" in self.raw

    @property
    def documented_statuses(self) -> set[str]:
        return {str(status) for status in self.raw.get("responses", {})}

    @property
    def paginated(self) -> bool:
        return any(parameter.get("name") == "limit" for parameter in self.raw.get("parameters", []))

    def url(self, event_id: object = None) -> str:
        """The path with `{id}` bound; ids are inserted verbatim so non-numeric ones can be sent too."""
        if self.takes_event_id:
            if event_id is None:
                raise ValueError(f"{self.operation_id} needs an event id")
            return self.path.replace("{id}", str(event_id))
        return self.path

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


class Spec:
    def __init__(self, path: Path, raw: dict[str, Any] | None = None) -> None:
        """`raw`: the document at `path`, when the caller has read it already (`specgen docs`)."""
        self.path = path
        if raw is None:
            with path.open(encoding="utf-8") as stream:
                raw = yaml.load(stream, Loader=_YAML_LOADER)
        self.raw: dict[str, Any] = raw

    @cached_property
    def operations(self) -> dict[str, Operation]:
        found: dict[str, Operation] = {}
        for path, item in self.raw.get("paths", {}).items():
            for method in HTTP_METHODS:
                if method in item and "operationId" in item[method]:
                    operation_id = item[method]["operationId"]
                    found[operation_id] = Operation(
                        operation_id, method.upper(), path, item[method], self.raw.get("security")
                    )
        return found

    def create_operation(self, family: str) -> Operation | None:
        """The operation that creates a resource of `family`: POST on `/api/v2/<family>/`."""
        path = f"/api/v2/{family}/"
        return next((op for op in self.operations.values() if op.method == "POST" and op.path == path), None)

    def family_operation(self, family: str, method: str, suffix: str) -> Operation | None:
        """The operation of `family` with this method on `/api/v2/<family>/{id}/<suffix>`."""
        path = f"/api/v2/{family}/{{id}}/{suffix}"
        return next((op for op in self.operations.values() if op.method == method and op.path == path), None)

    def __getitem__(self, operation_id: str) -> Operation:
        try:
            return self.operations[operation_id]
        except KeyError:
            raise KeyError(f"operationId {operation_id!r} is not in {self.path}") from None

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Follow local `$ref`s until a concrete schema."""
        while "$ref" in schema:
            node: Any = self.raw
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def _operation(self, operation: str | Operation) -> Operation:
        return operation if isinstance(operation, Operation) else self[operation]

    def request_schema(
        self, operation: str | Operation, media_type: str = "application/json"
    ) -> dict[str, Any]:
        body = self._operation(operation).raw.get("requestBody", {})
        return self.resolve(body.get("content", {}).get(media_type, {}).get("schema", {}))

    def request_media_types(self, operation: str | Operation) -> list[str]:
        return list(self._operation(operation).raw.get("requestBody", {}).get("content", {}))

    def schema_properties(self, name: str) -> set[str]:
        schema = self.resolve({"$ref": f"#/components/schemas/{name}"})
        return set(schema.get("properties", {}))


# -- x-access: who may call an operation --------------------------------------------------------------


class AccessOutcome(enum.StrEnum):
    """What a caller may expect from the access rules alone."""

    ALLOWED = "allowed"
    UNAUTHENTICATED = "401"
    FORBIDDEN = "403"
    ABSENT = "absent"
    """The operation does not exist under the community options (x-access `options`)."""


@dataclass(frozen=True)
class Clause:
    authentication: str
    roles: tuple[str, ...]

    @property
    def strength(self) -> int:
        """A clause with roles implies authentication."""
        return 2 if self.roles else AUTHENTICATION_STRENGTH.get(self.authentication, 2)


@dataclass(frozen=True)
class Condition:
    resource: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    params: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    when: Condition
    clause: Clause


@dataclass(frozen=True)
class Access:
    default: Clause
    rules: tuple[Rule, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    public: bool = False
    results: tuple[str, ...] = ()

    @property
    def option_names(self) -> set[str]:
        """Community options the access of this operation depends on."""
        return set(self.options) | {name for rule in self.rules for name in rule.when.options}

    def may_require_authentication(self) -> bool:
        return any(clause.strength == 2 for clause in (self.default, *(r.clause for r in self.rules)))


#: A role that names a relation to the path's resource: `event_manager`, `group_member`, `course_creator`.
RESOURCE_ROLE = re.compile(r"^[a-z]+_(?P<relation>manager|creator|subscriber|member)$")


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
        """Community roles (`admin`, …) are never held by the suite's users."""
        match = RESOURCE_ROLE.match(role)
        return match is not None and match["relation"] in self.relations


RELATIONS: dict[str, Caller] = {
    "anonymous": Caller(authenticated=False),
    "outsider": Caller(authenticated=True),
    "requester": Caller(authenticated=True, state="requested"),
    "invited": Caller(authenticated=True, state="invited"),
    "subscriber": Caller(authenticated=True, state="subscribed"),
    "manager": Caller(authenticated=True, state="subscribed", manager=True),
    "former_manager": Caller(authenticated=True, manager=True),
}
"""The relations a scenario can set up; `former_manager` manages the event but left it."""


def _clause(data: Mapping[str, Any]) -> Clause:
    return Clause(str(data.get("authentication", "required")), tuple(data.get("roles") or ()))


def parse_access(data: Mapping[str, Any]) -> Access:
    rules = []
    for entry in data.get("rules") or ():
        when = entry.get("when") or {}
        condition = Condition(
            resource={str(k): tuple(v) for k, v in (when.get("resource") or {}).items()},
            params=tuple(when.get("param") or ()),
            options=dict(when.get("option") or {}),
        )
        rules.append(Rule(condition, _clause(entry)))
    return Access(
        default=_clause(data),
        rules=tuple(rules),
        options=dict(data.get("options") or {}),
        public=bool(data.get("public", False)),
        results=tuple(data.get("results") or ()),
    )


def _holds(
    condition: Condition, resource: Mapping[str, Any] | None, params: set[str], options: Mapping[str, Any]
) -> bool:
    if condition.resource and (
        resource is None
        or any(resource.get(name) not in values for name, values in condition.resource.items())
    ):
        return False
    if not set(condition.params) <= params:
        return False
    return all(options.get(name) == value for name, value in condition.options.items())


def _decide(
    access: Access,
    caller: Caller,
    resource: Mapping[str, Any] | None,
    params: set[str],
    options: Mapping[str, Any],
) -> AccessOutcome:
    if any(options.get(name) != value for name, value in access.options.items()):
        return AccessOutcome.ABSENT
    clauses = [access.default] + [
        rule.clause for rule in access.rules if _holds(rule.when, resource, params, options)
    ]
    if max(clause.strength for clause in clauses) == 2 and not caller.authenticated:
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


def option_values(access: Access, name: str) -> list[Any]:
    """The values of an option that make a difference to this operation (and one that matches none)."""
    values = [access.options[name]] if name in access.options else []
    values += [rule.when.options[name] for rule in access.rules if name in rule.when.options]
    if all(isinstance(value, bool) for value in values):
        return [True, False]
    return [*dict.fromkeys(values), object()]


def expect_access(
    access: Access,
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
