"""Refusals and how they are written, in each of the error styles a server may choose."""

from __future__ import annotations

from http import HTTPStatus

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from .quirks import ErrorStyle


class Refusal(Exception):
    """A client mistake answered with ``status``; nothing was changed."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class ServerFault(Exception):
    """A deliberate 5xx, raised only by faults."""


def render(style: ErrorStyle, status: int, message: str, headers: dict[str, str]) -> Response:
    if style == "problem":
        body = {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": message,
        }
        return JSONResponse(body, status, headers, media_type="application/problem+json")
    if style == "error":
        return JSONResponse({"error": message}, status, headers)
    if style == "text":
        return PlainTextResponse(message, status, headers)
    if style == "empty":
        return Response(b"", status, headers)
    return JSONResponse({"detail": message}, status, headers)


def handlers(style: ErrorStyle, allow_on_405: bool = True) -> dict[type[Exception], object]:
    """Exception handlers answering every refusal, routing miss and deliberate fault in ``style``."""

    async def refusal(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Refusal)
        return render(style, exc.status, exc.message, exc.headers)

    async def http_exception(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        headers = dict(exc.headers or {})
        if not allow_on_405:
            headers.pop("Allow", None)
        return render(style, exc.status_code, str(exc.detail), headers)

    async def server_fault(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("Internal Server Error", 500)

    return {Refusal: refusal, HTTPException: http_exception, ServerFault: server_fault}
