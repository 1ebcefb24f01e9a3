"""File names and links of regenerated pages, from operationIds and schema names.

``specgen build`` names an operation ``camel_case(stem)`` and a schema ``pascal_case(stem)``;
``snake_case`` is chosen so that those functions give the same names back.
"""

from __future__ import annotations

import re

DOCS_PREFIX = "/docs/apireference/v2"


def snake_case(name: str) -> str:
    """``inviteUsersToEvent`` → ``invite_users_to_event``, ``User`` → ``user``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def schema_stem(name: str) -> str:
    return snake_case(name)


def schema_link(name: str) -> str:
    return f"{DOCS_PREFIX}/schemas/{schema_stem(name)}"
