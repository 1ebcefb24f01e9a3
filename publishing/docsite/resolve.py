"""Local ``$ref`` resolution shared by the site's view model and its examples."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def ref_name(node: Any) -> str | None:
    """``User`` for ``{"$ref": "#/components/schemas/User"}``."""
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


def resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """The node a local ``$ref`` points to (followed until it is not a reference)."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return {}
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            target = (
                target.get(part.replace("~1", "/").replace("~0", "~"), {})
                if isinstance(target, Mapping)
                else {}
            )
        node = target
    return node
