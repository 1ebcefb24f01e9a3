"""MEDIA-*: the users list sent as a form or as multipart means what the JSON body means."""

from __future__ import annotations

import secrets

from ..client import Exchange
from .context import Context, succeeded
from .outcomes import expect, expect_every
from .registry import requirement


def form_body(ids: list[int]) -> str:
    return "&".join(f"users={user_id}" for user_id in ids)


def multipart_body(ids: list[int]) -> tuple[bytes, str]:
    """One `users` part per id, as browsers and curl -F send repeated fields."""
    boundary = "conformance" + secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="users"\r\n\r\n{user_id}\r\n'
        for user_id in ids
    ]
    return ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


def invite_multipart(ctx: Context, event: int, ids: list[int]) -> Exchange:
    content, content_type = multipart_body(ids)
    return ctx.invite(event, ids, content=content, headers={"Content-Type": content_type})


def expect_invited(ctx: Context, event: int, ids: list[int], how: str, exchange: Exchange) -> None:
    expect(
        succeeded(exchange),
        f"an invitation sent as {how} answered {exchange.status}, not a success as the JSON body would",
        exchange,
    )
    listed = ctx.list_ids("invited", event)
    missing = [user_id for user_id in ids if user_id not in listed]
    expect(
        not missing,
        f"an invitation sent as {how} did not invite {missing} (GET invite lists {listed})",
        exchange,
    )


@requirement("MEDIA-FORM")
def form_urlencoded(ctx: Context) -> None:
    first, *rest = [user.id for user in ctx.target.others]
    event = ctx.fresh_event("private")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    single = ctx.invite(event, [first], content=form_body([first]), headers=form)
    expect_invited(ctx, event, [first], f"the form `{form_body([first])}`", single)
    several = ctx.invite(event, rest, content=form_body(rest), headers=form)
    expect_invited(ctx, event, rest, f"the form `{form_body(rest)}`", several)


@requirement("MEDIA-MULTIPART")
def multipart(ctx: Context) -> None:
    ids = [user.id for user in ctx.target.others]
    event = ctx.fresh_event("private")
    exchange = invite_multipart(ctx, event, ids)
    ctx.notes["multipart"] = exchange
    expect_invited(ctx, event, ids, "multipart/form-data", exchange)


@requirement("MEDIA-UNSUPPORTED")
def unsupported_media_type(ctx: Context) -> None:
    target = ctx.target
    invited, bystander = target.member, target.requester
    event = ctx.private_event_inviting(invited)
    before = ctx.snapshot(event, [invited, bystander])
    plain = {"Content-Type": "text/plain"}
    attempts = [
        ctx.invite(event, [bystander.id], content=form_body([bystander.id]), headers=plain),
        ctx.withdraw(event, [invited.id], content=form_body([invited.id]), headers=plain),
    ]
    expect_every(
        attempts,
        415,
        "requests with a text/plain body",
        "Answer 415 Unsupported Media Type to a body in a media type the operation does not document.",
    )
    after = ctx.snapshot(event, [invited, bystander])
    expect(
        after == before, f"refused text/plain bodies changed the event: {before} became {after}", *attempts
    )
