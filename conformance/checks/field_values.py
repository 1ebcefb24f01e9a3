"""Values that break one constraint of a writable body field, read from the operation's schema.

For every property of a request body that is not ``readOnly``, each constraint the spec states (its
``type``, ``enum``, ``format``, length and range bounds, the type of an array's items) and its not being
``nullable`` gets one value that breaks it, and nothing else; VAL-FIELDS sends each one and judges the
answer (docs/contract.md, rule 74). Nothing here names a field: the families' fields, today's and those
to come (courses), are whatever the spec says.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema_rs

from openapi.document import Spec

#: A value of another JSON type for each type the spec may state: the usual slip of a client (a number
#: for a string, text for a number, a boolean or a list).
OTHER_TYPE: dict[str, Any] = {
    "string": 12345,
    "integer": "abc",
    "number": "abc",
    "boolean": "abc",
    "array": "abc",
    "object": "abc",
}
#: Strings that are no value of a stated format; each is kept only where the format checker the
#: answers are judged with (Schemathesis' jsonschema-rs) refuses it, so a format under which "" is valid
#: (uri-reference) or one no checker knows is never probed with a value it allows.
NOT_A_FORMAT = ("", "not a {format}")


@dataclass(frozen=True)
class Violation:
    """One value breaking one constraint of one field."""

    field: str
    constraint: str
    """``type``, ``null``, ``enum``, ``format``, ``items``, ``maxLength``, ``minimum``, …"""
    value: Any
    required: bool
    """The field is in the schema's ``required``."""
    closed: bool
    """The field takes only the values its ``enum`` lists."""

    @property
    def label(self) -> str:
        """``link='' (format)``: what a report shows of the probe."""
        shown = repr(self.value)
        if isinstance(self.value, str | list) and len(self.value) > 40:
            shown = f"{type(self.value).__name__} of {len(self.value)}"
        return f"{self.field}={shown} ({self.constraint})"


def writable_fields(spec: Spec, schema: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The body's properties a client may send: every one the spec does not mark ``readOnly``."""
    properties = spec.resolve(schema).get("properties", {})
    resolved = {name: spec.resolve(prop) for name, prop in properties.items()}
    return {name: prop for name, prop in resolved.items() if not prop.get("readOnly")}


def violations(spec: Spec, schema: Mapping[str, Any], item: Any = None) -> list[Violation]:
    """Every violating value of every writable field of ``schema``, in the document's order.

    ``item`` is a valid item for array fields (a known user id for an id list): it goes ahead of a bad
    item, so a server that writes the valid part of a refused list shows it.
    """
    resolved = spec.resolve(schema)
    required = set(resolved.get("required", ()))
    found: list[Violation] = []
    for name, prop in writable_fields(spec, resolved).items():
        found += [
            Violation(name, constraint, value, name in required, "enum" in prop)
            for constraint, value in _breaking(spec, name, prop, item)
        ]
    return found


def nullable(prop: Mapping[str, Any]) -> bool:
    return bool(prop.get("nullable")) or None in prop.get("enum", ())


def _breaking(spec: Spec, name: str, prop: Mapping[str, Any], item: Any) -> Iterator[tuple[str, Any]]:
    kind = prop.get("type")
    if isinstance(kind, str) and kind in OTHER_TYPE:
        yield "type", OTHER_TYPE[kind]
    if not nullable(prop):
        yield "null", None
    if "enum" in prop:
        yield "enum", _outside(name, prop["enum"])
    if isinstance(prop.get("format"), str) and kind in (None, "string"):
        for text in NOT_A_FORMAT:
            value = text.format(format=prop["format"])
            if not conforms(value, prop["format"]):
                yield "format", value
    yield from _bounds(prop, item)
    if kind == "array":
        items = spec.resolve(prop.get("items", {}))
        bad = OTHER_TYPE.get(str(items.get("type")))
        if bad is not None:
            yield "items", [bad] if item is None else [item, bad]


def _outside(name: str, allowed: list[Any]) -> str:
    """A string that is none of the enum's values, nor one of them in another case."""
    value = f"not-a-{name}"
    folded = {str(option).casefold() for option in allowed}
    while value.casefold() in folded:
        value += "-x"
    return value


def _bounds(prop: Mapping[str, Any], item: Any) -> Iterator[tuple[str, Any]]:
    """One past each length or range bound the spec states."""
    if isinstance(prop.get("maxLength"), int):
        yield "maxLength", "x" * (prop["maxLength"] + 1)
    if isinstance(prop.get("minLength"), int) and prop["minLength"] > 0:
        yield "minLength", "x" * (prop["minLength"] - 1)
    for key, step in (("maximum", 1), ("minimum", -1)):
        bound = prop.get(key)
        if isinstance(bound, int | float) and not isinstance(bound, bool):
            exclusive = prop.get(f"exclusive{key.capitalize()}") is True
            yield key, bound if exclusive else bound + step
    filler = 1 if item is None else item
    if isinstance(prop.get("maxItems"), int):
        yield "maxItems", [filler] * (prop["maxItems"] + 1)
    if isinstance(prop.get("minItems"), int) and prop["minItems"] > 0:
        yield "minItems", [filler] * (prop["minItems"] - 1)


def conforms(value: str, format_name: str) -> bool:
    """``value`` is valid under ``format_name`` for the checker Schemathesis judges answers with; a format
    it does not know accepts everything."""
    return bool(_format_validator(format_name).is_valid(value))


@cache
def _format_validator(format_name: str) -> Any:
    return jsonschema_rs.validator_for({"type": "string", "format": format_name}, validate_formats=True)
