"""Connexion's body validators, made to answer 400 for every undecodable body.

Connexion turns invalid JSON syntax into a 400 but lets invalid UTF-8, nesting deeper than
Python's recursion limit, broken multipart framing and form fields whose schema has no plain
``type`` (``allOf``, ``$ref``) escape as 500s.
"""

from __future__ import annotations

import typing as t

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.uri_parsing import OpenAPIURIParser
from connexion.validators import VALIDATOR_MAP
from connexion.validators.form_data import FormDataValidator, MultiPartFormDataValidator
from connexion.validators.json import JSONRequestBodyValidator
from starlette.formparsers import MultiPartException
from starlette.types import Scope


def _undecodable(media_type: str, exc: Exception) -> BadRequestProblem:
    reason = "it nests too deeply" if isinstance(exc, RecursionError) else str(exc)
    return BadRequestProblem(detail=f"The body is not valid {media_type}: {reason}.")


class JSONBody(JSONRequestBodyValidator):
    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        try:
            return await super()._parse(stream, scope)
        except (UnicodeDecodeError, RecursionError) as exc:
            raise _undecodable("JSON", exc) from exc


class FormBody(FormDataValidator):
    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> dict:
        body = b"".join([chunk async for chunk in stream])
        if body.lstrip()[:1] in (b"{", b"["):
            # The reference pages' own example sends JSON labelled as a form.
            raise BadRequestProblem(
                detail="The body looks like JSON but Content-Type says application/x-www-form-urlencoded; "
                "send it with Content-Type: application/json, or as a form: users=1&users=2."
            )

        async def replay() -> t.AsyncGenerator[bytes, None]:
            yield body

        try:
            return await super()._parse(replay(), scope)
        except (UnicodeDecodeError, MultiPartException) as exc:
            raise _undecodable("form data", exc) from exc


class MultipartBody(MultiPartFormDataValidator):
    async def _parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> dict:
        try:
            return await super()._parse(stream, scope)
        except (UnicodeDecodeError, MultiPartException) as exc:
            raise _undecodable("multipart form data", exc) from exc


class FormFieldsParser(OpenAPIURIParser):
    """Form fields whose schema has no ``type`` are passed through as text for validation to judge."""

    def resolve_form(self, form_data: dict[str, t.Any]) -> dict[str, t.Any]:
        untyped = {
            key: values[0] if len(values) == 1 else values
            for key, values in form_data.items()
            if key in self.form_defns and "type" not in self.form_defns[key]
        }
        typed = super().resolve_form({key: value for key, value in form_data.items() if key not in untyped})
        return {**typed, **untyped}


VALIDATORS = {
    **VALIDATOR_MAP,
    "body": MediaTypeDict(
        {
            "*/*json": JSONBody,
            "application/x-www-form-urlencoded": FormBody,
            "multipart/form-data": MultipartBody,
        }
    ),
}
