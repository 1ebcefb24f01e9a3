"""Type notation of the tables -> OpenAPI schemas."""

from __future__ import annotations

from pathlib import Path

import pytest

from specgen.pages import Cell, Link, parse_page
from specgen.types import Problem, Schema, schema_for


def cell(source: str) -> Cell:
    """The cell as the Markdown parser reads it from a real one-row table."""
    page = parse_page(f"| Type |\n|------|\n| {source} |\n", Path("t.md"), "t.md")
    return page.tables[0].rows[0].cells[0]


def by_text(link: Link, field: str) -> tuple[Schema, Problem | None]:
    return {"$ref": f"#/components/schemas/{link.text}"}, None


def read(source: str) -> Schema:
    schema, problems = schema_for(cell(source), "field", by_text)
    assert problems == []
    return schema


@pytest.mark.parametrize(
    ("notation", "expected"),
    [
        ("string", {"type": "string"}),
        ("integer", {"type": "integer"}),
        ("bool", {"type": "boolean"}),
        ("float", {"type": "number", "format": "float"}),
        ("decimal", {"type": "number"}),
        ("url", {"type": "string", "format": "uri"}),
        ("file", {"type": "string", "format": "binary"}),
        ("object", {"type": "object"}),
        ("json", {}),
        ("string(date-time)", {"type": "string", "format": "date-time"}),
        ("string(datetime)", {"type": "string", "format": "date-time"}),
        ("integer(int64)", {"type": "integer", "format": "int64"}),
        ("string¦null", {"type": "string", "nullable": True}),
        ("string(uri)¦null", {"type": "string", "format": "uri", "nullable": True}),
        ("list(integer)", {"type": "array", "items": {"type": "integer"}}),
        ("list(Object)", {"type": "array", "items": {"type": "object"}}),
        ("list", {"type": "array", "items": {}}),
        ("list(integer)¦null", {"type": "array", "items": {"type": "integer"}, "nullable": True}),
        (
            "list([User](/docs/apireference/v2/schemas/user))",
            {"type": "array", "items": {"$ref": "#/components/schemas/User"}},
        ),
        (
            "[Tag](/docs/apireference/v2/schemas/tag)¦[]",
            {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
        ),
        (
            "[Tag](/docs/apireference/v2/schemas/tag)  ¦[]",
            {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
        ),
        (
            "[[Feed](/docs/apireference/v2/schemas/feed)]",
            {"type": "array", "items": {"$ref": "#/components/schemas/Feed"}},
        ),
        (
            "[Poll](/docs/apireference/v2/schemas/poll)¦null",
            {"allOf": [{"$ref": "#/components/schemas/Poll"}], "nullable": True},
        ),
        ("[Post](/docs/apireference/v2/schemas/post)¦undefined", {"$ref": "#/components/schemas/Post"}),
        (
            "[Post](/p), [Discussion](/d) or [Comment](/c)",
            {
                "anyOf": [
                    {"$ref": "#/components/schemas/Post"},
                    {"$ref": "#/components/schemas/Discussion"},
                    {"$ref": "#/components/schemas/Comment"},
                ]
            },
        ),
        (
            "list([Feed](/f) or [Category](/c))",
            {
                "type": "array",
                "items": {
                    "anyOf": [
                        {"$ref": "#/components/schemas/Feed"},
                        {"$ref": "#/components/schemas/Category"},
                    ]
                },
            },
        ),
        (
            "list(string)¦string",
            {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]},
        ),
        (
            '{"name": "string", "size": "integer"}',
            {"type": "object", "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}},
        ),
    ],
)
def test_notation(notation: str, expected: Schema) -> None:
    assert read(notation) == expected


@pytest.mark.parametrize("notation", ["List of sid (serialization id)", "preference_type", "--", "true"])
def test_unknown_notation_is_open_schema_and_a_problem(notation: str) -> None:
    schema, problems = schema_for(cell(notation), "sids", by_text)
    assert schema == {}
    assert [problem.rule for problem in problems] == ["type-unknown"]
    assert "sids" in problems[0].message


def test_empty_type_is_reported() -> None:
    schema, problems = schema_for(Cell("", ""), "x", by_text)
    assert (schema, [p.rule for p in problems]) == ({}, ["type-unknown"])


def test_word_schemas_are_not_shared_between_results() -> None:
    first = read("list")
    first["items"]["type"] = "object"
    assert read("list") == {"type": "array", "items": {}}
