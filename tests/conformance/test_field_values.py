"""The violating values VAL-FIELDS sends are read from the spec, one per stated constraint, for any family."""

from __future__ import annotations

from typing import Any

from conformance.checks.field_constraints import must_refuse
from conformance.checks.field_values import Violation, conforms, violations
from openapi.document import Spec, shipped
from openapi.families import by_name


def probes(schema: dict[str, Any], item: Any = None) -> dict[tuple[str, str], list[Any]]:
    found: dict[tuple[str, str], list[Any]] = {}
    for violation in violations(Spec(raw={"paths": {}}), schema, item):
        found.setdefault((violation.field, violation.constraint), []).append(violation.value)
    return found


def test_event_create_probes_every_writable_field_of_the_spec() -> None:
    spec = shipped()
    found = violations(spec, by_name(spec, "event").op("create").request_schema())
    by_key = {(v.field, v.constraint): v for v in found}
    assert [v.value for v in found if v.field == "link"] == [12345, None, "", "not a uri"]
    assert not {"id", "slug", "subscribers_counter"} & {v.field for v in found}  # readOnly for events
    assert ("description", "null") not in by_key  # nullable
    privacy = by_key[("privacy", "enum")]
    assert privacy.required and privacy.closed and privacy.value not in ("public", "private")
    assert [v.value for v in found if v.field == "start_date" and v.constraint == "format"] == [
        "",
        "not a date-time",
    ]


def test_a_course_like_schema_gets_values_outside_each_constraint() -> None:
    course = {
        "type": "object",
        "required": ["name", "type"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "name": {"type": "string", "maxLength": 5, "minLength": 2},
            "type": {"type": "string", "enum": ["scheduled", "structured", "self-paced"]},
            "privacy": {"type": "string", "enum": ["", "private", "secret", "not-a-privacy"]},
            "home": {"type": "string", "format": "uri-reference"},
            "seats": {"type": "integer", "minimum": 1, "maximum": 30},
            "users": {"type": "array", "items": {"type": "integer"}, "maxItems": 2},
            "summary": {"type": "string", "nullable": True},
        },
    }
    found = probes(course, item=7)
    assert ("id", "type") not in found
    assert found[("name", "maxLength")] == ["xxxxxx"] and found[("name", "minLength")] == ["x"]
    assert found[("privacy", "enum")] == ["not-a-privacy-x"]  # none of the values, "" included
    assert found[("type", "enum")] == ["not-a-type"]
    assert found[("home", "format")] == ["not a uri-reference"]  # "" is a valid URI reference
    assert found[("seats", "maximum")] == [31] and found[("seats", "minimum")] == [0]
    assert found[("users", "items")] == [[7, "abc"]] and found[("users", "maxItems")] == [[7, 7, 7]]
    assert ("summary", "null") not in found and found[("summary", "type")] == [12345]


def test_a_format_no_checker_knows_is_not_probed() -> None:
    assert not conforms("", "uri") and conforms("", "uri-reference")
    assert probes({"properties": {"code": {"type": "string", "format": "house-style"}}}).keys() == {
        ("code", "type"),
        ("code", "null"),
    }


def test_what_the_pages_leave_open_on_create() -> None:
    """Required and null, or outside a closed list: 400 only; the rest may be taken within the schema."""

    def violation(constraint: str, required: bool, closed: bool = False) -> Violation:
        return Violation("f", constraint, None, required, closed)

    assert must_refuse(violation("null", required=True), create=True)
    assert must_refuse(violation("enum", required=True, closed=True), create=True)
    assert must_refuse(violation("type", required=True, closed=True), create=True)
    assert not must_refuse(violation("type", required=True), create=True)  # 12345 for a name: coerced
    assert not must_refuse(violation("format", required=True), create=True)  # another date notation
    assert not must_refuse(violation("enum", required=False, closed=True), create=True)  # a field ignored
    assert not must_refuse(violation("null", required=False), create=True)
    # Other writes: the users list is validated whole (rule 9); null may stand for a field left out.
    assert must_refuse(violation("type", required=False), create=False)
    assert must_refuse(violation("null", required=True), create=False)
    assert not must_refuse(violation("null", required=False), create=False)
