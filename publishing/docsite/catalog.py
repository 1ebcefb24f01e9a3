"""The conformance requirements that check each operation: the core's catalog, with its instances on the
published document.

The catalog is read by the core's one loader (``openapi.catalog``, strict: ``--catalog FILE`` must have
the catalog's shape). Which membership families (events, groups, …) a requirement is checked for, and on
which of their operations, is the core's one rule too (``openapi.catalog.instances``), which the suite's
plan reads as well: the site and the suite never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openapi.catalog import Catalog, Requirement, instances
from openapi.document import Spec
from openapi.families import families


@dataclass(frozen=True)
class RequirementView:
    """A catalog entry and how the suite checks it on the published document: once per membership family
    (``INV-ALL-IDS[group]``, its title read for groups, its operations the group's), or once as written;
    no instance when no family of the document documents what it ``requires``."""

    entry: Requirement
    instances: tuple[Requirement, ...]

    @property
    def families(self) -> list[str]:
        return [instance.family for instance in self.instances if instance.family]


def published(catalog: Catalog, document: Spec) -> list[RequirementView]:
    """Every requirement of ``catalog`` with its instances on ``document``, in catalog order."""
    checked = families(document)
    return [RequirementView(entry, tuple(instances(document, checked, entry))) for entry in catalog]


def families_of(requirements: Iterable[RequirementView]) -> list[str]:
    """The membership families the requirements are checked for, in the order the spec documents them."""
    return list(dict.fromkeys(family for requirement in requirements for family in requirement.families))


def by_operation(requirements: Iterable[RequirementView]) -> dict[str, list[Requirement]]:
    """The instances that check each operation, by operationId, in catalog order."""
    index: dict[str, list[Requirement]] = {}
    for requirement in requirements:
        for instance in requirement.instances:
            for operation_id in instance.operations:
                index.setdefault(operation_id, []).append(instance)
    return index
