"""Refusals, and how the toy writes them: ``{"detail": message}`` in JSON, as Django REST framework does."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response


class Refusal(Exception):
    """A client mistake answered with ``status``; nothing was changed."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class ServerFault(Exception):
    """A deliberate 5xx, raised only by faults."""


class ErrorWriter:
    """Writes every refusal, routing miss (404, 405 with ``Allow``) and deliberate fault as an answer."""

    def render(self, status: int, message: str, headers: dict[str, str]) -> Response:
        """The error body; the contract leaves its format to the server."""
        return JSONResponse({"detail": message}, status, headers)

    def routing_miss(self, exc: HTTPException) -> Response:
        """An unknown path or method, with the headers Starlette chose (``Allow`` on a 405)."""
        return self.render(exc.status_code, str(exc.detail), dict(exc.headers or {}))

    def handlers(self) -> dict[type[Exception], object]:
        async def refusal(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, Refusal)
            return self.render(exc.status, exc.message, exc.headers)

        async def routing_miss(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, HTTPException)
            return self.routing_miss(exc)

        async def server_fault(request: Request, exc: Exception) -> Response:
            return PlainTextResponse("Internal Server Error", 500)

        return {Refusal: refusal, HTTPException: routing_miss, ServerFault: server_fault}
