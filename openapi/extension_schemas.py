"""The JSON Schemas (draft 2020-12) of the document's extensions, shipped in this package: ``x-access``
(``x_access.schema.json``) and ``x-join`` (``x_join.schema.json``, whose ``when`` is x-access's condition,
found by its ``$id``). Each is read once; a value's problems are phrased with their place in it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

FILES = ("x_access.schema.json", "x_join.schema.json")


@cache
def load(file: str) -> Mapping[str, Any]:
    """The schema in ``file`` (one of ``FILES``)."""
    text = resources.files("openapi").joinpath(file).read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def _validator(file: str) -> Draft202012Validator:
    registry: Registry[Any] = Registry().with_resources(
        (str(load(name)["$id"]), Resource.from_contents(load(name))) for name in FILES
    )
    return Draft202012Validator(load(file), registry=registry)


def problems(file: str, value: Any, name: str) -> Iterator[str]:
    """``<name>.rules[0].roles: …`` for every way ``value`` breaks the schema in ``file``, in document
    order."""
    for error in sorted(_validator(file).iter_errors(value), key=lambda e: e.json_path):
        where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.path)
        yield f"{name}{where}: {error.message}"
