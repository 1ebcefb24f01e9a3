"""Request bodies in the three media types of the contract, and the validation of ``users``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from .errors import Refusal, ServerFault
from .quirks import Quirks

DIGITS = re.compile(r"[0-9]+")


@dataclass
class Body:
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


async def read_body(request: Request, quirks: Quirks) -> Body:
    """The body in any accepted media type; 400 when malformed, 415 for any other media type."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    _refuse_spelling(request.headers.get("content-type", ""), media_type, quirks)
    if media_type == "application/json" or media_type.endswith("+json") or (not media_type and not raw):
        if not raw and not media_type:
            return Body(json={})
        try:
            value = json.loads(raw, parse_constant=_reject_constant)
            _reject_unencodable(value)
        except ValueError as exc:
            if quirks.malformed_json_500:
                raise ServerFault from exc
            raise Refusal(400, f"The body is not valid JSON: {exc}.") from exc
        if not isinstance(value, dict):
            raise Refusal(400, "The body must be a JSON object.")
        return Body(json=value)
    accepted_forms = {
        "application/x-www-form-urlencoded": quirks.accept_form,
        "multipart/form-data": quirks.accept_multipart,
    }
    if media_type not in accepted_forms and quirks.any_media_type_as_form:
        return Body(form=FormData(parse_qsl(raw.decode("latin-1"))))
    if not accepted_forms.get(media_type, False):
        raise Refusal(415, f"Unsupported media type {media_type or '(none)'}: send JSON or a form.")
    try:
        form = await request.form()
        _reject_unencodable(
            [value for item in form.multi_items() for value in item if isinstance(value, str)]
        )
    except (MultiPartException, ValueError, AssertionError) as exc:
        raise Refusal(400, f"The form body cannot be read: {exc}.") from exc
    return Body(form=form)


def _refuse_spelling(header: str, media_type: str, quirks: Quirks) -> None:
    """What servers that compare the Content-Type header as a whole string do (faults only)."""
    if media_type not in ("application/json", "application/x-www-form-urlencoded"):
        return
    if quirks.media_type_params_refused and ";" in header:
        raise Refusal(415, f"Unsupported media type {header}.")
    if quirks.media_type_case_sensitive and header.split(";")[0].strip() != media_type:
        raise Refusal(415, f"Unsupported media type {header}.")


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


def users_field(body: Body, quirks: Quirks, known: set[int]) -> tuple[list[int], str | None]:
    """The valid leading ids of ``users`` and, when one is invalid, why the request must be refused."""
    if not body.has("users"):
        return ([], None) if not quirks.require_users else ([], "users is required.")
    values = body.values("users")
    if body.form is None and not isinstance(values, list):
        if not quirks.scalar_users_as_list:
            return [], "users must be a list of user ids."
        values = [values]
    if not values and quirks.empty_list_400:
        return [], "users must not be empty."
    ids: list[int] = []
    for item in values:
        if body.form is None:
            _crash_on(item, quirks)
        lenient = quirks.drop_bad_items or quirks.numeric_string_accepted
        user_id = _as_id(item, from_form=body.form is not None, lenient=lenient)
        if user_id is None:
            if quirks.drop_bad_items:
                continue
            return ids, f"users must hold user ids (integers), not {item!r}."
        if user_id not in known:
            if quirks.ignore_unknown_users:
                continue
            return ids, f"There is no user with id {user_id}."
        ids.append(user_id)
    return ids, None


def _crash_on(item: object, quirks: Quirks) -> None:
    """Id forms some servers fail on (faults only)."""
    if quirks.numeric_string_500 and isinstance(item, str) and DIGITS.fullmatch(item):
        raise ServerFault
    if quirks.huge_id_500 and type(item) is int and abs(item) >= 2**63:
        raise ServerFault


def _as_id(item: object, *, from_form: bool, lenient: bool) -> int | None:
    if type(item) is int:
        return item
    if isinstance(item, str) and (from_form or lenient) and DIGITS.fullmatch(item):
        return int(item)
    return None
