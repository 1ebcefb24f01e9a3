"""VAL-ID-FORMS: odd forms of user ids in a users list, each judged by the contract (rules 9 and 43).

Deterministic: the same forms on POST and DELETE invite, whatever the seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exchange import Exchange
from .context import Context, succeeded
from .outcomes import CheckFailed, Observation, expect
from .registry import requirement
from .validation import expect_400_unchanged

NO_USER = (0, -1, 2**63, 10**30)


def users_schema(ctx: Context) -> Mapping[str, Any]:
    properties = ctx.op("invite").request_schema().get("properties", {})
    return ctx.spec.resolve(properties.get("users", {}))


def check_numeric_string(ctx: Context) -> None:
    """ "5" for user 5: 2xx acting as the integer (invited, then withdrawn), or 400 changing nothing."""
    invitee = ctx.target.requester
    resource = ctx.fresh_resource("private")
    text = str(invitee.id)
    for operation_id, wanted in (("invite", "invited"), ("remove_invitation", None)):
        if operation_id == "remove_invitation":
            ctx.given(ctx.invite(resource, [invitee.id]), "POST invite", "INV-204")
        before = ctx.status(resource, invitee)
        exchange = ctx.call(operation_id, ctx.manager, resource, json_body={"users": [text]})
        status = ctx.status(resource, invitee)
        label = f"{exchange.method} invite with users [{text!r}] (a numeric string)"
        expect(
            succeeded(exchange) or exchange.status == 400,
            f"{label} answered {exchange.status}; read it as the id {text} or refuse it with 400",
            exchange,
        )
        if succeeded(exchange):
            expect(
                status == wanted,
                f"{label} answered {exchange.status}, yet {invitee} reads {status!r}, not {wanted!r}: an "
                "accepted numeric string must act exactly as the integer id",
                exchange,
            )
        else:
            expect(status == before, f"{label} was refused, yet {invitee} went from {before!r} to {status!r}")


def check_duplicates(ctx: Context) -> None:
    """A user named twice (next to another) is applied once."""
    twice, once = ctx.target.member, ctx.target.requester
    resource = ctx.fresh_resource("private")
    exchange = ctx.invite(resource, [twice.id, twice.id, once.id])
    expect(
        succeeded(exchange),
        f"POST invite naming {twice} twice answered {exchange.status}; a repeated id is applied once",
        exchange,
    )
    listed = ctx.list_ids("invited", resource)
    expect(
        sorted(listed) == sorted([twice.id, once.id]),
        f"POST invite of [{twice.id}, {twice.id}, {once.id}] lists {listed}; each user must be listed once",
        exchange,
    )


def check_list_limit(ctx: Context) -> str:
    """At a maxItems the spec states: accepted; one past it: a 4xx. Without one, not probed (said why)."""
    limit = users_schema(ctx).get("maxItems")
    if not isinstance(limit, int) or limit < 1:
        return "list length limit: not probed, openapi/v2.yaml states no maxItems for `users`"
    resource = ctx.fresh_resource("private")
    user_id = ctx.target.member.id
    at_limit = ctx.invite(resource, [user_id] * limit)
    past_limit = ctx.invite(resource, [user_id] * (limit + 1))
    problems: list[tuple[str, Exchange]] = []
    if not succeeded(at_limit):
        problems.append((f"{limit} ids (the stated maxItems) answered {at_limit.status}", at_limit))
    if not 400 <= (past_limit.status or 0) < 500:
        problems.append((f"{limit + 1} ids (past maxItems) answered {past_limit.status}", past_limit))
    if problems:
        raise CheckFailed(
            "; ".join(text for text, _ in problems)
            + ": accept lists up to the stated limit, refuse longer ones "
            "with a 4xx",
            [exchange for _, exchange in problems],
        )
    return f"list length limit: {limit} ids accepted, {limit + 1} refused with {past_limit.status}"


@requirement("VAL-ID-FORMS")
def odd_id_forms(ctx: Context) -> Observation:
    valid = ctx.target.requester.id
    bodies: list[dict[str, Any]] = [{"users": [bad]} for bad in NO_USER]
    bodies += [{"users": [valid, bad]} for bad in NO_USER]
    expect_400_unchanged(ctx, bodies, "ids that name no user (0, negative, beyond 64 bits)")
    check_numeric_string(ctx)
    check_duplicates(ctx)
    return Observation(check_list_limit(ctx))
