"""Request bodies in the three media types of the contract, and the validation of ``users``."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from .errors import Refusal

DIGITS = re.compile(r"[0-9]+")
JSON = "application/json"
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


@dataclass
class ParsedBody:
    """A parsed body: a JSON value, or the fields of a form (urlencoded or multipart)."""

    json: object = None
    form: FormData | None = None

    def has(self, name: str) -> bool:
        if self.form is not None:
            return name in self.form
        return isinstance(self.json, dict) and name in self.json

    def values(self, name: str) -> list[object]:
        """Every value of ``name`` in a form; the JSON value itself otherwise."""
        if self.form is not None:
            return list(self.form.getlist(name))
        assert isinstance(self.json, dict)
        return self.json[name]


class InvalidUsers(Refusal):
    """400: an item of ``users`` is not the id of a user (or the list itself is wrong)."""

    def __init__(self, message: str, valid_before: list[int] | None = None) -> None:
        super().__init__(400, message)
        self.valid_before = list(valid_before or ())
        """The valid ids ahead of the invalid item, which an atomic server leaves untouched."""


class BodyReader:
    """Reads JSON and both form media types, and the ``users`` list of ids of ``known`` users."""

    FORMS = frozenset({URLENCODED, MULTIPART})

    def __init__(self, known: Collection[int]) -> None:
        self.known = known

    async def read(self, request: Request) -> ParsedBody:
        """The body in any accepted media type; 400 when malformed, 415 for any other media type."""
        raw = await request.body()
        media_type = self.media_type(request.headers.get("content-type", ""))
        if media_type == JSON or media_type.endswith("+json") or (not media_type and not raw):
            return self.json(raw) if raw or media_type else ParsedBody(json={})
        if media_type not in self.FORMS:
            return self.other_media_type(media_type, raw)
        try:
            form = await request.form()
            _reject_unencodable(
                [value for item in form.multi_items() for value in item if isinstance(value, str)]
            )
        except (MultiPartException, ValueError, AssertionError) as exc:
            raise Refusal(400, f"The form body cannot be read: {exc}.") from exc
        return ParsedBody(form=form)

    def media_type(self, header: str) -> str:
        """The media type a Content-Type header names: parameters aside, compared without case."""
        return header.split(";")[0].strip().lower()

    def json(self, raw: bytes) -> ParsedBody:
        try:
            value = json.loads(raw, parse_constant=_reject_constant)
            _reject_unencodable(value)
        except ValueError as exc:
            raise self.malformed(exc) from exc
        if not isinstance(value, dict):
            raise Refusal(400, "The body must be a JSON object.")
        return ParsedBody(json=value)

    def malformed(self, exc: ValueError) -> Exception:
        return Refusal(400, f"The body is not valid JSON: {exc}.")

    def other_media_type(self, media_type: str, raw: bytes) -> ParsedBody:
        raise Refusal(415, f"Unsupported media type {media_type or '(none)'}: send JSON or a form.")

    def users(self, body: ParsedBody, name: str = "users") -> list[int]:
        """The ids of the list ``name`` (``users``; a course's role lists), every one of a known user;
        InvalidUsers naming the first that is not."""
        ids: list[int] = []
        for item in self.items(body, name):
            user_id = self.user_id(item, from_form=body.form is not None)
            if user_id is None:
                raise InvalidUsers(f"{name} must hold user ids (integers), not {item!r}.", ids)
            if user_id not in self.known:
                raise InvalidUsers(f"There is no user with id {user_id}.", ids)
            ids.append(user_id)
        return ids

    def items(self, body: ParsedBody, name: str = "users") -> list[object]:
        """The items of the required list ``name``: a JSON array, or every value of the form field."""
        if not body.has(name):
            raise InvalidUsers(f"{name} is required.")
        values = body.values(name)
        if body.form is None and not isinstance(values, list):
            raise InvalidUsers(f"{name} must be a list of user ids.")
        return values

    def user_id(self, item: object, *, from_form: bool) -> int | None:
        """An id: a JSON integer, or a form field's digits (forms carry text only)."""
        return as_id(item, from_form=from_form, lenient=False)


def as_id(item: object, *, from_form: bool, lenient: bool) -> int | None:
    """``item`` as an id; ``lenient`` reads digits in JSON strings too."""
    if type(item) is int:
        return item
    if isinstance(item, str) and (from_form or lenient) and DIGITS.fullmatch(item):
        return int(item)
    return None


def form_of(raw: bytes) -> ParsedBody:
    """``raw`` read as urlencoded fields, whatever its media type says."""
    return ParsedBody(form=FormData(parse_qsl(raw.decode("latin-1"))))


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _reject_unencodable(value: object) -> None:
    """Lone surrogates decode from JSON escapes but cannot be stored or sent back as UTF-8."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_unencodable(key)
            _reject_unencodable(item)
    elif isinstance(value, list):
        for item in value:
            _reject_unencodable(item)
