"""READ-*: lists can be walked page by page; the event's subscription_status agrees with GET status; a
course's member list follows hide_member_count and `statuses` (contract rules 59 and 65)."""

from __future__ import annotations

from typing import Any

from ..target import User
from .context import Context, succeeded
from .outcomes import CheckSkipped, expect
from .public_access import answers
from .registry import requirement

PAGE_SIZES = (1, 2)


def walk(ctx: Context, operation_id: str, resource: int, limit: int) -> tuple[list[int], set[Any]]:
    """Ids met following `next` from the first page of size `limit`, and the `count` values seen."""
    ids: list[int] = []
    counts: set[Any] = set()
    for page in ctx.pages(operation_id, resource, limit=limit):
        ids += [int(item["id"]) for item in page["results"]]
        counts.add(page.get("count"))
    return ids, counts


def populated_lists(ctx: Context) -> dict[str, tuple[int, set[int]]]:
    """One event per list, each list holding every user but the manager (and the manager, when subscribed)."""
    target = ctx.target
    others = target.others
    public, requests, invitations = (
        ctx.fresh_resource("public"),
        ctx.fresh_resource("private"),
        ctx.fresh_resource("private"),
    )
    for user in others:
        ctx.given_joined(public, user, ctx.member_state)
        ctx.given_joined(requests, user, ctx.requested_state)
    ctx.given_invited(invitations, others)
    ids = {user.id for user in others}
    creator = set(ctx.listed_members({target.manager: ctx.creator_state}))  # a course's default list: not
    return {
        "members": (public, ids | creator),
        "requested": (requests, ids),
        "invited": (invitations, ids),
    }


@requirement("READ-PAGINATION")
def pages_visit_everyone_once(ctx: Context) -> None:
    for operation_id, (resource, expected) in populated_lists(ctx).items():
        for limit in PAGE_SIZES:
            ids, counts = walk(ctx, operation_id, resource, limit)
            duplicates = sorted({user_id for user_id in ids if ids.count(user_id) > 1})
            expect(
                not duplicates, f"{operation_id} with limit={limit}: following `next` met {duplicates} twice"
            )
            expect(
                set(ids) == expected,
                f"{operation_id} with limit={limit}: following `next` met {sorted(ids)}, "
                f"the list holds {sorted(expected)}",
            )
            expect(
                counts == {len(expected)},
                f"{operation_id}: `count` was {counts}, the list holds {len(expected)}",
            )


@requirement("READ-EVENT-STATUS")
def subscription_status_matches(ctx: Context) -> None:
    target = ctx.target
    resource = ctx.private_resource_inviting(target.member)
    ctx.given_joined(resource, target.requester, ctx.requested_state)
    field = ctx.states.field or "subscription_status"
    for user in target.users:
        info = ctx.call("info", user, resource)
        body = info.json_or_none()
        expect(
            info.status == 200 and isinstance(body, dict),
            f"GET event by {user} answered {info.status} without an event",
            info,
        )
        # The field is optional in the Event schema: leaving it out says "no relation".
        shown = body.get(field)
        status = ctx.status(resource, user)
        expect(
            shown == status,
            f"for {user}, GET event says {field} {shown!r} but GET status says {status!r}",
            info,
        )


def members_of_every_kind(ctx: Context, **attributes: Any) -> tuple[int, dict[str, User]]:
    """A public resource with a member and a promoted manager (POST role `managers`) beside its creator."""
    target = ctx.target
    resource = ctx.fresh_resource("public", **attributes)
    member, manager = target.member, target.requester
    ctx.given_joined(resource, member, ctx.member_state)
    ctx.given_joined(resource, manager, ctx.member_state)
    if ctx.states.manager is None:
        raise CheckSkipped(f"the {ctx.family} family's status names no manager state")
    ctx.given_roles(resource, {manager: ctx.states.manager}, {"managers": [manager.id]})
    return resource, {"creator": ctx.manager, "member": member, "promoted_manager": manager}


@requirement("READ-HIDE-MEMBER-COUNT")
def hidden_member_count(ctx: Context) -> None:
    resource, users = members_of_every_kind(ctx, hide_member_count=True)
    readers: list[tuple[str, User | None]] = [*users.items(), ("anonymous", None)]
    if ctx.target.outsider is not ctx.target.member:
        readers.append(("outsider", ctx.target.outsider))
    for relation, user in readers:
        exchange = ctx.call("members", user, resource)
        expectation = ctx.expected("members", relation, "public", hide_member_count=True)
        expect(
            any(answers(exchange, outcome) for outcome in expectation.outcomes),
            f"GET join of an event created with hide_member_count true, by {relation} {user or ''}, "
            f"answered {exchange.status}; its x-access says {expectation.describe()}: only the creator and "
            "the managers see the members",
            exchange,
        )
        if succeeded(exchange):
            ids = [item.get("id") for item in (exchange.json_or_none() or {}).get("results", [])]
            expect(users["member"].id in ids, f"GET join by {relation} lists {ids}, not the member", exchange)


@requirement("READ-STATUSES")
def statuses_filter(ctx: Context) -> None:
    resource, users = members_of_every_kind(ctx)
    name, valid = ctx.states.filter, ctx.states.filter_values
    if name is None:
        raise CheckSkipped(f"{ctx.op('members').label} documents no parameter naming states")
    state_of: dict[User, str | None] = {
        users["creator"]: ctx.creator_state,
        users["member"]: ctx.member_state,
        users["promoted_manager"]: ctx.states.manager,
    }
    if ctx.target.outsider is not ctx.target.member:
        ctx.given_invited(resource, [ctx.target.outsider])
        state_of[ctx.target.outsider] = ctx.invited_state

    def holding(states: tuple[str | None, ...]) -> list[int]:
        return sorted(user.id for user, state in state_of.items() if state in states)

    cases: list[tuple[dict[str, Any], list[int]]] = [({}, holding(ctx.states.listed))]
    cases += [({name: state}, holding((state,))) for state in valid]
    cases.append(({name: list(valid)}, holding(valid)))
    for query, expected in cases:
        listed = sorted(ctx.list_ids("members", resource, query=query))
        expect(
            listed == expected,
            f"GET join with {query or 'no ' + name} lists {listed}, not {expected} ({name}: default "
            f"{', '.join(ctx.states.listed)}; valid values {', '.join(valid)})",
        )
    outside = [state for state in ctx.states.values if state not in valid]
    members = holding(valid)
    for state in outside:
        exchange = ctx.call("members", ctx.manager, resource, params={name: state})
        ids = [item.get("id") for item in (exchange.json_or_none() or {}).get("results", [])]
        expect(
            exchange.status == 400 or (exchange.status == 200 and set(ids) <= set(members)),
            f"GET join with {name}={state} (not a valid value) answered {exchange.status} listing {ids}; "
            f"answer 400 or list no user outside the members {members}",
            exchange,
        )
