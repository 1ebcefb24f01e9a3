"""READ-QUERY-BOUNDS: boundary values of every documented integer query parameter of the lists.

Deterministic: the same values for every parameter the spec documents, whatever the seed. A server
may clamp an odd value or refuse it with a 4xx (rule 40); only a 5xx or an inconsistent page fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openapi.document import Operation

from ..exchange import Exchange
from .context import Context
from .outcomes import expect
from .reads import populated_lists
from .registry import requirement

LARGE_PAGE = 1000
"""The maximum probed when the spec states none: larger than any list the suite builds."""


def integer_query_parameters(operation: Operation) -> list[Mapping[str, Any]]:
    return [
        parameter
        for parameter in operation.parameters
        if parameter.get("in") == "query" and (parameter.get("schema") or {}).get("type") == "integer"
    ]


def boundary_values(parameter: Mapping[str, Any]) -> list[object]:
    """0, 1, the maximum and one past it, -1, 2^63, 10^30, a word and an empty value."""
    maximum = int((parameter.get("schema") or {}).get("maximum", LARGE_PAGE))
    return [0, 1, maximum, maximum + 1, -1, 2**63, 10**30, "abc", ""]


def page_problem(exchange: Exchange, listed: list[int]) -> str | None:
    """Why an answer breaks the list (None when it is a refusal or a consistent page)."""
    status = exchange.status or 0
    if 400 <= status < 500:
        return None
    if status != 200:
        return f"answered {status}; answer 200 (clamping the value) or 400"
    body = exchange.json_or_none()
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        return "answered 200 without a page ({count, next, previous, results})"
    if body.get("count") != len(listed):
        return f"answered count={body.get('count')!r}; the list holds {len(listed)} users whatever the page"
    try:
        ids = [int(item["id"]) for item in body["results"]]
    except (TypeError, KeyError, ValueError):
        return "answered results that are not user objects with an id"
    if ids and not any(listed[start : start + len(ids)] == ids for start in range(len(listed))):
        return f"answered results {ids}, which are not a contiguous run of the list {listed}"
    return None


@requirement("READ-QUERY-BOUNDS")
def query_parameter_boundaries(ctx: Context) -> None:
    problems: list[tuple[str, Exchange]] = []
    for operation_id, (resource, _expected) in populated_lists(ctx).items():
        operation = ctx.op(operation_id)
        if operation.method != "GET":
            continue
        listed = ctx.list_ids(operation_id, resource)
        for parameter in integer_query_parameters(operation):
            name = parameter["name"]
            for value in boundary_values(parameter):
                exchange = ctx.client.request(
                    "GET", operation.url(resource), token=ctx.manager.token, params={name: value}
                )
                problem = page_problem(exchange, listed)
                if problem is not None:
                    problems.append((f"{operation.label}?{name}={value}: {problem}", exchange))
    expect(
        not problems,
        f"{len(problems)} boundary value(s) of list parameters broke the list:\n  "
        + "\n  ".join(text for text, _ in problems[:10])
        + "\nAn out-of-range or malformed value may be clamped or refused with 400, never answered with a "
        "5xx; a page keeps `count` the size of the whole list.",
        *[exchange for _, exchange in problems[:10]],
    )
