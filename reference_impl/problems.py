"""RFC 7807 problems: every error the server answers, and the handlers that shape them."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from connexion.problem import problem
from starlette.exceptions import HTTPException

logger = logging.getLogger("reference_impl")

REALM = "selfcommunity"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def not_found(detail: str) -> ProblemException:
    return ProblemException(status=404, title="Not Found", detail=detail)


def forbidden(detail: str) -> ProblemException:
    return ProblemException(status=403, title="Forbidden", detail=detail)


def bad_request(detail: str) -> ProblemException:
    return ProblemException(status=400, title="Bad Request", detail=detail)


def unauthorized(detail: str, *, invalid_token: bool) -> ProblemException:
    """401 with the RFC 6750 challenge; the error code only when credentials were sent."""
    challenge = f'Bearer realm="{REALM}"'
    if invalid_token:
        # Quotes and backslashes are not allowed inside the quoted-string.
        description = detail.replace("\\", "").replace('"', "'")
        challenge += f', error="invalid_token", error_description="{description}"'
    return ProblemException(
        status=401, title="Unauthorized", detail=detail, headers={"WWW-Authenticate": challenge}
    )


def payload_too_large(limit: int) -> ProblemException:
    return ProblemException(
        status=413, title="Payload Too Large", detail=f"The request body is larger than {limit} bytes."
    )


def client_problem(_request: ConnexionRequest, exc: ProblemException) -> ConnexionResponse:
    """A problem the client caused: answered as is; the request log line records the status."""
    detail = exc.detail
    if isinstance(detail, str) and "\n\nFailed validating" in detail:
        # jsonschema appends the whole schema to its message; the first paragraph says it all.
        detail = detail.split("\n\n", 1)[0]
    return problem(status=exc.status, title=exc.title, detail=detail, headers=exc.headers, ext=exc.ext)


def resource_gone(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """A change found its resource deleted after the access gate had read it (``repository.ResourceGone``):
    404 and nothing changed, as if the gate had seen it gone."""
    return client_problem(request, not_found(str(exc)))


class RoutingProblems:
    """404 and 405 when no operation matches, with ``Allow`` listing the spec's methods for the path.

    Connexion routes each operation separately, so Starlette's own ``Allow`` names only one of them.
    """

    def __init__(self, paths: Mapping[str, Mapping[str, Any]]) -> None:
        self.methods = [
            (
                re.compile("[^/]+".join(map(re.escape, re.split(r"\{[^/}]+\}", template))) + "$"),
                sorted(method.upper() for method in item if method in HTTP_METHODS),
            )
            for template, item in paths.items()
        ]

    def allowed(self, path: str) -> list[str]:
        return next((methods for pattern, methods in self.methods if pattern.match(path)), [])

    def __call__(self, request: ConnexionRequest, exc: HTTPException) -> ConnexionResponse:
        path = request.url.path
        headers = dict(exc.headers or {})
        if exc.status_code == 404:
            detail = f"Nothing at {path}: no such event or operation."
        elif exc.status_code == 405:
            allowed = self.allowed(path)
            detail = f"{request.method} is not allowed on {path}; use {', '.join(allowed)}."
            headers["Allow"] = ", ".join(allowed)
        else:
            detail = str(exc.detail)
        return problem(status=exc.status_code, title=exc.detail, detail=detail, headers=headers)


def internal_error(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """Log the traceback here; the client only learns that something failed on our side."""
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        status=500,
        title="Internal Server Error",
        detail="The server failed to handle this request; the error has been logged.",
    )
