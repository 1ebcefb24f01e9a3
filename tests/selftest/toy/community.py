"""The community options the toy runs with: server settings the API does not expose (docs/contract.md, 47)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class CommunityOptions:
    """Each option with the value a community has when nobody set it."""

    content_availability: bool = True
    """Anonymous callers read a resource's info while it is true."""
    courses_only_staff_enabled: bool = False
    """Only staff members create courses while it is true."""

    def with_settings(self, settings: Iterable[str]) -> CommunityOptions:
        """These options with each ``NAME=true|false`` of ``settings``; ValueError names a wrong one."""
        known = {f.name for f in fields(self)}
        changed: dict[str, bool] = {}
        for setting in settings:
            name, _, value = setting.partition("=")
            if name not in known or value.lower() not in BOOLEANS:
                raise ValueError(f"{setting!r}: expected NAME=true|false, NAME one of {sorted(known)}")
            changed[name] = BOOLEANS[value.lower()]
        return replace(self, **changed)
