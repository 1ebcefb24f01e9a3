"""The yardstick for the reference server: a stock Connexion 3 app on the same spec that does nothing.

``AsyncApp`` with its default middleware stack, ``openapi/v2.yaml`` (or $CONTRACT_SPEC_PATH), every
operationId answered by a handler that returns 204 and touches no database. Bearer tokens are
checked the stock way: ``BEARERINFO_FUNC`` names ``bearer_info``, which verifies the HS256 JWT
with $CONTRACT_JWT_SECRET, as any Connexion app using the spec's bearer scheme would. Request
validation is Connexion's own (parameters and bodies against the spec). Connexion's own logger is
quietened as the reference server quietens it: otherwise it writes a warning per request for every
operation that accepts several media types, which would flatter the reference server.

Served by the same uvicorn, with the same worker count, it tells what the framework alone costs;
the reference server, which also enforces access rules and writes to a database, is measured
against it (bench.scenarios.invite_against_noop).
"""

from __future__ import annotations

import logging
import os
from typing import Any

import jwt
from connexion import AsyncApp, NoContent
from connexion.resolver import Resolver

from reference_impl import settings

BEARERINFO_ENV = "BEARERINFO_FUNC"


def bearer_info(token: str) -> dict[str, Any] | None:
    """Stock Connexion bearer check: the claims of a valid token, None otherwise (Connexion answers 401)."""
    try:
        return jwt.decode(token, os.environ[settings.JWT_SECRET_ENV], algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None


def no_op(*_args: Any, **_kwargs: Any) -> tuple[Any, int]:
    return NoContent, 204


def create_app() -> AsyncApp:
    """The factory uvicorn calls (``--factory``), once per worker."""
    os.environ.setdefault(BEARERINFO_ENV, f"{__name__}.bearer_info")
    logging.getLogger("connexion").setLevel(logging.CRITICAL)
    app = AsyncApp(__name__)
    app.add_api(
        str(settings.spec_path()),
        base_path="",
        resolver=Resolver(function_resolver=lambda _operation_id: no_op),
    )
    return app
