"""The writable fields of a group (the Group schema's create body), validated as the toy reads the schema."""

from __future__ import annotations

from .bodies import ParsedBody
from .errors import Refusal
from .event_fields import _ABSENT, _value


def group_fields(body: ParsedBody) -> dict[str, object]:
    """The stored fields of a new group; 400 naming the first field that does not fit the schema."""
    names = ("name", "privacy", "description", "color", "visible", "active")
    fields = {name: value for name in names if (value := _value(body, name)) is not _ABSENT}
    for name in ("name", "privacy"):
        if name not in fields:
            raise Refusal(400, f"{name} is required.")
    if not isinstance(fields["name"], str):
        raise Refusal(400, "name must be a string.")
    if fields["privacy"] not in ("public", "private"):
        raise Refusal(400, "privacy must be one of ['private', 'public'].")
    for name in ("description", "color"):
        if name in fields and not isinstance(fields[name], str | None):
            raise Refusal(400, f"{name} must be a string or null.")
    for name in ("visible", "active"):
        if name in fields and not isinstance(fields[name], bool):
            raise Refusal(400, f"{name} must be a boolean.")
    return fields
