"""The toy server: each family's endpoints on its own store, assembled from replaceable parts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, fields, replace

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from .authentication import Authenticator
from .bodies import BodyReader
from .endpoints import FamilyEndpoints
from .errors import ErrorWriter
from .representation import Representation
from .store import Store

FAMILIES = ("event", "group")
LONG_LIST = 1_000


class ToyServer:
    """One toy: the routes of every family, the answers to errors, and the middleware in front."""

    def __init__(
        self, parts: ToyParts, token_users: int, content_availability: bool, slow_lists: float = 0.0
    ) -> None:
        self.slow_lists = slow_lists
        """A setting: seconds the toy takes to write a list of more than ``LONG_LIST`` ids (0: none)."""
        self.errors = parts.errors()
        self.families = {
            family: self.family(parts, family, parts.store(token_users), content_availability)
            for family in FAMILIES
        }

    def family(
        self, parts: ToyParts, family: str, store: Store, content_availability: bool
    ) -> FamilyEndpoints:
        return parts.endpoints(
            self,
            family,
            store,
            parts.authenticator(store),
            parts.reader(frozenset(store.users)),
            parts.representation(store),
            content_availability,
        )

    def routes(self) -> list[BaseRoute]:
        routes: list[BaseRoute] = [Route("/api/v2/user/me/", self.families["event"].me, methods=["GET"])]
        for family, endpoints in self.families.items():
            base = f"/api/v2/{family}/"
            routes += [
                Route(base, endpoints.create, methods=["POST"]),
                Route(f"{base}{{id}}/", endpoints.info, methods=["GET"]),
                Route(f"{base}{{id}}/invite/", endpoints.invite, methods=["GET", "POST", "DELETE"]),
                Route(f"{base}{{id}}/subscribe/", endpoints.subscribe, methods=["GET", "POST", "DELETE"]),
                Route(f"{base}{{id}}/request_subscribe/", endpoints.requests, methods=["GET"]),
                Route(f"{base}{{id}}/status/", endpoints.status, methods=["GET"]),
            ]
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
    """The classes a toy is built from: the correct toy's by default; a fault or variant replaces some."""

    server: type[ToyServer] = ToyServer
    endpoints: type[FamilyEndpoints] = FamilyEndpoints
    store: type[Store] = Store
    authenticator: type[Authenticator] = Authenticator
    reader: type[BodyReader] = BodyReader
    representation: type[Representation] = Representation
    errors: type[ErrorWriter] = ErrorWriter

    def replaced(self, *overrides: type) -> ToyParts:
        """These parts with each override in place of the part it subclasses."""
        parts, correct = self, ToyParts()
        for override in overrides:
            names = [f.name for f in fields(ToyParts) if issubclass(override, getattr(correct, f.name))]
            if len(names) != 1:
                raise TypeError(f"{override.__name__} must subclass exactly one part of the toy")
            parts = replace(parts, **{names[0]: override})
        return parts

    def app(
        self, token_users: int = 4, content_availability: bool = True, slow_lists: float = 0.0
    ) -> Starlette:
        return self.server(self, token_users, content_availability, slow_lists).app()
