"""Who may call what, read from the specification and enforced in one middleware.

Each operation's ``security`` and ``x-access`` extension say whether a caller must be
authenticated and which roles they need, by default and under conditions (compiled at start-up
by ``access_policy``; roles and resource attributes come from ``resources``). The middleware runs
after routing and before body validation, in the order Django REST framework uses: 401 when the
default clause needs a caller, then 404 for an unknown event, then the clauses whose conditions
hold (401 for anonymous callers, 403 for missing roles), then 400. It also opens the request's
one transaction, committed just before the response starts so that a client never sees an answer
whose changes are not yet visible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, Row
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_impl import context, db_calls, problems, repository, tokens
from reference_impl.access_policy import AccessRule, AccessSpecError, rules_from_spec
from reference_impl.admission import Admission
from reference_impl.request_params import present_params, with_body_fields

__all__ = ["AccessMiddleware", "AccessRule", "AccessSpecError", "Gate", "rules_from_spec"]


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

    def event(self, connection: Connection, rule: AccessRule, path_params: Mapping[str, Any]) -> Row:
        """The resource the path identifies (an event), locked for writes; 404 when there is none."""
        kind = rule.resource
        assert kind is not None
        raw = path_params.get(kind.parameter)
        writes = bool(connection.get_execution_options().get("write"))
        event = kind.load(connection, raw, writes) if isinstance(raw, int) else None
        if event is None:
            raise problems.not_found(f"No {kind.name} with id {raw}.")
        return event

    def check(self, connection: Connection, rule: AccessRule, scope: Scope) -> context.RequestContext:
        """401 (default clause), then 404 (unknown resource), then the conditional clauses: 401 or 403."""
        if rule.unavailable:
            raise problems.not_found(rule.unavailable)
        caller = self.caller(connection, rule, Headers(scope=scope))
        event = self.event(connection, rule, scope.get("path_params", {})) if rule.has_event else None
        for clause, reason in rule.applicable(event, present_params(rule, scope)):
            because = f" (this applies when {reason})" if reason else ""
            if caller is None:
                if clause.requires_caller:
                    raise problems.unauthorized(
                        f"Authentication credentials were not provided{because}.", invalid_token=False
                    )
                continue
            if clause.roles:
                assert event is not None  # roles need a resource in the path, checked at start-up
                if not any(role.held_by(connection, caller, event) for role in clause.roles):
                    refusal = clause.roles[0].relation.refusal.removesuffix(".")
                    raise problems.forbidden(f"{refusal}{because}.")
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
        if rule.body_params:
            scope, receive = await with_body_fields(scope, receive)
        async with self.admission.admit(self._exclusive_key(rule, writes, scope)):
            await self._in_transaction(rule, writes, scope, receive, send)

    def _exclusive_key(self, rule: AccessRule, writes: bool, scope: Scope) -> object | None:
        """What a request needs to itself: the database (SQLite writes), its resource (writes), nothing."""
        if not writes:
            return None
        if self.single_writer:
            return "database"
        kind = rule.resource
        resource_id = scope.get("path_params", {}).get(kind.parameter) if kind else None
        return (kind.name, resource_id) if kind and isinstance(resource_id, int) else None

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
