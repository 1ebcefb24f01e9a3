"""Flatten an OpenAPI 3.0 document into the operations, parameters and fields a client depends on.

Schemas are expanded inline (``$ref`` resolved) so that a change to a shared component is
reported at every operation whose clients meet it; recursion stops at a component that is
already being expanded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from openapi.access import AccessError
from openapi.document import Spec
from publishing.callers import access_of
from publishing.diff.model import ComparedField, ComparedOperation, Direction, Parameter, Response

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
CONSTRAINTS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
)
MAX_DEPTH = 12
HIDDEN: dict[Direction, str] = {"request": "readOnly", "response": "writeOnly"}


class SpecError(ValueError):
    """The document cannot be compared (not OpenAPI, or a reference that does not resolve)."""


def path_key(path: str) -> str:
    """The path with its parameter names blanked: renaming ``{id}`` does not change the URL."""
    return re.sub(r"\{[^}]*\}", "{}", path)


class Resolver:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """The node behind a local ``$ref`` (and the ref), or the node itself."""
        if not isinstance(node, Mapping) or "$ref" not in node:
            return node, None
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise SpecError(f"only local references can be compared, found {ref!r}")
        target: Any = self.spec
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, Mapping) or part not in target:
                raise SpecError(f"reference {ref} does not resolve")
            target = target[part]
        return self.resolve(target)[0], ref


def schema_types(schema: Mapping[str, Any]) -> frozenset[str]:
    declared = schema.get("type")
    types = set(declared if isinstance(declared, list) else [declared] if declared else [])
    if not types and ("properties" in schema or "additionalProperties" in schema):
        types.add("object")
    if not types and "items" in schema:
        types.add("array")
    if schema.get("nullable") is True:
        types.add("null")
    return frozenset(types)


def merge_all_of(schema: Mapping[str, Any], resolver: Resolver) -> dict[str, Any]:
    """``allOf`` as one schema: properties and required lists joined, the first type kept."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = dict(merged.get("properties", {}))
    required: list[str] = list(merged.get("required", []))
    for part in schema.get("allOf", []):
        part = resolver.resolve(part)[0]
        if isinstance(part, Mapping) and "allOf" in part:
            part = merge_all_of(part, resolver)
        if not isinstance(part, Mapping):
            continue
        properties.update(part.get("properties", {}))
        required.extend(part.get("required", []))
        for key, value in part.items():
            if key not in ("properties", "required"):
                merged.setdefault(key, value)
    if properties:
        merged["properties"] = properties
    if required:
        merged["required"] = required
    return merged


def component_name(ref: str) -> str | None:
    prefix = "#/components/schemas/"
    return ref[len(prefix) :] if ref.startswith(prefix) else None


def below(origin: str | None, step: str) -> str | None:
    """Where a child node is defined: ``User`` + ``.id`` → ``User.id``."""
    return f"{origin}{step}" if origin else None


def flatten(
    schema: Any,
    resolver: Resolver,
    direction: Direction,
    prefix: str = "",
    required: bool = True,
    expanding: tuple[str, ...] = (),
    origin: str | None = None,
) -> Iterator[tuple[str, ComparedField]]:
    """``(path, ComparedField)`` for the schema and every node below it: ``users``, ``users[]``, ``a.b``.

    Read-only properties are left out of requests and write-only ones out of responses:
    clients never meet them there.
    """
    schema, ref = resolver.resolve(schema)
    if not isinstance(schema, Mapping) or len(expanding) > MAX_DEPTH:
        return
    if schema.get(HIDDEN[direction]) is True and prefix:
        return
    if ref is not None:
        if ref in expanding:
            return
        expanding = (*expanding, ref)
        origin = component_name(ref) or origin
    if "allOf" in schema:
        refs = [
            component_name(part["$ref"])
            for part in schema["allOf"]
            if isinstance(part, Mapping) and "$ref" in part
        ]
        origin = next((name for name in refs if name), origin)
        schema = merge_all_of(schema, resolver)
    enum = schema.get("enum")
    yield (
        prefix,
        ComparedField(
            types=schema_types(schema),
            format=schema.get("format"),
            enum=frozenset(e for e in enum if e is not None) if isinstance(enum, list) else None,
            required=required,
            constraints=tuple((name, schema[name]) for name in CONSTRAINTS if name in schema),
            origin=origin,
        ),
    )
    required_names = set(schema.get("required", []) or [])
    for name, sub in (schema.get("properties") or {}).items():
        child = f"{prefix}.{name}" if prefix else name
        yield from flatten(
            sub, resolver, direction, child, name in required_names, expanding, below(origin, f".{name}")
        )
    additional = schema.get("additionalProperties")
    if isinstance(additional, Mapping):
        yield from flatten(
            additional, resolver, direction, f"{prefix}.*", False, expanding, below(origin, ".*")
        )
    if "items" in schema:
        yield from flatten(
            schema["items"], resolver, direction, f"{prefix}[]", True, expanding, below(origin, "[]")
        )
    for keyword in ("oneOf", "anyOf"):
        for position, variant in enumerate(schema.get(keyword) or []):
            yield from flatten(
                variant,
                resolver,
                direction,
                f"{prefix}<{keyword} {position}>",
                True,
                expanding,
                below(origin, f"<{keyword} {position}>"),
            )


def body_fields(
    content: Mapping[str, Any], resolver: Resolver, direction: Direction
) -> dict[str, ComparedField]:
    """Fields of the body schema, taken from the JSON media type when there is one.

    The project's documents give every media type of a body the same schema; for other
    documents the JSON schema is the one most clients use.
    """
    if not content:
        return {}
    media = next((m for m in content if "json" in m), next(iter(content)))
    schema = (content[media] or {}).get("schema")
    return dict(flatten(schema, resolver, direction)) if schema is not None else {}


def operation_of(
    document: Spec, path: str, method: str, item: Mapping[str, Any], resolver: Resolver
) -> ComparedOperation:
    operation = item[method]
    parameters: dict[tuple[str, str], Parameter] = {}
    raw_parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
    path_names = re.findall(r"\{([^}]*)\}", path)
    for raw in raw_parameters:
        raw = resolver.resolve(raw)[0]
        location, name = raw.get("in"), raw.get("name")
        # Path parameters are keyed by position: their names are not part of the URL.
        key_name = f"{{{path_names.index(name)}}}" if location == "path" and name in path_names else name
        schema = raw.get("schema")
        if schema is None and raw.get("content"):
            schema = next(iter(raw["content"].values())).get("schema")
        parameters[(location, key_name)] = Parameter(
            name=name,
            location=location,
            required=bool(raw.get("required")) or location == "path",
            fields=dict(flatten(schema, resolver, "request")) if schema is not None else {},
        )
    body = resolver.resolve(operation.get("requestBody"))[0] or {}
    content = body.get("content") or {}
    responses: dict[str, Response] = {}
    for status, raw in (operation.get("responses") or {}).items():
        raw = resolver.resolve(raw)[0] or {}
        response_content = raw.get("content") or {}
        responses[str(status)] = Response(
            media_types=frozenset(response_content),
            fields=body_fields(response_content, resolver, "response"),
        )
    security = operation.get("security", document.raw.get("security"))
    try:
        access = access_of(document, method, path, operation)
    except AccessError as error:
        raise SpecError(str(error)) from error
    return ComparedOperation(
        method=method,
        path=path,
        operation_id=operation.get("operationId"),
        deprecated=bool(operation.get("deprecated")),
        parameters=parameters,
        request_body=bool(body),
        request_required=bool(body.get("required")),
        request_media_types=frozenset(content),
        request_fields=body_fields(content, resolver, "request"),
        responses=responses,
        authentication=access.default.authentication,
        roles=frozenset(access.default.roles),
        security=frozenset(frozenset(requirement) for requirement in security or []),
        rules=access.rules,
        options=frozenset(access.options),
    )


def index(spec: Any) -> dict[tuple[str, str], ComparedOperation]:
    """Operations keyed by (method, path with blanked parameter names)."""
    if not isinstance(spec, Mapping) or not isinstance(spec.get("paths"), Mapping):
        raise SpecError("not an OpenAPI document: no 'paths' mapping")
    resolver = Resolver(spec)
    document = Spec(Path("<document>"), spec)  # a path only names it in messages
    operations: dict[tuple[str, str], ComparedOperation] = {}
    for path, item in spec["paths"].items():
        item = resolver.resolve(item)[0]
        for method in METHODS:
            if isinstance(item, Mapping) and isinstance(item.get(method), Mapping):
                operations[(method, path_key(path))] = operation_of(document, path, method, item, resolver)
    return operations
