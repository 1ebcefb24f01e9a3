"""SUB-*: joining and leaving act on the caller only."""

from __future__ import annotations

from typing import Any

from .context import Context, succeeded
from .outcomes import expect
from .registry import requirement


@requirement("SUB-SELF-ONLY")
def leaving_acts_on_the_caller_only(ctx: Context) -> None:
    target = ctx.target
    caller, other = target.member, target.requester
    event = ctx.fresh_event("public")
    operation = ctx.op("unsubscribeFromEvent")
    attempts = []
    namings: list[dict[str, Any]] = [{"params": {"user": other.id}}, {"json_body": {"user": other.id}}]
    for naming in namings:
        for user in (caller, other):
            ctx.given_joined(event, user, "subscribed")
        exchange = ctx.client.request(operation.method, operation.url(event), token=caller.token, **naming)
        attempts.append(exchange)
        expect(
            ctx.status(event, other) == "subscribed" and ctx.status(event, target.manager) == "subscribed",
            f"DELETE subscribe by {caller} naming {other} removed someone other than the caller; "
            "the operation must act on the caller only",
            exchange,
        )
        if succeeded(exchange):
            status = ctx.status(event, caller)
            expect(
                status is None,
                f"DELETE subscribe answered {exchange.status}; the caller reads {status!r}",
                exchange,
            )
    subscribed = ctx.list_ids("getEventSubscribedUsers", event)
    expect(other.id in subscribed, f"GET subscribe no longer lists {other}: {subscribed}", *attempts)
