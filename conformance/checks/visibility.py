"""PUB-HIDDEN, PUB-MEMBER-LIST-PRIVACY, PUB-LOCK-SCREEN, PUB-INFO-MANAGER-VIEWS, TOL-HIDDEN-ANSWER,
TOL-DRAFT-CREATOR-LIST: who sees a course, its members and its lock screen (contract rules 58, 59, 67).

Every expectation comes from the spec: the values of `privacy` and what each means (`openapi.privacy`), who
the info's and the member list's x-access let through (the suite's decider, `expect_access`). Where the
pages leave room the checks accept each reading and report the one taken: 404 or 403 to a caller a course
is hidden from (reading 68), 200 or 403 to the creator reading a draft course's members (reading 71).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exchange import Exchange
from ..expectations import RELATIONS, Caller, Expectation, caller
from ..target import User
from .context import Context, succeeded
from .outcomes import CheckSkipped, Observation, expect
from .public_access import answers
from .registry import requirement

#: What a failure to a caller a course is hidden from adds (docs/contract.md, reading 68).
HIDDEN_NOTE = " (404 or 403: the course is hidden from them)"
#: The creator, had the pages named it wherever they name the managers (contract rule 57).
CREATOR_AS_MANAGER = caller("member", "creator", "manager")


def judged(
    exchange: Exchange,
    expectation: Expectation,
    who: str,
    hidden: bool,
    advice: str,
) -> None:
    """Fail unless the answer is one the access rules allow; to a caller the resource is `hidden` from, a
    404 answers as a 403 does (reading 68; TOL-HIDDEN-ANSWER reports which)."""
    expect(
        any(answers(exchange, outcome, hidden) for outcome in expectation.outcomes),
        f"{exchange.method} {exchange.url} by {who} answered {exchange.status}; its x-access says "
        f"{expectation.describe()}{HIDDEN_NOTE if hidden else ''}. {advice}",
        exchange,
    )


def ids_in(exchange: Exchange) -> list[Any]:
    body = exchange.json_or_none()
    return [item.get("id") for item in body.get("results", [])] if isinstance(body, dict) else []


def hidden_from(ctx: Context, relation: Caller | str, value: str) -> bool:
    """An authenticated caller who may not read the resource itself (its info)."""
    who = RELATIONS[relation] if isinstance(relation, str) else relation
    return who.authenticated and not ctx.sees(relation, value)


# -- hidden courses ------------------------------------------------------------------------------------


def lists_read(ctx: Context, resource: int) -> dict[str, list[int]]:
    """The lists the creator reads: invitations, requests, and the members where the creator may read them
    (a draft course's may be the managers' alone, reading 71)."""
    read = {action: sorted(ctx.list_ids(action, resource)) for action in ("invited", "requested")}
    if ctx.call("members", ctx.manager, resource).status == 200:
        read["members"] = sorted(ctx.list_ids("members", resource, query=every_member(ctx)))
    return read


def every_member(ctx: Context) -> dict[str, Any]:
    """The members list's filter naming every member state (a course's `statuses`), where it has one."""
    return {ctx.states.filter: list(ctx.states.filter_values)} if ctx.states.filter else {}


def outsider_is_refused(ctx: Context, resource: int, value: str, outsider: User) -> None:
    """The outsider's reads and join are refused as if the resource did not exist; nothing changes."""
    before = lists_read(ctx, resource)
    for action in ("info", "status"):
        judged(
            ctx.call(action, outsider, resource),
            ctx.expected(action, "outsider", value),
            f"{outsider}, who has no relation with the {value!r} course",
            True,
            "A course this caller may not see is answered as if it did not exist.",
        )
    join = ctx.join(resource, outsider)
    expect(
        join.status in (403, 404),
        f"POST join of a {value!r} course by {outsider}, who may not see it, answered "
        f"{join.status}; the course is hidden from them: 404 (or 403, reading 68), and nothing changes",
        join,
    )
    after = lists_read(ctx, resource)
    expect(after == before, f"a refused POST join by {outsider} changed the lists {before} to {after}", join)


def insider_sees(
    ctx: Context, resource: int, value: str, user: User, relation: str, state: str | None
) -> None:
    """A caller the value's rule names reads the resource and their status."""
    info = ctx.call("info", user, resource)
    expect(
        info.status == 200,
        f"GET course of a {value!r} course by {user} ({relation}) answered {info.status}; its "
        f"x-access lets them see it ({ctx.expected('info', relation, value).describe()})",
        info,
    )
    status = ctx.status(resource, user)
    expect(
        status == state,
        f"{user} ({relation}) reads {status!r} on the {value!r} course, not {state!r}",
    )


@requirement("PUB-HIDDEN")
def hidden_courses(ctx: Context) -> Observation:
    values = ctx.family.hidden_privacy
    if not values:
        raise CheckSkipped(f"no `privacy` value of the {ctx.family} family hides it")
    insider, outsider = ctx.target.member, ctx.target.requester
    checked = []
    for value in values:
        resource = ctx.fresh_resource(value)
        for action in ("info", "status"):
            judged(
                ctx.call(action, None, resource),
                ctx.expected(action, "anonymous", value),
                "an anonymous caller",
                False,
                "A hidden course needs credentials.",
            )
        outsider_is_refused(ctx, resource, value, outsider)
        insider_sees(ctx, resource, value, ctx.manager, "creator", ctx.creator_state)
        if ctx.sees("invited", value):
            ctx.given_invited(resource, [insider])
            insider_sees(ctx, resource, value, insider, "invited", ctx.invited_state)
            accepted = ctx.join(resource, insider)
            expect(
                succeeded(accepted),
                f"POST join by {insider}, invited to the {value} course, answered {accepted.status}: an "
                "invitation is accepted on every privacy",
                accepted,
            )
            insider_sees(ctx, resource, value, insider, "member", ctx.member_state)
            seen = "its invited users and members see it"
        elif ctx.sees("promoted_manager", value) and ctx.family.documents("role.managers"):
            manager = ctx.states.manager
            ctx.given_roles(resource, {insider: manager}, {"managers": [insider.id]})
            insider_sees(ctx, resource, value, insider, "promoted_manager", manager)
            seen = "its creator and managers see it"
        else:
            seen = "its creator sees it"
        checked.append(f"{value!r}: hidden from an outsider, {seen}")
    return Observation("; ".join(checked), literal=True)


@requirement("TOL-HIDDEN-ANSWER")
def hidden_answer(ctx: Context) -> Observation:
    seen = []
    for value in ctx.family.hidden_privacy:
        resource = ctx.fresh_resource(value)
        info = ctx.call("info", ctx.target.requester, resource)
        join = ctx.join(resource, ctx.target.requester)
        seen.append(f"{value!r}: GET course {info.status}, POST join {join.status}")
    answers_seen = "; ".join(seen) or "no privacy value hides a course"
    ctx.reading("what an outsider gets from a hidden course", answers_seen)
    return Observation(f"an authenticated outsider gets: {answers_seen}", literal=True)


# -- member lists by privacy ----------------------------------------------------------------------------


def readers(ctx: Context, value: str) -> tuple[int, list[tuple[str, User | None, int]]]:
    """A resource of `value` with a member, an invited user and (with four users) a promoted manager, and
    who reads its member list: (relation, user, resource); the outsider reads a resource of its own."""
    target = ctx.target
    resource = ctx.fresh_resource(value)
    ctx.given_member(resource, target.member, value)
    ctx.given_invited(resource, [target.requester], value)
    found: list[tuple[str, User | None, int]] = [
        ("anonymous", None, resource),
        ("creator", ctx.manager, resource),
        ("member", target.member, resource),
        ("invited", target.requester, resource),
        ("outsider", target.member, ctx.fresh_resource(value)),
    ]
    if target.outsider is not target.member and ctx.family.documents("role.managers"):
        ctx.given_roles(resource, {target.outsider: ctx.states.manager}, {"managers": [target.outsider.id]})
        found.append(("promoted_manager", target.outsider, resource))
    return resource, found


@requirement("PUB-MEMBER-LIST-PRIVACY")
def member_list_by_privacy(ctx: Context) -> Observation:
    checked = []
    for value in ctx.family.privacy:
        resource, who = readers(ctx, value)
        for relation, user, where in who:
            exchange = ctx.call("members", user, where)
            expectation = ctx.expected("members", relation, value)
            if relation == "creator":
                lenient = ctx.expected("members", CREATOR_AS_MANAGER, value)
                if lenient.outcomes != expectation.outcomes:  # reading 71 (TOL-DRAFT-CREATOR-LIST reports it)
                    expectation = Expectation(expectation.outcomes | lenient.outcomes, expectation.by_option)
            judged(
                exchange,
                expectation,
                f"{relation} {user or ''} on a {value!r} course".replace("  ", " "),
                hidden_from(ctx, relation, value),
                "Who lists the members follows the course's privacy (x-access of GET join).",
            )
            listed = ctx.member_state in ctx.states.listed and where == resource
            if succeeded(exchange) and listed and ctx.target.member.id not in ids_in(exchange):
                expect(False, f"GET join by {relation} lists {ids_in(exchange)}, not the member", exchange)
        checked.append(repr(value))
    return Observation(f"member lists judged by x-access on {', '.join(checked)} courses", literal=True)


@requirement("TOL-DRAFT-CREATOR-LIST")
def draft_creator_list(ctx: Context) -> Observation:
    seen = []
    for value in ctx.family.privacy:
        strict = ctx.expected("members", "creator", value).outcomes
        if strict == ctx.expected("members", CREATOR_AS_MANAGER, value).outcomes:
            continue  # the pages name the creator, or nobody, for this value
        exchange = ctx.call("members", ctx.manager, ctx.fresh_resource(value))
        reading = {200: "200 (the creator may what managers may)", 403: "403 (the page names only managers)"}
        seen.append(f"{value!r}: {reading.get(exchange.status or 0, f'{exchange.status}: neither')}")
    text = "; ".join(seen) or "every value's member list names the creator where it names the managers"
    ctx.reading("the creator reads the members of a course whose list names only managers", text)
    return Observation(f"GET join by the creator: {text}", literal=True)


# -- the lock screen ------------------------------------------------------------------------------------


@requirement("PUB-LOCK-SCREEN")
def lock_screen(ctx: Context) -> Observation:
    screens = {value: facts.lock_screen for value, facts in ctx.family.privacy.items() if facts.lock_screen}
    if not screens:
        raise CheckSkipped(f"no `privacy` value of the {ctx.family} family has a lock screen")
    info = ctx.op("info")
    checked = []
    for value, schema in screens.items():
        shown = set(ctx.spec.schema_properties(schema))
        beyond = info.answer_properties - shown  # what the whole course shows and the lock screen does not
        resource = ctx.fresh_resource(value)
        ctx.given_joined(resource, ctx.target.requester, ctx.requested_state)
        stranger = ctx.target.outsider if ctx.target.outsider is not ctx.target.member else None
        reads: list[tuple[str, User | None]] = [("a user with a pending request", ctx.target.requester)]
        reads += [("an anonymous caller", None)]
        if stranger is not None:
            reads.append(("a user with no relation", stranger))
        for who, user in reads:
            exchange = ctx.call("info", user, resource)
            if user is not None:
                judged(
                    exchange,
                    ctx.expected("info", "requester", value),
                    who,
                    False,
                    "Non-members see the lock screen.",
                )
            body = exchange.json_or_none()
            if exchange.status != 200 or not isinstance(body, dict):
                continue
            leaked = sorted(set(body) & beyond)
            expect(
                not leaked,
                f"GET course of a {value} course by {who} shows {', '.join(leaked)}: a non-member sees the "
                f"lock screen, only {schema}'s properties",
                exchange,
            )
        checked.append(f"{value!r}: {schema}")
    return Observation(f"non-members see only the lock screen ({'; '.join(checked)})", literal=True)


# -- views the managers have ----------------------------------------------------------------------------


def conditional_queries(ctx: Context) -> list[Mapping[str, Any]]:
    """The info's query parameters its x-access rules name: each value of an enumerated one (``view``), and
    one naming the member for one whose presence counts (``user``)."""
    info = ctx.op("info")
    queries: list[Mapping[str, Any]] = []
    named = {name for rule in info.access.rules for part in rule.when.parts for name, _ in part.param_values}
    present = {name for rule in info.access.rules for part in rule.when.parts for name in part.params}
    for parameter in info.parameters:
        name = str(parameter.get("name"))
        if parameter.get("in") != "query":
            continue
        if name in named:
            queries += [
                {name: value} for value in ctx.spec.resolve(parameter.get("schema", {})).get("enum", ())
            ]
        elif name in present:
            queries.append({name: ctx.target.member.id})
    return queries


@requirement("PUB-INFO-MANAGER-VIEWS")
def manager_views(ctx: Context) -> Observation:
    queries = conditional_queries(ctx)
    if not queries:
        raise CheckSkipped(f"the {ctx.family} info's x-access names no query parameter")
    resource = ctx.fresh_resource("public")
    ctx.given_joined(resource, ctx.target.member, ctx.member_state)
    callers: list[tuple[str, User | None]] = [
        ("anonymous", None),
        ("member", ctx.target.member),
        ("creator", ctx.manager),
    ]
    if ctx.family.documents("role.managers"):
        ctx.given_joined(resource, ctx.target.requester, ctx.member_state)
        ctx.given_roles(
            resource, {ctx.target.requester: ctx.states.manager}, {"managers": [ctx.target.requester.id]}
        )
        callers.append(("promoted_manager", ctx.target.requester))
    operation = ctx.op("info")
    for query in queries:
        for relation, user in callers:
            exchange = ctx.client.request(
                operation.method,
                operation.url(resource),
                token=user.token if user else None,
                params=dict(query),
            )
            judged(
                exchange,
                ctx.expected("info", relation, "public", query),
                f"{relation} {user or ''}".strip(),
                False,
                "These views are the creator's and the managers'.",
            )
    return Observation(f"judged {', '.join(f'{k}={v}' for q in queries for k, v in q.items())}", literal=True)
