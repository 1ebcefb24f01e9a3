"""The requirement catalog (catalog.yaml): ids, levels, sources and operations, read by everything else."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


class Level(enum.StrEnum):
    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


@dataclass(frozen=True)
class Requirement:
    id: str
    level: Level
    title: str
    rule: str
    sources: tuple[str, ...]
    operations: tuple[str, ...]
    group: str

    @property
    def group_title(self) -> str:
        return load_catalog().groups.get(self.group, self.group)


@dataclass(frozen=True)
class Catalog:
    groups: dict[str, str]
    requirements: tuple[Requirement, ...]

    def __getitem__(self, requirement_id: str) -> Requirement:
        for requirement in self.requirements:
            if requirement.id == requirement_id:
                return requirement
        raise KeyError(f"{requirement_id} is not in conformance/catalog.yaml")

    def __iter__(self) -> Iterator[Requirement]:
        return iter(self.requirements)

    def __len__(self) -> int:
        return len(self.requirements)

    @property
    def ids(self) -> list[str]:
        return [requirement.id for requirement in self.requirements]


def parse_catalog(data: dict[str, Any]) -> Catalog:
    groups = {str(key): str(value) for key, value in data["groups"].items()}
    requirements = []
    seen: set[str] = set()
    for entry in data["requirements"]:
        requirement_id = str(entry["id"])
        if requirement_id in seen:
            raise ValueError(f"catalog.yaml: duplicate requirement id {requirement_id}")
        seen.add(requirement_id)
        group = requirement_id.split("-", 1)[0]
        if group not in groups:
            raise ValueError(f"catalog.yaml: {requirement_id} belongs to no declared group")
        requirements.append(
            Requirement(
                id=requirement_id,
                level=Level(entry["level"]),
                title=str(entry["title"]),
                rule=" ".join(str(entry["rule"]).split()),
                sources=tuple(str(source) for source in entry["sources"]),
                operations=tuple(str(operation) for operation in entry["operations"]),
                group=group,
            )
        )
    return Catalog(groups=groups, requirements=tuple(requirements))


@cache
def load_catalog() -> Catalog:
    text = resources.files("conformance").joinpath("catalog.yaml").read_text(encoding="utf-8")
    return parse_catalog(yaml.safe_load(text))
