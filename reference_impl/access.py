"""Who may call what, read from the specification and enforced in one middleware.

Each operation's ``security`` and ``x-access`` extension say whether a caller must be
authenticated and which roles they need. The middleware runs after routing and before body
validation, in the order Django REST framework uses: 401, then 404 for an unknown event, then
403, then 400. It also opens the request's one transaction, committed just before the response
starts so that a client never sees an answer whose changes are not yet visible.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Row
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_impl import context, db_calls, problems, repository, tokens
from reference_impl.admission import Admission
from reference_impl.problems import HTTP_METHODS

Authentication = Literal["required", "optional", "none"]
AUTHENTICATION_LEVELS: tuple[Authentication, ...] = ("required", "optional", "none")
EVENT_PARAMETER = "id"


def _is_manager(caller: Row, event: Row) -> bool:
    return bool(caller.id == event.managed_by)


# Role name (as written in x-access.roles) → does the caller hold it for this event?
ROLES: dict[str, Callable[[Row, Row], bool]] = {"manager": _is_manager}
ROLE_REFUSALS = {"manager": "Only the manager of this event may do this."}


class AccessSpecError(ValueError):
    """The specification asks for access rules this server cannot enforce."""


@dataclass(frozen=True)
class AccessRule:
    operation: str
    authentication: Authentication
    roles: tuple[str, ...]
    has_event: bool


def _authentication_from_security(
    where: str, security: list[dict[str, Any]] | None, schemes: Mapping[str, Any]
) -> Authentication:
    if not security:
        return "none"
    for requirement in security:
        for name in requirement:
            scheme = schemes.get(name, {})
            if (scheme.get("type"), str(scheme.get("scheme", "")).lower()) != ("http", "bearer"):
                raise AccessSpecError(
                    f"{where}: security scheme {name!r} is not an HTTP bearer scheme; "
                    "this server only verifies bearer tokens."
                )
    return "optional" if any(requirement == {} for requirement in security) else "required"


def rules_from_spec(spec: Mapping[str, Any]) -> dict[str, AccessRule]:
    """One rule per operationId; anything unclear refuses start-up rather than leave a hole."""
    rules: dict[str, AccessRule] = {}
    for path, path_item in spec.get("paths", {}).items():
        for method, operation in path_item.items():
            if method not in HTTP_METHODS:
                continue
            where = f"{method.upper()} {path} ({operation.get('operationId', 'no operationId')})"
            if not operation.get("operationId"):
                raise AccessSpecError(f"{where}: no operationId; the server maps operationIds to handlers.")
            access = operation.get("x-access")
            if not isinstance(access, Mapping):
                raise AccessSpecError(f"{where}: no x-access extension; every operation needs one.")
            authentication = access.get("authentication")
            if authentication not in AUTHENTICATION_LEVELS:
                raise AccessSpecError(
                    f"{where}: x-access.authentication is {authentication!r}; "
                    f"expected one of {', '.join(AUTHENTICATION_LEVELS)}."
                )
            from_security = _authentication_from_security(
                where,
                operation.get("security", spec.get("security")),
                spec.get("components", {}).get("securitySchemes", {}),
            )
            if from_security != authentication:
                raise AccessSpecError(
                    f"{where}: security says authentication is {from_security} "
                    f"but x-access says {authentication}; make them agree."
                )
            roles = tuple(access.get("roles") or ())
            unknown = [role for role in roles if role not in ROLES]
            if unknown:
                raise AccessSpecError(
                    f"{where}: unknown role(s) {', '.join(map(repr, unknown))} in x-access.roles; "
                    f"this server knows {', '.join(sorted(ROLES))}. Refusing to start rather than "
                    "leave the operation unguarded."
                )
            has_event = "{" + EVENT_PARAMETER + "}" in path
            if roles and not has_event:
                raise AccessSpecError(f"{where}: roles need an event, but the path has no {{id}}.")
            if roles and authentication != "required":
                raise AccessSpecError(f"{where}: roles need authentication 'required'.")
            rules[operation["operationId"]] = AccessRule(
                operation["operationId"], authentication, roles, has_event
            )
    return rules


def _bearer_token(headers: Headers) -> str | None:
    """The token from ``Authorization``; None when no credentials were sent at all."""
    authorization = headers.get("authorization")
    if authorization is None or not authorization.strip():
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise problems.unauthorized(
            f"The Authorization header uses the {scheme!r} scheme; send 'Bearer <token>'.",
            invalid_token=True,
        )
    token = token.strip()
    if not token or " " in token:
        raise problems.unauthorized(
            "The Authorization header must be 'Bearer <token>' with one token.", invalid_token=True
        )
    return token


class Gate:
    """Applies the rules to one request inside the request's transaction."""

    def __init__(self, rules: Mapping[str, AccessRule], secret: str) -> None:
        self.rules = rules
        self.secret = secret

    def caller(self, connection: Connection, rule: AccessRule, headers: Headers) -> Row | None:
        token = _bearer_token(headers)
        if token is None:
            if rule.authentication == "required":
                raise problems.unauthorized(
                    "Authentication credentials were not provided.", invalid_token=False
                )
            return None
        try:
            user_id = tokens.subject(self.secret, token)
        except tokens.InvalidToken as exc:
            raise problems.unauthorized(str(exc), invalid_token=True) from exc
        user = repository.user_by_id(connection, user_id)
        if user is None:
            raise problems.unauthorized("The token's user does not exist.", invalid_token=True)
        return user

    def event(self, connection: Connection, path_params: Mapping[str, Any]) -> Row:
        raw = path_params.get(EVENT_PARAMETER)
        writes = bool(connection.get_execution_options().get("write"))
        event = repository.event_by_id(connection, raw, lock=writes) if isinstance(raw, int) else None
        if event is None:
            raise problems.not_found(f"No event with id {raw}.")
        return event

    def check(self, connection: Connection, rule: AccessRule, scope: Scope) -> context.RequestContext:
        caller = self.caller(connection, rule, Headers(scope=scope))
        event = self.event(connection, scope.get("path_params", {})) if rule.has_event else None
        if rule.roles:
            assert caller is not None and event is not None  # guaranteed by rules_from_spec
            if not any(ROLES[role](caller, event) for role in rule.roles):
                raise problems.forbidden(ROLE_REFUSALS[rule.roles[0]])
        return context.RequestContext(connection, caller, event)


class AccessMiddleware:
    """ASGI middleware placed after Connexion's routing, instead of its security middleware."""

    def __init__(self, app: ASGIApp, *, gate: Gate, engine: Engine) -> None:
        self.app = app
        self.gate = gate
        self.engine = engine
        self.single_writer = engine.dialect.name == "sqlite"
        self.admission = Admission()
        self.call = db_calls.caller_for(engine)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routing = scope.get("extensions", {}).get("connexion_routing", {}) if scope["type"] == "http" else {}
        rule = self.gate.rules.get(routing.get("operation_id") or "")
        if rule is None:
            await self.app(scope, receive, send)
            return
        writes = scope["method"] not in ("GET", "HEAD", "OPTIONS")
        async with self.admission.admit(self._exclusive_key(writes, scope)):
            await self._in_transaction(rule, writes, scope, receive, send)

    def _exclusive_key(self, writes: bool, scope: Scope) -> object | None:
        """What a request must have to itself: the database (SQLite writes), its event (writes), nothing."""
        if not writes:
            return None
        if self.single_writer:
            return "database"
        event_id = scope.get("path_params", {}).get(EVENT_PARAMETER)
        return ("event", event_id) if isinstance(event_id, int) else None

    async def _in_transaction(
        self, rule: AccessRule, writes: bool, scope: Scope, receive: Receive, send: Send
    ) -> None:
        connection, request_context = await self.call(self._open, writes, rule, scope)
        try:
            token = context.bind(request_context)
            try:
                await self.app(scope, receive, self._committing(connection, send))
            finally:
                context.unbind(token)
        finally:
            if not connection.closed:
                await self.call(connection.close)  # rolls back what was not committed

    def _open(
        self, writes: bool, rule: AccessRule, scope: Scope
    ) -> tuple[Connection, context.RequestContext]:
        """Check out a connection, begin the transaction and apply the access rule."""
        connection = self.engine.connect().execution_options(write=writes)
        try:
            connection.begin()
            return connection, self.gate.check(connection, rule, scope)
        except BaseException:
            connection.close()
            raise

    @staticmethod
    def _end(connection: Connection, commit: bool) -> None:
        if commit:
            connection.commit()
        connection.close()

    def _committing(self, connection: Connection, send: Send) -> Send:
        async def send_after_commit(message: Message) -> None:
            if message["type"] == "http.response.start" and not connection.closed:
                # Errors roll back; the connection goes back to the pool before the client hears.
                await self.call(self._end, connection, message["status"] < 400)
            await send(message)

        return send_after_commit
