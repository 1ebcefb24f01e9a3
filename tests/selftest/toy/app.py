"""The toy server's routes: the invitation contract of events and groups over in-memory stores."""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .bodies import read_body, users_field
from .errors import Refusal, ServerFault, handlers
from .event_fields import event_fields
from .group_fields import group_fields
from .quirks import Quirks
from .representation import event_json, group_json, page_json, user_json
from .store import Event, Store, User

MAX_ID = 2**63 - 1
Apply = Callable[[Event, list[int]], None]


class Toy:
    """One toy server: its quirks and its state."""

    def __init__(self, quirks: Quirks, token_users: int, family: str = "event") -> None:
        """``family``: the resources of this toy's paths, events or groups (each family has its own store)."""
        self.quirks = quirks
        self.store = Store(quirks, token_users)
        self.family = family
        self.fields_of = group_fields if family == "group" else event_fields
        self.render = group_json if family == "group" else event_json
        self.twin: Toy | None = None
        """The other family's toy, which the families-share-status fault reads by id."""

    # Authentication and lookups

    def caller(self, request: Request) -> User:
        """The authenticated user; 401 with a Bearer challenge otherwise (unless a fault lets it through)."""
        q = self.quirks
        fallback = self.store.users[q.first_user_id]
        header = request.headers.get("authorization")
        self.header_faults(request)
        if header is None:
            if not q.auth_required:
                return fallback
            raise self.unauthorized("Authentication credentials were not provided.", 'realm="toy"')
        scheme, _, token = header.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or (q.scheme_case_sensitive and scheme != "Bearer"):
            if q.accept_any_scheme or not q.auth_required:
                return fallback
            raise self.unauthorized("Use the Bearer scheme.", 'realm="toy", error="invalid_request"')
        if not token:
            if q.accept_empty_token or not q.auth_required:
                return fallback
            raise self.unauthorized("The bearer token is empty.", 'realm="toy", error="invalid_request"')
        user = self.store.by_token.get(token)
        if user is None:
            if q.accept_any_token or not q.auth_required:
                return fallback
            raise self.unauthorized("The token is not valid.", 'realm="toy", error="invalid_token"')
        return user

    def header_faults(self, request: Request) -> None:
        """Authorization forms some servers fail on (faults only)."""
        q = self.quirks
        values = request.headers.getlist("authorization")
        if q.repeated_authorization_500 and len(values) > 1:
            raise ServerFault
        if q.extra_spaces_500 and any("  " in value for value in values):
            raise ServerFault
        if q.repeated_authorization_400 and len(values) > 1:
            raise Refusal(400, "Send one Authorization header.")
        if q.extra_spaces_401 and any("  " in value for value in values):
            challenge = 'realm="toy", error="invalid_request"'
            raise self.unauthorized("Separate scheme and token by one space.", challenge)

    def optional_caller(self, request: Request) -> User | None:
        """The caller when credentials are sent (invalid ones are refused), None for an anonymous call."""
        if "authorization" not in request.headers:
            return None
        return self.caller(request)

    def unauthorized(self, message: str, challenge: str) -> Refusal:
        headers = {"WWW-Authenticate": f"Bearer {challenge}"} if self.quirks.send_challenge else {}
        return Refusal(401, message, headers)

    def event(self, request: Request) -> Event:
        """The event named by the path; 404 for unknown, non-numeric and out-of-range ids."""
        raw = request.path_params["id"]
        if not (raw.isascii() and raw.isdigit()):
            if self.quirks.nonnumeric_id_500:
                raise ServerFault
            raise Refusal(404, "Not found.")
        event_id = int(raw)
        if event_id > MAX_ID:
            if self.quirks.overflow_id_500:
                raise ServerFault
            raise Refusal(404, "Not found.")
        event = self.store.events.get(event_id)
        if event is None:
            raise Refusal(self.quirks.unknown_event_status, "Not found.")
        return event

    def require_manager(self, event: Event, user: User, enforced: bool) -> None:
        if enforced and not self.store.is_manager(event, user):
            raise Refusal(403, "Only the manager of the event may do this.")

    def users_list(self, request: Request, user_ids: list[int]) -> JSONResponse:
        if self.quirks.negative_offset_500 and request.query_params.get("offset", "").startswith("-"):
            raise ServerFault
        items = [user_json(self.store.users[i], self.quirks) for i in user_ids]
        return JSONResponse(page_json(request, items, self.quirks))

    def done(self, invite: bool = False) -> Response:
        """The empty success answer (204), or what an invite fault answers instead."""
        q = self.quirks
        if invite and q.body_on_204:
            body = b'{"detail":"ok"}'
            headers = {"content-length": str(len(body)), "connection": "close"}
            return Response(body, 204, headers, media_type="application/json")
        if invite and q.invite_status != 204:
            return Response(b"", q.invite_status)
        headers = {"content-length": "0"} if q.content_length_on_204 else None
        return Response(status_code=204, headers=headers)

    # Endpoints

    async def me(self, request: Request) -> Response:
        return JSONResponse(user_json(self.caller(request), self.quirks))

    async def create_event(self, request: Request) -> Response:
        user = self.caller(request)
        fields = self.fields_of(await read_body(request, self.quirks))
        event = self.store.create_event(user, fields)
        return JSONResponse(self.render(self.store, event, user), self.quirks.create_status)

    async def get_event(self, request: Request) -> Response:
        q = self.quirks
        user = self.optional_caller(request) if q.content_availability else self.caller(request)
        event = self.event(request)
        if user is None and q.event_info_anonymous_403:
            raise Refusal(403, "Sign in to see this event.")
        return JSONResponse(self.render(self.store, event, user))

    async def invite(self, request: Request) -> Response:
        if request.method == "POST":
            return await self.post_invite(request)
        user = self.caller(request)
        event = self.event(request)
        if request.method == "GET":
            self.require_manager(event, user, self.quirks.manager_only_invite_get)
            return self.users_list(request, event.with_status("invited"))
        self.require_manager(event, user, self.quirks.manager_only_invite_delete)
        user_ids = await self.valid_users(request, event, apply=self.store.withdraw)
        self.store.withdraw(event, user_ids)
        return self.done()

    async def post_invite(self, request: Request) -> Response:
        try:
            user = self.caller(request)
        except Refusal:
            if self.quirks.apply_refused_invites:
                await self.invite_anyway(request)
            raise
        event = self.event(request)
        self.require_manager(event, user, self.quirks.manager_only_invite_post)
        user_ids = await self.valid_users(request, event, apply=self.store.invite)
        self.store.invite(event, user_ids)
        return self.done(invite=True)

    async def invite_anyway(self, request: Request) -> None:
        """What a server that checks credentials too late does: the invite lands, then 401."""
        try:
            event = self.event(request)
            self.store.invite(event, await self.valid_users(request, event, apply=self.store.invite))
        except Refusal:
            pass

    async def valid_users(self, request: Request, event: Event, apply: Apply) -> list[int]:
        """The ids of ``users``; 400 if any is invalid (nothing changed, unless the server is not atomic)."""
        body = await read_body(request, self.quirks)
        user_ids, problem = users_field(body, self.quirks, set(self.store.users))
        if problem is not None:
            if not self.quirks.atomic and user_ids:
                apply(event, user_ids)
            raise Refusal(self.quirks.validation_status, problem)
        return user_ids

    async def subscribe(self, request: Request) -> Response:
        if request.method == "GET":
            return self.members(request)
        user = self.caller(request)
        event = self.event(request)
        if (
            request.method == "POST"
            and self.family == "group"
            and (await read_body(request, self.quirks)).has("users")
        ):
            # A group's manager subscribes the listed users directly.
            self.require_manager(event, user, not self.quirks.direct_subscribe_by_anyone)
            user_ids = await self.valid_users(request, event, apply=self.store.subscribe_users)
            if not self.quirks.direct_subscribe_ignored:
                self.store.subscribe_users(event, user_ids)
        elif request.method == "POST":
            self.store.subscribe(event, user)
        elif "user" in request.query_params:
            self.remove(request, event, user)
        else:
            self.store.unsubscribe(event, await self.body_named_user(request) or user)
        return self.done()

    def members(self, request: Request) -> Response:
        """The member list: open on a public event, the subscribers' own on a private one."""
        q = self.quirks
        user = self.optional_caller(request)
        event = self.event(request)
        if event.private and not (user is None and q.private_list_anonymous):
            if user is None:
                raise self.unauthorized("Members are shown to subscribers.", 'realm="toy"')
            if not self.store.may_read_members(event, user):
                raise Refusal(403, "Only the subscribers of this private event may list its members.")
        if not event.private and user is None and q.public_list_closed:
            raise self.unauthorized("Authentication credentials were not provided.", 'realm="toy"')
        return self.users_list(request, event.listed_as_subscribed(q.subscribers_list_stale_after_leave))

    def remove(self, request: Request, event: Event, user: User) -> None:
        """``DELETE subscribe/?user=ID``: the manager ends that user's relation with the event."""
        q = self.quirks
        if not (self.store.is_manager(event, user) or q.removal_by_anyone):
            raise Refusal(403, "Only the manager of the event may remove another user.")
        raw = request.query_params["user"]
        if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
            raise Refusal(400, "`user` must be the integer id of a user.")
        if int(raw) not in self.store.users:
            raise Refusal(q.unknown_removal_status, f"There is no user {raw}.")
        if q.removal_ignored:
            self.store.unsubscribe(event, user)
        else:
            self.store.remove(event, int(raw))

    async def body_named_user(self, request: Request) -> User | None:
        """The user a ``user`` body field names, which only the unsubscribe fault listens to."""
        if not self.quirks.unsubscribe_named_user:
            return None
        named: object = None
        if await request.body():
            body = await read_body(request, self.quirks)
            if body.has("user"):
                named = body.values("user")[0] if body.form is not None else body.values("user")
        return self.store.users.get(int(named)) if str(named).isdigit() else None

    async def requests(self, request: Request) -> Response:
        if self.quirks.requests_list_ignores_auth and "authorization" not in request.headers:
            event = self.event(request)
            user = self.store.users[event.creator_id]
        else:
            user = self.caller(request)
            event = self.event(request)
        self.require_manager(event, user, self.quirks.manager_only_requests_list)
        return self.users_list(request, event.with_status("requested"))

    async def status(self, request: Request) -> Response:
        user = self.caller(request)
        event = self.event(request)
        if self.quirks.status_stale_after_leave and user.id in event.left:
            return JSONResponse({"status": "subscribed"})
        status = event.status_of(user.id)
        if status is None and self.quirks.families_share_status and self.twin is not None:
            same_id = self.twin.store.events.get(event.id)  # memberships keyed by id alone
            status = same_id.status_of(user.id) if same_id is not None else None
        return JSONResponse({"status": status})

    async def crash(self, request: Request) -> Response:
        """An undocumented method that reaches code never meant for it (the undocumented-method-500 fault)."""
        raise ServerFault


def create_app(quirks: Quirks, token_users: int = 4) -> Starlette:
    toy = Toy(quirks, token_users)
    groups = Toy(quirks, token_users, family="group")
    groups.twin = toy
    routes = [Route("/api/v2/user/me/", toy.me, methods=["GET"])]
    for family in (toy, groups):
        base = f"/api/v2/{family.family}/"
        routes += [
            Route(base, family.create_event, methods=["POST"]),
            Route(f"{base}{{id}}/", family.get_event, methods=["GET"]),
            Route(f"{base}{{id}}/invite/", family.invite, methods=["GET", "POST", "DELETE"]),
            Route(f"{base}{{id}}/subscribe/", family.subscribe, methods=["GET", "POST", "DELETE"]),
            Route(f"{base}{{id}}/request_subscribe/", family.requests, methods=["GET"]),
            Route(f"{base}{{id}}/status/", family.status, methods=["GET"]),
        ]
    event_path = "/api/v2/event/{id}"
    if quirks.undocumented_method_500:
        for path in ("invite/", "subscribe/", "request_subscribe/", "status/"):
            routes.append(Route(f"{event_path}/{path}", toy.crash, methods=["PUT", "PATCH"]))
    exception_handlers = handlers(quirks.error_style, quirks.allow_on_405)
    app = Starlette(routes=routes, exception_handlers=exception_handlers)  # type: ignore[arg-type]
    if quirks.throttle_every:
        app.add_middleware(Throttle, every=quirks.throttle_every)
    return app


class Throttle:
    """Answers every `every`-th request with 429 and ``Retry-After: 0``, as a rate limiter might."""

    def __init__(self, app: ASGIApp, every: int) -> None:
        self.app = app
        self.every = every
        self.seen = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.seen += 1
            if self.seen % self.every == 0:
                refusal = JSONResponse({"detail": "Too many requests"}, 429, headers={"Retry-After": "0"})
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)
