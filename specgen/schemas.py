"""Schemas from tables: schema page names, links between pages, enumerations, `»`-nested rows."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from specgen.pages import Cell, Link, SourcePage, Table, TableRow
from specgen.types import LinkResolver, Problem, Schema, from_example, nullable, schema_for

Enums = dict[str, list[object]]  # property name -> values, in page order


def pascal_case(stem: str) -> str:
    """`course_user_dashboard` -> `CourseUserDashboard` (inner capitals are kept)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", stem) if part)


def camel_case(stem: str) -> str:
    name = pascal_case(stem)
    return name[:1].lower() + name[1:]


def is_enum_table(table: Table) -> bool:
    return table.column("value") is not None and (
        table.column("property", "parameter", "name", "field") is not None or len(table.header) <= 2
    )


def enum_value(text: str) -> object:
    return None if text.strip().lower() == "null" else text.strip()


def enums_in(tables: list[Table], default: str = "") -> Enums:
    """Values per property from Enumerated Values tables (a table without a property column: `default`)."""
    found: Enums = {}
    for table in tables:
        if not is_enum_table(table):
            continue
        name_column = table.column("property", "parameter", "name", "field")
        value_column = table.column("value")
        for row in table.rows:
            name = depth_and_name(row.get(name_column).text)[1] if name_column is not None else default
            value = row.get(value_column).text
            if not name or (not value.strip() and name_column is None):
                continue
            # A named row with an empty Value is the empty string (a course's draft `privacy`).
            values = found.setdefault(name, [])
            if enum_value(value) not in values:
                values.append(enum_value(value))
    return found


def with_enum(schema: Schema, values: list[object]) -> Schema:
    """`schema` restricted to `values`, when it is a plain scalar (or list of scalars) that can hold them."""
    kind = schema.get("type")
    if kind == "array" and isinstance(schema.get("items"), dict):
        return {**schema, "items": with_enum(schema["items"], values)}
    if (
        "enum" in schema
        or kind not in ("string", "integer", "number", None)
        or set(schema) - {"type", "format", "nullable"}
    ):
        return schema
    present = [value for value in values if value is not None]
    if kind in ("integer", "number"):
        try:
            present = [int(str(value)) if kind == "integer" else float(str(value)) for value in present]
        except ValueError:
            return schema
    result: Schema = {**schema, "type": kind or "string", "enum": present}
    return nullable(result) if None in values or schema.get("nullable") else result


class Registry:
    """All pages by path, the component name of each schema page, and link resolution between them."""

    def __init__(self, pages: list[SourcePage]) -> None:
        self.pages = {page.rel: page for page in pages}
        self.names: dict[str, str] = {}
        taken: set[str] = set()
        # Top-level schema pages name first, so a page in a subfolder never takes their name.
        for page in sorted((p for p in pages if p.is_schema), key=lambda p: (p.rel.count("/"), p.rel)):
            name = base = pascal_case(page.stem) or "Schema"
            counter = 2
            while name in taken:
                name, counter = f"{base}{counter}", counter + 1
            if name != base:
                page.report(
                    1, "schema-name-clash", f"`{base}` is already another page's schema; named `{name}`"
                )
            taken.add(name)
            self.names[page.rel] = name

    def target(self, page: SourcePage, href: str) -> tuple[str | None, str, str]:
        """(rel of the linked page or None, the fragment, the path as written)."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None, parts.fragment, href
        path = unquote(parts.path)
        if not path:
            return page.rel, parts.fragment, href
        if path.startswith("/"):
            pieces = [piece for piece in path.split("/") if piece]
            candidates = ["/".join(pieces[index:]) for index in range(len(pieces))]
        else:
            candidates = [posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), path))]
        for candidate in candidates:
            for rel in (candidate, f"{candidate}.md", f"{candidate}/index.md"):
                if rel in self.pages:
                    return rel, parts.fragment, path
        return None, parts.fragment, path

    def resolver(self, page: SourcePage) -> LinkResolver:
        def resolve(link: Link, field: str) -> tuple[Schema, Problem | None]:
            return self.resolve(page, link, field)

        return resolve

    def resolve(self, page: SourcePage, link: Link, field: str) -> tuple[Schema, Problem | None]:
        rel, fragment, written = self.target(page, link.href)
        if rel is None:
            if "schemas" in written.split("/"):
                return {}, Problem(
                    "schema-link-missing", f"`{field}` links to {link.href}: no such schema page"
                )
            return {}, Problem("type-unknown", f"`{field}` links to {link.href}, which is not a schema page")
        if fragment:
            return self._enum(page, rel, fragment, link, field)
        if rel in self.names:
            return {"$ref": f"#/components/schemas/{self.names[rel]}"}, None
        return {}, Problem("type-unknown", f"`{field}` links to {link.href}, which is not a schema page")

    def _enum(
        self, page: SourcePage, rel: str, fragment: str, link: Link, field: str
    ) -> tuple[Schema, Problem | None]:
        target = self.pages[rel]
        section = [table for table in target.tables if table.anchor == fragment]
        for tables in (section, target.tables):
            enums = enums_in(tables, default=link.text)
            for name in (link.text, field):
                if name in enums:
                    return with_enum({"type": "string"}, enums[name]), None
        if rel in self.names and not fragment.startswith("enum"):
            return {"$ref": f"#/components/schemas/{self.names[rel]}"}, None
        return {"type": "string"}, Problem(
            "enum-unresolved",
            f"`{field}` links to {link.href}, which lists no values for `{link.text}` or `{field}`",
        )


@dataclass(frozen=True)
class FieldRow:
    """A row of a Parameters, Properties or Response Schema table."""

    line: int
    depth: int
    name: str
    type: Cell
    required: bool
    read_only: bool
    write_only: bool
    description: str


def depth_and_name(text: str) -> tuple[int, str]:
    """`»» lat` -> (2, "lat"); rows without `»` are top level like `» name` ones."""
    match = re.match(r"^([»\s]*)(.*)$", text)
    marks = match.group(1).count("»") if match else 0
    name = (match.group(2) if match else text).strip().strip("*").strip()
    return max(marks, 1), name


def fields_of(table: Table, rows: tuple[TableRow, ...] | None = None) -> list[FieldRow]:
    name_column = table.column("name", "field", "property", "parameter")
    type_column = table.column("type")
    required_column = table.column("required")
    restrictions_column = table.column("restrictions")
    description_column = table.column("description")
    fields = []
    for row in table.rows if rows is None else rows:
        depth, name = depth_and_name(row.get(name_column).text)
        if not name:
            continue
        restrictions = row.get(restrictions_column).text.lower()
        fields.append(
            FieldRow(
                line=row.line,
                depth=depth,
                name=name,
                type=row.get(type_column),
                required=row.get(required_column).text.strip().lower().rstrip("*") == "true",
                read_only="read-only" in restrictions or "readonly" in restrictions,
                write_only="write-only" in restrictions or "writeonly" in restrictions,
                description=row.get(description_column).source,
            )
        )
    return fields


Report = Callable[[int, str, str], None]


def property_schema(field: FieldRow, resolve: LinkResolver, enums: Enums, report: Report) -> Schema:
    schema, problems = schema_for(field.type, field.name, resolve)
    for problem in problems:
        report(field.line, problem.rule, problem.message)
    if field.name in enums:
        schema = with_enum(schema, enums[field.name])
    extra: Schema = {}
    if field.description and field.description.lower() != "none":
        extra["description"] = field.description
    if field.read_only:
        extra["readOnly"] = True
    if field.write_only:
        extra["writeOnly"] = True
    if not extra:
        return schema
    if "$ref" in schema:
        schema = {"allOf": [schema]}
    return {**schema, **extra}


def _object_holder(schema: Schema) -> Schema | None:
    """The object schema nested rows go into: the schema itself, or its items for a list."""
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        schema = schema["items"]
    if schema.get("type") in ("object", None) and not (
        {"$ref", "allOf", "anyOf", "oneOf", "enum"} & set(schema)
    ):
        schema["type"] = "object"
        return schema
    return None


def object_schema(fields: list[FieldRow], resolve: LinkResolver, enums: Enums, report: Report) -> Schema:
    """An object schema from `»`-nested rows (each `»` deeper than the row above nests into it)."""
    root: Schema = {"type": "object"}
    stack: list[tuple[int, Schema]] = [(0, root)]
    for field in fields:
        while stack[-1][0] >= field.depth:
            stack.pop()
        parent_depth, parent = stack[-1]
        if field.depth > parent_depth + 1:
            report(field.line, "nesting-orphan", f"`{field.name}` is nested deeper than the row above it")
        holder = _object_holder(parent)
        if holder is None:
            report(
                field.line,
                "nesting-orphan",
                f"`{field.name}` is nested under a property that is not an object",
            )
            continue
        schema = property_schema(field, resolve, enums, report)
        properties = holder.setdefault("properties", {})
        if field.name in properties:
            report(field.line, "duplicate-row", f"`{field.name}` is documented twice; the first row is kept")
            continue
        properties[field.name] = schema
        if field.required:
            holder.setdefault("required", []).append(field.name)
        stack.append((field.depth, schema))
    return root


def schema_page(page: SourcePage, registry: Registry) -> Schema:
    """The component schema of a schema page: its Properties table, else its JSON example."""
    resolve = registry.resolver(page)
    enums = enums_in(page.tables)
    tables = [t for t in page.tables if t.column("name") is not None and t.column("type") is not None]
    preferred = [t for t in tables if t.section.strip().lower() == "properties"] or tables
    if preferred:
        schema = object_schema(fields_of(preferred[0]), resolve, enums, page.report)
    else:
        schema = _from_json_example(page)
    description = "\n\n".join(page.intro).strip()
    if description:
        schema = {**schema, "description": description}
    return {"title": page.title, **schema}


def _from_json_example(page: SourcePage) -> Schema:
    for block in page.code_blocks:
        if block.lang == "json":
            try:
                return from_example(json.loads(block.content))
            except ValueError:
                continue
    return {"type": "object"}
