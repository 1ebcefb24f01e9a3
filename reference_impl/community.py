"""Community options: the server's settings that ``x-access`` conditions name.

A server states its settings (``serve --community-option NAME=VALUE`` or
``$CONTRACT_COMMUNITY_OPTIONS``, e.g. ``content_availability=false,other=true``); options left unset
take the default below.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

OptionValue = bool | str | int
COMMUNITY_OPTIONS_ENV = "CONTRACT_COMMUNITY_OPTIONS"

# Name → default. The pages say authentication is required "only if content_availability is false":
# unset, it is true and anonymous callers may read event info. "If courses_only_staff_enabled is true
# only staff members can create new courses": unset, it is false and anyone may.
DEFAULTS: dict[str, OptionValue] = {"content_availability": True, "courses_only_staff_enabled": False}


class CommunityOptionError(ValueError):
    """An option setting this server cannot use; the message says what to write instead."""


def _known() -> str:
    return ", ".join(f"{name} (default {format_value(value)})" for name, value in sorted(DEFAULTS.items()))


def format_value(value: OptionValue) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _value(name: str, text: str) -> OptionValue:
    default = DEFAULTS[name]
    if isinstance(default, bool):
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise CommunityOptionError(f"community option {name} is true or false, not {text!r}.")
        return lowered == "true"
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise CommunityOptionError(f"community option {name} is an integer, not {text!r}.") from None
    return text


def parse_setting(setting: str) -> tuple[str, OptionValue]:
    """``NAME=VALUE`` → (name, typed value); refuses unknown names and values of the wrong type."""
    name, equals, text = setting.partition("=")
    name = name.strip()
    if not equals or not name:
        raise CommunityOptionError(f"{setting!r} is not NAME=VALUE, e.g. content_availability=false.")
    if name not in DEFAULTS:
        raise CommunityOptionError(f"unknown community option {name!r}; this server knows {_known()}.")
    return name, _value(name, text)


def resolve(settings: Iterable[str] = (), environment: str | None = None) -> dict[str, OptionValue]:
    """Defaults, overridden by the comma-separated ``environment``, overridden by ``settings``."""
    options = dict(DEFAULTS)
    for setting in (environment or "").split(","):
        if setting.strip():
            try:
                options.update([parse_setting(setting)])
            except CommunityOptionError as exc:
                raise CommunityOptionError(f"${COMMUNITY_OPTIONS_ENV}: {exc}") from None
    options.update(parse_setting(setting) for setting in settings)
    return options


def from_environment() -> dict[str, OptionValue]:
    return resolve(environment=os.environ.get(COMMUNITY_OPTIONS_ENV))


def serialise(options: Mapping[str, OptionValue]) -> str:
    """The form ``$CONTRACT_COMMUNITY_OPTIONS`` takes, e.g. for uvicorn's worker processes."""
    return ",".join(f"{name}={format_value(value)}" for name, value in sorted(options.items()))
