"""The writable fields of a course (the Course schema's create body), validated as the toy reads it."""

from __future__ import annotations

from .bodies import ParsedBody
from .errors import Refusal
from .event_fields import _ABSENT, _value

TYPES = ("self-paced", "structured", "scheduled")
PRIVACY = ("", "open", "private", "secret")
STRINGS = (
    "name", "type", "privacy", "description", "slug", "image_original", "meta_title", "meta_description",
    "og_title", "og_description", "og_image",
)  # fmt: skip
BOOLEANS = ("hide_member_count", "enforce_lessons_order", "new_comment_notification_enabled")
# Lists of ids of things the toy has none of (categories, sections): only an empty one names nothing unknown.
LISTS = ("categories", "sections_order")


def course_fields(body: ParsedBody) -> dict[str, object]:
    """The stored fields of a new course, ``privacy`` ``""`` (a draft) unless given; 400 naming the first
    field that does not fit the schema (docs/contract.md, rule 55)."""
    read = ((name, _value(body, name, BOOLEANS)) for name in (*STRINGS, *BOOLEANS))
    fields = {name: value for name, value in read if value is not _ABSENT}
    for name in ("name", "type"):
        if name not in fields:
            raise Refusal(400, f"{name} is required.")
    for name in STRINGS:
        if name in fields and not isinstance(fields[name], str):
            raise Refusal(400, f"{name} must be a string.")
    if not str(fields["name"]).strip():
        raise Refusal(400, "name must not be blank.")
    if fields["type"] not in TYPES:
        raise Refusal(400, f"type must be one of {list(TYPES)}.")
    fields.setdefault("privacy", "")
    if fields["privacy"] not in PRIVACY:
        raise Refusal(400, f"privacy must be one of {list(PRIVACY)}.")
    for name in BOOLEANS:
        if name in fields and not isinstance(fields[name], bool):
            raise Refusal(400, f"{name} must be a boolean.")
    for name in LISTS:
        if body.has(name):
            values = body.values(name)
            if not isinstance(values, list):
                raise Refusal(400, f"{name} must be a list of ids.")
            if values:
                raise Refusal(400, f"{name}: there is no such id ({values[0]!r}).")
    return fields
