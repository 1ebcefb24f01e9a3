"""OpenAPI schemas back to the reference's type notation (the inverse of ``specgen.types``).

Enumerations are not part of the notation: the pages list them in an Enumerated Values table,
so ``Enums`` collects them while cells are written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from publishing.markdown_out.names import schema_link, schema_links

Schema = dict[str, Any]
EXTRAS = ("description", "readOnly", "writeOnly")


class Lossy(ValueError):
    """A schema the notation cannot express; the page would not give the same schema back."""


@dataclass
class Enums:
    """(property, value) rows of the page's Enumerated Values table, in first-seen order."""

    page: str = ""
    shared: Mapping[tuple[object, ...], tuple[str, str]] = field(default_factory=dict)
    links: Mapping[str, str] = field(default_factory=dict)  # schema name → page link
    rows: list[tuple[str, object]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    _by_name: dict[str, list[object]] = field(default_factory=dict)

    def add(self, name: str, values: list[object]) -> None:
        known = self._by_name.get(name)
        if known is not None:
            if known != values:
                self.conflicts.append(name)
            return
        self._by_name[name] = list(values)
        self.rows += [(name, value) for value in values]


def split_extras(schema: Schema) -> tuple[Schema, Schema]:
    """(the type part, {description, readOnly, writeOnly}) of a property schema."""
    core = {k: v for k, v in schema.items() if k not in EXTRAS}
    extras = {k: schema[k] for k in EXTRAS if k in schema}
    if extras and set(core) == {"allOf"} and len(core["allOf"]) == 1 and "$ref" in core["allOf"][0]:
        core = dict(core["allOf"][0])
    return core, extras


def ref_name(schema: Schema) -> str | None:
    ref = schema.get("$ref")
    return str(ref).rsplit("/", 1)[-1] if isinstance(ref, str) else None


def is_inline_object(schema: Schema) -> bool:
    """An object whose properties become nested rows (``»``) instead of a type cell."""
    return schema.get("type") == "object" and set(schema) <= {"type", "properties", "required"}


def holder(schema: Schema) -> Schema | None:
    """The object schema whose properties are nested rows: the schema itself, or its items."""
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        if set(schema) - {"type", "items", "nullable"}:
            return None
        schema = schema["items"]
    plain = {k: v for k, v in schema.items() if k != "nullable"}
    return schema if is_inline_object(plain) and schema.get("properties") else None


def notation(schema: Schema, name: str, enums: Enums) -> str:
    """``list([User](/docs/...))``, ``string(date-time)¦null``, ``integer`` …"""
    keys = list(schema)
    schema = dict(schema)
    nullable = bool(schema.pop("nullable", False))
    suffix = "¦null" if nullable else ""
    if set(schema) == {"allOf"} and len(schema["allOf"]) == 1 and ref_name(schema["allOf"][0]) and nullable:
        schema = dict(schema["allOf"][0])
    if not schema:
        if nullable:
            raise Lossy(f"`{name}`: a nullable schema without a type")
        return "any"
    target = ref_name(schema)
    if target is not None and set(schema) == {"$ref"}:
        return f"[{target}]({schema_link(target, enums.links)}){suffix}"
    if set(schema) in ({"anyOf"}, {"oneOf"}):
        (choices,) = schema.values()
        return " or ".join(notation(choice, name, enums) for choice in choices) + suffix
    if "enum" in schema:
        spec_values = list(schema.pop("enum"))
        values = spec_values[:-1] if nullable and spec_values and spec_values[-1] is None else spec_values
        enum_first = "nullable" not in keys or keys.index("enum") < keys.index("nullable")
        if enums.page and schema == {"type": "string"} and enum_first:
            # A link to Enumerated Values: how the pages write string enums (and the key order
            # `specgen build` then gives: type, enum, nullable). A schema page listing exactly these
            # values is linked; otherwise the page's own table.
            shared = enums.shared.get(tuple(spec_values))
            if shared is not None and shared[0] != enums.page:
                return f"[{shared[1]}]({shared[0]}#enumerated-values){suffix}"
            enums.add(name, [*values, None] if nullable and None not in values else values)
            return f"[{name}]({enums.page}#enumerated-values){suffix}"
        enums.add(name, [*values, None] if nullable and None not in values else values)
    kind = schema.get("type")
    if kind == "array" and set(schema) == {"type", "items"}:
        items = schema["items"]
        if items == {}:
            return "list" + suffix
        if is_inline_object(items):
            return "list(object)" + suffix
        return f"list({notation(items, name, enums)})" + suffix
    if kind == "object" and set(schema) <= {"type", "properties", "required"}:
        return "object" + suffix
    if kind in ("string", "integer", "number", "boolean") and set(schema) <= {"type", "format"}:
        fmt = schema.get("format")
        if fmt is None:
            return f"{kind}{suffix}"
        if kind == "boolean":
            raise Lossy(f"`{name}`: boolean with a format")
        return f"{kind}({fmt}){suffix}"
    raise Lossy(f"`{name}`: {sorted(schema)} cannot be written in the type notation")


def shared_enums(schemas: Mapping[str, Schema]) -> dict[tuple[object, ...], tuple[str, str]]:
    """Enum values of top-level string properties of component schemas → (schema page, property)."""
    links = schema_links(schemas)
    shared: dict[tuple[object, ...], tuple[str, str]] = {}
    for schema_name, schema in schemas.items():
        for prop, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, dict) and sub.get("type") == "string" and isinstance(sub.get("enum"), list):
                if set(sub) - {"type", "enum", "nullable", *EXTRAS}:
                    continue
                shared.setdefault(tuple(sub["enum"]), (schema_link(schema_name, links), prop))
    return shared
