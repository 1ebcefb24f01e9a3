"""READ-FAMILIES-APART: a state for one family's resource never shows on another family's with the same id.

A server that keeps the memberships of events and groups in one table keyed by the resource id alone
answers for an event with the group's state (contract rule 54). To see it, the check needs an event and
a group with the same id: it creates one resource of each family and looks for an id both families
have, from the smaller of the two new ids down, then creates more of the family that is behind until
the newest ids meet. A server whose families never share an id (one id sequence for all) cannot confuse
them, and the check says so.
"""

from __future__ import annotations

from openapi.families import Family, families

from ..exchange import Exchange
from ..target import PrerequisiteFailed, User
from .context import Context
from .outcomes import CheckSkipped, Observation, expect
from .registry import requirement

#: How many ids below the newest resources the search for a shared id looks at.
SEARCH_DEPTH = 20
#: How many resources it creates at most for the family that is behind to reach the other's newest id.
CATCH_UP = 250


def read_status(ctx: Context, family: Family, resource: int, user: User) -> Exchange:
    """`user`'s GET status on `family`'s resource `resource`."""
    operation = family.op("status")
    return ctx.client.request("GET", operation.url(resource), token=user.token)


def exists(ctx: Context, family: Family, resource: int, user: User) -> bool:
    """`user` reads a status on `family`'s resource `resource` (it exists and the user may see it)."""
    return read_status(ctx, family, resource, user).status == 200


def status_in(ctx: Context, family: Family, resource: int, user: User) -> object:
    exchange = read_status(ctx, family, resource, user)
    body = exchange.json_or_none()
    return body.get("status") if isinstance(body, dict) else f"(answer {exchange.status})"


def shared_id(ctx: Context, other: Family, user: User) -> int | None:
    """An id that names a resource of the checked family and one of `other`, or None; PrerequisiteFailed
    when the server creates no resource of `other`. First among the resources there are (below the two
    newest), then by creating resources of the family whose newest id is behind, until the ids meet: the
    resources an earlier run made are deleted, so what there is may share no id."""
    mine, theirs = ctx.fresh_resource("public"), ctx.target.create_resource(other, "public")
    newest = min(mine, theirs)
    for candidate in range(newest, max(0, newest - SEARCH_DEPTH), -1):
        if exists(ctx, ctx.family, candidate, user) and exists(ctx, other, candidate, user):
            return candidate
    crossings = 0
    for _ in range(CATCH_UP):
        if mine == theirs:
            return mine
        behind = mine < theirs
        if behind:
            mine = ctx.fresh_resource("public")
        else:
            theirs = ctx.target.create_resource(other, "public")
        crossings += behind != (mine < theirs) and mine != theirs
        if crossings >= 2:  # each new id jumps past the other family's: one sequence for both
            return None
    return None


def join_and_compare(ctx: Context, joined: Family, watched: Family, resource: int, user: User) -> None:
    """`user` joins `joined`'s resource; the status on `watched`'s resource with that id must not move."""
    before = status_in(ctx, watched, resource, user)
    join = joined.op("join")
    exchange = ctx.given(
        ctx.client.request(join.method, join.url(resource), token=user.token),
        f"POST subscribe to {joined} {resource} by {user}",
        "SPEC-STATUS",
    )
    state = status_in(ctx, joined, resource, user)
    after = status_in(ctx, watched, resource, user)
    expect(
        after == before,
        f"{user} joined {joined} {resource} (now {state!r}); their status on {watched} {resource}, which "
        f"has the same id, changed from {before!r} to {after!r}. Keep each family's memberships apart: "
        "key them by family and id, not by id alone",
        exchange,
        literal=True,
    )


@requirement("READ-FAMILIES-APART", alone=True)
def families_apart(ctx: Context) -> Observation:
    others = [family for family in families(ctx.spec) if family.name != ctx.family.name]
    if not others:
        return Observation(f"the spec documents no family besides {ctx.family}: nothing to confuse", True)
    user = ctx.target.requester
    checked, absent = [], []
    for other in others:
        try:
            resource = shared_id(ctx, other, user)
        except PrerequisiteFailed as exc:  # a server without that family cannot confuse it
            absent.append((f"no {other} could be created ({exc}): nothing of it to confuse", exc))
            continue
        if resource is None:
            checked.append(f"no {other} shares an id with a {ctx.family} (ids never coincide)")
            continue
        leave = other.op("leave")
        ctx.client.request(leave.method, leave.url(resource), token=user.token)  # a known start: no relation
        join_and_compare(ctx, other, ctx.family, resource, user)
        checked.append(f"{ctx.family} and {other} {resource} kept apart")
    if not checked:
        raise CheckSkipped(
            "; ".join(text for text, _ in absent), [e for _, exc in absent for e in exc.exchanges]
        )
    return Observation("; ".join([*checked, *(text for text, _ in absent)]), literal=True)
