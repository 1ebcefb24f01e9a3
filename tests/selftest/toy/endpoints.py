"""The operations of one membership family (events, groups; courses refine them), as the contract describes
them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .authentication import Authenticator
from .bodies import BodyReader, ParsedBody
from .community import CommunityOptions
from .errors import Refusal
from .event_fields import event_fields
from .group_fields import group_fields
from .representation import Representation
from .store import Resource, Store, ToyUser

if TYPE_CHECKING:
    from .app import ToyServer

MAX_ID = 2**63 - 1
Write = Callable[[Resource, list[int]], None]
# What only a resource's manager may do: the invitation operations, the list of pending requests,
# subscribing users directly (groups), removing another user, deleting the resource, and a course's roles
# and managers' views.
ManagerAction = Literal[
    "invite", "invited", "remove_invitation", "requested", "join.users", "leave.user", "role", "info.view",
    "info.user", "delete",
]  # fmt: skip
NOT_THE_MANAGER = "Only the manager of the event may do this."


class FamilyEndpoints:
    """One family's endpoints over its own store: who may call them, what they change, what they answer."""

    CREATED = 201
    MEMBERS_PATH = "subscribe"
    REQUESTS_PATH = "request_subscribe"

    def __init__(
        self,
        server: ToyServer,
        family: str,
        store: Store,
        authenticator: Authenticator,
        reader: BodyReader,
        representation: Representation,
        community: CommunityOptions,
    ) -> None:
        self.server = server
        self.family = family
        self.store = store
        self.auth = authenticator
        self.reader = reader
        self.shapes = representation
        self.community = community
        self.content_availability = community.content_availability
        """The community option: anonymous callers read a resource's info only while it is true."""
        self.direct_subscription = family == "group"
        """A group's manager subscribes users directly (POST subscribe with ``users``)."""

    def routes(self) -> list[BaseRoute]:
        base = f"/api/v2/{self.family}/"
        return [
            Route(base, self.create, methods=["POST"]),
            Route(f"{base}{{id}}/", self.one, methods=["GET", "DELETE"]),
            Route(f"{base}{{id}}/invite/", self.invite, methods=["GET", "POST", "DELETE"]),
            Route(f"{base}{{id}}/{self.MEMBERS_PATH}/", self.subscribe, methods=["GET", "POST", "DELETE"]),
            Route(f"{base}{{id}}/{self.REQUESTS_PATH}/", self.requests, methods=["GET"]),
            Route(f"{base}{{id}}/status/", self.status, methods=["GET"]),
        ]

    def fields_of(self, body: ParsedBody) -> dict[str, object]:
        """The fields of a new resource, as its family's schema takes them."""
        return group_fields(body) if self.family == "group" else event_fields(body)

    def render(self, resource: Resource, viewer: ToyUser | None) -> dict[str, object]:
        """A resource as its family's schema shows it to ``viewer``."""
        shapes = self.shapes
        return shapes.group(resource, viewer) if self.family == "group" else shapes.event(resource, viewer)

    # Lookups, roles and answers

    def resource(self, request: Request) -> Resource:
        """The resource named by the path."""
        found = self.store.resources.get(self.resource_id(request.path_params["id"]))
        if found is None:
            raise self.unknown_resource()
        return found

    def resource_id(self, raw: str) -> int:
        """Ids are integers up to 2^63-1: anything else names no resource (404)."""
        if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
            raise Refusal(404, "Not found.")
        return int(raw)

    def unknown_resource(self) -> Refusal:
        return Refusal(404, "Not found.")

    def resource_for(self, request: Request, user: ToyUser) -> Resource:
        """The resource named by the path, which the caller acts on; every event and group is seen by all."""
        return self.resource(request)

    def require_manager(
        self, resource: Resource, user: ToyUser, action: ManagerAction, refusal: str = NOT_THE_MANAGER
    ) -> None:
        if not self.store.is_manager(resource, user):
            raise Refusal(403, refusal)

    async def valid_users(self, request: Request) -> list[int]:
        return self.reader.users(await self.reader.read(request))

    async def write_users(self, request: Request, resource: Resource, write: Write) -> None:
        """Validate ``users`` in full, then ``write`` them: a refused list changes nothing."""
        users = await self.valid_users(request)
        await self.server.take_time(len(users))
        write(resource, users)

    def users_list(self, request: Request, user_ids: list[int]) -> JSONResponse:
        items = [self.shapes.user(self.store.users[i]) for i in user_ids]
        return JSONResponse(self.shapes.page(request, items))

    def no_content(self) -> Response:
        return Response(status_code=204)

    def invite_answer(self) -> Response:
        """A successful invite: 204, no content."""
        return self.no_content()

    # Endpoints

    async def me(self, request: Request) -> Response:
        return JSONResponse(self.shapes.user(self.auth.caller(request)))

    async def create(self, request: Request) -> Response:
        user = self.auth.caller(request)
        fields = self.fields(await self.reader.read(request))
        resource = self.store.create(user, fields)
        return JSONResponse(self.render(resource, user), self.CREATED)

    def fields(self, body: ParsedBody) -> dict[str, object]:
        """The stored fields of a new resource: a value its schema refuses answers 400, creating nothing."""
        return self.fields_of(body)

    async def info(self, request: Request) -> Response:
        """GET the resource: open to anonymous callers while the community's content is available."""
        auth = self.auth
        user = auth.optional_caller(request) if self.content_availability else auth.caller(request)
        return JSONResponse(self.render(self.resource(request), user))

    async def one(self, request: Request) -> Response:
        """One resource's path: read it, or delete it."""
        return await (self.delete(request) if request.method == "DELETE" else self.info(request))

    async def delete(self, request: Request) -> Response:
        """The manager (a course's creator or managers) deletes the resource, its memberships with it."""
        user = self.auth.caller(request)
        resource = self.resource_for(request, user)
        self.require_manager(resource, user, "delete")
        self.store.delete(resource)
        return self.deleted()

    def deleted(self) -> Response:
        """A deletion answers 204, no content."""
        return self.no_content()

    async def invite(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.post_invite(request)
        user = self.auth.caller(request)
        resource = self.resource_for(request, user)
        if request.method == "GET":
            self.require_manager(resource, user, "invited")
            return self.users_list(request, resource.with_status("invited"))
        self.require_manager(resource, user, "remove_invitation")
        await self.write_users(request, resource, self.store.withdraw)
        return self.no_content()

    async def post_invite(self, request: Request) -> Response:
        user = self.auth.caller(request)
        resource = self.resource_for(request, user)
        self.require_manager(resource, user, "invite")
        await self.write_users(request, resource, self.store.invite)
        return self.invite_answer()

    async def subscribe(self, request: Request) -> Response:
        if request.method == "GET":
            return self.members(request)
        user = self.auth.caller(request)
        resource = self.resource_for(request, user)
        if request.method == "POST":
            await self.join(request, resource, user)
            return self.join_answer(resource, user)
        if "user" in request.query_params:
            self.remove(request, resource, user)
        else:
            await self.leave(request, resource, user)
        return self.no_content()

    async def join(self, request: Request, resource: Resource, user: ToyUser) -> None:
        """The caller joins; on a group, a body with ``users`` is its manager subscribing them instead."""
        if self.direct_subscription and (await self.reader.read(request)).has("users"):
            self.require_manager(resource, user, "join.users")
            await self.write_users(request, resource, self.store.subscribe_users)
        else:
            self.store.subscribe(resource, user)

    def join_answer(self, resource: Resource, user: ToyUser) -> Response:
        """Joining an event or a group answers 204, no content."""
        return self.no_content()

    async def leave(self, request: Request, resource: Resource, user: ToyUser) -> None:
        """The caller leaves; nobody else (a body is not read)."""
        self.store.unsubscribe(resource, user)

    def remove(self, request: Request, resource: Resource, user: ToyUser) -> None:
        """``DELETE subscribe/?user=ID``: the manager ends that user's relation with the resource."""
        self.require_manager(
            resource, user, "leave.user", "Only the manager of the event may remove another user."
        )
        self.store.remove(resource, self.named_user(request))

    def named_user(self, request: Request) -> int:
        """The id of the existing user the query parameter ``user`` names; 400 (or ``unknown_named_user``)."""
        raw = request.query_params["user"]
        if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
            raise Refusal(400, "`user` must be the integer id of a user.")
        if int(raw) not in self.store.users:
            raise self.unknown_named_user(raw)
        return int(raw)

    def unknown_named_user(self, raw: str) -> Refusal:
        """The contract leaves this answer open (rule 46); the toy reads it as a bad ``user`` parameter."""
        return Refusal(400, f"There is no user {raw}.")

    def members(self, request: Request) -> Response:
        user = self.auth.optional_caller(request)
        resource = self.resource(request)
        self.admit_to_members(resource, user)
        return self.users_list(request, self.listed_members(request, resource))

    def listed_members(self, request: Request, resource: Resource) -> list[int]:
        """GET subscribe's users: the subscribers."""
        return self.store.subscribers(resource)

    def admit_to_members(self, resource: Resource, user: ToyUser | None) -> None:
        """A public resource's member list is open to all; a private one's to its subscribers."""
        if not resource.private:
            return
        if user is None:
            raise self.auth.unauthorized("Members are shown to subscribers.", 'realm="toy"')
        if not self.may_read_members(resource, user):
            raise Refusal(403, "Only the subscribers of this private event may list its members.")

    def may_read_members(self, resource: Resource, user: ToyUser) -> bool:
        """The literal reading: subscribers only (a manager who left is no longer one)."""
        return self.store.status_of(resource, user.id) == "subscribed"

    async def requests(self, request: Request) -> Response:
        user = self.auth.caller(request)
        resource = self.resource_for(request, user)
        self.require_manager(resource, user, "requested")
        return self.users_list(request, resource.with_status("requested"))

    async def status(self, request: Request) -> Response:
        user = self.auth.caller(request)
        resource = self.resource(request)
        return JSONResponse({"status": self.own_status(resource, user)})

    def own_status(self, resource: Resource, user: ToyUser) -> str | None:
        return self.store.status_of(resource, user.id)
