"""Validation of the body of POST /api/v2/event/ against the Event schema (writable fields only)."""

from __future__ import annotations

import re

from .bodies import Body
from .errors import Refusal

ENUMS = {
    "privacy": {"public", "private"},
    "recurring": {"never", "daily", "weekly", "monthly"},
    "location": {"in person", "virtual"},
}
REQUIRED = ("name", "privacy", "start_date", "recurring", "location")
STRINGS = ("name", "start_date", "geolocation", "link", "image_original")
NULLABLE_STRINGS = ("description", "color")
BOOLEANS = ("visible", "active")
NUMBERS = ("geolocation_lat", "geolocation_lng")
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?", re.ASCII)


def event_fields(body: Body) -> dict[str, object]:
    """The stored fields of a new event; 400 naming the first field that does not fit the schema."""
    fields = {name: _value(body, name) for name in (*ENUMS, *STRINGS, *NULLABLE_STRINGS, *BOOLEANS, *NUMBERS)}
    fields = {name: value for name, value in fields.items() if value is not _ABSENT}
    for name in REQUIRED:
        if name not in fields:
            raise Refusal(400, f"{name} is required.")
    for name, allowed in ENUMS.items():
        if fields[name] not in allowed:
            raise Refusal(400, f"{name} must be one of {sorted(allowed)}.")
    for name in STRINGS:
        if name in fields and not isinstance(fields[name], str):
            raise Refusal(400, f"{name} must be a string.")
    for name in NULLABLE_STRINGS:
        if name in fields and not isinstance(fields[name], str | None):
            raise Refusal(400, f"{name} must be a string or null.")
    for name in BOOLEANS:
        if name in fields and not isinstance(fields[name], bool):
            raise Refusal(400, f"{name} must be a boolean.")
    for name in NUMBERS:
        if name in fields and (isinstance(fields[name], bool) or not isinstance(fields[name], int | float)):
            raise Refusal(400, f"{name} must be a number.")
    if not DATE_TIME.fullmatch(str(fields["start_date"])):
        raise Refusal(400, "start_date must be a date-time such as 2030-01-01T10:00:00Z.")
    return fields


class _Absent:
    pass


_ABSENT = _Absent()


def _value(body: Body, name: str) -> object:
    if not body.has(name):
        return _ABSENT
    if body.form is None:
        return body.values(name)
    text = body.form.get(name)
    if not isinstance(text, str):
        return text
    if name in BOOLEANS:
        return {"true": True, "false": False}.get(text.lower(), text)
    if name in NUMBERS:
        try:
            return float(text)
        except ValueError:
            return text
    return text
