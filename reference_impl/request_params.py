"""Which request parameters are present, for ``x-access`` rules that say ``when: {param: [...]}``, and
the values of those that rules compare (``when: {param_value: {view: [edit]}}``).

A parameter is present when the query string has it (even empty: ``?user=``), or, for an operation
whose request body declares it, when the body has that field. Only the names the rules ask about
are looked for; bodies are read only for operations whose rules name a body field. Values are read
from the query string only (every value a repeated parameter has).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Message, Receive, Scope

if TYPE_CHECKING:
    from reference_impl.access_policy import OperationPolicy

_BODY_FIELDS = "reference_impl.body_fields"


def _query_names(scope: Scope) -> set[str]:
    query = scope.get("query_string", b"").decode("latin-1")
    return {name for name, _ in parse_qsl(query, keep_blank_values=True)}


def present_params(policy: OperationPolicy, scope: Scope) -> frozenset[str]:
    """The names among those ``policy``'s conditions mention that this request carries."""
    if not policy.query_params and not policy.body_params:
        return frozenset()
    present = _query_names(scope) & policy.query_params
    body_fields: frozenset[str] = scope.get("extensions", {}).get(_BODY_FIELDS, frozenset())
    return frozenset(present | (body_fields & policy.body_params))


def query_values(policy: OperationPolicy, scope: Scope) -> dict[str, tuple[str, ...]]:
    """The values of the query parameters ``policy``'s conditions compare, as the request sends them."""
    if not policy.value_params:
        return {}
    query = scope.get("query_string", b"").decode("latin-1")
    values: dict[str, tuple[str, ...]] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in policy.value_params:
            values[name] = (*values.get(name, ()), value)
    return values


async def _field_names(scope: Scope, body: bytes) -> frozenset[str]:
    """Top-level field names of a JSON object, a form or a multipart form; none when undecodable.

    An undecodable body names nothing here; body validation answers 400 for it afterwards.
    """
    media_type = scope_content_type(scope)
    try:
        if media_type.endswith("json"):
            parsed = json.loads(body)
            return frozenset(parsed) if isinstance(parsed, dict) else frozenset()
        if media_type in ("application/x-www-form-urlencoded", "multipart/form-data"):

            async def replay() -> Message:
                return {"type": "http.request", "body": body, "more_body": False}

            async with Request(scope, replay).form(max_fields=100_000) as form:
                return frozenset(form.keys())
    except (ValueError, RecursionError, MultiPartException):
        pass
    return frozenset()


def scope_content_type(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return value.decode("latin-1").split(";", 1)[0].strip().lower()
    return ""


async def with_body_fields(scope: Scope, receive: Receive) -> tuple[Scope, Receive]:
    """Read the (already size-limited) body once, note its field names, and replay it downstream."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    fields = await _field_names(scope, body)
    scope.setdefault("extensions", {})[_BODY_FIELDS] = fields
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return scope, replay
