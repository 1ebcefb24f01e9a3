"""Is the committed spec exactly what `build` makes, and a valid OpenAPI 3.0 document?"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from openapi_spec_validator import OpenAPIV30SpecValidator

from openapi.access import problems
from openapi.document import HTTP_METHODS
from openapi.joining import problems as join_problems

_MISSING = object()


def first_difference(expected: Any, actual: Any, path: tuple[str, ...] = ()) -> tuple[str, Any, Any] | None:
    """(dotted path, expected value, actual value) of the first place the two documents differ."""
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        keys = [*expected, *(key for key in actual if key not in expected)]
        for key in keys:
            found = first_difference(
                expected.get(key, _MISSING), actual.get(key, _MISSING), (*path, str(key))
            )
            if found:
                return found
        if list(expected) != list(actual):
            return (".".join(path) or "(root)") + " (key order)", list(expected), list(actual)
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        for index in range(max(len(expected), len(actual))):
            found = first_difference(
                expected[index] if index < len(expected) else _MISSING,
                actual[index] if index < len(actual) else _MISSING,
                (*path, str(index)),
            )
            if found:
                return found
        return None
    if expected != actual or type(expected) is not type(actual):
        return ".".join(path) or "(root)", expected, actual
    return None


def show(value: Any, limit: int = 300) -> str:
    if value is _MISSING:
        return "(absent)"
    text = json.dumps(value, sort_keys=False, default=str)
    return text if len(text) <= limit else text[:limit] + "..."


def diff_excerpt(expected: str, actual: str, name: str, lines: int = 30) -> str:
    diff = difflib.unified_diff(
        actual.splitlines(), expected.splitlines(), fromfile=name, tofile="built from docs", lineterm="", n=2
    )
    return "\n".join(line for _, line in zip(range(lines), diff, strict=False))


def validation_errors(document: Mapping[str, Any]) -> Iterator[str]:
    for error in OpenAPIV30SpecValidator(document).iter_errors():
        where = ".".join(str(part) for part in error.absolute_path) or "(document)"
        yield f"{where}: {error.message}"


def access_errors(document: Mapping[str, Any], required: bool = True) -> Iterator[str]:
    """`METHOD path: problem` for every operation whose `x-access` breaks openapi/x_access.schema.json, or
    that has none when it is `required` (every operation the generator writes has one), and for every
    `x-join` that breaks openapi/x_join.schema.json."""
    paths = document.get("paths")
    for path, item in (paths if isinstance(paths, Mapping) else {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if not isinstance(operation, Mapping):
                continue
            where = f"{method.upper()} {path}"
            if "x-join" in operation:
                yield from (f"{where}: {problem}" for problem in join_problems(operation["x-join"]))
            if "x-access" not in operation:
                if required:
                    yield f"{where}: no x-access (state the access in the page's :::info block)"
                continue
            for problem in problems(operation["x-access"]):
                yield f"{where}: {problem}"
