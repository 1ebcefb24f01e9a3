"""Bodies and parameters accepted by a compiled check before Connexion's validator runs: the same verdict,
sooner.

Connexion validates a JSON body with jsonschema's Draft 4 validator, whose ``type`` and ``enum`` also
admit null where the schema says ``nullable``, and a parameter's converted value with the plain Draft 4
validator (``fast_validation``). For POST invite's ``{"users": [id]}`` the body's check costs 18 µs per
request on this project's benchmark machine; jsonschema-rs (a dependency already: the conformance suite
draws format-breaking values with it) checks the same body against the same schema in 0.3 µs. So a value
that jsonschema-rs's Draft 4 validator accepts is accepted, and any other goes on to Connexion's
validator, which gives the verdict and the message as before.

That is sound only where both accept the same values, so a compiled check is made only for schemas built
of keywords whose Draft 4 meaning both implement alike (``SAME_MEANING``, plus annotations and ``x-``
extensions, which neither checks). A schema with any other keyword (``format``, ``pattern``, ``enum``,
numeric and length bounds, ``nullable: true``, ``$ref``, the combinators) has none, and Connexion alone
validates it. ``tests/reference/test_quick_accept.py`` checks, on generated values, that every value the
compiled check of a body or parameter schema of the shipped spec accepts, Connexion's validator accepts
too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jsonschema_rs

#: Keywords with the same meaning under jsonschema's Draft 4 validator (as Connexion extends it for
#: requests) and jsonschema-rs's: structure and types only.
SAME_MEANING = frozenset(
    {"type", "properties", "required", "items", "additionalProperties", "minItems", "maxItems"}
)
#: Annotations: neither validator checks them in a request body.
ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "default",
        "readOnly",
        "writeOnly",
        "deprecated",
        "externalDocs",
    }
)
JSON_TYPES = frozenset({"object", "array", "string", "integer", "number", "boolean"})

Check = Callable[[Any], bool]


def _count(value: Any) -> bool:
    return type(value) is int and value >= 0


def same_meaning(schema: Any) -> bool:
    """Whether both validators accept the same bodies under ``schema``: it uses ``SAME_MEANING`` only."""
    if not isinstance(schema, dict):
        return False
    for key, value in schema.items():
        if key in ANNOTATIONS or (key.startswith("x-") and key != "x-nullable"):
            continue
        if key in ("nullable", "x-nullable"):
            ok = value is False  # true admits null in Connexion's validator only
        elif key == "type":
            ok = isinstance(value, str) and value in JSON_TYPES
        elif key == "properties":
            ok = isinstance(value, dict) and all(same_meaning(item) for item in value.values())
        elif key == "items":
            ok = same_meaning(value)
        elif key == "additionalProperties":
            ok = isinstance(value, bool) or same_meaning(value)
        elif key == "required":
            ok = isinstance(value, list) and all(isinstance(name, str) for name in value)
        elif key in ("minItems", "maxItems"):
            ok = _count(value)
        else:
            ok = False
        if not ok:
            return False
    return True


def compiled_check(schema: Any) -> Check | None:
    """A check that accepts only values Connexion's validator accepts under ``schema``; None when the
    schema uses a keyword outside ``SAME_MEANING``."""
    if isinstance(schema, dict):
        # Connexion adds the spec's components to the root, for ``$ref``s; with no ``$ref`` (refused
        # below) nothing refers to them.
        schema = {key: value for key, value in schema.items() if key != "components"}
    if not same_meaning(schema):
        return None
    validator = jsonschema_rs.Draft4Validator(schema)

    def accepts(body: Any) -> bool:
        try:
            return bool(validator.is_valid(body))
        except (ValueError, TypeError, OverflowError):  # a value it cannot read: Connexion judges it
            return False

    return accepts
