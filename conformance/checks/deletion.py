"""DEL-*: deleting a resource (docs/contract.md, section Deletion). The manager (a course's creator or
managers) deletes with 204, after which the resource is gone for everyone (404 on every operation on it);
anyone else is answered as the delete's x-access decides and changes nothing; an unknown id is 404."""

from __future__ import annotations

from typing import Any

from openapi.families import Action

from ..exchange import Exchange
from ..expectations import RELATIONS, AccessOutcome
from ..target import User
from .context import Context
from .outcomes import expect, expect_every
from .registry import requirement

#: What each access outcome answers.
STATUS = {AccessOutcome.UNAUTHENTICATED: 401, AccessOutcome.FORBIDDEN: 403, AccessOutcome.HIDDEN: 404}
#: Every operation on one resource, read or write, that a deleted one must answer with 404.
AFTERWARDS: tuple[Action, ...] = (
    "info", "status", "invited", "requested", "members", "invite", "remove_invitation", "join", "leave",
    "delete",
)  # fmt: skip
WRITES_USERS: tuple[Action, ...] = ("invite", "remove_invitation")


def delete(ctx: Context, resource: object, user: User | None) -> Exchange:
    return ctx.call("delete", user, resource)


def involved_resource(ctx: Context) -> tuple[int, dict[User, str | None]]:
    """A private resource with a member, a pending request and, given a fourth user, an invitation; with
    the state each of them (the manager included) reads."""
    target = ctx.target
    resource = ctx.fresh_resource("private")
    ctx.given_member(resource, target.member, "private")
    ctx.given_joined(resource, target.requester, ctx.requested_state)
    states: dict[User, str | None] = {
        target.manager: ctx.creator_state,
        target.member: ctx.member_state,
        target.requester: ctx.requested_state,
    }
    if target.outsider is not target.member:
        ctx.given_invited(resource, [target.outsider])
        states[target.outsider] = ctx.invited_state
    return resource, states


@requirement("DEL-204")
def manager_deletes(ctx: Context) -> None:
    target = ctx.target
    resource, _ = involved_resource(ctx)
    answers = [delete(ctx, resource, target.manager)]
    if ctx.family.has("role"):  # a promoted manager may delete too: "the course creator or manager role"
        promoted = ctx.fresh_resource("private")
        ctx.given_member(promoted, target.member, "private")
        manager = ctx.states.manager or "manager"
        ctx.given_roles(promoted, {target.member: manager}, {"managers": [target.member.id]})
        answers.append(delete(ctx, promoted, target.member))
    expect_every(
        answers, 204, "DELETE event requests by its manager", "Delete the event and answer 204 No Content."
    )
    with_body = [answer for answer in answers if answer.response_body]
    expect(not with_body, "a 204 answer to DELETE event carries a body; a 204 has none", *with_body)


@requirement("DEL-GONE")
def deleted_resource_is_gone(ctx: Context) -> None:
    resource, states = involved_resource(ctx)
    ctx.given(delete(ctx, resource, ctx.manager), "DELETE event by its manager", "DEL-204")
    attempts = []
    for action in AFTERWARDS:
        if not ctx.family.has(action):
            continue
        users = {"users": [ctx.target.member.id]}
        body: dict[str, Any] = {"json_body": users} if action in WRITES_USERS else {}
        attempts += [ctx.call(action, user, resource, **body) for user in states]
    expect_every(
        attempts,
        404,
        "requests about a deleted event",
        "Once an event is deleted, answer every request about it as for an id that never existed (404); "
        "delete its memberships with it.",
    )


def state(ctx: Context, resource: int, users: list[User]) -> dict[str, Any]:
    """What a refused delete must leave as it was: the event as its manager reads it, its three lists and
    every user's status."""
    manager = ctx.manager
    return {
        "info": ctx.call("info", manager, resource).status,
        "invited": sorted(ctx.list_ids("invited", resource)),
        "requested": sorted(ctx.list_ids("requested", resource)),
        "members": sorted(ctx.list_ids("members", resource)),
        "statuses": {str(user): ctx.status(resource, user) for user in users},
    }


@requirement("DEL-MANAGER-ONLY")
def only_the_manager_deletes(ctx: Context) -> None:
    resource, states = involved_resource(ctx)
    before = state(ctx, resource, list(states))
    target = ctx.target
    relation = {target.member: "member", target.requester: "requester", target.outsider: "invited"}
    relation[target.member] = "member"  # the outsider, given three users only
    wrong: list[str] = []
    attempts = [delete(ctx, resource, None)]
    if attempts[0].status != 401:
        wrong.append(f"DELETE event without a token → {attempts[0].status}, not 401")
    for user in states:
        if user is ctx.manager:
            continue
        expected = ctx.expected("delete", RELATIONS[relation[user]], "private")
        allowed = {STATUS[outcome] for outcome in expected.outcomes if outcome in STATUS}
        if not ctx.sees(relation[user], "private"):
            allowed.add(404)  # a resource the caller may not see may be answered as absent (reading 68)
        attempt = delete(ctx, resource, user)
        attempts.append(attempt)
        if attempt.status not in allowed:
            wanted = " or ".join(map(str, sorted(allowed))) or "a refusal"
            wrong.append(f"DELETE event by {user} ({relation[user]}) → {attempt.status}, not {wanted}")
    expect(
        not wrong,
        "; ".join(wrong) + ". Only the manager may delete the event (x-access): refuse anyone else with 403 "
        "before changing anything.",
        *attempts,
    )
    after = state(ctx, resource, list(states))
    expect(after == before, f"a refused DELETE event still changed it: {before} became {after}", *attempts)


@requirement("DEL-UNKNOWN")
def unknown_resource(ctx: Context) -> None:
    kept = ctx.fresh_resource("private")
    attempts = [delete(ctx, resource, ctx.manager) for resource in (ctx.unknown_id(), "abc", 2**63)]
    expect_every(
        attempts,
        404,
        "DELETE event requests naming an event that does not exist",
        "Look the event up before anything else and answer 404 when there is none.",
    )
    read = ctx.call("info", ctx.manager, kept)
    expect(
        read.status == 200 and ctx.status(kept, ctx.manager) == ctx.creator_state,
        f"after DELETE requests naming events that do not exist, the manager's own event {kept} reads back "
        f"{read.status}; nothing but the named event may be deleted",
        *attempts,
        read,
    )
