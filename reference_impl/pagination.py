"""Limit/offset pages as Django REST framework's LimitOffsetPagination answers them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from starlette.datastructures import URL

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# SQL OFFSET takes a signed 64-bit integer; nothing lies beyond it anyway.
MAX_OFFSET = 2**63 - 1


def clamp(limit: int | None, offset: int | None) -> tuple[int, int]:
    """Missing or non-positive limit → default, above the maximum → maximum; negative offset → 0."""
    chosen = DEFAULT_LIMIT if limit is None or limit <= 0 else min(limit, MAX_LIMIT)
    return chosen, min(max(offset or 0, 0), MAX_OFFSET)


def page(
    url: URL,
    *,
    count: int,
    limit: int,
    offset: int,
    results: Sequence[Any],
    render: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    next_url = None
    if offset + limit < count:
        next_url = str(url.include_query_params(limit=limit, offset=offset + limit))
    previous_url = None
    if offset > 0:
        if offset - limit <= 0:
            previous_url = str(url.include_query_params(limit=limit).remove_query_params("offset"))
        else:
            previous_url = str(url.include_query_params(limit=limit, offset=offset - limit))
    return {
        "count": count,
        "next": next_url,
        "previous": previous_url,
        "results": [render(item) for item in results],
    }
