"""``quick_accept``: a body (or a parameter's value) its compiled check accepts is one Connexion's validator
accepts, for every JSON body schema and parameter schema of the shipped spec that gets a compiled check;
schemas with keywords outside its list get none."""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from connexion.exceptions import BadRequestProblem
from connexion.json_schema import resolve_refs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from openapi.document import shipped
from reference_impl.connexion_compat import JSONBodyValidator
from reference_impl.quick_accept import compiled_check, same_meaning


def _json_body_schemas() -> dict[str, Any]:
    """Each operation's JSON body schema, ``$ref``s resolved and components added as Connexion does."""
    raw = copy.deepcopy(shipped().raw)
    resolved = resolve_refs(raw)
    found = {}
    for item in resolved["paths"].values():
        for operation in item.values():
            content = (
                operation.get("requestBody", {}).get("content", {}) if isinstance(operation, dict) else {}
            )
            schema = content.get("application/json", {}).get("schema")
            if schema is not None:
                found[operation["operationId"]] = {**schema, "components": raw.get("components", {})}
    return found


def _parameter_schemas() -> dict[str, Any]:
    """Each distinct parameter schema of the spec, by where and what it is (``path id``, …)."""
    resolved = resolve_refs(copy.deepcopy(shipped().raw))
    found = {}
    for item in resolved["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in [*item.get("parameters", []), *operation.get("parameters", [])]:
                schema = parameter.get("schema", parameter)
                found[f"{parameter['in']} {parameter['name']} {schema}"] = schema
    return found


SCHEMAS = _json_body_schemas()
COMPILED = {name: schema for name, schema in SCHEMAS.items() if compiled_check(schema) is not None}
PARAMETERS = {name: schema for name, schema in _parameter_schemas().items() if compiled_check(schema)}

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)


def shaped(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values around ``schema``: mostly of its shape (its required properties and some others, extra ones;
    arrays of its items, of any length; integers of any size and integral floats), with values of any
    other type anywhere."""
    around: list[st.SearchStrategy[Any]] = []
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = {name: shaped(sub) for name, sub in schema.get("properties", {}).items()}
        required = {name: properties[name] for name in schema.get("required", []) if name in properties}
        others = {name: value for name, value in properties.items() if name not in required}
        extra = st.dictionaries(st.text(max_size=4), ANY_JSON, max_size=2)
        for known in (
            st.fixed_dictionaries(required, optional=others),
            st.fixed_dictionaries({}, optional=properties),
        ):
            around.append(st.builds(lambda known, more: {**more, **known}, known, st.just({}) | extra))
    if kind == "array":
        around.append(st.lists(shaped(schema.get("items", {})), max_size=4))
    if kind in ("integer", "number"):
        around.append(st.integers(min_value=-(2**70), max_value=2**70))
        around.append(st.floats().filter(lambda value: math.isfinite(value) and value.is_integer()))
    return st.one_of(*around, *around, *around, ANY_JSON)


def connexion_accepts(schema: dict[str, Any], body: Any) -> bool:
    validator = JSONBodyValidator(
        schema=schema, required=True, nullable=False, encoding="utf-8", strict_validation=False
    )
    try:
        validator.validate_body(body)
    except BadRequestProblem:
        return False
    return True


def test_the_invitations_bodies_have_a_compiled_check() -> None:
    """The speed of POST invite rests on it: a spec change that loses it should be seen."""
    assert {"inviteUsersToEvent", "inviteUsersToGroup", "inviteUsersToCourse"} <= COMPILED.keys()


@pytest.mark.parametrize("operation", sorted(COMPILED))
def test_every_body_the_compiled_check_accepts_connexion_accepts(operation: str) -> None:
    schema = COMPILED[operation]
    check = compiled_check(schema)
    assert check is not None

    @settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(shaped(schema))
    def agrees(body: Any) -> None:
        if check(body):
            assert connexion_accepts(schema, body), f"accepted by the compiled check only: {body!r}"

    agrees()


@pytest.mark.parametrize("parameter", sorted(PARAMETERS))
def test_every_value_the_compiled_check_accepts_connexion_accepts_for_a_parameter(parameter: str) -> None:
    """Connexion validates a parameter's converted value with jsonschema's plain Draft 4 validator
    (``fast_validation``)."""
    schema = PARAMETERS[parameter]
    check = compiled_check(schema)
    assert check is not None
    validator = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)

    @settings(max_examples=200, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(shaped(schema) | st.text())
    def agrees(value: Any) -> None:
        if check(value):
            assert validator.is_valid(value), f"accepted by the compiled check only: {value!r}"

    agrees()


def test_the_path_id_has_a_compiled_check() -> None:
    assert any(name.startswith("path id ") for name in PARAMETERS)


def test_a_valid_invitation_is_accepted_and_an_invalid_one_left_to_connexion() -> None:
    schema = COMPILED["inviteUsersToEvent"]
    check = compiled_check(schema)
    assert check is not None
    assert check({"users": [1, 2**70]})
    for invalid in ({"users": [True]}, {"users": [1.0]}, {"users": "1"}, {}, None, []):
        assert not check(invalid)
        assert not connexion_accepts(schema, invalid)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "date-time"},
        {"type": "string", "pattern": "^a"},
        {"type": "string", "enum": ["a"]},
        {"type": "integer", "minimum": 1},
        {"type": "string", "maxLength": 3},
        {"type": "integer", "nullable": True},
        {"$ref": "#/components/schemas/User"},
        {"allOf": [{"type": "integer"}]},
        {"type": ["integer", "null"]},
        {"type": "array", "items": [{"type": "integer"}]},
        {"type": "object", "properties": {"a": {"type": "string", "format": "uri"}}},
        {"type": "array", "uniqueItems": True},
    ],
)
def test_a_schema_with_another_keyword_is_left_to_connexion(schema: dict[str, Any]) -> None:
    assert not same_meaning(schema)
    assert compiled_check(schema) is None


def test_structure_annotations_and_extensions_get_a_compiled_check() -> None:
    schema = {
        "type": "object",
        "description": "d",
        "x-anything": {"format": "uri"},
        "nullable": False,
        "required": ["a"],
        "additionalProperties": False,
        "properties": {"a": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "number"}}},
    }
    check = compiled_check(schema)
    assert check is not None
    assert check({"a": [1.5]})
    assert not check({"a": []})
    assert not check({"a": [1], "b": 1})
