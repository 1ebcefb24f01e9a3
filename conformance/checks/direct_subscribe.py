"""SUB-DIRECT-*: the manager subscribes users directly with POST subscribe and a `users` list.

Only families whose POST subscribe documents `users` get these requirements (catalog `requires:
[join.users]`): groups, per the public group page and contract rules 49 and 51.
"""

from __future__ import annotations

from ..exchange import Exchange
from ..target import User
from .context import Context
from .outcomes import expect, expect_every
from .registry import requirement

ADVICE = "With `users`, POST subscribe is the manager's: check the role before changing anything."


def direct_subscribe(
    ctx: Context, resource: int, users: list[object], caller: User | None = None
) -> Exchange:
    return ctx.call("join", caller or ctx.manager, resource, json_body={"users": users})


def distinct(*users: User) -> list[User]:
    return list(dict.fromkeys(users))


@requirement("SUB-DIRECT")
def manager_subscribes_users(ctx: Context) -> None:
    target = ctx.target
    invited, requester, stranger = target.member, target.requester, target.outsider
    resource = ctx.fresh_resource("private")
    ctx.given_invited(resource, [invited])
    ctx.given_joined(resource, requester, "requested")
    listed = distinct(invited, requester, stranger)
    exchange = direct_subscribe(ctx, resource, [user.id for user in listed])
    expect(
        exchange.status == 204,
        f"POST subscribe by the manager with users {[user.id for user in listed]} answered "
        f"{exchange.status}, not 204",
        exchange,
    )
    statuses = {user: ctx.status(resource, user) for user in [*listed, target.manager]}
    wrong = [f"{user} reads {status!r}" for user, status in statuses.items() if status != "subscribed"]
    expect(
        not wrong,
        f"after the manager subscribed {[user.id for user in listed]} directly (one invited, one with a "
        f"pending request, one with no relation): {'; '.join(wrong)}; each listed user becomes subscribed "
        "and the manager stays subscribed",
        exchange,
    )
    members = ctx.list_ids("members", resource)
    missing = [user.id for user in listed if user.id not in members]
    expect(not missing, f"GET subscribe does not list the users subscribed directly: {missing}", exchange)


@requirement("SUB-DIRECT-MANAGER-ONLY")
def only_the_manager_subscribes_users(ctx: Context) -> None:
    target = ctx.target
    subscriber, victim = target.member, target.requester
    resource = ctx.fresh_resource("private")
    ctx.given_invited(resource, [subscriber])
    ctx.given_joined(resource, subscriber, "subscribed")
    before = ctx.snapshot(resource, [subscriber, victim])
    attempts = [
        direct_subscribe(ctx, resource, [victim.id], caller=subscriber),  # a subscriber, not the manager
        direct_subscribe(ctx, resource, [victim.id], caller=victim),  # a user subscribing themselves
    ]
    expect_every(attempts, 403, "POST subscribe with users by callers who do not manage it", ADVICE)
    after = ctx.snapshot(resource, [subscriber, victim])
    expect(
        after == before, f"a refused direct subscription still changed it: {before} became {after}", *attempts
    )


@requirement("SUB-DIRECT-ATOMIC")
def bad_list_subscribes_nobody(ctx: Context) -> None:
    target = ctx.target
    invited, bystander = target.member, target.requester
    resource = ctx.fresh_resource("private")
    ctx.given_invited(resource, [invited])
    before = ctx.snapshot(resource, [invited, bystander])
    bad = [
        direct_subscribe(ctx, resource, [bystander.id, invited.id, ctx.unknown_id()]),
        direct_subscribe(ctx, resource, [bystander.id, invited.id, "abc"]),
    ]
    expect_every(
        bad,
        400,
        "POST subscribe by the manager with a users list holding a bad id",
        "Validate the whole list before subscribing anyone and answer 400.",
    )
    empty = direct_subscribe(ctx, resource, [])
    expect(
        empty.status is not None and empty.status < 500,
        f"POST subscribe with an empty users list answered {empty.status}",
        empty,
    )
    after = ctx.snapshot(resource, [invited, bystander])
    expect(
        after == before,
        f"a bad or empty users list still changed who is subscribed: {before} became {after}",
        *bad,
        empty,
    )
