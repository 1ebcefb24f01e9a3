"""Who is calling: the user of a Bearer token, or a 401 with a Bearer challenge."""

from __future__ import annotations

from enum import Enum

from starlette.requests import Request

from .errors import Refusal
from .store import Store, ToyUser


class CredentialProblem(Enum):
    """Why credentials are refused: the message and the challenge of the 401."""

    MISSING = ("Authentication credentials were not provided.", 'realm="toy"')
    NOT_BEARER = ("Use the Bearer scheme.", 'realm="toy", error="invalid_request"')
    EMPTY_TOKEN = ("The bearer token is empty.", 'realm="toy", error="invalid_request"')
    UNKNOWN_TOKEN = ("The token is not valid.", 'realm="toy", error="invalid_token"')

    @property
    def message(self) -> str:
        return self.value[0]

    @property
    def challenge(self) -> str:
        return self.value[1]


class Authenticator:
    """Reads the Authorization header against the store's tokens."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def caller(self, request: Request) -> ToyUser:
        """The authenticated user; 401 otherwise."""
        self.screen(request.headers.getlist("authorization"))
        header = request.headers.get("authorization")
        if header is None:
            return self.refuse(CredentialProblem.MISSING)
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if not self.is_bearer(scheme):
            return self.refuse(CredentialProblem.NOT_BEARER)
        if not token:
            return self.refuse(CredentialProblem.EMPTY_TOKEN)
        user = self.store.by_token.get(token)
        if user is None:
            return self.refuse(CredentialProblem.UNKNOWN_TOKEN)
        return user

    def optional_caller(self, request: Request) -> ToyUser | None:
        """The caller when credentials are sent (invalid ones are refused), None for an anonymous call."""
        if "authorization" not in request.headers:
            return None
        return self.caller(request)

    def screen(self, values: list[str]) -> None:
        """Every Authorization header sent: the first is read, extra spaces are tolerated."""

    def is_bearer(self, scheme: str) -> bool:
        """Auth schemes are case-insensitive (RFC 9110)."""
        return scheme.lower() == "bearer"

    def refuse(self, problem: CredentialProblem) -> ToyUser:
        """Refuse the credentials with 401 (a fault may let the caller through instead)."""
        raise self.unauthorized(problem.message, problem.challenge)

    def unauthorized(self, message: str, challenge: str) -> Refusal:
        return Refusal(401, message, {"WWW-Authenticate": f"Bearer {challenge}"})
