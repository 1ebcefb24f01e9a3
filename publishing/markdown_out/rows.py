"""Property rows (``»``-nested) of Parameters, Properties and Response Schema tables."""

from __future__ import annotations

from dataclasses import dataclass

from publishing.markdown_out.notation import Enums, Lossy, Schema, holder, notation, split_extras
from publishing.markdown_out.tables import cell


@dataclass(frozen=True)
class PropertyRow:
    depth: int
    name: str
    type: str
    required: bool
    restrictions: str
    description: str


def restrictions(extras: Schema) -> str:
    words = [
        word for key, word in (("readOnly", "read-only"), ("writeOnly", "write-only")) if extras.get(key)
    ]
    return ", ".join(words) or "none"


def description_cell(extras: Schema, name: str) -> str:
    text = str(extras.get("description", ""))
    if "\n" in text:
        raise Lossy(f"`{name}`: a description on several lines does not fit a table cell")
    return cell(text)


def property_rows(schema: Schema, enums: Enums, depth: int = 1) -> list[PropertyRow]:
    """Rows for the properties of an object schema, nested objects below their parent."""
    rows: list[PropertyRow] = []
    required = set(schema.get("required") or [])
    for name, sub in (schema.get("properties") or {}).items():
        core, extras = split_extras(sub)
        rows.append(
            PropertyRow(
                depth=depth,
                name=name,
                type=notation(core, name, enums),
                required=name in required,
                restrictions=restrictions(extras),
                description=description_cell(extras, name),
            )
        )
        nested = holder(core)
        if nested is not None:
            rows += property_rows(nested, enums, depth + 1)
    return rows
