"""VAL-*: a bad users list answers 400 and changes nothing, for POST and DELETE invite alike."""

from __future__ import annotations

from typing import Any

from ..exchange import Exchange
from .context import Context
from .outcomes import expect, expect_every
from .registry import requirement

WRITES = ("invite", "remove_invitation")


def expect_400_unchanged(ctx: Context, bodies: list[dict[str, Any]], described: str, **raw: Any) -> None:
    """Send each bad body to POST and DELETE invite; each must answer 400 and leave the event as it was.

    The event has one invited user (so a DELETE that wrongly applies shows) and one bystander the bad
    bodies name (so a POST that wrongly applies shows).
    """
    target = ctx.target
    invited, bystander = target.member, target.requester
    resource = ctx.private_resource_inviting(invited)
    before = ctx.snapshot(resource, [invited, bystander])
    attempts: list[Exchange] = []
    for operation_id in WRITES:
        for body in bodies:
            attempts.append(ctx.call(operation_id, ctx.manager, resource, json_body=body))
        for content in raw.get("contents", []):
            attempts.append(
                ctx.call(
                    operation_id,
                    ctx.manager,
                    resource,
                    content=content,
                    headers={"Content-Type": "application/json"},
                )
            )
    expect_every(
        attempts,
        400,
        f"requests with {described}",
        "Validate the whole body before acting and answer 400.",
        describe=lambda e: f"{e.method} {e.request_body.decode(errors='replace')!r}",
    )
    after = ctx.snapshot(resource, [invited, bystander])
    expect(
        after == before,
        f"requests with {described} were refused, yet the event changed: {before} became {after}",
        *attempts,
    )


@requirement("VAL-MISSING")
def users_missing(ctx: Context) -> None:
    expect_400_unchanged(ctx, [{}, {"user": [ctx.target.requester.id]}], "no `users` field")


@requirement("VAL-NOT-LIST")
def users_not_a_list(ctx: Context) -> None:
    bystander = ctx.target.requester.id
    bodies: list[dict[str, Any]] = [
        {"users": bystander},
        {"users": str(bystander)},
        {"users": {"id": bystander}},
        {"users": None},
    ]
    expect_400_unchanged(ctx, bodies, "`users` that is not a list")


@requirement("VAL-ITEM-TYPE")
def items_not_integers(ctx: Context) -> None:
    bystander = ctx.target.requester.id
    items: list[Any] = ["abc", bystander + 0.5, True, False, None, {"id": bystander}, [bystander]]
    expect_400_unchanged(ctx, [{"users": [item]} for item in items], "list items that are not integer ids")


@requirement("VAL-UNKNOWN-USER")
def unknown_user(ctx: Context) -> None:
    bodies = [{"users": [ctx.unknown_id()]}, {"users": [-1]}, {"users": [2**64 + 1]}]
    expect_400_unchanged(ctx, bodies, "user ids that name no user")


@requirement("VAL-MALFORMED-JSON")
def malformed_json(ctx: Context) -> None:
    bystander = ctx.target.requester.id
    contents = [f'{{"users": [{bystander},', "users=1", f'{{"users": [{bystander}]}} trailing']
    expect_400_unchanged(ctx, [], "a body that is not JSON", contents=contents)


@requirement("VAL-ATOMIC")
def one_bad_id_invites_nobody(ctx: Context) -> None:
    target = ctx.target
    good = [user.id for user in target.others]
    lists: list[list[Any]] = [[*good, ctx.unknown_id()], [*good, "abc"], [None, *good]]
    resource = ctx.fresh_resource("private")
    attempts = [ctx.invite(resource, users) for users in lists]
    expect_every(
        attempts,
        400,
        "lists mixing valid ids with one bad id",
        "Validate every id before acting and answer 400.",
        describe=lambda e: e.request_body.decode(errors="replace"),
    )
    listed = ctx.list_ids("invited", resource)
    expect(
        not listed,
        f"a refused list mixing valid ids with one bad id still invited {listed}; validate every id "
        "before inviting anyone (all or nothing)",
        *attempts,
    )
