"""AUTH-*: operations that require a bearer token refuse requests without a valid one, with a challenge."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from openapi.families import family_of

from ..exchange import Exchange
from ..expectations import requires_credentials
from .context import Context
from .outcomes import CheckSkipped, expect, expect_every
from .registry import requirement

# Each variant: the Authorization header sent (None: no header at all).
VARIANTS: dict[str, str | None] = {
    "missing": None,
    "scheme": "Basic " + base64.b64encode(b"conformance:not-a-password").decode(),
    # HTTP parsers drop trailing whitespace from field values (RFC 9110 §5.5), so `Bearer ` arrives as
    # `Bearer`; h11 refuses to send the trailing space, so the suite sends what the server would see.
    "empty": "Bearer",
    "garbage": "Bearer not-a-token-" + secrets.token_hex(8),
}


def valid_body(ctx: Context, operation_id: str) -> dict[str, object] | None:
    """A body the operation would accept from an authorised caller, so only the credentials are wrong."""
    if not ctx.op(operation_id).has_body:
        return None
    operation = ctx.op(operation_id)
    family = family_of(operation)
    if family is not None and family.action_of(operation) == "create":
        return ctx.target.resource_body(operation, "private")
    properties = operation.request_schema().get("properties", {})
    if "users" in properties:
        return {"users": [ctx.target.outsider.id]}
    # A body of other lists of user ids (a course's POST role: `managers`, `joined`, `unjoined`, at least
    # one of them): the first list, naming the outsider.
    lists = [name for name, prop in properties.items() if ctx.spec.resolve(prop).get("type") == "array"]
    return {lists[0]: [ctx.target.outsider.id]} if lists else {}


def probe(ctx: Context, operation_id: str, variant: str, resource: int | None) -> Exchange:
    body = valid_body(ctx, operation_id)
    kwargs: dict[str, Any] = {"authorization": VARIANTS[variant]}
    if body is not None:
        kwargs["json_body"] = body
    operation = ctx.op(operation_id)
    return ctx.client.request(
        operation.method,
        operation.url(resource if operation.takes_resource_id else None),
        **kwargs,
    )


def probes(ctx: Context, variant: str) -> list[Exchange]:
    """One refused-credentials request per auth-required operation, on a real resource of the operation's
    family (an event, a group, …); cached per run."""
    cache: dict[str, list[Exchange]] = ctx.notes.setdefault("auth_probes", {})
    if variant not in cache:
        resource = ctx.notes.get("auth_probe_resource")
        if resource is None:
            resource = ctx.notes["auth_probe_resource"] = ctx.fresh_resource("private")
        cache[variant] = [
            probe(ctx, operation.operation_id, variant, resource if operation.takes_resource_id else None)
            for operation in ctx.operations()
            if requires_credentials(operation)
        ]
    return cache[variant]


def expect_all_401(ctx: Context, variant: str, described: str) -> None:
    expect_every(
        probes(ctx, variant),
        401,
        f"operations that require authentication, sent {described},",
        "Refuse such requests with 401 before any other processing.",
    )


@requirement("AUTH-MISSING")
def no_authorization_header(ctx: Context) -> None:
    expect_all_401(ctx, "missing", "a request without an Authorization header")


@requirement("AUTH-SCHEME")
def other_scheme(ctx: Context) -> None:
    expect_all_401(ctx, "scheme", "`Authorization: Basic …`")


@requirement("AUTH-EMPTY")
def empty_bearer(ctx: Context) -> None:
    expect_all_401(ctx, "empty", "`Authorization: Bearer ` (no token)")


@requirement("AUTH-GARBAGE")
def garbage_bearer(ctx: Context) -> None:
    expect_all_401(ctx, "garbage", "a bearer token the server never issued")


@requirement("AUTH-CHALLENGE")
def challenge_on_401(ctx: Context) -> None:
    answers = [
        exchange for variant in VARIANTS for exchange in probes(ctx, variant) if exchange.status == 401
    ]
    if not answers:
        raise CheckSkipped("no request was answered 401: there is no challenge to check (see AUTH-MISSING)")
    bare = [
        exchange
        for exchange in answers
        if "bearer" not in (exchange.header("www-authenticate") or "").lower()
    ]
    expect(
        not bare,
        f"{len(bare)} of {len(answers)} 401 answers carry no `WWW-Authenticate: Bearer …` challenge "
        "(RFC 9110 §11.6.1 requires one on every 401). Add the header to every 401.",
        *bare[:6],
    )


@requirement("AUTH-NO-EFFECT")
def refused_requests_change_nothing(ctx: Context) -> None:
    target = ctx.target
    invited, bystander = target.member, target.requester
    resource = ctx.private_resource_inviting(invited)
    before_invited = ctx.list_ids("invited", resource)
    before_subscribed = ctx.list_ids("members", resource)
    with ctx.client.recording() as refused:
        for variant in ("missing", "garbage"):
            for operation_id, body in (
                ("invite", {"users": [bystander.id]}),
                ("remove_invitation", {"users": [invited.id]}),
                ("join", None),
                ("leave", None),
            ):
                if not requires_credentials(ctx.op(operation_id)):
                    continue
                operation = ctx.op(operation_id)
                kwargs: dict[str, Any] = {"authorization": VARIANTS[variant]}
                if body is not None:
                    kwargs["json_body"] = body
                ctx.client.request(operation.method, operation.url(resource), **kwargs)
    after_invited = ctx.list_ids("invited", resource)
    after_subscribed = ctx.list_ids("members", resource)
    changed = []
    if sorted(after_invited) != sorted(before_invited):
        changed.append(f"invited users {sorted(before_invited)} → {sorted(after_invited)}")
    if sorted(after_subscribed) != sorted(before_subscribed):
        changed.append(f"subscribed users {sorted(before_subscribed)} → {sorted(after_subscribed)}")
    bystander_status = ctx.status(resource, bystander)
    if bystander_status is not None:
        changed.append(f"{bystander} now reads status {bystander_status!r}")
    expect(
        not changed,
        "requests refused for missing or invalid credentials changed the event: "
        + "; ".join(changed)
        + ". Check credentials before touching any state.",
        *refused,
    )
