"""Connexion's body validators, made to answer 400 for every undecodable or oversized body.

Connexion turns invalid JSON syntax into a 400 but lets invalid UTF-8, nesting deeper than
Python's recursion limit, broken multipart framing and form fields whose schema has no plain
``type`` (``allOf``, ``$ref``) escape as 500s. It also validates bodies on the event loop at a few
microseconds per list item: a 1 MiB list of half a million ids would stall every other request for
seconds, so lists longer than the server accepts are refused before validation.

The parsed body is kept in the request scope for the handlers (see ``parsed_body``): Connexion
would otherwise parse it a second time, and with Starlette's default limit of 1000 form fields.
The validators override the steps Connexion keeps private through the public hooks of
``connexion_compat`` (``parse``, ``validate_body``, ``form_parser_class``).
"""

from __future__ import annotations

import typing as t
from functools import cached_property, partial

from connexion.datastructures import MediaTypeDict
from connexion.exceptions import BadRequestProblem
from connexion.uri_parsing import OpenAPIURIParser
from connexion.validators import VALIDATOR_MAP
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.types import Receive, Scope

from reference_impl import quick_accept
from reference_impl.connexion_compat import FormBodyValidator, JSONBodyValidator, MultipartBodyValidator

# The reference server's limit on the ids of one request (docs/contract.md, rule 29).
MAX_LIST_ITEMS = 10_000
# Room in a form for the fields that are not the list.
MAX_FORM_FIELDS = MAX_LIST_ITEMS + 100


_PARSED_BODY = "reference_impl.parsed_body"


def _keep(scope: Scope, body: t.Any) -> t.Any:
    scope.setdefault("extensions", {})[_PARSED_BODY] = body
    return body


def parsed_body(scope: Scope) -> t.Any:
    """The body as parsed (and, by the time a handler runs, validated) for this request."""
    return scope["extensions"][_PARSED_BODY]


# Shown to the handler layer in place of a form media type, see _FormAlreadyParsed.
PARSED_FORM_MEDIA_TYPE = b"application/x.reference-impl.parsed-form"


class _FormAlreadyParsed:
    """Once a form is parsed and validated here, the handler layer sees an opaque media type.

    Connexion's handler layer reads the form again for file arguments, with Starlette's default
    limit of 1000 fields; the handlers take the parsed form from ``parsed_body`` instead.
    """

    async def wrap_receive(self, receive: Receive, *, scope: Scope) -> tuple[Receive, Scope]:
        receive, scope = await super().wrap_receive(receive, scope=scope)  # type: ignore[misc]
        headers = [(name, value) for name, value in scope["headers"] if name != b"content-type"]
        return receive, {**scope, "headers": [*headers, (b"content-type", PARSED_FORM_MEDIA_TYPE)]}


def refuse_long_lists(body: t.Any) -> None:
    if isinstance(body, dict):
        for key, value in body.items():
            if isinstance(value, list) and len(value) > MAX_LIST_ITEMS:
                detail = (
                    f"'{key}' holds {len(value)} items; at most {MAX_LIST_ITEMS} are accepted per request."
                )
                raise BadRequestProblem(detail=detail)


def _undecodable(media_type: str, exc: Exception) -> BadRequestProblem:
    reason = "it nests too deeply" if isinstance(exc, RecursionError) else str(exc)
    return BadRequestProblem(detail=f"The body is not valid {media_type}: {reason}.")


class JSONBody(JSONBodyValidator):
    async def parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> t.Any:
        try:
            body = await super().parse(stream, scope)
        except (ValueError, RecursionError) as exc:
            # ValueError: undecodable bytes, or an integer longer than Python converts (4300 digits).
            raise _undecodable("JSON", exc) from exc
        refuse_long_lists(body)
        return _keep(scope, body)

    def validate_body(self, body: t.Any) -> t.Any:
        # No body at all where the body is optional (POST /api/v2/group/{id}/subscribe/ without `users`):
        # nothing to validate. Connexion would refuse it as "must not be empty" unless the schema is nullable.
        if body is None and not self.body_required:
            return None
        return super().validate_body(body)


class QuickJSONBody(JSONBody):
    """``JSONBody``, with bodies of plain structure accepted by a compiled check first (``quick_accept``);
    the others, and every refusal, are Connexion's validator's."""

    def validate_body(self, body: t.Any) -> t.Any:
        accepts = self._accepts
        if accepts is not None and accepts(body):
            return None  # what Connexion's check returns for a valid body
        return super().validate_body(body)

    @cached_property
    def _accepts(self) -> quick_accept.Check | None:
        """Made once per operation and media type, as the validator itself (``fast_validation``)."""
        return quick_accept.compiled_check(self.body_schema)


class FormBody(_FormAlreadyParsed, FormBodyValidator):
    @property
    def form_parser_class(self) -> t.Any:
        # Starlette's default of 1000 fields would refuse a list the contract allows.
        return partial(FormParser, max_fields=MAX_FORM_FIELDS)

    async def parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> dict:
        body = b"".join([chunk async for chunk in stream])
        if body.lstrip()[:1] in (b"{", b"["):
            # The reference pages' own example sends JSON labelled as a form.
            raise BadRequestProblem(
                detail="The body looks like JSON but Content-Type says application/x-www-form-urlencoded; "
                "send it with Content-Type: application/json, or as a form: users=1&users=2."
            )

        if body.count(b"&") >= MAX_FORM_FIELDS:
            raise BadRequestProblem(detail=f"The form has more than {MAX_FORM_FIELDS} fields.")

        async def replay() -> t.AsyncGenerator[bytes, None]:
            yield body

        try:
            form = await super().parse(replay(), scope)
        except (UnicodeDecodeError, MultiPartException) as exc:
            raise _undecodable("form data", exc) from exc
        refuse_long_lists(form)
        return _keep(scope, form)


class MultipartBody(_FormAlreadyParsed, MultipartBodyValidator):
    @property
    def form_parser_class(self) -> t.Any:
        # Starlette's default of 1000 fields would refuse a list the contract allows.
        return partial(MultiPartParser, max_fields=MAX_FORM_FIELDS)

    async def parse(self, stream: t.AsyncGenerator[bytes, None], scope: Scope) -> dict:
        try:
            form = await super().parse(stream, scope)
        except (UnicodeDecodeError, MultiPartException) as exc:
            raise _undecodable("multipart form data", exc) from exc
        refuse_long_lists(form)
        return _keep(scope, form)


class FormFieldsParser(OpenAPIURIParser):
    """Form fields and query parameters whose schema has no ``type`` are passed through as text for
    validation to judge (one value as it is, repeated ones as a list): Connexion reads every query
    parameter's ``type`` and would fail with a 500 on one that has none (the course members list's
    ``statuses`` is ``anyOf`` a list and a string)."""

    def resolve_query(self, query_data: dict[str, t.Any]) -> dict[str, t.Any]:
        untyped = {
            key: values[0] if isinstance(values, list) and len(values) == 1 else values
            for key, values in query_data.items()
            if key in self.param_schemas and "type" not in self.param_schemas[key]
        }
        typed = super().resolve_query({key: value for key, value in query_data.items() if key not in untyped})
        return {**typed, **untyped}

    def resolve_form(self, form_data: dict[str, t.Any]) -> dict[str, t.Any]:
        untyped = {
            key: values[0] if len(values) == 1 else values
            for key, values in form_data.items()
            if key in self.form_defns and "type" not in self.form_defns[key]
        }
        typed = super().resolve_form({key: value for key, value in form_data.items() if key not in untyped})
        return {**typed, **untyped}


def _validators(json_body: type[JSONBody]) -> dict[str, t.Any]:
    return {
        **VALIDATOR_MAP,
        "body": MediaTypeDict(
            {
                "*/*json": json_body,
                "application/x-www-form-urlencoded": FormBody,
                "multipart/form-data": MultipartBody,
            }
        ),
    }


#: The body validators of the server; with ``serve --stock-connexion``, Connexion's validator judges every
#: JSON body itself (``STOCK_VALIDATORS``), so that mode checks the quick acceptance too.
VALIDATORS = _validators(QuickJSONBody)
STOCK_VALIDATORS = _validators(JSONBody)
