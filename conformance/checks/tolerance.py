"""TOL-*: behaviour the contract leaves open. Each check reports what the server does and never fails."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .context import Context, succeeded
from .media import invite_multipart
from .outcomes import Observation
from .registry import requirement


@requirement("TOL-EMPTY-LIST")
def empty_list(ctx: Context) -> Observation:
    invitee = ctx.target.member
    resource = ctx.private_resource_inviting(invitee)
    before = ctx.snapshot(resource, ctx.target.users)
    exchange = ctx.invite(resource, [])
    unchanged = ctx.snapshot(resource, ctx.target.users) == before
    if exchange.status == 204:
        verdict = "204: an empty list is a no-op"
    elif exchange.status == 400:
        verdict = "400: an empty list is refused"
    else:
        verdict = f"{exchange.status}: neither of the two answers the contract allows (204 or 400)"
    return Observation(f"{verdict}; invitations {'unchanged' if unchanged else 'CHANGED'} afterwards")


@requirement("TOL-ERROR-FORMAT")
def error_format(ctx: Context) -> Observation:
    seen: Counter[str] = Counter()
    for exchange in ctx.client.exchanges:
        if exchange.status is not None and exchange.status >= 400:
            seen[(exchange.content_type or "no media type") if exchange.response_body else "no body"] += 1
    if not seen:
        return Observation("no error answer seen in this run")
    return Observation(
        "error answers by media type: " + ", ".join(f"{kind} ×{count}" for kind, count in seen.most_common())
    )


def describe_order(ids: list[int]) -> str:
    if ids == sorted(ids):
        return "ascending ids"
    if ids == sorted(ids, reverse=True):
        return "descending ids"
    return "neither ascending nor descending ids"


@requirement("TOL-PAGINATION")
def pagination(ctx: Context) -> Observation:
    resource = ctx.private_resource_inviting(*ctx.target.others)
    operation = ctx.op("invited")
    whole = ctx.client.request("GET", operation.url(resource), token=ctx.manager.token)
    body: Any = whole.json_or_none() or {}
    paged = ctx.client.request("GET", operation.url(resource), token=ctx.manager.token, params={"limit": 1})
    page: Any = paged.json_or_none() or {}
    ids = ctx.list_ids("invited", resource)
    notes = [
        f"unpaged read: {len(body.get('results') or [])} of count={body.get('count')}",
        f"limit=1: {len(page.get('results') or [])} result(s), next={'set' if page.get('next') else 'null'}",
        f"order: {describe_order(ids)}",
    ]
    read = ctx.notes.get("pages", {})
    multi = sum(1 for reads in read.values() for pages in reads if len(pages) > 1)
    total = sum(len(reads) for reads in read.values())
    notes.append(f"{total} list reads in this run, {multi} followed `next` links")
    return Observation("; ".join(notes))


@requirement("TOL-CONTENT-LENGTH")
def content_length_of_204(ctx: Context) -> Observation:
    answers = [e for e in ctx.client.exchanges if e.status == 204]
    if not answers:
        resource = ctx.fresh_resource("private")
        answers = [ctx.invite(resource, [ctx.target.member.id])]
        answers = [e for e in answers if e.status == 204]
    if not answers:
        return Observation("no 204 answer seen")
    counts = Counter(
        "Content-Length: 0"
        if e.header("content-length") == "0"
        else "no Content-Length"
        if e.header("content-length") is None
        else f"Content-Length: {e.header('content-length')}"
        for e in answers
    )
    return Observation(
        "204 answers: " + ", ".join(f"{kind} ×{count}" for kind, count in counts.most_common())
    )


@requirement("TOL-MULTIPART")
def multipart_acceptance(ctx: Context) -> Observation:
    exchange = ctx.notes.get("multipart")
    if exchange is None:
        resource = ctx.fresh_resource("private")
        exchange = invite_multipart(ctx, resource, [ctx.target.member.id])
    if exchange.status == 204:
        return Observation("multipart/form-data invitations are accepted (204)")
    return Observation(f"multipart/form-data invitations are refused ({exchange.status})")


@requirement("TOL-DECLINE")
def decline(ctx: Context) -> Observation:
    invitee = ctx.target.member
    resource = ctx.private_resource_inviting(invitee)
    exchange = ctx.leave(resource, invitee)
    status = ctx.status(resource, invitee)
    outcome = {
        None: "the invitation is lost",
        "invited": "the invitation is kept, the user is still invited",
    }.get(status, f"status {status!r} (the invitation neither lost nor kept)")
    return Observation(f"DELETE subscribe by an invited user answered {exchange.status}: {outcome}")


@requirement("TOL-EXTRA-FIELDS")
def extra_fields(ctx: Context) -> Observation:
    documented = set(ctx.spec.schema_properties("User"))
    extra: set[str] = set()
    for exchange in ctx.client.exchanges:
        body = exchange.json_or_none() if exchange.status == 200 else None
        users: list[Any] = []
        if isinstance(body, dict) and isinstance(body.get("results"), list):
            users = body["results"]
        elif isinstance(body, dict) and "username" in body:
            users = [body]
        for user in users:
            if isinstance(user, dict):
                extra |= set(user) - documented
    if not extra:
        return Observation("User objects carry only documented fields")
    return Observation("User objects carry undocumented fields (accepted): " + ", ".join(sorted(extra)))


@requirement("TOL-UNIQUE-NAME")
def unique_name(ctx: Context) -> Observation:
    create = ctx.op("create")
    body = ctx.target.resource_body(create, "private")
    first = ctx.client.request(create.method, create.url(), token=ctx.manager.token, json_body=body)
    if not succeeded(first):
        return Observation(f"could not observe: creating an event answered {first.status}")
    second = ctx.client.request(create.method, create.url(), token=ctx.manager.token, json_body=body)
    if second.status == 400:
        answer = "400: names are unique"
    elif succeeded(second):
        answer = f"{second.status}: a second event of the same name is created"
    else:
        answer = f"{second.status}: neither 400 nor a success"
    ctx.reading("a second event with the name of another", answer)
    return Observation(f"creating an event with the name of an existing one answered {answer}")
