"""One place where every fault and variant of the toy is registered under its name.

A fault or variant is a subclass of one part of the toy (see ``ToyParts``) overriding the method that
makes the choice it changes; ``@fault(...)`` or ``@variant(...)`` registers it with what it breaks or
what the suite must observe.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from .app import ToyParts

Profile = Literal["quick", "full"]
Override = TypeVar("Override", bound=type)


@dataclass(frozen=True)
class Fault:
    """One contract fault.

    ``breaks``: the requirement ids a conformance run must report as failed. ``also``: ids the fault
    may fail as well, because they rest on the same broken behaviour. ``profile``: the smallest
    conformance profile that reaches the fault. ``families``: the membership families whose run
    (``--family``) must catch it; the toy's parts serve events and groups alike, and courses where the
    course parts keep the shared behaviour, so a fault of the shared lifecycle can be checked in each,
    a group rule's fault only in ``group`` and a course rule's only in ``course``.
    """

    name: str
    summary: str
    breaks: frozenset[str]
    also: frozenset[str] = frozenset()
    profile: Profile = "quick"
    families: tuple[str, ...] = ("event",)
    parts: ToyParts = field(default_factory=ToyParts)


@dataclass(frozen=True)
class Variant:
    """A correct server.

    ``observes``: tolerance requirement id → words its observation must contain. ``misses``: SHOULD
    requirements the variant leaves aside on purpose (they fail without failing the run). ``families``:
    the families whose run must accept it (a reading of the course pages: ``course``).
    """

    name: str
    summary: str
    observes: dict[str, str]
    misses: frozenset[str] = frozenset()
    families: tuple[str, ...] = ("event",)
    parts: ToyParts = field(default_factory=ToyParts)


FAULTS: dict[str, Fault] = {}
VARIANTS: dict[str, Variant] = {}


def fault(
    name: str,
    summary: str,
    *,
    breaks: Iterable[str],
    also: Iterable[str] = (),
    profile: Profile = "quick",
    families: tuple[str, ...] = ("event",),
    with_parts: tuple[type, ...] = (),
) -> Callable[[Override], Override]:
    """Register the decorated override (and ``with_parts``, other parts it relies on) as fault ``name``."""

    def register(override: Override) -> Override:
        _unique(name, FAULTS, VARIANTS)
        parts = ToyParts().replaced(override, *with_parts)
        FAULTS[name] = Fault(name, summary, frozenset(breaks), frozenset(also), profile, families, parts)
        return override

    return register


def variant(
    name: str,
    summary: str,
    observes: dict[str, str] | None = None,
    *,
    misses: Iterable[str] = (),
    families: tuple[str, ...] = ("event",),
) -> Callable[[Override], Override]:
    """Register the decorated override as variant ``name``."""

    def register(override: Override) -> Override:
        _unique(name, FAULTS, VARIANTS)
        parts = ToyParts().replaced(override)
        VARIANTS[name] = Variant(name, summary, observes or {}, frozenset(misses), families, parts)
        return override

    return register


def _unique(name: str, *registries: Mapping[str, object]) -> None:
    if any(name in registry for registry in registries):
        raise ValueError(f"{name} is registered twice")
