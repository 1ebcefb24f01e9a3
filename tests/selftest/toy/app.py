"""The toy server: each family's endpoints on its own store, assembled from replaceable parts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, fields, replace
from typing import TypeVar, cast

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from .authentication import Authenticator
from .bodies import BodyReader
from .community import CommunityOptions
from .course_endpoints import CourseEndpoints
from .course_store import CourseStore
from .endpoints import FamilyEndpoints
from .errors import ErrorWriter
from .representation import Representation
from .store import Store

FAMILIES = ("event", "group", "course")
LONG_LIST = 1_000
Part = TypeVar("Part", bound=type)


class ToyServer:
    """One toy: the routes of every family, the answers to errors, and the middleware in front."""

    def __init__(
        self, parts: ToyParts, token_users: int, community: CommunityOptions, slow_lists: float = 0.0
    ) -> None:
        self.slow_lists = slow_lists
        """A setting: seconds the toy takes to write a list of more than ``LONG_LIST`` ids (0: none)."""
        self.errors = parts.errors()
        self.families = {family: self.family(parts, family, token_users, community) for family in FAMILIES}

    def family(
        self, parts: ToyParts, family: str, token_users: int, community: CommunityOptions
    ) -> FamilyEndpoints:
        endpoints, store_class = parts.of_family(family)
        store = store_class(token_users)
        return endpoints(
            self,
            family,
            store,
            parts.authenticator(store),
            parts.reader(frozenset(store.users)),
            parts.representation(store),
            community,
        )

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = [Route("/api/v2/user/me/", self.families["event"].me, methods=["GET"])]
        for endpoints in self.families.values():
            routes += endpoints.routes()
        return routes

    def middleware(self) -> list[Middleware]:
        return []

    async def take_time(self, ids: int) -> None:
        """Before writing a list of `ids` ids: the time the ``slow_lists`` setting asks for a long one."""
        if ids > LONG_LIST and self.slow_lists:
            await asyncio.sleep(self.slow_lists)

    def app(self) -> Starlette:
        handlers = self.errors.handlers()
        return Starlette(routes=self.routes(), middleware=self.middleware(), exception_handlers=handlers)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ToyParts:
    """The classes a toy is built from: the correct toy's by default; a fault or variant replaces some.

    The course parts refine the shared ones (``CourseEndpoints`` is a ``FamilyEndpoints``): an override
    of a course part replaces it; an override of a shared part reaches courses too, wherever the course
    part keeps the shared behaviour (``of_family``).
    """

    server: type[ToyServer] = ToyServer
    endpoints: type[FamilyEndpoints] = FamilyEndpoints
    store: type[Store] = Store
    course_endpoints: type[CourseEndpoints] = CourseEndpoints
    course_store: type[CourseStore] = CourseStore
    authenticator: type[Authenticator] = Authenticator
    reader: type[BodyReader] = BodyReader
    representation: type[Representation] = Representation
    errors: type[ErrorWriter] = ErrorWriter

    def replaced(self, *overrides: type) -> ToyParts:
        """These parts with each override in place of the part it subclasses (the most refined one)."""
        parts, correct = self, ToyParts()
        for override in overrides:
            bases = {f.name: getattr(correct, f.name) for f in fields(ToyParts)}
            names = [name for name, base in bases.items() if issubclass(override, base)]
            refined = {
                n for n in names for m in names if bases[m] is not bases[n] and issubclass(bases[m], bases[n])
            }
            names = [name for name in names if name not in refined]
            if len(names) != 1:
                raise TypeError(f"{override.__name__} must subclass exactly one part of the toy")
            parts = replace(parts, **{names[0]: override})
        return parts

    def of_family(self, family: str) -> tuple[type[FamilyEndpoints], type[Store]]:
        """The endpoints and store classes of one family: a course's are its parts over the shared ones."""
        if family != "course":
            return self.endpoints, self.store
        return over(self.course_endpoints, self.endpoints), over(self.course_store, self.store)

    def app(
        self, token_users: int = 4, community: CommunityOptions | None = None, slow_lists: float = 0.0
    ) -> Starlette:
        return self.server(self, token_users, community or CommunityOptions(), slow_lists).app()


def over(refined: Part, shared: type) -> Part:
    """``refined`` on top of ``shared``: the shared part's overrides (a fault's) apply wherever ``refined``
    keeps the shared behaviour, which ``refined`` inherits."""
    if issubclass(refined, shared):
        return refined
    return cast(Part, type(refined.__name__, (refined, shared), {}))
