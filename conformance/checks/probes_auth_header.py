"""AUTH-SCHEME-CASE, AUTH-HEADER-SPACES, AUTH-HEADER-REPEATED: how the Authorization header may be written.

Deterministic: the same header forms on the same operations, whatever the seed. Reading (rule 42):
the scheme name is case-insensitive (RFC 9110 §11.1), so `bearer` must be accepted; the grammar allows
several spaces before the token (`1*SP`, RFC 9110 §11.4, RFC 6750 §2.1) but many stacks split on one
space, so such a request may be accepted or answered 401; two Authorization headers may be refused or
read as the valid one. A 5xx, or acting as somebody else, is never right.
"""

from __future__ import annotations

import secrets
from typing import Any

from ..exchange import Exchange
from ..target import User
from .context import Context, succeeded
from .outcomes import expect
from .registry import requirement

GARBAGE = "not-a-token-" + secrets.token_hex(8)


def identity_probes(ctx: Context, user: User, **kwargs: Any) -> list[Exchange]:
    """GET me (who the server takes the caller for) and GET status on a fresh event of the manager."""
    resource = ctx.notes.get("auth_header_resource")
    if resource is None:
        resource = ctx.notes["auth_header_resource"] = ctx.fresh_resource("private")
    return [
        ctx.client.request("GET", ctx.op("me").url(), **kwargs),
        ctx.client.request("GET", ctx.op("status").url(resource), **kwargs),
    ]


def acted_as_other(exchange: Exchange, user: User) -> bool:
    """A successful GET me that names someone else than `user`."""
    body = exchange.json_or_none()
    return (
        succeeded(exchange)
        and exchange.url.endswith("/me/")
        and isinstance(body, dict)
        and body.get("id") != user.id
    )


def describe(exchange: Exchange, user: User) -> str:
    """The request line and its Authorization headers, the user's token shown as <token>."""
    authorization = [value for name, value in exchange.request_headers if name.lower() == "authorization"]
    shown = " + ".join(repr(value.replace(user.token, "<token>")) for value in authorization)
    return f"{exchange.method} {exchange.url} with {shown} → {exchange.status}"


@requirement("AUTH-SCHEME-CASE")
def scheme_case_insensitive(ctx: Context) -> None:
    user = ctx.target.member
    sent = [
        exchange
        for scheme in ("bearer", "BEARER", "bEaReR")
        for exchange in identity_probes(ctx, user, authorization=f"{scheme} {user.token}")
    ]
    wrong = [e for e in sent if not succeeded(e) or acted_as_other(e, user)]
    expect(
        not wrong,
        f"{len(wrong)} of {len(sent)} requests whose scheme is `Bearer` in other casing were not served as "
        f"{user}: "
        + "; ".join(describe(e, user) for e in wrong[:6])
        + ". The scheme name is case-insensitive "
        "(RFC 9110 §11.1): compare it case-insensitively.",
        *wrong[:6],
    )


@requirement("AUTH-HEADER-SPACES")
def extra_spaces(ctx: Context) -> None:
    user = ctx.target.member
    sent = [
        exchange
        for spaces in ("  ", "   ")
        for exchange in identity_probes(ctx, user, authorization=f"Bearer{spaces}{user.token}")
    ]
    wrong = [e for e in sent if not (succeeded(e) or e.status == 401) or acted_as_other(e, user)]
    expect(
        not wrong,
        f"{len(wrong)} of {len(sent)} requests with several spaces between `Bearer` and the token answered "
        "neither as the token's user (2xx) nor 401: "
        + "; ".join(describe(e, user) for e in wrong[:6])
        + ". Split the header on runs of spaces (RFC 9110 §11.4 allows 1*SP) or answer 401.",
        *wrong[:6],
    )


@requirement("AUTH-HEADER-REPEATED")
def repeated_header(ctx: Context) -> None:
    user = ctx.target.member
    valid, garbage = f"Bearer {user.token}", f"Bearer {GARBAGE}"
    sent = [
        exchange
        for first, second in ((valid, valid), (valid, garbage), (garbage, valid))
        for exchange in identity_probes(ctx, user, authorization=first, repeated=[("Authorization", second)])
    ]
    wrong = [e for e in sent if not (succeeded(e) or 400 <= (e.status or 0) < 500) or acted_as_other(e, user)]
    expect(
        not wrong,
        f"{len(wrong)} of {len(sent)} requests with two Authorization headers answered neither a 4xx nor as "
        f"{user}: "
        + "; ".join(describe(e, user) for e in wrong[:6])
        + ". Refuse a repeated Authorization header with 400 or 401, or read the valid token only.",
        *wrong[:6],
    )
