"""Bodies sent as JSON with the answer kept whole, and a success's body judged by its documented schema.

The judgement is Schemathesis' own (``APIOperation.validate_response``, the validation SPEC-SCHEMA uses):
the spec's OpenAPI 3.0 schemas (``nullable``, ``readOnly``, formats such as ``uri`` and ``date-time``)
are read exactly as for the generated requests, so a deterministic probe and a generated one never
disagree on what matches.
"""

from __future__ import annotations

import json
from typing import Any

import requests
from schemathesis.core.failures import FailureGroup
from schemathesis.core.transport import Response

from openapi.document import Operation

from ..exchange import Exchange
from ..target import User
from .context import Context
from .schemathesis_run import as_response, failure_text, validating_schema

NO_BODY: Any = object()


def send_json(
    ctx: Context, operation: Operation, user: User, body: Any = NO_BODY, resource: object = None
) -> tuple[Exchange, Response]:
    """``body`` as JSON (or none) to ``operation`` by ``user``; the exchange and the answer itself, whose
    body ``schema_mismatch`` judges."""
    headers = {"Accept": "application/json", "Authorization": f"Bearer {user.token}"}
    content = None
    if body is not NO_BODY:
        headers["Content-Type"] = "application/json"
        content = json.dumps(body).encode()
    url = ctx.client.url(operation.url(resource))
    exchange, answer = ctx.client.send_prepared(operation.method, url, headers, content)
    request = requests.Request(operation.method, url, headers=headers, data=content).prepare()
    return exchange, as_response(answer, request, exchange.elapsed)


def schema_mismatch(ctx: Context, operation: Operation, response: Response) -> str | None:
    """Why the answer does not match the schema documented for its status; None when it does (or the
    status documents no body)."""
    try:
        validating_schema(ctx.target)[operation.path][operation.method].validate_response(response)
    except (AssertionError, FailureGroup) as error:
        # Schemathesis' text goes on with the whole schema; its first line says what is wrong.
        return failure_text(error).splitlines()[0]
    return None
