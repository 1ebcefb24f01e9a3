"""Faults of deleting a resource (docs/contract.md, section Deletion): the wrong answer, nothing deleted,
anyone deleting, an unknown id deleted, and the manager refused."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..endpoints import NOT_THE_MANAGER, FamilyEndpoints, ManagerAction
from ..errors import Refusal
from ..registry import fault
from ..store import Resource, Store, ToyUser
from .common import ALL
from .roles import OpenToAnyone

SPEC = {"SPEC-STATUS", "SPEC-SCHEMA"}


@fault(
    "delete-answers-200",
    "DELETE of a resource answers 200 with a body, not 204",
    breaks={"DEL-204"},
    also=SPEC,
    families=ALL,
)
class DeleteAnswers200(FamilyEndpoints):
    def deleted(self) -> Response:
        return JSONResponse({"deleted": True}, 200)


@fault(
    "delete-noop",
    "DELETE of a resource answers 204 and the resource stays, its members with it",
    breaks={"DEL-GONE"},
    families=ALL,
)
class DeleteNoop(Store):
    def delete(self, resource: Resource) -> None:
        pass


@fault(
    "non-manager-deletes",
    "any authenticated user who sees a resource may delete it",
    breaks={"DEL-MANAGER-ONLY", "MGR-OTHER"},
    families=ALL,
)
class NonManagerDeletes(OpenToAnyone):
    action = "delete"


@fault(
    "delete-unknown-succeeds",
    "DELETE naming a resource that does not exist answers 204",
    breaks={"DEL-UNKNOWN", "EXIST-UNKNOWN", "EXIST-NONNUMERIC", "EXIST-OVERFLOW"},
    also={"DEL-GONE", *SPEC},
    families=ALL,
)
class DeleteUnknownSucceeds(FamilyEndpoints):
    async def delete(self, request: Request) -> Response:
        try:
            return await super().delete(request)
        except Refusal as refusal:
            if refusal.status != 404:
                raise
            return self.deleted()


@fault(
    "delete-refused",
    "DELETE of a resource answers 403 to everyone, its manager included: nothing can be deleted",
    breaks={"DEL-204"},
    families=ALL,
)
class DeleteRefused(FamilyEndpoints):
    def require_manager(
        self, resource: Resource, user: ToyUser, action: ManagerAction, refusal: str = NOT_THE_MANAGER
    ) -> None:
        if action == "delete":
            raise Refusal(403, "Nobody may delete this.")
        super().require_manager(resource, user, action, refusal)
