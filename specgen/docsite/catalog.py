"""The conformance requirements that apply to each operation: the catalog YAML file, instantiated per family.

The file is read as data, so `--catalog` takes any file of that shape. Which membership families
(events, groups, …) a requirement is checked for, and on which of their operations, is the suite's own
rule: `conformance.families.applies_to`, a small pure function over the spec, imported here so the site
and the suite never disagree (specgen imports nothing else of the suite, and never the server).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from conformance.catalog import instance_id, read_for
from conformance.families import applies_to, families
from conformance.spec import Spec


class CatalogError(ValueError):
    """The catalog file cannot be read or has not the expected shape."""


@dataclass(frozen=True)
class Instance:
    """A requirement as the suite checks it: once per membership family (`INV-ALL-IDS[group]`, its title
    read for groups, its operations the group's), or once as written (`family` empty)."""

    id: str
    requirement_id: str
    level: str
    title: str
    family: str
    operations: tuple[str, ...]


@dataclass(frozen=True)
class Requirement:
    id: str
    level: str
    title: str
    rule: str
    group: str
    sources: tuple[str, ...]
    operations: tuple[str, ...]
    requires: tuple[str, ...] = ()
    instances: tuple[Instance, ...] = ()
    """How the suite checks it on the published spec (`instantiate`); empty before, or when no family of
    the spec documents what it `requires`."""

    @property
    def families(self) -> list[str]:
        return [instance.family for instance in self.instances if instance.family]


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
                requires=tuple(map(str, entry.get("requires") or [])),
            )
        )
    return requirements


def instantiate(requirements: Iterable[Requirement], spec: Spec) -> list[Requirement]:
    """Each requirement with its instances on `spec`: one per membership family it applies to (the
    operations the catalog names by the event family's operationIds, translated), or one as written.

    Operations the spec does not document are left out, so a catalog written for a larger spec still
    publishes what applies.
    """
    found = families(spec)
    result = []
    for requirement in requirements:
        documented = [op for op in requirement.operations if op in spec.operations]
        try:
            checked = applies_to(spec, found, documented, requirement.requires)
        except ValueError as error:  # a `requires` naming no action
            raise CatalogError(f"{requirement.id}: {error}") from error
        if checked is None:
            instances = [
                Instance(
                    requirement.id,
                    requirement.id,
                    requirement.level,
                    requirement.title,
                    "",
                    tuple(documented),
                )
            ]
        else:
            instances = [
                Instance(
                    instance_id(requirement.id, family),
                    requirement.id,
                    requirement.level,
                    read_for(family, requirement.title),
                    family,
                    operations,
                )
                for family, operations in checked.items()
            ]
        result.append(replace(requirement, instances=tuple(instances)))
    return result


def families_of(requirements: Iterable[Requirement]) -> list[str]:
    """The membership families the requirements are checked for, in the order the spec documents them."""
    return list(dict.fromkeys(family for requirement in requirements for family in requirement.families))


def by_operation(requirements: Iterable[Requirement]) -> dict[str, list[Instance]]:
    """The instances that check each operation, by operationId, in catalog order."""
    index: dict[str, list[Instance]] = {}
    for requirement in requirements:
        for instance in requirement.instances:
            for operation_id in instance.operations:
                index.setdefault(operation_id, []).append(instance)
    return index
