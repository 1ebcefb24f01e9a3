"""MGR-*: operations whose x-access roles include manager refuse everyone else with 403, changing nothing."""

from __future__ import annotations

from .auth import valid_body
from .context import Context, succeeded
from .outcomes import expect, expect_every
from .registry import requirement

ADVICE = "Check the manager role (x-access) before anything else and answer 403."


def public_event_with_subscriber(ctx: Context) -> int:
    """A public event the member has joined: the member is involved, yet not the manager."""
    event = ctx.fresh_event("public")
    ctx.given_joined(event, ctx.target.member, "subscribed")
    return event


@requirement("MGR-INVITE-POST")
def only_manager_invites(ctx: Context) -> None:
    target = ctx.target
    event = public_event_with_subscriber(ctx)
    victim = target.requester
    attempts = [
        ctx.invite(event, [victim.id], user=target.member),  # a subscriber
        ctx.invite(event, [victim.id], user=victim),  # inviting oneself
    ]
    if target.outsider is not target.member:
        attempts.append(ctx.invite(event, [victim.id], user=target.outsider))
    expect_every(attempts, 403, "POST invite requests by users who do not manage the event", ADVICE)
    invited = ctx.list_ids("invited", event)
    status = ctx.status(event, victim)
    expect(
        victim.id not in invited and status is None,
        f"a refused POST invite still invited {victim} (status {status!r}, invited list {invited}); "
        "check the manager role before changing anything",
        *attempts,
    )


@requirement("MGR-INVITE-GET")
def only_manager_lists_invitations(ctx: Context) -> None:
    target = ctx.target
    event = public_event_with_subscriber(ctx)
    attempts = [ctx.call("invited", user, event) for user in target.others]
    expect_every(attempts, 403, "GET invite requests by users who do not manage the event", ADVICE)


@requirement("MGR-INVITE-DELETE")
def only_manager_withdraws(ctx: Context) -> None:
    target = ctx.target
    event = public_event_with_subscriber(ctx)
    invited = target.requester
    ctx.given_invited(event, [invited])
    before = ctx.snapshot(event, [invited])
    attempts = [
        ctx.withdraw(event, [invited.id], user=target.member),  # a subscriber
        ctx.withdraw(event, [invited.id], user=invited),  # the invited user (declining is DELETE subscribe)
    ]
    expect_every(attempts, 403, "DELETE invite requests by users who do not manage the event", ADVICE)
    after = ctx.snapshot(event, [invited])
    expect(
        after == before,
        f"a refused DELETE invite still changed the event: {before} became {after}",
        *attempts,
    )


@requirement("MGR-OTHER")
def other_manager_operations(ctx: Context) -> None:
    target = ctx.target
    invite_ops = {ctx.op(action) for action in ("invite", "invited", "withdraw")}
    others = [op for op in ctx.operations() if op.manager_only and op not in invite_ops]
    expect(bool(others), "openapi/v2.yaml declares no other manager-only operation (x-access roles)")
    event = public_event_with_subscriber(ctx)
    attempts = []
    for operation in others:
        body = valid_body(ctx, operation.operation_id)
        for user in target.others:
            kwargs = {"json_body": body} if body is not None else {}
            attempts.append(ctx.call(operation.operation_id, user, event, **kwargs))
    expect_every(
        attempts, 403, "requests to manager-only operations by users who do not manage the resource", ADVICE
    )


@requirement("MGR-KEEPS")
def manager_keeps_access(ctx: Context) -> None:
    target = ctx.target
    event = ctx.private_event_inviting(target.member)
    withdrawal = "DELETE invite"
    ctx.given(ctx.withdraw(event, [target.member.id]), withdrawal, "SPEC-STATUS")
    ctx.given_statuses(event, {target.member: None}, withdrawal, "INV-WITHDRAW")
    ctx.given_joined(event, target.requester, "requested")
    acceptance = "POST invite accepting the request"
    ctx.given(ctx.invite(event, [target.requester.id]), acceptance, "INV-204")
    ctx.given_statuses(event, {target.requester: "subscribed"}, acceptance, "INV-ACCEPT")
    leaving = "DELETE subscribe by the manager (leaving the event)"
    ctx.given(ctx.unsubscribe(event, target.manager), leaving, "SPEC-STATUS")
    ctx.given_statuses(event, {target.manager: None}, leaving, "MODEL-STATEFUL")
    checks = [
        ctx.call("invited", target.manager, event),
        ctx.call("requested", target.manager, event),
        ctx.invite(event, [target.member.id]),
    ]
    wrong = [exchange for exchange in checks if not succeeded(exchange)]
    expect(
        not wrong,
        "after inviting, withdrawing, accepting a request and leaving the event, the creator was refused "
        "manager operations; the creator manages the event whatever the membership",
        *wrong,
    )
    expect(
        ctx.status(event, target.member) == "invited", "the manager's invitation after leaving had no effect"
    )
