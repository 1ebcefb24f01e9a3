"""Faults of joining and leaving: leaving for someone else, a group's direct subscription ignored."""

from __future__ import annotations

from starlette.requests import Request

from ..endpoints import FamilyEndpoints
from ..registry import fault
from ..store import Resource, Store, ToyUser


@fault(
    "unsubscribe-named-user",
    "DELETE subscribe removes the user a `user` body field names",
    breaks={"SUB-SELF-ONLY"},
)
class UnsubscribeNamedUser(FamilyEndpoints):
    async def leave(self, request: Request, resource: Resource, user: ToyUser) -> None:
        named: object = None
        if await request.body():
            body = await self.reader.read(request)
            if body.has("user"):
                named = body.values("user")[0] if body.form is not None else body.values("user")
        named_user = self.store.users.get(int(str(named))) if str(named).isdigit() else None
        await super().leave(request, resource, named_user or user)


@fault(
    "direct-subscribe-ignored",
    "the manager's POST subscribe with users subscribes nobody",
    breaks={"SUB-DIRECT"},
    also={"MODEL-STATEFUL", "VAL-LONG-LISTS"},
    families=("group",),
)
class DirectSubscribeIgnored(Store):
    def subscribe_users(self, resource: Resource, user_ids: list[int]) -> None:
        pass
