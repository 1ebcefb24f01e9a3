"""MEDIA-*: the users list sent as a form or as multipart means what the JSON body means."""

from __future__ import annotations

import secrets

from ..exchange import Exchange
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


def invite_multipart(ctx: Context, resource: int, ids: list[int]) -> Exchange:
    content, content_type = multipart_body(ids)
    return ctx.invite(resource, ids, content=content, headers={"Content-Type": content_type})


def expect_invited(ctx: Context, resource: int, ids: list[int], how: str, exchange: Exchange) -> None:
    expect(
        succeeded(exchange),
        f"an invitation sent as {how} answered {exchange.status}, not a success as the JSON body would",
        exchange,
    )
    listed = ctx.list_ids("invited", resource)
    missing = [user_id for user_id in ids if user_id not in listed]
    expect(
        not missing,
        f"an invitation sent as {how} did not invite {missing} (GET invite lists {listed})",
        exchange,
    )


@requirement("MEDIA-FORM")
def form_urlencoded(ctx: Context) -> None:
    first, *rest = [user.id for user in ctx.target.others]
    resource = ctx.fresh_resource("private")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    single = ctx.invite(resource, [first], content=form_body([first]), headers=form)
    expect_invited(ctx, resource, [first], f"the form `{form_body([first])}`", single)
    several = ctx.invite(resource, rest, content=form_body(rest), headers=form)
    expect_invited(ctx, resource, rest, f"the form `{form_body(rest)}`", several)


@requirement("MEDIA-MULTIPART")
def multipart(ctx: Context) -> None:
    ids = [user.id for user in ctx.target.others]
    resource = ctx.fresh_resource("private")
    exchange = invite_multipart(ctx, resource, ids)
    ctx.notes["multipart"] = exchange
    expect_invited(ctx, resource, ids, "multipart/form-data", exchange)


@requirement("MEDIA-UNSUPPORTED")
def unsupported_media_type(ctx: Context) -> None:
    target = ctx.target
    invited, bystander = target.member, target.requester
    resource = ctx.private_resource_inviting(invited)
    before = ctx.snapshot(resource, [invited, bystander])
    plain = {"Content-Type": "text/plain"}
    attempts = [
        ctx.invite(resource, [bystander.id], content=form_body([bystander.id]), headers=plain),
        ctx.remove_invitation(resource, [invited.id], content=form_body([invited.id]), headers=plain),
    ]
    expect_every(
        attempts,
        415,
        "requests with a text/plain body",
        "Answer 415 Unsupported Media Type to a body in a media type the operation does not document.",
    )
    after = ctx.snapshot(resource, [invited, bystander])
    expect(
        after == before, f"refused text/plain bodies changed the event: {before} became {after}", *attempts
    )
