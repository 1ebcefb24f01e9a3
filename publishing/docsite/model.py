"""The view model of the site: operations by tag, schemas, access rules and requirements, from the spec."""

from __future__ import annotations

import http
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from openapi.catalog import Requirement
from openapi.document import Operation, Spec
from openapi.families import family_of
from publishing.callers import access_of, flow, resource_of, sentence
from publishing.docsite.catalog import RequirementView, by_operation, families_of
from publishing.docsite.examples import Example, examples_for, sample
from publishing.docsite.prose import Prose
from publishing.docsite.resolve import ref_name, resolve

METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
MAX_DEPTH = 4
RESTRICTIONS = {
    "minimum": "≥ {}",
    "maximum": "≤ {}",
    "exclusiveMinimum": "> {}",
    "exclusiveMaximum": "< {}",
    "minLength": "at least {} characters",
    "maxLength": "at most {} characters",
    "minItems": "at least {} items",
    "maxItems": "at most {} items",
    "pattern": "matches {}",
    "default": "default {}",
}


@dataclass
class PropertyView:
    """One property of a schema or body, nested ones indented below their parent."""

    name: str
    depth: int
    type: Markup
    required: bool
    restrictions: list[str]
    description: Markup


@dataclass
class BodyView:
    """A request or response body: its media types and either a link to a schema or its rows."""

    media_types: list[str]
    type: Markup
    rows: list[PropertyView]


@dataclass
class ResponseView:
    status: str
    reason: str
    description: Markup
    body: BodyView | None


@dataclass
class ParameterView:
    name: str
    location: str
    type: Markup
    required: bool
    restrictions: list[str]
    description: Markup


@dataclass
class OperationView:
    id: str
    method: str
    path: str
    summary: str
    description: Markup
    deprecated: bool
    authentication: str
    roles: list[str]
    parameters: list[ParameterView]
    request_body: BodyView | None
    request_required: bool
    responses: list[ResponseView]
    examples: list[Example]
    requirements: list[Requirement]
    """The requirement instances that check it (``INV-ALL-IDS[group]``)."""
    related: list[tuple[str, str, str]] = field(default_factory=list)
    access_sentence: str = ""  # who may call it, when the default clause alone does not tell
    access_results: list[str] = field(default_factory=list)
    x_access: str = ""  # the x-access value in YAML flow style
    unchecked: str = ""  # why the suite checks no requirement on it: its family is outside the catalog


@dataclass
class SchemaView:
    name: str
    description: Markup
    type: Markup
    rows: list[PropertyView]
    example: str


@dataclass
class TagView:
    name: str
    description: Markup
    operations: list[OperationView]


@dataclass
class SiteView:
    title: str
    version: str
    description: Markup
    tags: list[TagView]
    schemas: list[SchemaView]
    requirements: list[RequirementView]
    swagger_ui: str
    operation_count: int
    families: list[str] = field(default_factory=list)
    """The membership families the requirements are checked for (events, groups, …)."""


def anchor_id(path: str, method: str, operation: Mapping[str, Any]) -> str:
    return str(operation.get("operationId") or f"{method}-{path}".replace("/", "-").strip("-"))


class Builder:
    def __init__(self, document: Spec, requirements: list[RequirementView]) -> None:
        self.document = document
        self.spec = spec = document.raw
        self.requirements = requirements
        self.schemas: Mapping[str, Any] = (spec.get("components") or {}).get("schemas") or {}
        self.operations = [
            (path, method, operation)
            for path, item in (spec.get("paths") or {}).items()
            for method in METHODS
            if isinstance(operation := resolve(spec, item).get(method), Mapping)
        ]
        self.prose = Prose({anchor_id(p, m, o) for p, m, o in self.operations}, set(self.schemas))

    # --- schemas --------------------------------------------------------------------------------

    def type_of(self, schema: Any, depth: int = 0) -> Markup:
        """``string(uri) | null``, ``array of <a href=#schema-User>User</a>``."""
        name = ref_name(schema)
        if name is not None:
            return Markup('<a href="#schema-{0}">{0}</a>').format(name)
        if not isinstance(schema, Mapping) or depth > MAX_DEPTH:
            return Markup("any")
        for keyword, joiner in (("oneOf", " or "), ("anyOf", " or "), ("allOf", " and ")):
            if schema.get(keyword):
                return Markup(joiner).join(self.type_of(part, depth + 1) for part in schema[keyword])
        kind = schema.get("type") or ("object" if "properties" in schema else "any")
        if kind == "array":
            text = Markup("array of ") + self.type_of(schema.get("items", {}), depth + 1)
        else:
            text = escape(f"{kind}({schema['format']})" if schema.get("format") else kind)
        if schema.get("nullable"):
            text += Markup(" | null")
        return text

    def restrictions(self, schema: Any) -> list[str]:
        schema = resolve(self.spec, schema) if ref_name(schema) is None else {}
        if not isinstance(schema, Mapping):
            return []
        found = [
            label
            for key, label in (("readOnly", "read-only"), ("writeOnly", "write-only"))
            if schema.get(key)
        ]
        if schema.get("enum"):
            found.append("one of: " + ", ".join(json.dumps(value) for value in schema["enum"]))
        found += [
            template.format(json.dumps(schema[key]))
            for key, template in RESTRICTIONS.items()
            if key in schema
        ]
        if schema.get("deprecated"):
            found.append("deprecated")
        return found

    def rows(self, schema: Any, depth: int = 0, prefix: str = "") -> list[PropertyView]:
        """One row per property, nested inline objects indented below their parent."""
        if ref_name(schema) is not None or not isinstance(schema, Mapping) or depth > MAX_DEPTH:
            return []
        if schema.get("type") == "array":
            return self.rows(schema.get("items", {}), depth, prefix + "[]" if prefix else "")
        properties = dict(schema.get("properties") or {})
        required = set(schema.get("required") or [])
        for part in schema.get("allOf", []):
            part = resolve(self.spec, part)
            properties.update(part.get("properties") or {})
            required.update(part.get("required") or [])
        result = []
        for name, sub in properties.items():
            full = f"{prefix}.{name}" if prefix else name
            described = sub if ref_name(sub) is None else {}
            result.append(
                PropertyView(
                    name=full,
                    depth=depth,
                    type=self.type_of(sub),
                    required=name in required,
                    restrictions=self.restrictions(sub),
                    description=self.prose.inline(described.get("description")),
                )
            )
            result += self.rows(sub, depth + 1, full)
        return result

    def body(self, content: Mapping[str, Any]) -> BodyView:
        media_types = list(content)
        schemas = [(content[m] or {}).get("schema") for m in media_types]
        schema = schemas[0] if schemas else None
        return BodyView(
            media_types, self.type_of(schema) if schema is not None else Markup(""), self.rows(schema)
        )

    def schema_view(self, name: str, schema: Any) -> SchemaView:
        resolved = resolve(self.spec, schema)
        return SchemaView(
            name=name,
            description=self.prose.html(resolved.get("description")),
            type=self.type_of(resolved),
            rows=self.rows(resolved),
            example=json.dumps(sample(self.spec, resolved), indent=2, ensure_ascii=False),
        )

    # --- operations -----------------------------------------------------------------------------

    def parameter_view(self, raw: Any) -> ParameterView:
        parameter = resolve(self.spec, raw)
        schema = parameter.get("schema", {})
        return ParameterView(
            name=str(parameter.get("name")),
            location=str(parameter.get("in")),
            type=self.type_of(schema),
            required=bool(parameter.get("required")),
            restrictions=self.restrictions(schema),
            description=self.prose.inline(parameter.get("description")),
        )

    def response_view(self, status: str, raw: Any) -> ResponseView:
        response = resolve(self.spec, raw) or {}
        try:
            reason = http.HTTPStatus(int(status)).phrase
        except ValueError:
            reason = "Default" if status == "default" else ""
        content = response.get("content") or {}
        return ResponseView(
            status=status,
            reason=reason,
            description=self.prose.inline(response.get("description")),
            body=self.body(content) if content else None,
        )

    def operation_view(
        self, path: str, method: str, operation: Mapping[str, Any], requirements: list[Requirement]
    ) -> OperationView:
        access = access_of(self.document, method, path, operation)
        authentication = access.default.authentication
        body = resolve(self.spec, operation.get("requestBody")) or {}
        return OperationView(
            id=anchor_id(path, method, operation),
            method=method.upper(),
            path=path,
            summary=str(operation.get("summary") or operation.get("operationId") or ""),
            description=self.prose.html(operation.get("description")),
            deprecated=bool(operation.get("deprecated")),
            authentication=str(authentication),
            roles=[str(role) for role in (operation.get("x-access") or {}).get("roles") or []],
            parameters=[self.parameter_view(raw) for raw in operation.get("parameters", [])],
            request_body=self.body(body["content"]) if body.get("content") else None,
            request_required=bool(body.get("required")),
            responses=[self.response_view(str(s), r) for s, r in (operation.get("responses") or {}).items()],
            examples=examples_for(self.spec, path, method, operation, access),
            requirements=requirements,
            access_sentence=sentence(access, resource_of(path))
            if access.rules or access.options or access.public
            else "",
            access_results=list(access.results),
            x_access=flow(operation.get("x-access") or {"authentication": authentication, "roles": []}),
            unchecked=self.unchecked(path, method, operation),
        )

    def unchecked(self, path: str, method: str, operation: Mapping[str, Any]) -> str:
        """The reason the suite leaves the operation's family unchecked (``openapi.families``), or ""."""
        spoken = Operation(
            str(operation.get("operationId") or ""), method.upper(), path, operation, self.document
        )
        family = family_of(spoken)
        reason = family.outside_catalog if family is not None else None
        return f"The suite does not check the {family} family: {reason}." if family and reason else ""

    def build(self, swagger_ui: str) -> SiteView:
        requirements = by_operation(self.requirements)
        views = [
            self.operation_view(
                path, method, operation, requirements.get(str(operation.get("operationId")), [])
            )
            for path, method, operation in self.operations
        ]
        for view in views:
            view.related = [
                (o.id, o.method, o.summary) for o in views if o.path == view.path and o is not view
            ]
        declared = [tag.get("name") for tag in self.spec.get("tags") or []]
        descriptions = {tag.get("name"): tag.get("description") for tag in self.spec.get("tags") or []}
        used = [t for _, _, op in self.operations for t in (op.get("tags") or ["other"]) if t not in declared]
        tags = []
        for name in dict.fromkeys([*declared, *used]):
            members = [
                view
                for view, (_, _, op) in zip(views, self.operations, strict=True)
                if name in (op.get("tags") or ["other"])
            ]
            if members:
                tags.append(TagView(str(name), self.prose.inline(descriptions.get(name)), members))
        info = self.spec.get("info") or {}
        return SiteView(
            title=str(info.get("title", "API reference")),
            version=str(info.get("version", "")),
            description=self.prose.html(info.get("description")),
            tags=tags,
            schemas=[self.schema_view(name, schema) for name, schema in sorted(self.schemas.items())],
            requirements=self.requirements,
            swagger_ui=swagger_ui,
            operation_count=len(views),
            families=families_of(self.requirements),
        )
