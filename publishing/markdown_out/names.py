"""File names and links of regenerated pages: ``x-source`` when the spec records it, else derived.

Without ``x-source``, names come from operationIds and schema names. ``specgen build`` names an
operation ``camel_case(stem)`` and a schema ``pascal_case(stem)``; ``snake_case`` is chosen so
that those functions give the same names back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

DOCS_PREFIX = "/docs/apireference/v2"


def snake_case(name: str) -> str:
    """``inviteUsersToEvent`` → ``invite_users_to_event``, ``User`` → ``user``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def source_of(node: Mapping[str, Any]) -> str | None:
    """The page an operation or schema was generated from, when the spec records it (``x-source``)."""
    source = node.get("x-source")
    return source if isinstance(source, str) and source.endswith(".md") and ".." not in source else None


def schema_rel(name: str, schema: Mapping[str, Any]) -> str:
    """``schemas/user.md``: the recorded source page, else the name in snake_case."""
    return source_of(schema) or f"schemas/{snake_case(name)}.md"


def schema_links(schemas: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Schema name → the docs link of its page."""
    return {
        name: f"{DOCS_PREFIX}/{schema_rel(name, schema).removesuffix('.md')}"
        for name, schema in schemas.items()
    }


def schema_link(name: str, links: Mapping[str, str] | None = None) -> str:
    return (links or {}).get(name) or f"{DOCS_PREFIX}/schemas/{snake_case(name)}"
