"""PUB-*: the public access rules of the pages, as x-access states them (docs/access-language.md).

Who may read a member list depends on the event's privacy; the manager removes users with
`DELETE subscribe/?user=ID`; event info is open to anonymous callers unless the community option
`content_availability` is false. What each caller may expect comes from the spec (`expect_access`),
never from a list kept here. Where the pages leave room (a manager who left a private event; a `user`
naming nobody) the TOL checks at the end accept every reading and report the one the server took.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..exchange import Exchange
from ..expectations import AccessOutcome, Caller, Expectation, expect_access
from ..target import User
from .auth import valid_body
from .context import Context, succeeded
from .outcomes import CheckSkipped, Observation, expect, expect_every
from .registry import requirement

MEMBER_LIST = "members"
LEAVE = "leave"
INFO = "info"
OPTION = "content_availability"
LISTS = ("members", "invited", "requested")


def lists_by_state(ctx: Context) -> dict[str, str]:
    """The list that shows a user in each state: the members list the member state."""
    return dict(zip((ctx.member_state, ctx.invited_state, ctx.requested_state), LISTS, strict=True))


def expected(
    ctx: Context,
    operation_id: str,
    relation: Caller | str,
    privacy: str,
    params: tuple[str, ...] | Mapping[str, Any] = (),
    **attributes: Any,
) -> Expectation:
    """What `relation` may expect from `operation_id` on a resource of `privacy` (the catalog's word or the
    family's value) with `attributes`, under the stated options."""
    attrs = ctx.attributes(privacy, **attributes)
    return expect_access(ctx.op(operation_id), relation, attrs, params, ctx.options)


def status_for(outcome: AccessOutcome) -> int | None:
    """The status an outcome is answered with; None for "allowed" and "empty" (a success)."""
    return {
        AccessOutcome.UNAUTHENTICATED: 401,
        AccessOutcome.FORBIDDEN: 403,
        AccessOutcome.HIDDEN: 404,
        AccessOutcome.ABSENT: 404,
    }.get(outcome)


def answers(exchange: Exchange, outcome: AccessOutcome, hidden: bool = False) -> bool:
    """Whether the answer is the outcome's; `hidden`: the resource is hidden from the caller, whom a 404
    answers as well as a 403 (docs/contract.md, reading 68)."""
    status = status_for(outcome)
    if outcome is AccessOutcome.EMPTY:
        body = exchange.json_or_none()
        return succeeded(exchange) and not (isinstance(body, dict) and body.get("results"))
    if hidden and outcome is AccessOutcome.FORBIDDEN:
        return exchange.status in (403, 404)
    return succeeded(exchange) if status is None else exchange.status == status


def expect_answer(exchange: Exchange, expectation: Expectation, who: str, advice: str) -> None:
    """Fail unless the answer is one of the outcomes the access rules allow."""
    expect(
        any(answers(exchange, outcome) for outcome in expectation.outcomes),
        f"{exchange.method} {exchange.url} by {who} answered {exchange.status}; its x-access says "
        f"{expectation.describe()}. {advice}",
        exchange,
    )


def read_list(ctx: Context, resource: int, user: User | None) -> Exchange:
    return ctx.call(MEMBER_LIST, user, resource)


def remove(ctx: Context, resource: int, named: object, caller: User | None = None) -> Exchange:
    """DELETE subscribe/?user=`named`, by the manager unless `caller` says otherwise."""
    return ctx.remove(resource, named, caller)


def user_param_documented(ctx: Context) -> None:
    if "user" not in ctx.op(LEAVE).query_parameters:
        raise CheckSkipped(f"{ctx.op(LEAVE).label} documents no `user` query parameter in this spec")


# -- member lists --------------------------------------------------------------------------------------


def private_resource_with_every_relation(ctx: Context) -> tuple[int, dict[str, User]]:
    """A private resource where the member is subscribed, the requester waits and the outsider is invited.

    With only three users the outsider is the member: the invited relation is then left out.
    """
    target = ctx.target
    relations = {"subscriber": target.member, "requester": target.requester}
    if target.outsider is not target.member:
        relations["invited"] = target.outsider
    resource = ctx.private_resource_inviting(target.member)
    ctx.given_joined(resource, target.member, ctx.member_state)
    ctx.given_joined(resource, target.requester, ctx.requested_state)
    if "invited" in relations:
        ctx.given_invited(resource, [target.outsider])
    return resource, relations


@requirement("PUB-PRIVATE-LIST-CLOSED")
def private_list_closed_to_non_subscribers(ctx: Context) -> None:
    resource, relations = private_resource_with_every_relation(ctx)
    # Nobody but the manager is involved in a fresh one: everyone else is an outsider.
    stranger = ctx.fresh_resource("private")
    attempts: list[tuple[str, Exchange]] = [
        (f"{relation} {user}", read_list(ctx, resource, user)) for relation, user in relations.items()
    ]
    attempts.append((f"outsider {ctx.target.member}", read_list(ctx, stranger, ctx.target.member)))
    for who, exchange in attempts:
        relation = who.split(" ")[0]
        expect_answer(
            exchange,
            expected(ctx, MEMBER_LIST, relation, "private"),
            who,
            "On a private event only subscribers may read the member list (403 for anyone else).",
        )
    subscriber = attempts[0][1]
    body = subscriber.json_or_none()
    ids = [item.get("id") for item in body.get("results", [])] if isinstance(body, dict) else []
    expect(
        ctx.target.member.id in ids,
        f"the subscriber read the private member list ({subscriber.status}) and is not in it: {ids}",
        subscriber,
    )


@requirement("PUB-PRIVATE-LIST-ANONYMOUS")
def private_list_needs_credentials(ctx: Context) -> None:
    resource = ctx.fresh_resource("private")
    exchange = read_list(ctx, resource, None)
    expect_answer(
        exchange,
        expected(ctx, MEMBER_LIST, "anonymous", "private"),
        "an anonymous caller",
        "A private event's member list requires authentication: answer 401 with a Bearer challenge.",
    )


@requirement("PUB-PUBLIC-LIST-OPEN")
def public_list_open(ctx: Context) -> None:
    resource = ctx.fresh_resource("public")
    outsider = ctx.target.outsider
    listed, who_is = ctx.manager, "the manager, who is subscribed"
    if not ctx.listed_members({ctx.manager: ctx.creator_state}):  # a course's creator is listed on demand
        listed, who_is = ctx.target.member, "a member"
        ctx.given_joined(resource, listed, ctx.member_state)
    for relation, user in (("anonymous", None), ("outsider", outsider)):
        exchange = read_list(ctx, resource, user)
        who = "an anonymous caller" if user is None else str(user)
        expect_answer(
            exchange,
            expected(ctx, MEMBER_LIST, relation, "public"),
            who,
            "A public event's member list needs neither authentication nor subscription.",
        )
        body = exchange.json_or_none()
        ids = [item.get("id") for item in body.get("results", [])] if isinstance(body, dict) else []
        expect(
            listed.id in ids,
            f"{who} read the public member list ({exchange.status}) without {who_is}: {ids}",
            exchange,
        )


# -- removal by the manager ----------------------------------------------------------------------------


def resource_with_member_in(ctx: Context, state: str) -> int:
    """A fresh resource where the member is in `state` (the member state, invited or requested)."""
    member = ctx.target.member
    if state == ctx.member_state:
        resource = ctx.fresh_resource("public")
        ctx.given_joined(resource, member, ctx.member_state)
    elif state == ctx.invited_state:
        resource = ctx.private_resource_inviting(member)
    else:
        resource = ctx.fresh_resource("private")
        ctx.given_joined(resource, member, ctx.requested_state)
    return resource


@requirement("PUB-MANAGER-REMOVES")
def manager_removes_any_relation(ctx: Context) -> None:
    user_param_documented(ctx)
    member, manager = ctx.target.member, ctx.manager
    documented = ctx.success_status(LEAVE) or 204
    for state, list_id in lists_by_state(ctx).items():
        resource = resource_with_member_in(ctx, state)
        exchange = remove(ctx, resource, member.id)
        expect(
            exchange.status == documented,
            f"DELETE subscribe/?user={member.id} by the manager, {member} being {state}, answered "
            f"{exchange.status}, not {documented}. The manager ends any relation of the named user.",
            exchange,
        )
        status = ctx.status(resource, member)
        listed = ctx.list_ids(list_id, resource)
        expect(
            status is None and member.id not in listed,
            f"after the manager removed the {state} {member} (answer {exchange.status}), they read "
            f"{status!r} and {list_id} lists {listed}; the named user's relation must end",
            exchange,
        )
        own = ctx.status(resource, manager)
        expect(
            own == ctx.creator_state,
            f"removing {member} also changed the manager's own status to {own!r}: `user` names who "
            "is removed, not the caller",
            exchange,
        )


@requirement("PUB-REMOVAL-MANAGER-ONLY")
def removal_reserved_to_the_manager(ctx: Context) -> None:
    user_param_documented(ctx)
    target = ctx.target
    caller, named = target.member, target.requester
    resource = ctx.fresh_resource("public")
    ctx.given_joined(resource, caller, ctx.member_state)
    ctx.given_joined(resource, named, ctx.member_state)
    before = {str(user): ctx.status(resource, user) for user in target.users}
    attempts = [remove(ctx, resource, named.id, caller), remove(ctx, resource, caller.id, caller)]
    expect_every(
        attempts,
        status_for(expected(ctx, LEAVE, "subscriber", "public", ("user",)).outcome) or 204,
        "DELETE subscribe/?user=… requests by a subscriber who does not manage the event",
        "Passing `user` requires the manager role: answer 403 and change nothing.",
    )
    after = {str(user): ctx.status(resource, user) for user in target.users}
    expect(
        after == before,
        f"refused removals by {caller} still changed the event: statuses {before} became {after}",
        *attempts,
    )


# -- event info and anonymous callers ------------------------------------------------------------------


def anonymous_info(ctx: Context) -> dict[str, Exchange]:
    return {privacy: ctx.call(INFO, None, ctx.fresh_resource(privacy)) for privacy in ("public", "private")}


@requirement("PUB-EVENT-INFO")
def info_follows_content_availability(ctx: Context) -> Observation:
    seen = anonymous_info(ctx)
    statuses = {privacy: exchange.status for privacy, exchange in seen.items()}
    if OPTION in ctx.options:
        for privacy, exchange in seen.items():
            expect_answer(
                exchange,
                expected(ctx, INFO, "anonymous", privacy),
                "an anonymous caller",
                f"The run states {OPTION}={str(ctx.options[OPTION]).lower()} (--community-option); "
                "check the setting or the option passed.",
            )
        text = (
            f"anonymous GET event answered {statuses['public']} (public) and {statuses['private']} (private)"
        )
        ctx.reading(OPTION, f"as stated; {text}")
        return Observation(f"{OPTION}={str(ctx.options[OPTION]).lower()} (stated): {text}")
    expect(
        set(statuses.values()) <= {200, 401} and len(set(statuses.values())) == 1,
        f"anonymous GET event answered {statuses['public']} on a public event and {statuses['private']} on "
        f"a private one; with {OPTION} true both answer 200, with false both answer 401 "
        "(the pages tie it to the community option alone, not to the event's privacy).",
        *seen.values(),
    )
    value = statuses["public"] == 200
    ctx.reading(OPTION, f"{str(value).lower()} (observed: anonymous GET event answered {statuses['public']})")
    return Observation(f"the server appears to run {OPTION}={str(value).lower()} (observed, not stated)")


def anonymous_cases(ctx: Context, resources: Mapping[str, object]) -> list[tuple[str, str, dict[str, Any]]]:
    """(operationId, privacy, query sent) for every operation, privacy and conditional parameter: a
    parameter a rule needs present names the member; one a rule needs with a value has its first value."""
    cases = []
    for operation in ctx.operations():
        param_sets: list[dict[str, Any]] = [{}]
        query = set(operation.query_parameters)
        for rule in operation.access.rules:
            if rule.when.params and set(rule.when.params) <= query:
                param_sets.append(dict.fromkeys(rule.when.params, ctx.target.member.id))
            if rule.when.param_values and {name for name, _ in rule.when.param_values} <= query:
                param_sets.append({name: values[0] for name, values in rule.when.param_values})
        privacies = list(resources) if operation.takes_resource_id else ["public"]
        cases += [(operation.operation_id, privacy, params) for privacy in privacies for params in param_sets]
    return cases


def send_anonymous(ctx: Context, operation_id: str, resource: int, params: Mapping[str, Any]) -> Exchange:
    operation = ctx.op(operation_id)
    kwargs: dict[str, Any] = {}
    body = valid_body(ctx, operation_id)
    if body is not None:
        kwargs["json_body"] = body
    if params:
        kwargs["params"] = dict(params)
    url = operation.url(resource if operation.takes_resource_id else None)
    return ctx.client.request(operation.method, url, **kwargs)


@requirement("PUB-ANONYMOUS")
def anonymous_callers_judged_by_x_access(ctx: Context) -> None:
    resources = {privacy: ctx.fresh_resource(privacy) for privacy in ("private", "public")}
    wrong = []
    for operation_id, privacy, params in anonymous_cases(ctx, resources):
        expectation = expected(ctx, operation_id, "anonymous", privacy, params)
        exchange = send_anonymous(ctx, operation_id, resources[privacy], params)
        needs_auth = AccessOutcome.UNAUTHENTICATED in expectation.outcomes
        may_pass = expectation.outcomes != {AccessOutcome.UNAUTHENTICATED}
        if (exchange.status == 401 and not needs_auth) or (exchange.status != 401 and not may_pass):
            wrong.append(
                (
                    exchange,
                    f"{privacy} {ctx.family}"
                    f"{' with ' + ', '.join(map(str, params)) if params else ''}: "
                    f"{exchange.status}, x-access says {expectation.describe()}",
                )
            )
    expect(
        not wrong,
        f"{len(wrong)} anonymous request(s) were judged otherwise than x-access says: "
        + "; ".join(f"{e.method} {e.url} ({why})" for e, why in wrong[:8])
        + ". Answer 401 exactly where the clauses that apply require authentication.",
        *(exchange for exchange, _ in wrong[:8]),
    )


# -- where the pages leave room ------------------------------------------------------------------------


@requirement("TOL-LEFT-MANAGER-LIST")
def left_manager_reads_private_list(ctx: Context) -> Observation:
    resource = ctx.fresh_resource("private")
    leaving = "DELETE subscribe by the manager (leaving the event)"
    ctx.given(ctx.leave(resource, ctx.manager), leaving, "SPEC-STATUS")
    ctx.given_statuses(resource, {ctx.manager: None}, leaving, "MODEL-STATEFUL")
    exchange = read_list(ctx, resource, ctx.manager)
    reading = {
        403: "403: the literal reading (a manager who left is no subscriber)",
        200: "200: the lenient reading (the manager may read the list after leaving)",
    }.get(exchange.status or 0, f"{exchange.status}: neither reading (403 or 200)")
    ctx.reading("manager who left a private event reads its member list", reading)
    return Observation(f"GET subscribe on a private event by its manager after leaving answered {reading}")


@requirement("TOL-REMOVE-UNKNOWN-USER")
def removal_of_an_unknown_user(ctx: Context) -> Observation:
    user_param_documented(ctx)
    resource = ctx.fresh_resource("public")
    ctx.given_joined(resource, ctx.target.member, ctx.member_state)
    before = ctx.list_ids(MEMBER_LIST, resource)
    exchange = remove(ctx, resource, ctx.unknown_id())
    after = ctx.list_ids(MEMBER_LIST, resource)
    answer = {
        400: "400: the id is bad input",
        404: "404: the user is not found",
    }.get(exchange.status or 0, f"{exchange.status}: neither 400 nor 404")
    changed = (
        "members unchanged" if sorted(after) == sorted(before) else f"members CHANGED {before} → {after}"
    )
    ctx.reading("manager's removal of a user id that does not exist", answer)
    return Observation(f"DELETE subscribe/?user=<unknown id> by the manager answered {answer}; {changed}")
