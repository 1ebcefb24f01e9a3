"""READ-*: lists can be walked page by page; the event's subscription_status agrees with GET status."""

from __future__ import annotations

from typing import Any

from .context import Context
from .outcomes import expect
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
        ctx.given_joined(public, user, "subscribed")
        ctx.given_joined(requests, user, "requested")
    ctx.given_invited(invitations, others)
    ids = {user.id for user in others}
    return {
        "members": (public, ids | {target.manager.id}),
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
    ctx.given_joined(resource, target.requester, "requested")
    for user in target.users:
        info = ctx.call("info", user, resource)
        body = info.json_or_none()
        expect(
            info.status == 200 and isinstance(body, dict),
            f"GET event by {user} answered {info.status} without an event",
            info,
        )
        # The field is optional in the Event schema: leaving it out says "no relation".
        shown = body.get("subscription_status")
        status = ctx.status(resource, user)
        expect(
            shown == status,
            f"for {user}, GET event says subscription_status {shown!r} but GET status says {status!r}",
            info,
        )
