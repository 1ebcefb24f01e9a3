"""Who may call what, read from the specification and decided by one gate.

Each operation's ``security`` and ``x-access`` extension say whether a caller must be
authenticated and which roles they need, by default and under conditions (read by the contract
core, compiled at start-up by ``access_policy``; roles and resource attributes come from
``resources``). The decisions are this gate's own. The gate runs after
routing, inside the request's transaction (``transactions``), and before body validation, in the
order Django REST framework uses: 401 when the default clause needs a caller, then 404 for an
unknown resource, then the clauses whose conditions hold (401 for anonymous callers; for the others
404 when a refusing clause hides the resource, else 403), then 400. It hands the caller, the resource
it loaded and whether a user may see that resource (its GET's access) to the handlers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Row
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from reference_impl import problems, repository, tokens, transactions
from reference_impl.access_policy import (
    AccessSpecError,
    OperationPolicy,
    Refused,
    RequestFacts,
    policies_from_spec,
)
from reference_impl.kept_reads import GateRead, KeptReads, Key, RowVersions
from reference_impl.request_params import present_params, query_values, with_body_fields

__all__ = ["AccessMiddleware", "AccessSpecError", "Gate", "OperationPolicy", "policies_from_spec"]


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
    """Applies each operation's policy to one request inside the request's transaction.

    ``kept_for``: the operations whose change verifies the caller's and the resource's rows the decision
    was taken on; for them the gate keeps the rows of a decision that admitted the caller, and decides the
    next request of that caller to that resource on them (``kept_reads``).
    """

    def __init__(
        self, policies: Mapping[str, OperationPolicy], secret: str, *, kept_for: Collection[str] = ()
    ) -> None:
        self.policies = policies
        self.secret = secret
        self.kept_for = frozenset(kept_for)
        self.kept = KeptReads()

    def caller_id(self, policy: OperationPolicy, headers: Headers) -> int | None:
        """The user id the request's token speaks for; None without credentials; 401 for bad ones."""
        token = _bearer_token(headers)
        if token is None:
            if policy.authentication == "required":
                raise problems.unauthorized(
                    "Authentication credentials were not provided.", invalid_token=False
                )
            return None
        try:
            return tokens.subject(self.secret, token)
        except tokens.InvalidToken as exc:
            raise problems.unauthorized(str(exc), invalid_token=True) from exc

    def caller_and_resource(
        self,
        request: transactions.RequestContext,
        policy: OperationPolicy,
        user_id: int | None,
        path_params: Mapping[str, Any],
    ) -> tuple[Row | None, Row | None, RowVersions | None]:
        """The caller (401 when the token's user does not exist), then the resource the path identifies
        (404 when there is none); read in one statement when there are both
        (``repository.user_and_resource``), which gives their rows' versions on PostgreSQL.

        What the gate reads of the resource never changes. A write whose access depends on a membership
        locks it here, so that the decision holds until its changes are committed; other writes lock it
        when their changes begin (``repository.lock``).
        """
        connection = request.connection
        kind = policy.resource if policy.identifies_resource else None
        raw = path_params.get(kind.parameter) if kind is not None else None
        versions = None
        if kind is not None and user_id is not None and isinstance(raw, int):
            caller, resource, versions = kind.load_with_user(connection, user_id, raw)
        else:
            caller = repository.user_by_id(connection, user_id) if user_id is not None else None
            resource = kind.load(connection, raw) if kind is not None and isinstance(raw, int) else None
        if user_id is not None and caller is None:
            raise problems.unauthorized("The token's user does not exist.", invalid_token=True)
        if kind is not None:
            if resource is None:
                raise problems.not_found(f"No {kind.name} with id {raw}.")
            if request.writes and policy.reads_memberships:
                kind.lock(connection, resource.id)
        return caller, resource, versions

    def check(
        self,
        request: transactions.RequestContext,
        policy: OperationPolicy,
        scope: Scope,
        *,
        fresh: bool = False,
    ) -> None:
        """401 (default clause), then 404 (unknown resource), then the conditional clauses: 401, 404 or 403.

        On success the request's ``caller``, ``resource`` and ``sees`` are set for the handler. For the
        operations in ``kept_for``, the rows of an earlier admitting decision are used when there are
        some (unless ``fresh``); a refusal is only ever given on rows read now.
        """
        if policy.unavailable:
            raise problems.not_found(policy.unavailable)
        user_id = self.caller_id(policy, Headers(scope=scope))
        path_params = scope.get("path_params", {})
        key = self._kept_key(policy, user_id, path_params)
        if key is not None and not fresh:
            read = self.kept.get(key)
            if read is not None:
                if self._decide(request, policy, scope, read.caller, read.resource) is None:
                    self._verify_later(request, policy, scope, key, read.versions)
                    return
                self.kept.forget(key)  # refused on kept rows: decided again on rows read now
        caller, resource, versions = self.caller_and_resource(request, policy, user_id, path_params)
        refused = self._decide(request, policy, scope, caller, resource)
        if refused is not None:
            raise _problem(refused, policy, path_params)
        if key is not None and versions is not None and caller is not None and resource is not None:
            self.kept.keep(key, GateRead(caller, resource, versions))
            self._verify_later(request, policy, scope, key, versions)

    def _kept_key(
        self, policy: OperationPolicy, user_id: int | None, path_params: Mapping[str, Any]
    ) -> Key | None:
        """Where the rows of this request's decision are kept; None when they are not."""
        kind = policy.resource
        if policy.operation not in self.kept_for or kind is None or user_id is None:
            return None
        resource_id = path_params.get(kind.parameter)
        return (user_id, kind.name, resource_id) if isinstance(resource_id, int) else None

    def _decide(
        self,
        request: transactions.RequestContext,
        policy: OperationPolicy,
        scope: Scope,
        caller: Row | None,
        resource: Row | None,
    ) -> Refused | None:
        """The policy's decision on these rows; when it admits, they are the request's for the handler."""
        connection = request.connection
        facts = RequestFacts(
            connection, caller, resource, present_params(policy, scope), query_values(policy, scope)
        )
        refused = policy.decide(facts)
        if refused is not None:
            return refused
        request.caller, request.resource = caller, resource
        viewer = policy.viewer
        if viewer is not None:
            request.sees = lambda user: viewer.admits(RequestFacts(connection, user, resource))
        return None

    def _verify_later(
        self,
        request: transactions.RequestContext,
        policy: OperationPolicy,
        scope: Scope,
        key: Key,
        versions: RowVersions,
    ) -> None:
        """Hand the rows' versions to the change, and how to decide again when they are not current."""

        def decide_again() -> None:
            self.kept.forget(key)
            request.read_versions = None
            self.check(request, policy, scope, fresh=True)

        request.read_versions = versions
        request.decide_again = decide_again


def _problem(refused: Refused, policy: OperationPolicy, path_params: Mapping[str, Any]) -> Exception:
    because = f" (this applies when {refused.reason})" if refused.reason else ""
    if refused.kind == "unauthenticated":
        detail = f"Authentication credentials were not provided{because}."
        return problems.unauthorized(detail, invalid_token=False)
    if refused.kind == "hidden":
        # As if the resource did not exist: the same answer as for an unknown id.
        kind = policy.resource
        if kind is None:
            return problems.not_found("Nothing here.")
        return problems.not_found(f"No {kind.name} with id {path_params.get(kind.parameter)}.")
    return problems.forbidden(f"{refused.clause.refusal()}{because}.")


class AccessMiddleware:
    """After the transaction is bound, instead of Connexion's security middleware: the gate, or a refusal."""

    def __init__(self, app: ASGIApp, *, gate: Gate) -> None:
        self.app = app
        self.gate = gate

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = self.gate.policies.get(transactions.operation_id(scope) or "")
        if policy is None:
            await self.app(scope, receive, send)
            return
        if policy.body_params:
            scope, receive = await with_body_fields(scope, receive)
        request = transactions.current()
        await request.run(self.gate.check, request, policy, scope)
        await self.app(scope, receive, send)
