"""Faults of authentication: credentials let through, 401s without a challenge, headers that crash."""

from __future__ import annotations

import contextlib

from starlette.requests import Request
from starlette.responses import Response

from ..authentication import Authenticator, CredentialProblem
from ..endpoints import FamilyEndpoints
from ..errors import Refusal, ServerFault
from ..registry import fault
from ..store import ToyUser
from .common import ALL


@fault(
    "no-auth-check",
    "missing or invalid credentials act as the first user",
    breaks={"AUTH-MISSING"},
    also={
        "AUTH-SCHEME",
        "AUTH-EMPTY",
        "AUTH-GARBAGE",
        "AUTH-CHALLENGE",
        "AUTH-NO-EFFECT",
        "SPEC-AUTH",
        "AUTH-HEADER-REPEATED",
        "PUB-ANONYMOUS",
        # the course requirements that also call without credentials
        "PUB-HIDDEN",
        "PUB-INFO-MANAGER-VIEWS",
        "PUB-MEMBER-LIST-PRIVACY",
        "READ-HIDE-MEMBER-COUNT",
        "DEL-MANAGER-ONLY",  # an anonymous DELETE acts as the manager
    },
    families=ALL,
)
class NoAuthCheck(Authenticator):
    def refuse(self, problem: CredentialProblem) -> ToyUser:
        return self.store.first_user


class LetsThrough(Authenticator):
    """Takes the caller for the first user when its credentials have ``problem``."""

    problem: CredentialProblem

    def refuse(self, problem: CredentialProblem) -> ToyUser:
        return self.store.first_user if problem is self.problem else super().refuse(problem)


@fault(
    "any-token",
    "any bearer token is accepted as the first user",
    breaks={"AUTH-GARBAGE"},
    also={"AUTH-NO-EFFECT", "AUTH-HEADER-REPEATED"},
)
class AnyToken(LetsThrough):
    problem = CredentialProblem.UNKNOWN_TOKEN


@fault("empty-token", "an empty bearer token is accepted as the first user", breaks={"AUTH-EMPTY"})
class EmptyToken(LetsThrough):
    problem = CredentialProblem.EMPTY_TOKEN


@fault(
    "any-scheme",
    "an Authorization header of another scheme is taken as the first user",
    breaks={"AUTH-SCHEME"},
)
class AnyScheme(LetsThrough):
    problem = CredentialProblem.NOT_BEARER


@fault("no-challenge", "401 without a WWW-Authenticate header", breaks={"AUTH-CHALLENGE"})
class NoChallenge(Authenticator):
    def unauthorized(self, message: str, challenge: str) -> Refusal:
        return Refusal(401, message)


@fault("refused-but-applied", "an invite refused with 401 still lands", breaks={"AUTH-NO-EFFECT"})
class RefusedButApplied(FamilyEndpoints):
    """Checks credentials too late: the invite lands, then the 401 goes out."""

    async def post_invite(self, request: Request) -> Response:
        try:
            return await super().post_invite(request)
        except Refusal as refusal:
            if refusal.status == 401:
                with contextlib.suppress(Refusal):
                    self.store.invite(self.resource(request), await self.valid_users(request))
            raise


@fault(
    "requests-list-no-auth",
    "GET request_subscribe without credentials answers as the manager",
    breaks={"AUTH-MISSING", "SPEC-AUTH"},
    also={"PUB-ANONYMOUS"},
)
class RequestsListNoAuth(FamilyEndpoints):
    async def requests(self, request: Request) -> Response:
        if "authorization" in request.headers:
            return await super().requests(request)
        return self.users_list(request, self.resource(request).with_status("requested"))


@fault("bearer-lowercase-refused", "`bearer TOKEN` is refused with 401", breaks={"AUTH-SCHEME-CASE"})
class BearerCaseSensitive(Authenticator):
    def is_bearer(self, scheme: str) -> bool:
        return scheme == "Bearer"


@fault("auth-spaces-500", "two spaces after Bearer answer 500", breaks={"AUTH-HEADER-SPACES"})
class AuthSpacesCrash(Authenticator):
    def screen(self, values: list[str]) -> None:
        if any("  " in value for value in values):
            raise ServerFault


@fault("repeated-auth-500", "a second Authorization header answers 500", breaks={"AUTH-HEADER-REPEATED"})
class RepeatedAuthCrash(Authenticator):
    def screen(self, values: list[str]) -> None:
        if len(values) > 1:
            raise ServerFault
