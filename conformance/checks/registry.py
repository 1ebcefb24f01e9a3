"""One place where every check is registered under its requirement id."""

from __future__ import annotations

from collections.abc import Callable

from openapi.catalog import load_catalog

from .context import Context
from .outcomes import Observation

CheckFunction = Callable[[Context], Observation | None]

REGISTRY: dict[str, CheckFunction] = {}
ALONE: set[str] = set()
"""Requirements whose check acts on other families' resources: while it runs, no other check does (the
families checked side by side wait for it, runner.run_side_by_side)."""


def requirement(requirement_id: str, *, alone: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Register `function` as the check of `requirement_id` (which must be in the catalog); `alone` when it
    touches the resources of families other than its context's."""
    load_catalog()[requirement_id]

    def register(function: CheckFunction) -> CheckFunction:
        if requirement_id in REGISTRY:
            raise ValueError(f"{requirement_id} is registered twice")
        REGISTRY[requirement_id] = function
        if alone:
            ALONE.add(requirement_id)
        return function

    return register
