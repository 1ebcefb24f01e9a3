"""The conformance requirements that apply to each operation, read from the catalog YAML file.

The file is read as data (not through the conformance package): specgen imports neither
the suite nor the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class CatalogError(ValueError):
    """The catalog file cannot be read or has not the expected shape."""


@dataclass(frozen=True)
class Requirement:
    id: str
    level: str
    title: str
    rule: str
    group: str
    sources: tuple[str, ...]
    operations: tuple[str, ...]


def load_catalog(path: Path) -> list[Requirement]:
    try:
        document: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogError(f"{path}: cannot read the catalog: {error}") from error
    entries = document.get("requirements") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise CatalogError(f"{path}: expected a mapping with a 'requirements' list")
    groups = document.get("groups") or {}
    requirements = []
    for position, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or "id" not in entry:
            raise CatalogError(f"{path}: requirement #{position} has no id")
        prefix = str(entry["id"]).split("-", 1)[0]
        requirements.append(
            Requirement(
                id=str(entry["id"]),
                level=str(entry.get("level", "")),
                title=str(entry.get("title") or entry.get("description") or ""),
                rule=str(entry.get("rule") or entry.get("description") or ""),
                group=str(groups.get(entry.get("group", prefix), entry.get("group", prefix))),
                sources=tuple(
                    map(str, entry.get("sources") or ([entry["source"]] if entry.get("source") else []))
                ),
                operations=tuple(map(str, entry.get("operations") or entry.get("operationIds") or [])),
            )
        )
    return requirements


def by_operation(requirements: list[Requirement]) -> dict[str, list[Requirement]]:
    index: dict[str, list[Requirement]] = {}
    for requirement in requirements:
        for operation_id in requirement.operations:
            index.setdefault(operation_id, []).append(requirement)
    return index
