"""Faults of the public access rules: member lists, event info and removals open to the wrong callers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..endpoints import FamilyEndpoints
from ..errors import Refusal
from ..registry import fault
from ..store import Resource, Store, ToyUser
from .common import BOTH


@fault(
    "private-list-open",
    "any authenticated user reads a private event's member list",
    breaks={"PUB-PRIVATE-LIST-CLOSED"},
    families=BOTH,
)
class PrivateListOpen(FamilyEndpoints):
    def may_read_members(self, resource: Resource, user: ToyUser) -> bool:
        return True


@fault(
    "private-list-anonymous",
    "anonymous callers read a private event's member list",
    breaks={"PUB-PRIVATE-LIST-ANONYMOUS", "PUB-ANONYMOUS"},
)
class PrivateListAnonymous(FamilyEndpoints):
    def admit_to_members(self, resource: Resource, user: ToyUser | None) -> None:
        if user is not None:
            super().admit_to_members(resource, user)


@fault(
    "public-list-closed",
    "a public event's member list answers 401 to anonymous callers",
    breaks={"PUB-PUBLIC-LIST-OPEN", "PUB-ANONYMOUS"},
)
class PublicListClosed(FamilyEndpoints):
    def admit_to_members(self, resource: Resource, user: ToyUser | None) -> None:
        if user is None and not resource.private:
            raise self.auth.unauthorized("Authentication credentials were not provided.", 'realm="toy"')
        super().admit_to_members(resource, user)


@fault("event-info-403", "anonymous GET event answers 403, neither 200 nor 401", breaks={"PUB-EVENT-INFO"})
class EventInfo403(FamilyEndpoints):
    async def info(self, request: Request) -> Response:
        if self.content_availability and "authorization" not in request.headers:
            self.resource(request)
            raise Refusal(403, "Sign in to see this event.")
        return await super().info(request)


@fault(
    "removal-ignored",
    "the manager's DELETE subscribe/?user=ID removes the manager",
    breaks={"PUB-MANAGER-REMOVES"},
    also={"MODEL-STATEFUL", "KEEP-STATE"},
)
class RemovalIgnored(Store):
    def remove(self, resource: Resource, user_id: int) -> None:
        assert resource.manager_id is not None  # only the manager gets this far
        self.unsubscribe(resource, self.users[resource.manager_id])
