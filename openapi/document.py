"""The OpenAPI document as a typed view: operations by operationId, their paths, parameters and bodies.

``Spec`` reads the document once; every package asks it instead of walking the YAML itself. The shape
of a resource path (``/api/v2/<resource>/…``) is read here and nowhere else (``resource_path``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from openapi import SPEC_PATH
from openapi.access import AccessClause, OperationAccess, parse_access, security_level
from openapi.joining import Joining, parse_join

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# libyaml's parser where PyYAML has it: ten times faster on the document, which every run reads.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_RESOURCE_PATH = re.compile(r"^/api/v2/(?P<name>[A-Za-z_]+)/(?P<rest>.*)$")


def load_yaml(path: Path) -> Any:
    """The YAML document at ``path``; raises OSError and yaml.YAMLError as they come."""
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_Loader)


def resource_path(path: str) -> tuple[str, str] | None:
    """(resource, rest of the path) of an API path: ``/api/v2/group/{id}/invite/`` → (group, {id}/invite/)."""
    match = _RESOURCE_PATH.match(path)
    return (match["name"], match["rest"]) if match else None


@dataclass(frozen=True)
class Operation:
    """One operation of the document: its method, path template and raw definition."""

    operation_id: str
    method: str  # upper case
    path: str
    raw: Mapping[str, Any] = field(repr=False, compare=False)
    spec: Spec = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def resource(self) -> str:
        """The path's resource: ``/api/v2/group/{id}/invite/`` → ``group``; ``""`` off the API's paths."""
        shape = resource_path(self.path)
        return shape[0] if shape else ""

    @property
    def takes_resource_id(self) -> bool:
        """The path names one resource by its id (``/api/v2/<resource>/{id}/…``)."""
        return "{id}" in self.path

    def url(self, resource_id: object = None) -> str:
        """The path with ``{id}`` bound; ids are inserted verbatim so non-numeric ones can be sent too."""
        if not self.takes_resource_id:
            return self.path
        if resource_id is None:
            raise ValueError(f"{self.operation_id} needs a resource id")
        return self.path.replace("{id}", str(resource_id))

    @property
    def security(self) -> list[dict[str, Any]]:
        """The operation's ``security``, or the document's; alternatives, ``{}`` meaning anonymous."""
        declared = self.raw.get("security", self.spec.raw.get("security"))
        return list(declared or [])

    @cached_property
    def access(self) -> OperationAccess:
        """Who may call it: its ``x-access``, or what its ``security`` implies when it declares none.

        Raises ``openapi.access.AccessError`` (naming the operation) when ``x-access`` is malformed.
        """
        if not self.declares_access:
            return OperationAccess(AccessClause(security_level(self.security)))
        return parse_access(self.raw["x-access"], f"{self.label} ({self.operation_id})")

    @property
    def declares_access(self) -> bool:
        return "x-access" in self.raw

    @cached_property
    def joining(self) -> Joining | None:
        """What the operation does to a caller who joins (its ``x-join``), or None when it declares none.

        Raises ``openapi.joining.JoinError`` (naming the operation) when ``x-join`` is malformed.
        """
        if "x-join" not in self.raw:
            return None
        return parse_join(self.raw["x-join"], f"{self.label} ({self.operation_id})")

    @cached_property
    def parameters(self) -> tuple[Mapping[str, Any], ...]:
        """Its parameters with those of its path item, ``$ref``s followed; the operation's win."""
        item = self.spec.raw.get("paths", {}).get(self.path, {})
        found: dict[tuple[str, str], Mapping[str, Any]] = {}
        for parameter in [*item.get("parameters", []), *self.raw.get("parameters", [])]:
            resolved = self.spec.resolve(parameter)
            found[(str(resolved.get("name")), str(resolved.get("in")))] = resolved
        return tuple(found.values())

    @property
    def query_parameters(self) -> tuple[str, ...]:
        return tuple(str(p["name"]) for p in self.parameters if p.get("in") == "query")

    @property
    def has_body(self) -> bool:
        return "requestBody" in self.raw

    @property
    def media_types(self) -> list[str]:
        """The media types its request body may be sent as, in the document's order."""
        return list(self.spec.resolve(self.raw.get("requestBody", {})).get("content", {}))

    def request_schema(self, media_type: str = "application/json") -> Mapping[str, Any]:
        """The body's schema for ``media_type``, ``$ref`` followed; empty when it takes none."""
        content = self.spec.resolve(self.raw.get("requestBody", {})).get("content", {})
        schema: Mapping[str, Any] = self.spec.resolve(content.get(media_type, {}).get("schema", {}))
        return schema

    @cached_property
    def body_fields(self) -> frozenset[str]:
        """The properties its request body has under any media type."""
        return frozenset(
            name for media in self.media_types for name in self.request_schema(media).get("properties", {})
        )

    def takes(self, name: str) -> bool:
        """``name`` is one of its query parameters or body fields."""
        return name in self.query_parameters or name in self.body_fields

    @property
    def success_statuses(self) -> tuple[str, ...]:
        """The 2xx statuses it documents, in the document's order (a course's join: ``("200",)``)."""
        return tuple(str(status) for status in self.raw.get("responses", {}) if str(status).startswith("2"))

    @property
    def answer_properties(self) -> frozenset[str]:
        """The properties its success answers may have, through ``anyOf``, ``oneOf`` and ``allOf`` (a
        course's info: those of Course User Detail, Course Detail and Course Dashboard)."""
        found: set[str] = set()
        pending = [self.response_schema(status) for status in self.success_statuses]
        while pending:
            schema = self.spec.resolve(pending.pop())
            found.update(str(name) for name in schema.get("properties", {}))
            pending += [*schema.get("anyOf", ()), *schema.get("oneOf", ()), *schema.get("allOf", ())]
        return frozenset(found)

    def response_schema(self, status: str, media_type: str = "application/json") -> Mapping[str, Any]:
        """The schema of the answer with ``status``, ``$ref`` followed; empty when it has none."""
        response = self.spec.resolve(self.raw.get("responses", {}).get(status, {}))
        schema: Mapping[str, Any] = self.spec.resolve(
            response.get("content", {}).get(media_type, {}).get("schema", {})
        )
        return schema

    def response_schema_name(self, status: str, media_type: str = "application/json") -> str | None:
        """The ``components.schemas`` name the answer with ``status`` refers to, if it refers to one."""
        response = self.spec.resolve(self.raw.get("responses", {}).get(status, {}))
        schema = response.get("content", {}).get(media_type, {}).get("schema", {})
        reference = schema.get("$ref", "") if isinstance(schema, Mapping) else ""
        prefix = "#/components/schemas/"
        return reference.removeprefix(prefix) if reference.startswith(prefix) else None


class Spec:
    """The document at ``path``; ``raw`` when the caller has read it already."""

    def __init__(self, path: Path = SPEC_PATH, raw: Mapping[str, Any] | None = None) -> None:
        self.path = path
        self.raw: Mapping[str, Any] = load_yaml(path) if raw is None else raw

    @cached_property
    def operations(self) -> dict[str, Operation]:
        """Every operation with an operationId, in the document's order."""
        found: dict[str, Operation] = {}
        for path, item in self.raw.get("paths", {}).items():
            for method in HTTP_METHODS:
                definition = item.get(method)
                if isinstance(definition, Mapping) and "operationId" in definition:
                    operation_id = str(definition["operationId"])
                    found[operation_id] = Operation(operation_id, method.upper(), path, definition, self)
        return found

    def __getitem__(self, operation_id: str) -> Operation:
        try:
            return self.operations[operation_id]
        except KeyError:
            raise KeyError(f"operationId {operation_id!r} is not in {self.path}") from None

    def find(self, method: str, path: str) -> Operation | None:
        """The operation with this method on this path template, if the document has one."""
        return next((op for op in self.operations.values() if op.method == method and op.path == path), None)

    def resolve(self, node: Any) -> Any:
        """``node`` with local ``$ref``s followed until a concrete value (``{}`` for a dangling one)."""
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            target: Any = self.raw
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target.get(part, {}) if isinstance(target, Mapping) else {}
            node = target
        return node

    def schema(self, name: str) -> Mapping[str, Any]:
        """``components.schemas[name]``; KeyError names a schema the document lacks."""
        try:
            return self.raw["components"]["schemas"][name]  # type: ignore[no-any-return]
        except KeyError:
            raise KeyError(f"{self.path} has no schema {name!r}") from None

    def schema_properties(self, name: str) -> Mapping[str, Any]:
        return self.resolve(self.schema(name)).get("properties", {})  # type: ignore[no-any-return]

    def enum(self, schema_name: str, prop: str) -> tuple[Any, ...]:
        """The values of ``schema_name.prop``'s enum in the document's order, without a nullable's null."""
        values = self.resolve(self.schema_properties(schema_name)[prop]).get("enum", [])
        return tuple(value for value in values if value is not None)

    def nullable(self, schema_name: str) -> frozenset[str]:
        """The properties of ``schema_name`` that are ``nullable``: an answer keeps them when null."""
        properties = self.schema_properties(schema_name)
        return frozenset(name for name, prop in properties.items() if self.resolve(prop).get("nullable"))

    def required(self, schema_name: str) -> tuple[str, ...]:
        return tuple(self.resolve(self.schema(schema_name)).get("required", ()))


@cache
def shipped() -> Spec:
    """The document this package ships (``SPEC_PATH``), read once per process."""
    return Spec(SPEC_PATH)
