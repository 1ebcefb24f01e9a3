"""ROLE-*, VAL-ROLE, TOL-CREATOR-REMOVAL: the creator and the managers of a course (contract rules 57, 62–66).

A course has one creator, who may not leave it nor be removed or demoted, and any number of managers,
made and unmade by POST role (`managers`, `joined`, `unjoined`). A promoted manager may do what the
creator may; a demoted one, or one who left, may not. The states are the family's own words, read from
its status (`ctx.states`: `creator`, `manager`, `joined`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..exchange import Exchange
from ..target import User
from .context import Context, succeeded
from .outcomes import CheckSkipped, Observation, expect, expect_every
from .registry import requirement

ADVICE = "Check the creator or manager role (x-access) before anything else and answer 403."
REFUSED_CREATOR_REMOVAL = (204, 400, 403)


def manager_state(ctx: Context) -> str:
    state = ctx.states.manager
    if state is None:  # the catalog keeps these requirements to families whose status names one
        raise CheckSkipped(f"the {ctx.family} family's status names no manager state")
    return state


def promoted(ctx: Context, resource: int, user: User) -> None:
    """`user` joins the open resource and the creator makes them a manager (POST role `managers`)."""
    ctx.given_joined(resource, user, ctx.member_state)
    ctx.given_roles(resource, {user: manager_state(ctx)}, {"managers": [user.id]})


def manager_requests(ctx: Context, resource: int, caller: User, subject: User) -> list[Exchange]:
    """What only the creator and managers may do, sent by `caller`, about `subject`: invite, list
    invitations and requests, change a role, remove."""
    return [
        ctx.invite(resource, [subject.id], user=caller),
        ctx.call("invited", caller, resource),
        ctx.call("requested", caller, resource),
        ctx.change_roles(resource, {"joined": [subject.id]}, caller),
        ctx.remove(resource, subject.id, caller),
    ]


def statuses(ctx: Context, resource: int, users: list[User]) -> dict[str, str | None]:
    return {str(user): ctx.status(resource, user) for user in users}


@requirement("ROLE-CREATOR-STAYS")
def creator_cannot_leave(ctx: Context) -> None:
    resource = ctx.fresh_resource("public")
    exchange = ctx.leave(resource, ctx.manager)
    refused = ctx.expected("leave", ctx.creator, "public")
    expect(
        exchange.status == 403,
        f"DELETE join by the creator of the course answered {exchange.status}; x-access says "
        f"{refused.describe()}: the creator cannot leave (answer 403 and change nothing)",
        exchange,
    )
    status = ctx.status(resource, ctx.manager)
    expect(
        status == ctx.creator_state,
        f"after the creator's refused DELETE join, the creator reads {status!r}, not {ctx.creator_state!r}",
        exchange,
    )
    invitation = ctx.invite(resource, [ctx.target.member.id])
    expect(
        succeeded(invitation),
        f"after trying to leave, the creator's invitation answered {invitation.status}: the creator still "
        "manages the course",
        exchange,
        invitation,
    )


def creator_removals(ctx: Context, resource: int, caller: User) -> list[tuple[str, Callable[[], Exchange]]]:
    """Every way of removing or demoting the creator, sent by `caller`."""
    creator = ctx.manager.id

    def role_change(role: str) -> Callable[[], Exchange]:
        return lambda: ctx.change_roles(resource, {role: [creator]}, caller)

    ways = [
        (f"POST role {role}=[creator]", role_change(role))
        for role in ("unjoined", "joined", "managers")
        if ctx.family.documents(f"role.{role}")
    ]
    ways.append(("DELETE join/?user=<creator>", lambda: ctx.remove(resource, creator, caller)))
    return ways


@requirement("ROLE-CREATOR-KEPT")
def creator_cannot_be_removed(ctx: Context) -> None:
    resource = ctx.fresh_resource("public")
    manager = ctx.target.member
    promoted(ctx, resource, manager)
    for caller in (manager, ctx.manager):
        for what, send in creator_removals(ctx, resource, caller):
            exchange = send()
            expect(
                exchange.status in REFUSED_CREATOR_REMOVAL,
                f"{what} by {caller} answered {exchange.status}; a refused removal of the creator answers "
                "400, 403 or 204 with nothing changed (docs/contract.md, reading 69)",
                exchange,
            )
            status = ctx.status(resource, ctx.manager)
            expect(
                status == ctx.creator_state,
                f"{what} by {caller} answered {exchange.status} and the creator now reads {status!r}: the "
                "creator cannot be removed from the course nor change status",
                exchange,
            )
    invitation = ctx.invite(resource, [ctx.target.requester.id])
    expect(
        succeeded(invitation),
        f"after the refused removals, the creator's invitation answered {invitation.status}",
        invitation,
    )


@requirement("ROLE-PROMOTED")
def promoted_manager_manages(ctx: Context) -> None:
    resource = ctx.fresh_resource("public")
    manager, subject = ctx.target.member, ctx.target.requester
    ctx.given_joined(resource, manager, ctx.member_state)
    promotion = ctx.change_roles(resource, {"managers": [manager.id]})
    expect(succeeded(promotion), f"POST role managers=[{manager.id}] answered {promotion.status}", promotion)
    state = ctx.status(resource, manager)
    expect(state == manager_state(ctx), f"the promoted {manager} reads {state!r}, not 'manager'", promotion)
    members = ctx.list_ids("members", resource)
    expect(manager.id in members, f"GET join does not list the promoted {manager}: {members}", promotion)
    steps: list[tuple[str, Callable[[], Exchange], str | None]] = [
        ("POST invite", lambda: ctx.invite(resource, [subject.id], user=manager), ctx.invited_state),
        ("DELETE invite", lambda: ctx.remove_invitation(resource, [subject.id], user=manager), None),
        (
            "POST role joined",
            lambda: ctx.change_roles(resource, {"joined": [subject.id]}, manager),
            ctx.member_state,
        ),
        ("DELETE join/?user=", lambda: ctx.remove(resource, subject.id, manager), None),
    ]
    for what, send, wanted in steps:
        exchange = send()
        expect(
            succeeded(exchange),
            f"{what} naming {subject} by the promoted manager {manager} answered {exchange.status}; a "
            "manager may do what the creator may",
            exchange,
        )
        state = ctx.status(resource, subject)
        expect(state == wanted, f"{what} by the promoted manager left {subject} reading {state!r}", exchange)
    reads = [ctx.call("invited", manager, resource), ctx.call("requested", manager, resource)]
    refused = [exchange for exchange in reads if exchange.status != 200]
    expect(
        not refused,
        "the promoted manager was refused the lists managers read: "
        + ", ".join(f"{e.method} {e.url} → {e.status}" for e in refused),
        *refused,
    )


@requirement("ROLE-DEMOTED")
def demoted_manager_does_not(ctx: Context) -> None:
    resource = ctx.fresh_resource("public")
    manager, subject = ctx.target.member, ctx.target.requester
    promoted(ctx, resource, manager)
    ctx.given_joined(resource, subject, ctx.member_state)
    demotion = ctx.change_roles(resource, {"joined": [manager.id]})
    expect(succeeded(demotion), f"POST role joined=[{manager.id}] answered {demotion.status}", demotion)
    state = ctx.status(resource, manager)
    expect(
        state == ctx.member_state,
        f"the demoted {manager} reads {state!r}, not {ctx.member_state!r}",
        demotion,
    )
    before = ctx.snapshot(resource, [manager, subject])
    attempts = manager_requests(ctx, resource, manager, subject)
    expect_every(attempts, 403, f"manager-only requests by the demoted {manager}", ADVICE)
    after = ctx.snapshot(resource, [manager, subject])
    expect(after == before, f"the demoted manager's refused requests changed {before} to {after}", *attempts)
    unjoined = ctx.change_roles(resource, {"unjoined": [manager.id]})
    expect(succeeded(unjoined), f"POST role unjoined=[{manager.id}] answered {unjoined.status}", unjoined)
    state = ctx.status(resource, manager)
    expect(state is None, f"after POST role unjoined, {manager} reads {state!r}, not null", unjoined)


@requirement("ROLE-MANAGER-LEAVES")
def manager_who_leaves(ctx: Context) -> None:
    resource = ctx.fresh_resource("public")
    manager, subject = ctx.target.member, ctx.target.requester
    promoted(ctx, resource, manager)
    leaving = ctx.leave(resource, manager)
    expect(succeeded(leaving), f"DELETE join by the manager {manager} answered {leaving.status}", leaving)
    state = ctx.status(resource, manager)
    expect(state is None, f"the manager left and reads {state!r}, not null", leaving)
    members = ctx.list_ids("members", resource)
    expect(manager.id not in members, f"GET join still lists the manager who left: {members}", leaving)
    ctx.given_joined(resource, subject, ctx.member_state)
    before = ctx.snapshot(resource, [manager, subject])
    attempts = manager_requests(ctx, resource, manager, subject)
    expect_every(
        attempts,
        403,
        f"manager-only requests by {manager}, who left",
        "The manager role ends with the membership.",
    )
    after = ctx.snapshot(resource, [manager, subject])
    expect(
        after == before, f"refused requests of the manager who left changed {before} to {after}", *attempts
    )


def role_steps(
    ctx: Context, one: User, two: User
) -> list[tuple[Mapping[str, list[int]], dict[User, str | None]]]:
    """POST role bodies with the state each user then reads: every list from every state."""
    manager, joined = manager_state(ctx), ctx.member_state
    return [
        ({"managers": [one.id]}, {one: manager, two: ctx.requested_state}),  # invited → manager
        ({"joined": [two.id]}, {one: manager, two: joined}),  # requested → joined
        ({"unjoined": [one.id]}, {one: None, two: joined}),  # manager → none
        ({"managers": [two.id], "joined": [one.id]}, {one: joined, two: manager}),  # none → joined, two lists
        ({"unjoined": [two.id], "managers": [one.id]}, {one: manager, two: None}),  # joined → manager
        ({"joined": [one.id]}, {one: joined, two: None}),  # manager → joined
        ({"unjoined": [one.id]}, {one: None, two: None}),  # joined → none
    ]


@requirement("ROLE-LISTS")
def role_lists_act_on_each_user(ctx: Context) -> None:
    one, two = ctx.target.member, ctx.target.requester
    resource = ctx.private_resource_inviting(one)
    ctx.given_joined(resource, two, ctx.requested_state)
    documented = ctx.success_status("role") or 204
    for body, wanted in role_steps(ctx, one, two):
        exchange = ctx.change_roles(resource, body)
        expect(
            exchange.status == documented,
            f"POST role {body} by the creator answered {exchange.status}, not {documented}",
            exchange,
        )
        expected = {**wanted, ctx.manager: ctx.creator_state}
        seen = {user: ctx.status(resource, user) for user in expected}
        wrong = [
            f"{user} reads {seen[user]!r}, not {state!r}"
            for user, state in expected.items()
            if seen[user] != state
        ]
        expect(not wrong, f"after POST role {body}: {'; '.join(wrong)}", exchange)
        members = sorted(ctx.list_ids("members", resource))
        listed = sorted(ctx.listed_members(expected))
        expect(members == listed, f"after POST role {body}, GET join lists {members}, not {listed}", exchange)


@requirement("VAL-ROLE")
def bad_role_bodies(ctx: Context) -> None:
    invited, bystander = ctx.target.member, ctx.target.requester
    resource = ctx.private_resource_inviting(invited)
    lists = [name for name in ("managers", "joined", "unjoined") if ctx.family.documents(f"role.{name}")]
    first = lists[0]
    bodies: list[dict[str, Any]] = [
        {},
        {first: bystander.id},
        {first: str(bystander.id)},
        {lists[-1]: {"id": invited.id}},
        {first: ["abc"]},
        {first: [bystander.id, 1.5]},
        {first: [bystander.id, None]},
        {lists[-1]: [invited.id, True]},
        {first: [bystander.id, ctx.unknown_id()]},
        {first: [bystander.id], lists[-1]: [invited.id, ctx.unknown_id()]},
    ]
    before = ctx.snapshot(resource, [invited, bystander, ctx.manager])
    attempts = [ctx.change_roles(resource, body) for body in bodies]
    expect_every(
        attempts,
        400,
        "POST role requests with no list, a list that is not one, a bad item or an unknown id",
        "Validate every list of the body before changing any role and answer 400.",
        describe=lambda e: f"{e.method} {e.request_body.decode(errors='replace')}",
    )
    after = ctx.snapshot(resource, [invited, bystander, ctx.manager])
    expect(after == before, f"refused POST role requests changed {before} to {after}", *attempts)


@requirement("TOL-CREATOR-REMOVAL")
def refused_creator_removal(ctx: Context) -> Observation:
    resource = ctx.fresh_resource("public")
    seen = []
    for what, send in creator_removals(ctx, resource, ctx.manager):
        if not what.startswith(("POST role unjoined", "DELETE")):
            continue
        exchange = send()
        status = ctx.status(resource, ctx.manager)
        kept = "creator kept" if status == ctx.creator_state else f"creator CHANGED to {status!r}"
        seen.append(f"{what} by the creator: {exchange.status} ({kept})")
    answers = "; ".join(seen)
    ctx.reading("refused removal of the creator", answers)
    return Observation(answers)
