"""MEDIA-PARAMS, MEDIA-CASE: a media type with a charset parameter or in other casing means the plain one.

Deterministic: each operation with a body gets every spelling once, whatever the seed.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from ..exchange import Exchange
from .context import Context, succeeded
from .outcomes import CheckFailed, expect
from .registry import requirement

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
Spellings = dict[str, tuple[str, ...]]
# Each documented media type → the spellings that must mean the same (RFC 9110 §8.3.1).
WITH_CHARSET: Spellings = {
    JSON: ("application/json; charset=utf-8",),
    FORM: ("application/x-www-form-urlencoded; charset=utf-8",),
}
OTHER_CASING: Spellings = {
    JSON: ("Application/JSON",),
    FORM: ("Application/X-WWW-Form-Urlencoded",),
}


def encoded(media_type: str, fields: dict[str, object]) -> bytes:
    """`fields` in the base media type: JSON, or a form repeating the key of a list."""
    if media_type == JSON:
        return json.dumps(fields).encode()
    pairs = [
        (name, str(item))
        for name, value in fields.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    return urlencode(pairs).encode()


def spellings(ctx: Context, operation_id: str, kind: Spellings) -> list[tuple[str, str]]:
    """(base media type, spelling) for each media type the operation documents."""
    documented = {media.lower() for media in ctx.op(operation_id).media_types}
    return [(base, spelled) for base, variants in kind.items() if base in documented for spelled in variants]


def send(
    ctx: Context, operation_id: str, resource: int | None, base: str, spelled: str, fields: dict[str, Any]
) -> Exchange:
    operation = ctx.op(operation_id)
    return ctx.client.request(
        operation.method,
        operation.url(resource),
        token=ctx.manager.token,
        content=encoded(base, fields),
        headers={"Content-Type": spelled},
    )


def refused(exchange: Exchange, spelled: str, what: str) -> CheckFailed:
    return CheckFailed(
        f"{what} sent as `Content-Type: {spelled}` answered {exchange.status}, not a success. Media type "
        "names are case-insensitive and may carry parameters such as charset (RFC 9110 §8.3.1): compare "
        "the type/subtype case-insensitively and ignore the parameters.",
        [exchange],
    )


def check_invitations(ctx: Context, kind: Spellings, problems: list[CheckFailed]) -> None:
    """Each spelling invites a user (who then reads `invited`) and withdraws them (who then reads null)."""
    invitee = ctx.target.member
    resource = ctx.fresh_resource("private")
    for base, spelled in spellings(ctx, "invite", kind):
        exchange = send(ctx, "invite", resource, base, spelled, {"users": [invitee.id]})
        if not succeeded(exchange):
            problems.append(refused(exchange, spelled, "POST invite"))
            continue
        status = ctx.status(resource, invitee)
        if status != "invited":
            problems.append(
                CheckFailed(
                    f"POST invite sent as `{spelled}` answered {exchange.status} yet {invitee} reads "
                    f"{status!r}, not 'invited': read the body as {base}",
                    [exchange],
                )
            )
            continue
        if (base, spelled) in spellings(ctx, "remove_invitation", kind):
            withdrawal = send(ctx, "remove_invitation", resource, base, spelled, {"users": [invitee.id]})
            after = ctx.status(resource, invitee) if succeeded(withdrawal) else "invited"
            if not succeeded(withdrawal):
                problems.append(refused(withdrawal, spelled, "DELETE invite"))
            elif after is not None:
                problems.append(
                    CheckFailed(
                        f"DELETE invite sent as `{spelled}` answered {withdrawal.status} yet {invitee} "
                        f"reads {after!r}, not null",
                        [withdrawal],
                    )
                )
        ctx.remove_invitation(resource, [invitee.id])


def check_creation(ctx: Context, kind: Spellings, problems: list[CheckFailed]) -> None:
    """Each spelling creates an event (a 2xx with the event's id)."""
    for base, spelled in spellings(ctx, "create", kind):
        exchange = send(
            ctx,
            "create",
            None,
            base,
            spelled,
            ctx.target.resource_body(ctx.op("create"), "private"),
        )
        body = exchange.json_or_none()
        if not succeeded(exchange) or not isinstance(body, dict) or "id" not in body:
            problems.append(refused(exchange, spelled, "POST event"))


def expect_read_as_plain(ctx: Context, kind: Spellings, what: str) -> None:
    problems: list[CheckFailed] = []
    check_invitations(ctx, kind, problems)
    check_creation(ctx, kind, problems)
    expect(
        not problems,
        f"{len(problems)} request(s) with {what} were not read as the plain media type:\n  "
        + "\n  ".join(problem.message for problem in problems[:8]),
        *[exchange for problem in problems[:8] for exchange in (problem.exchanges or [])],
    )


@requirement("MEDIA-PARAMS")
def media_type_parameters(ctx: Context) -> None:
    expect_read_as_plain(ctx, WITH_CHARSET, "a charset parameter in Content-Type")


@requirement("MEDIA-CASE")
def media_type_casing(ctx: Context) -> None:
    expect_read_as_plain(ctx, OTHER_CASING, "a Content-Type in other casing")
