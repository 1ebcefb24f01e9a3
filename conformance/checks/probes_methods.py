"""METHOD-*: methods the spec does not document on its paths are refused, never answered with a 5xx.

Deterministic: every documented path, every method of PROBED it does not document, once per run.
On the paths of an event or a user themselves the wider SelfCommunity API documents more operations
(updating or deleting an event, …), so there only a 5xx fails (rule 41), and DELETE is not sent.
"""

from __future__ import annotations

from typing import Any

from ..exchange import Exchange
from .context import Context
from .outcomes import CheckSkipped, expect
from .registry import requirement

# HEAD and OPTIONS are left out: a server may answer them on any resource (RFC 9110 §9.3.2, §9.3.7).
PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE")


def invitation_path(path: str) -> bool:
    """A sub-resource of an event (invite/, subscribe/, status/…): wholly within this contract."""
    return "{id}/" in path and not path.endswith("{id}/")


def undocumented(ctx: Context) -> list[tuple[str, str]]:
    """(method, path) pairs to probe: each documented path with each method it lacks."""
    documented: dict[str, set[str]] = {}
    for operation in ctx.operations():
        documented.setdefault(operation.path, set()).add(operation.method)
    return [
        (method, path)
        for path, methods in documented.items()
        for method in PROBED
        if method not in methods and (invitation_path(path) or method != "DELETE")
    ]


def probes(ctx: Context) -> list[tuple[str, Exchange]]:
    """Each undocumented (method, path) sent once with the manager's token and a plausible body; cached."""
    cached = ctx.notes.get("method_probes")
    if cached is not None:
        return cached
    target = ctx.target
    invited, bystander = target.member, target.requester
    resource = ctx.private_resource_inviting(invited)
    before = ctx.snapshot(resource, [invited, bystander])
    sent: list[tuple[str, Exchange]] = []
    for method, path in undocumented(ctx):
        url = path.replace("{id}", str(resource))
        body = None if method == "GET" else {"users": [bystander.id, invited.id]}
        kwargs: dict[str, Any] = {} if body is None else {"json_body": body}
        sent.append((path, ctx.client.request(method, url, token=ctx.manager.token, **kwargs)))
    after = ctx.snapshot(resource, [invited, bystander])
    ctx.notes["method_probes"] = sent
    ctx.notes["method_probes_changed"] = None if after == before else f"{before} became {after}"
    return sent


@requirement("METHOD-UNDOCUMENTED")
def undocumented_methods_refused(ctx: Context) -> None:
    sent = probes(ctx)
    wrong = [
        (path, exchange)
        for path, exchange in sent
        if (exchange.status or 0) >= 500
        or (invitation_path(path) and not 400 <= (exchange.status or 0) < 500)
    ]
    expect(
        not wrong,
        f"{len(wrong)} of {len(sent)} requests with a method the spec does not document for the path did "
        "not answer a 4xx: "
        + ", ".join(f"{e.method} {e.url} → {e.status}" for _, e in wrong[:8])
        + ". Answer 405 Method Not Allowed with an `Allow` header naming the documented methods.",
        *[exchange for _, exchange in wrong[:8]],
    )
    changed = ctx.notes.get("method_probes_changed")
    expect(
        changed is None,
        f"requests with undocumented methods changed the event: {changed}. Refuse them before acting.",
        *[exchange for _, exchange in sent],
    )


@requirement("METHOD-ALLOW")
def allow_on_405(ctx: Context) -> None:
    answers = [exchange for _, exchange in probes(ctx) if exchange.status == 405]
    if not answers:
        raise CheckSkipped("no undocumented method was answered 405: there is no Allow header to check")
    bare = [exchange for exchange in answers if not exchange.has_header("allow")]
    expect(
        not bare,
        f"{len(bare)} of {len(answers)} 405 answers carry no `Allow` header (RFC 9110 §15.5.6): "
        + ", ".join(f"{e.method} {e.url}" for e in bare[:6])
        + ". List the documented methods of the path in `Allow`.",
        *bare[:6],
    )
