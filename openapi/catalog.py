"""The conformance requirements (``catalog.yaml``) and their one loader.

Every requirement has an id, a level (RFC 2119), a title, the rule it checks, its sources and the
operations it is about, named by the catalog family's operationIds (``families.CATALOG_FAMILY``). A
requirement about a family's operations is checked once per membership family of the document, on that
family's operations and reading its name for "event" (``INV-ALL-IDS[group]``); ``instances`` is that one
rule, read by the suite's plan and by the published docs alike.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from openapi.document import Spec
from openapi.families import ACTIONS, FACTS, Family, family_of


class CatalogError(ValueError):
    """The catalog cannot be read or has not the expected shape; the message says where."""


class Level(enum.StrEnum):
    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


@dataclass(frozen=True)
class Requirement:
    """A catalog entry, or one instance of it checked for a membership family (``family`` set)."""

    id: str
    level: Level
    title: str
    rule: str
    sources: tuple[str, ...]
    operations: tuple[str, ...]
    group: str
    group_title: str
    requires: tuple[str, ...] = ()
    """What a family must document for the requirement to apply to it: ``action.name`` (``join.users``:
    POST …/subscribe/ takes a ``users`` list) or a fact of ``openapi.families.FACTS``, ``!`` denying it."""
    family: str = ""
    """The membership family this instance checks; empty for a requirement of no family."""
    base_id: str = ""
    """The catalog id of an instance (``INV-ALL-IDS`` for ``INV-ALL-IDS[group]``)."""

    @property
    def catalog_id(self) -> str:
        """The id the catalog and the check registry know it by."""
        return self.base_id or self.id

    def for_family(self, family: str, operations: Iterable[str]) -> Requirement:
        """This requirement as checked for one family: ``INV-ALL-IDS[group]``, reading ``group`` for
        ``event`` in its title and rule (docs/contract.md, Groups)."""
        return replace(
            self,
            id=instance_id(self.id, family),
            base_id=self.id,
            family=family,
            title=read_for(family, self.title),
            rule=read_for(family, self.rule),
            operations=tuple(operations),
        )


def instance_id(requirement_id: str, family: str) -> str:
    """The id of a requirement checked for one family, in every report: ``INV-ALL-IDS[group]``."""
    return f"{requirement_id}[{family}]"


_EVENT_WORD = re.compile(r"\b(?:(?P<article>[Aa]n?) )?(?P<word>[Ee]vents?)\b")


def read_for(family: str, text: str) -> str:
    """A text written for events, read for ``family`` (``/api/v2/event/{id}/`` → ``/api/v2/group/{id}/``,
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
        raise KeyError(f"{requirement_id} is not in the catalog")

    def __iter__(self) -> Iterator[Requirement]:
        return iter(self.requirements)

    def __len__(self) -> int:
        return len(self.requirements)

    @property
    def ids(self) -> list[str]:
        return [requirement.id for requirement in self.requirements]


_KEYS = {"id", "level", "title", "rule", "sources", "operations", "requires"}
_REQUIRED = ("id", "level", "title", "rule", "sources", "operations")


def parse_catalog(data: Any, where: str = "catalog.yaml") -> Catalog:
    """The catalog from its YAML data; ``CatalogError`` names the entry and what is wrong with it."""
    if not isinstance(data, Mapping) or not isinstance(data.get("groups"), Mapping):
        raise CatalogError(f"{where}: expected a mapping with `groups` and `requirements`")
    entries = data.get("requirements")
    if not isinstance(entries, list):
        raise CatalogError(f"{where}: `requirements` must be a list")
    groups = {str(key): str(value) for key, value in data["groups"].items()}
    requirements: list[Requirement] = []
    for position, entry in enumerate(entries, 1):
        name = entry.get("id", f"#{position}") if isinstance(entry, Mapping) else f"#{position}"
        if not isinstance(entry, Mapping) or (missing := [key for key in _REQUIRED if key not in entry]):
            raise CatalogError(f"{where}: requirement {name} lacks {', '.join(missing) or 'everything'}")
        if unknown := sorted(set(entry) - _KEYS):
            raise CatalogError(f"{where}: requirement {name} has unknown key(s) {', '.join(unknown)}")
        requirement_id = str(entry["id"])
        if requirement_id in (r.id for r in requirements):
            raise CatalogError(f"{where}: duplicate requirement id {requirement_id}")
        group = requirement_id.split("-", 1)[0]
        if group not in groups:
            raise CatalogError(f"{where}: {requirement_id} belongs to no declared group")
        try:
            level = Level(entry["level"])
        except ValueError:
            raise CatalogError(
                f"{where}: {requirement_id} has level {entry['level']!r}, not MUST, SHOULD or MAY"
            ) from None
        requires = tuple(str(feature) for feature in entry.get("requires", ()))
        for feature in requires:
            if "." in feature and feature.partition(".")[0] not in ACTIONS:
                raise CatalogError(
                    f"{where}: {requirement_id} requires {feature!r}, which names no action "
                    f"({', '.join(ACTIONS)})"
                )
            if "." not in feature and feature.removeprefix("!") not in FACTS:
                raise CatalogError(
                    f"{where}: {requirement_id} requires {feature!r}, which names no fact of a family "
                    f"({', '.join(FACTS)}) and no `action.name`"
                )
        requirements.append(
            Requirement(
                id=requirement_id,
                level=level,
                title=str(entry["title"]),
                rule=" ".join(str(entry["rule"]).split()),
                sources=tuple(str(source) for source in entry["sources"]),
                operations=tuple(str(operation) for operation in entry["operations"]),
                group=group,
                group_title=groups[group],
                requires=requires,
            )
        )
    return Catalog(groups=groups, requirements=tuple(requirements))


def read_catalog(path: Path) -> Catalog:
    """The catalog in the file at ``path`` (``publishing docs --catalog``)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CatalogError(f"{path}: cannot read the catalog: {error}") from error
    return parse_catalog(data, str(path))


@cache
def load_catalog() -> Catalog:
    """The catalog this package ships."""
    text = resources.files("openapi").joinpath("catalog.yaml").read_text(encoding="utf-8")
    return parse_catalog(yaml.safe_load(text))


def applies_to(
    spec: Spec, families: Iterable[Family], requirement: Requirement
) -> dict[str, tuple[str, ...]] | None:
    """The families ``requirement`` is checked for, each with its own operationIds for the ones the
    catalog names; None when they name no family's operation (it is checked once, as written).

    A family gets it when it has one of its operations and satisfies every ``requires`` item.
    Operations the document lacks are left out, so a catalog written for a larger document still applies.
    """
    named = [spec.operations[op] for op in requirement.operations if op in spec.operations]
    if not any(family_of(operation) for operation in named):
        return None
    found: dict[str, tuple[str, ...]] = {}
    for family in families:
        if not all(family.satisfies(feature) for feature in requirement.requires):
            continue
        operations = family.operations_for(operation.operation_id for operation in named)
        if any(family.owns(operation) for operation in operations):
            found[family.name] = tuple(operation.operation_id for operation in operations)
    return found


def instances(spec: Spec, families: Iterable[Family], requirement: Requirement) -> list[Requirement]:
    """How ``requirement`` is checked on ``spec``: once per family it applies to, or once as written
    (with the operations the document has); none when no family documents what it ``requires``."""
    checked = applies_to(spec, list(families), requirement)
    if checked is None:
        documented = tuple(op for op in requirement.operations if op in spec.operations)
        return [replace(requirement, operations=documented)]
    return [requirement.for_family(family, operations) for family, operations in checked.items()]
