"""Validation of the body of POST /api/v2/event/ against the Event schema (writable fields only)."""

from __future__ import annotations

import re
from collections.abc import Collection
from urllib.parse import urlsplit

from jsonschema import FormatChecker

from .bodies import ParsedBody
from .errors import Refusal

ENUMS = {
    "privacy": {"public", "private"},
    "recurring": {"never", "daily", "weekly", "monthly"},
    "location": {"in person", "virtual"},
}
REQUIRED = ("name", "privacy", "start_date", "end_date", "recurring", "location")
STRINGS = ("name", "start_date", "end_date", "geolocation", "link", "image_original")
NULLABLE_STRINGS = ("description", "color")
BOOLEANS = ("visible", "active")
NUMBERS = ("geolocation_lat", "geolocation_lng")
DATES = ("start_date", "end_date")
# RFC 3986 scheme, then printable ASCII without spaces: stricter than any URI check a client may apply.
URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[!-~]*", re.ASCII)
RFC3339 = FormatChecker(["date-time"])


def event_fields(body: ParsedBody) -> dict[str, object]:
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
    for name in DATES:
        if not RFC3339.conforms(fields[name], "date-time"):
            raise Refusal(400, f"{name} must be an RFC 3339 date-time such as 2030-01-01T10:00:00Z.")
    if "link" in fields and not _is_uri(str(fields["link"])):
        raise Refusal(400, "link must be an absolute URI.")
    return fields


def _is_uri(text: str) -> bool:
    if not URI.fullmatch(text):
        return False
    try:
        urlsplit(text)
    except ValueError:
        return False
    return True


class _Absent:
    pass


_ABSENT = _Absent()


def _value(body: ParsedBody, name: str, booleans: Collection[str] = BOOLEANS) -> object:
    """The value of ``name``; a form's text read as a boolean for ``booleans``, a number for ``NUMBERS``."""
    if not body.has(name):
        return _ABSENT
    if body.form is None:
        return body.values(name)
    text = body.form.get(name)
    if not isinstance(text, str):
        return text
    if name in booleans:
        return {"true": True, "false": False}.get(text.lower(), text)
    if name in NUMBERS:
        try:
            return float(text)
        except ValueError:
            return text
    return text
