"""What the server's tables and bodies take from the specification instead of typing it again.

The tables (``storage``) and the families (``families``) are built once, at import, so they read the
shipped document, ``openapi.SPEC_PATH``: the values a column may hold are its schema property's
``enum``, and the fields an answer keeps when they are null are the schema's ``nullable`` ones.
``app`` serves the document that settings name and refuses to start when its values are not the ones
the tables hold (``storage.unstorable_values``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from openapi import SPEC_PATH

# libyaml's loader when PyYAML was built with it: ten times faster on this document than the pure one.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(path: Path) -> Any:
    """The YAML document at ``path``; raises OSError and yaml.YAMLError as they come."""
    with path.open(encoding="utf-8") as file:
        return yaml.load(file, Loader=_Loader)


SHIPPED: Mapping[str, Any] = load(SPEC_PATH)


def schema(name: str, spec: Mapping[str, Any] = SHIPPED) -> Mapping[str, Any]:
    """``components.schemas[name]``; KeyError names a schema the document lacks."""
    return spec["components"]["schemas"][name]


def enum(schema_name: str, prop: str, spec: Mapping[str, Any] = SHIPPED) -> tuple[str, ...]:
    """The values of ``schema_name.prop``'s enum, in the spec's order, without the null of a nullable one."""
    values = schema(schema_name, spec)["properties"][prop]["enum"]
    return tuple(value for value in values if value is not None)


def nullable(schema_name: str, spec: Mapping[str, Any] = SHIPPED) -> frozenset[str]:
    """The properties of ``schema_name`` that are ``nullable``: an answer keeps them when they are null."""
    properties = schema(schema_name, spec)["properties"]
    return frozenset(name for name, definition in properties.items() if definition.get("nullable"))


def required(schema_name: str, spec: Mapping[str, Any] = SHIPPED) -> tuple[str, ...]:
    return tuple(schema(schema_name, spec).get("required", ()))
