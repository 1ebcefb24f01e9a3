"""Map the reference's type notation to OpenAPI 3.0 schemas.

The notation, as the pages write it: `string`, `integer(int64)`, `string(date-time)¦null`,
`list(integer)`, `list([User](...))`, `[Tag](...)¦[]` (a list of Tag), `[[Feed](...)]` (a list of Feed),
`[A](...), [B](...) or [C](...)` (any of), `[privacy](...#enumerated-values)` (an enum), inline JSON
examples such as `{"name": "string"}`, and loose words (`float`, `url`, `bool`, `file`, `json`...).
Anything else becomes `{}` with a `type-unknown` problem, so a page never stops the build.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from specgen.pages import LINK_MARK, Cell, Link

Schema = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str


#: Resolves a link of a type cell (`field` is the property or parameter the cell describes).
LinkResolver = Callable[[Link, str], tuple[Schema, "Problem | None"]]

_WORDS: dict[str, Schema] = {
    "string": {"type": "string"},
    "str": {"type": "string"},
    "text": {"type": "string"},
    "char": {"type": "string"},
    "enum": {"type": "string"},
    "slug": {"type": "string"},
    "phone_number": {"type": "string"},
    "integer": {"type": "integer"},
    "int": {"type": "integer"},
    "long": {"type": "integer", "format": "int64"},
    "number": {"type": "number"},
    "float": {"type": "number", "format": "float"},
    "double": {"type": "number", "format": "double"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "bool": {"type": "boolean"},
    "object": {"type": "object"},
    "dict": {"type": "object"},
    "dictionary": {"type": "object"},
    "json dict": {"type": "object"},
    "json": {},
    "any": {},
    "url": {"type": "string", "format": "uri"},
    "uri": {"type": "string", "format": "uri"},
    "email": {"type": "string", "format": "email"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "date-time": {"type": "string", "format": "date-time"},
    "time": {"type": "string", "format": "time"},
    "uuid": {"type": "string", "format": "uuid"},
    "file": {"type": "string", "format": "binary"},
    "blob": {"type": "string", "format": "binary"},
    "image": {"type": "string", "format": "binary"},
    "binary": {"type": "string", "format": "binary"},
    "list": {"type": "array", "items": {}},
    "array": {"type": "array", "items": {}},
}

_FORMATS = {"datetime": "date-time", "url": "uri", "int": "int32"}
_FORMATTED = re.compile(r"^(string|integer|number)\s*\(\s*([\w-]+)\s*\)$", re.IGNORECASE)
_LIST = re.compile(r"^(?:list|array)\s*\((.*)\)$", re.IGNORECASE | re.DOTALL)
_LINK = re.compile(rf"^{LINK_MARK}(\d+){LINK_MARK}$")


def schema_for(cell: Cell, field: str, resolve: LinkResolver) -> tuple[Schema, list[Problem]]:
    """The schema a type cell describes, and what could not be read in it."""
    problems: list[Problem] = []
    notation = (cell.shape or cell.text).strip()
    if not notation:
        problems.append(Problem("type-unknown", f"`{field}` has no type"))
        return {}, problems
    schema = _union(notation, cell.links, field, resolve, problems)
    if schema is None:
        problems.append(Problem("type-unknown", f"`{field}`: cannot read type {cell.text!r}"))
        return {}, problems
    return schema, problems


def nullable(schema: Schema) -> Schema:
    """`schema` that also accepts null (OpenAPI 3.0: `nullable`, and `null` in any enum)."""
    if "$ref" in schema:
        return {"allOf": [schema], "nullable": True}
    result = dict(schema)
    result["nullable"] = True
    if "enum" in result and None not in result["enum"]:
        result["enum"] = [*result["enum"], None]
    return result


def array_of(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _split_top(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split on separators that are outside parentheses and brackets."""
    parts: list[str] = []
    depth, start, index = 0, 0, 0
    while index < len(text):
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0:
            for separator in separators:
                if text.startswith(separator, index):
                    parts.append(text[start:index])
                    index += len(separator)
                    start = index
                    break
            else:
                index += 1
                continue
            continue
        index += 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def _union(
    text: str, links: tuple[Link, ...], field: str, resolve: LinkResolver, problems: list[Problem]
) -> Schema | None:
    is_nullable, is_list = False, False
    choices: list[Schema] = []
    for part in _split_top(text, ("¦",)):
        word = part.lower()
        if word == "null":
            is_nullable = True
        elif word in ("", "undefined"):
            continue
        elif word == "[]":
            is_list = True
        else:
            for alternative in _split_top(part, (",", " or ")):
                schema = _term(alternative, links, field, resolve, problems)
                if schema is None:
                    return None
                if schema not in choices:
                    choices.append(schema)
    if not choices:
        result: Schema = {}
    elif len(choices) == 1:
        result = choices[0]
    else:
        # "A or B": a value the page documents as A is accepted even when it also reads as B (objects
        # without `additionalProperties: false` always overlap), so any of them, never exactly one.
        result = {"anyOf": choices}
    if is_list and result.get("type") != "array":
        result = array_of(result)
    return nullable(result) if is_nullable else result


def _term(
    text: str, links: tuple[Link, ...], field: str, resolve: LinkResolver, problems: list[Problem]
) -> Schema | None:
    text = text.strip()
    link = _LINK.match(text)
    if link:
        schema, problem = resolve(links[int(link.group(1))], field)
        if problem:
            problems.append(problem)
        return schema
    word = " ".join(text.lower().split())
    if word in _WORDS:
        return copy.deepcopy(_WORDS[word])
    listed = _LIST.match(text)
    if listed:
        inner = listed.group(1).strip()
        if not inner:
            return array_of({})
        items = _union(inner, links, field, resolve, problems)
        return None if items is None else array_of(items)
    if text.startswith("[") and text.endswith("]") and not text.startswith("[]"):
        items = _union(text[1:-1], links, field, resolve, problems)
        return None if items is None else array_of(items)
    formatted = _FORMATTED.match(text)
    if formatted:
        base, fmt = formatted.group(1).lower(), formatted.group(2).lower()
        return {"type": base, "format": _FORMATS.get(fmt, fmt)}
    if text.startswith(("{", "[")):
        try:
            return from_example(json.loads(text))
        except ValueError:
            return None
    return None


def from_example(value: object) -> Schema:
    """A schema from a JSON example whose leaf strings are type names (as schema pages write them)."""
    if isinstance(value, dict):
        return {"type": "object", "properties": {str(k): from_example(v) for k, v in value.items()}}
    if isinstance(value, list):
        return array_of(from_example(value[0]) if value else {})
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return copy.deepcopy(_WORDS.get(value.lower().strip(), {"type": "string"}))
    return {}
