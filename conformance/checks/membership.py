"""SUB-*: leaving acts on the caller only; a `user` field in the body is not read (contract rule 18)."""

from __future__ import annotations

from .context import Context, succeeded
from .outcomes import expect
from .registry import requirement


@requirement("SUB-SELF-ONLY")
def leaving_acts_on_the_caller_only(ctx: Context) -> None:
    target = ctx.target
    caller, other = target.member, target.requester
    resource = ctx.fresh_resource("public")
    operation = ctx.op("leave")
    for user in (caller, other):
        ctx.given_joined(resource, user, "subscribed")
    exchange = ctx.client.request(
        operation.method, operation.url(resource), token=caller.token, json_body={"user": other.id}
    )
    expect(
        ctx.status(resource, other) == "subscribed" and ctx.status(resource, target.manager) == "subscribed",
        f"DELETE subscribe by {caller} with the body field `user` naming {other} removed someone other "
        "than the caller; a DELETE body is not read, and only the manager removes others (`?user=`)",
        exchange,
    )
    if succeeded(exchange):
        status = ctx.status(resource, caller)
        expect(
            status is None,
            f"DELETE subscribe answered {exchange.status}; the caller reads {status!r}",
            exchange,
        )
    subscribed = ctx.list_ids("members", resource)
    expect(other.id in subscribed, f"GET subscribe no longer lists {other}: {subscribed}", exchange)
