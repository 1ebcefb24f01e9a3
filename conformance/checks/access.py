"""MGR-*: operations whose x-access roles include manager refuse everyone else with 403, changing nothing."""

from __future__ import annotations

from ..expectations import reserved_to_manager
from .auth import valid_body
from .context import Context, succeeded
from .outcomes import expect, expect_every
from .registry import requirement

ADVICE = "Check the manager role (x-access) before anything else and answer 403."


def public_resource_with_subscriber(ctx: Context) -> int:
    """A public resource the member has joined: the member is involved, yet not the manager."""
    resource = ctx.fresh_resource("public")
    ctx.given_joined(resource, ctx.target.member, ctx.member_state)
    return resource


@requirement("MGR-INVITE-POST")
def only_manager_invites(ctx: Context) -> None:
    target = ctx.target
    resource = public_resource_with_subscriber(ctx)
    victim = target.requester
    attempts = [
        ctx.invite(resource, [victim.id], user=target.member),  # a subscriber
        ctx.invite(resource, [victim.id], user=victim),  # inviting oneself
    ]
    if target.outsider is not target.member:
        attempts.append(ctx.invite(resource, [victim.id], user=target.outsider))
    expect_every(attempts, 403, "POST invite requests by users who do not manage the event", ADVICE)
    invited = ctx.list_ids("invited", resource)
    status = ctx.status(resource, victim)
    expect(
        victim.id not in invited and status is None,
        f"a refused POST invite still invited {victim} (status {status!r}, invited list {invited}); "
        "check the manager role before changing anything",
        *attempts,
    )


@requirement("MGR-INVITE-GET")
def only_manager_lists_invitations(ctx: Context) -> None:
    target = ctx.target
    resource = public_resource_with_subscriber(ctx)
    attempts = [ctx.call("invited", user, resource) for user in target.others]
    expect_every(attempts, 403, "GET invite requests by users who do not manage the event", ADVICE)


@requirement("MGR-INVITE-DELETE")
def only_manager_withdraws(ctx: Context) -> None:
    target = ctx.target
    resource = public_resource_with_subscriber(ctx)
    invited = target.requester
    ctx.given_invited(resource, [invited])
    before = ctx.snapshot(resource, [invited])
    attempts = [
        ctx.remove_invitation(resource, [invited.id], user=target.member),  # a subscriber
        ctx.remove_invitation(
            resource, [invited.id], user=invited
        ),  # the invited user (declining is DELETE subscribe)
    ]
    expect_every(attempts, 403, "DELETE invite requests by users who do not manage the event", ADVICE)
    after = ctx.snapshot(resource, [invited])
    expect(
        after == before,
        f"a refused DELETE invite still changed the event: {before} became {after}",
        *attempts,
    )


@requirement("MGR-OTHER")
def other_manager_operations(ctx: Context) -> None:
    target = ctx.target
    invite_ops = {ctx.op(action) for action in ("invite", "invited", "remove_invitation")}
    others = [op for op in ctx.operations() if reserved_to_manager(op.access) and op not in invite_ops]
    expect(bool(others), "openapi/v2.yaml declares no other manager-only operation (x-access roles)")
    resource = public_resource_with_subscriber(ctx)
    attempts = []
    for operation in others:
        body = valid_body(ctx, operation.operation_id)
        for user in target.others:
            kwargs = {"json_body": body} if body is not None else {}
            attempts.append(ctx.call(operation.operation_id, user, resource, **kwargs))
    expect_every(
        attempts, 403, "requests to manager-only operations by users who do not manage the resource", ADVICE
    )


@requirement("MGR-KEEPS")
def manager_keeps_access(ctx: Context) -> None:
    target = ctx.target
    resource = ctx.private_resource_inviting(target.member)
    withdrawal = "DELETE invite"
    ctx.given(ctx.remove_invitation(resource, [target.member.id]), withdrawal, "SPEC-STATUS")
    ctx.given_statuses(resource, {target.member: None}, withdrawal, "INV-WITHDRAW")
    ctx.given_joined(resource, target.requester, "requested")
    acceptance = "POST invite accepting the request"
    ctx.given(ctx.invite(resource, [target.requester.id]), acceptance, "INV-204")
    ctx.given_statuses(resource, {target.requester: ctx.member_state}, acceptance, "INV-ACCEPT")
    if ctx.creator_may_leave():  # a course's creator may not (ROLE-CREATOR-STAYS)
        leaving = "DELETE subscribe by the manager (leaving the event)"
        ctx.given(ctx.leave(resource, target.manager), leaving, "SPEC-STATUS")
        ctx.given_statuses(resource, {target.manager: None}, leaving, "MODEL-STATEFUL")
    checks = [
        ctx.call("invited", target.manager, resource),
        ctx.call("requested", target.manager, resource),
        ctx.invite(resource, [target.member.id]),
    ]
    wrong = [exchange for exchange in checks if not succeeded(exchange)]
    expect(
        not wrong,
        "after inviting, withdrawing, accepting a request and leaving the event, the creator was refused "
        "manager operations; the creator manages the event whatever the membership",
        *wrong,
    )
    expect(
        ctx.status(resource, target.member) == "invited",
        "the manager's invitation after leaving had no effect",
    )
