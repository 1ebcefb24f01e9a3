"""SUB-*: leaving acts on the caller only; a `user` field in the body is not read (contract rule 18)."""

from __future__ import annotations

from .context import Context, succeeded
from .outcomes import expect
from .registry import requirement


@requirement("SUB-SELF-ONLY")
def leaving_acts_on_the_caller_only(ctx: Context) -> None:
    target = ctx.target
    caller, other = target.member, target.requester
    event = ctx.fresh_event("public")
    operation = ctx.op("leave")
    for user in (caller, other):
        ctx.given_joined(event, user, "subscribed")
    exchange = ctx.client.request(
        operation.method, operation.url(event), token=caller.token, json_body={"user": other.id}
    )
    expect(
        ctx.status(event, other) == "subscribed" and ctx.status(event, target.manager) == "subscribed",
        f"DELETE subscribe by {caller} with the body field `user` naming {other} removed someone other "
        "than the caller; a DELETE body is not read, and only the manager removes others (`?user=`)",
        exchange,
    )
    if succeeded(exchange):
        status = ctx.status(event, caller)
        expect(
            status is None,
            f"DELETE subscribe answered {exchange.status}; the caller reads {status!r}",
            exchange,
        )
    subscribed = ctx.list_ids("members", event)
    expect(other.id in subscribed, f"GET subscribe no longer lists {other}: {subscribed}", exchange)
