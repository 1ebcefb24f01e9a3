"""One place where every check is registered under its requirement id."""

from __future__ import annotations

from collections.abc import Callable

from openapi.catalog import load_catalog

from .context import Context
from .outcomes import Observation

CheckFunction = Callable[[Context], Observation | None]

REGISTRY: dict[str, CheckFunction] = {}


def requirement(requirement_id: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register `function` as the check of `requirement_id` (which must be in the catalog)."""
    load_catalog()[requirement_id]

    def register(function: CheckFunction) -> CheckFunction:
        if requirement_id in REGISTRY:
            raise ValueError(f"{requirement_id} is registered twice")
        REGISTRY[requirement_id] = function
        return function

    return register
