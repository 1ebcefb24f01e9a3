"""SUB-*: leaving acts on the caller only (a `user` field in the body is not read, contract rule 18);
joining answers what the spec documents: a course's join, 200 with the course (rule 61)."""

from __future__ import annotations

from ..target import User
from .context import Context, succeeded
from .outcomes import CheckSkipped, expect
from .registry import requirement
from .schemathesis_run import answer_problems


@requirement("SUB-SELF-ONLY")
def leaving_acts_on_the_caller_only(ctx: Context) -> None:
    target = ctx.target
    caller, other = target.member, target.requester
    resource = ctx.fresh_resource("public")
    operation = ctx.op("leave")
    for user in (caller, other):
        ctx.given_joined(resource, user, ctx.member_state)
    exchange = ctx.client.request(
        operation.method, operation.url(resource), token=caller.token, json_body={"user": other.id}
    )
    expect(
        ctx.status(resource, other) == ctx.member_state
        and ctx.status(resource, target.manager) == ctx.creator_state,
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


def join_cases(ctx: Context) -> list[tuple[str, int, User, str]]:
    """(what, resource, caller, the state joining leaves them in) for each outcome of joining: at once on
    a resource anyone joins so, a request on one that needs approval, an accepted invitation."""
    target = ctx.target
    public, private = ctx.fresh_resource("public"), ctx.fresh_resource("private")
    invited = ctx.private_resource_inviting(target.member)
    open_value, approval = ctx.family.catalog_privacy("public"), ctx.family.catalog_privacy("private")
    member, requester = target.member, target.requester
    return [
        (f"{member} joining the {open_value!r} event", public, member, ctx.member_state),
        (f"{member} joining it again", public, member, ctx.member_state),
        (f"{requester} joining the {approval!r} event", private, requester, ctx.requested_state),
        (f"{member}, invited, joining the {approval!r} event", invited, member, ctx.member_state),
    ]


@requirement("SUB-JOIN-ANSWER")
def join_answers_the_resource(ctx: Context) -> None:
    operation = ctx.op("join")
    documented = ctx.success_status("join")
    field = ctx.states.field
    if documented is None or field is None:
        raise CheckSkipped(f"{operation.label} documents no one success status, or its answer no state")
    for what, resource, user, state in join_cases(ctx):
        exchange = ctx.join(resource, user)
        expect(
            exchange.status == documented,
            f"POST join by {what} answered {exchange.status}; the spec documents {documented}",
            exchange,
        )
        problems = answer_problems(ctx.target, operation, exchange)
        expect(
            problems is None,
            f"the answer to {what} is not the documented {operation.response_schema_name(str(documented))}: "
            f"{problems}",
            exchange,
        )
        body = exchange.json_or_none()
        shown = body.get(field) if isinstance(body, dict) else None
        identity = body.get("id") if isinstance(body, dict) else None
        expect(
            identity == resource and shown == state,
            f"the answer to {what} has id {identity!r} and {field} {shown!r}, not {resource} and {state!r} "
            "(the caller's new state)",
            exchange,
        )
        status = ctx.status(resource, user)
        expect(status == shown, f"the answer to {what} says {field} {shown!r}, GET status {status!r}")
