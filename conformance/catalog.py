"""The requirement catalog (catalog.yaml): ids, levels, sources and operations, read by everything else."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
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
    requires: tuple[str, ...] = ()
    """What a family's operations must document for the requirement to apply to it: `action.parameter`
    (`join.users`: POST …/subscribe/ takes a `users` list)."""
    family: str = ""
    """The membership family this instance checks; empty for a requirement of no family."""
    base_id: str = ""
    """The catalog id of an instance (`INV-ALL-IDS` for `INV-ALL-IDS[group]`)."""

    @property
    def group_title(self) -> str:
        return load_catalog().groups.get(self.group, self.group)

    @property
    def catalog_id(self) -> str:
        """The id the catalog and the check registry know it by."""
        return self.base_id or self.id

    def for_family(self, family: str, operations: tuple[str, ...]) -> Requirement:
        """This requirement as checked for one family: `INV-ALL-IDS[group]`, reading `group` for `event`
        in its title and rule (docs/contract.md, Groups)."""
        return replace(
            self,
            id=instance_id(self.id, family),
            base_id=self.id,
            family=family,
            title=read_for(family, self.title),
            rule=read_for(family, self.rule),
            operations=operations,
        )


def instance_id(requirement_id: str, family: str) -> str:
    """The id of a requirement checked for one family, in every report: `INV-ALL-IDS[group]`."""
    return f"{requirement_id}[{family}]"


_EVENT_WORD = re.compile(r"\b(?:(?P<article>[Aa]n?) )?(?P<word>[Ee]vents?)\b")


def read_for(family: str, text: str) -> str:
    """A text written for events, read for `family` (`/api/v2/event/{id}/` → `/api/v2/group/{id}/`,
    "an event id" → "a group id")."""

    def word(match: re.Match[str]) -> str:
        found, article = match["word"], match["article"]
        name = family + ("s" if found.endswith("s") else "")
        name = name.capitalize() if found[0].isupper() else name
        if article is None:
            return name
        indefinite = "an" if family[:1].lower() in "aeiou" else "a"
        return f"{indefinite.capitalize() if article[0].isupper() else indefinite} {name}"

    return _EVENT_WORD.sub(word, text)


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
                requires=tuple(str(feature) for feature in entry.get("requires", ())),
            )
        )
    return Catalog(groups=groups, requirements=tuple(requirements))


@cache
def load_catalog() -> Catalog:
    text = resources.files("conformance").joinpath("catalog.yaml").read_text(encoding="utf-8")
    return parse_catalog(yaml.safe_load(text))
