"""Community options (x-access `option`/`options`): stated by the user, or observed by the checks.

A server runs with community settings the suite cannot read (e.g. `content_availability`). The user
may state them with `--community-option NAME=VALUE`; the checks then assert the behaviour they imply.
An option left unstated is observed: the checks accept every value and report which one the server
appears to run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from openapi.document import Spec


class OptionError(ValueError):
    """A `--community-option` the suite cannot use; the message says what to pass instead."""


def known_options(spec: Spec) -> set[str]:
    """Every community option the access rules of the spec depend on."""
    return {name for operation in spec.operations.values() for name in operation.access.option_names}


def parse_value(text: str) -> Any:
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered.lstrip("-").isdigit():
        return int(lowered)
    return text.strip()


def parse_options(pairs: Iterable[str], spec: Spec) -> dict[str, Any]:
    """`NAME=VALUE` pairs into a dict; an unknown name or a missing `=` raises OptionError."""
    known = known_options(spec)
    options: dict[str, Any] = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        name = name.strip()
        if not separator or not name or not value.strip():
            raise OptionError(f"{pair!r} is not NAME=VALUE, e.g. content_availability=false")
        if name not in known:
            raise OptionError(
                f"{name!r} is not a community option of {spec.path.name} "
                f"(known: {', '.join(sorted(known)) or 'none'})"
            )
        options[name] = parse_value(value)
    return options


def settings_lines(options: Mapping[str, Any], readings: Mapping[str, str]) -> list[str]:
    """One line per stated option and per reading, for every report."""
    lines = [
        f"{name}={str(value).lower()} (stated)" + (f": {readings[name]}" if name in readings else "")
        for name, value in sorted(options.items())
    ]
    lines += [f"{key}: {text}" for key, text in readings.items() if key not in options]
    return lines
