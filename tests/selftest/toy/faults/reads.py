"""Faults of what the toy answers: statuses and shapes the document does not allow, pages, odd queries."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..app import ToyServer
from ..endpoints import FamilyEndpoints
from ..errors import ServerFault
from ..registry import fault
from ..representation import Representation
from ..store import Resource, ToyUser


@fault("create-200", "POST event answers 200 instead of 201", breaks={"SPEC-STATUS"})
class Create200(FamilyEndpoints):
    CREATED = 200


@fault("dates-not-rfc3339", "event dates read like 31/12/2030 10:00", breaks={"SPEC-SCHEMA"})
class DatesNotRfc3339(Representation):
    def event(self, event: Resource, viewer: ToyUser | None) -> dict[str, object]:
        body = super().event(event, viewer)
        for name in ("start_date", "end_date"):
            parsed = datetime.fromisoformat(str(body[name]).upper().replace("Z", "+00:00"))
            body[name] = parsed.strftime("%d/%m/%Y %H:%M")  # day first, no seconds, no offset
        return body


@fault(
    "event-status-of-creator",
    "GET event shows everyone the creator's subscription_status",
    breaks={"READ-EVENT-STATUS"},
    also={"RYW-EVENT-STATUS"},
)
class EventStatusOfCreator(Representation):
    def subscription_status(self, event: Resource, viewer: ToyUser | None) -> str | None:
        return self.store.status_of(event, event.creator_id)


@fault("next-skips-one", "each `next` link skips one user", breaks={"READ-PAGINATION"})
class NextSkipsOne(Representation):
    def next_offset(self, offset: int, limit: int) -> int:
        return offset + limit + 1


@fault("negative-offset-500", "a negative offset answers 500", breaks={"READ-QUERY-BOUNDS", "SPEC-NO-5XX"})
class NegativeOffsetCrash(Representation):
    def offset(self, request: Request) -> int:
        if request.query_params.get("offset", "").startswith("-"):
            raise ServerFault
        return super().offset(request)


@fault(
    "limit-boundary-500",
    "a limit beyond 32 bits answers 500",
    breaks={"READ-QUERY-BOUNDS"},
    also={"SPEC-NO-5XX"},
)
class LimitBoundaryCrash(Representation):
    def limit(self, request: Request) -> int:
        limit = super().limit(request)
        if limit >= 2**31:
            raise ServerFault  # a page size that overflows a 32-bit column
        return limit


@fault("offset-past-end-count-zero", "a page past the end says count 0", breaks={"READ-QUERY-BOUNDS"})
class OffsetPastEndCountZero(Representation):
    def count(self, total: int, offset: int) -> int:
        return 0 if offset >= total > 0 else total


@fault(
    "undocumented-method-500",
    "PUT and PATCH on the invitation paths answer 500",
    breaks={"METHOD-UNDOCUMENTED"},
)
class UndocumentedMethodCrash(ToyServer):
    """PUT and PATCH reach code never meant for them, instead of a 405."""

    def routes(self) -> list[BaseRoute]:
        paths = [
            f"/api/v2/event/{{id}}/{path}"
            for path in ("invite/", "subscribe/", "request_subscribe/", "status/")
        ]
        return [*super().routes(), *(Route(path, crash, methods=["PUT", "PATCH"]) for path in paths)]


async def crash(request: Request) -> Response:
    raise ServerFault


@fault(
    "families-share-status",
    "a group's or course's status shows the state of the event with the same id",
    breaks={"READ-FAMILIES-APART"},
    also={"RYW-STATUS", "MODEL-STATEFUL"},
    families=("group", "course"),
)
class FamiliesShareStatus(FamilyEndpoints):
    """Keys memberships by id alone: a group's or course's GET status falls back on the event with the
    same id."""

    def own_status(self, resource: Resource, user: ToyUser) -> str | None:
        status = super().own_status(resource, user)
        if status is not None or self.family == "event":
            return status
        events = self.server.families["event"].store
        same_id = events.resources.get(resource.id)
        return events.status_of(same_id, user.id) if same_id is not None else None
