"""The x-join model of the contract core (openapi/joining.py): parsed, validated against x_join.schema.json
(its `when` is x-access's condition), written back exactly, and read by resource attribute."""

from __future__ import annotations

from typing import Any

import pytest

from openapi.document import shipped
from openapi.joining import INVITATION_ONLY, JOIN, REQUEST, JoinError, parse_join, problems

COURSE: dict[str, Any] = {
    "outcome": "join",
    "rules": [
        {"when": {"resource": {"privacy": ["private"]}}, "outcome": "request"},
        {"when": {"resource": {"privacy": ["secret"]}}, "outcome": "invitation_only"},
        {"when": {"resource": {"privacy": ["open"], "type": ["scheduled"]}}, "outcome": "request"},
    ],
}


def test_parsed_and_written_back() -> None:
    joining = parse_join(COURSE)
    assert joining.as_x_join() == COURSE
    assert [joining.by_resource("privacy", v) for v in ("", "open", "private", "secret")] == [
        JOIN,
        JOIN,  # the third rule needs the type too: not a fact about `open` alone
        REQUEST,
        INVITATION_ONLY,
    ]
    assert parse_join({"rules": COURSE["rules"][:1]}).by_resource("privacy", "open") is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({}, "x-join: {} should be non-empty"),
        ({"outcome": "maybe"}, "x-join.outcome: 'maybe' is not one of"),
        ({"rules": [{"when": {"colour": ["red"]}, "outcome": "join"}]}, "x-join.rules[0].when: Additional"),
        ({"rules": [{"when": {"resource": {"privacy": ["open"]}}}]}, "'outcome' is a required property"),
    ],
)
def test_malformed_values_are_refused_with_the_place(value: dict[str, Any], message: str) -> None:
    assert any(message in problem for problem in problems(value)), list(problems(value))
    with pytest.raises(JoinError, match="POST /x"):
        parse_join(value, "POST /x")


def test_the_shipped_join_operations_declare_it_and_no_other() -> None:
    declaring = {op.operation_id for op in shipped().operations.values() if op.joining is not None}
    assert declaring == {
        "subscribeOrAcceptInviteToEvent",
        "subscribeOrAcceptInviteToGroup",
        "joinOrAcceptInviteToCourse",
    }
